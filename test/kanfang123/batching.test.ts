import { useSetup } from '../harness/vendor';
import { assign, setup } from './setup';

const houses = (count: number) => Array.from({ length: count }, (_, i) => ({ house: `B-${i}` }));

describe('123kanfang node: Batch Interval works like the HTTP Request node (a rate, not a cap)', () => {
	const k = useSetup(setup, { reset: true });

	it('starts a batch every interval without waiting for the previous batch to be answered', async () => {
		// Long interval and latency, so that one request delayed on a loaded machine (the first
		// one opens the connection) is small next to them: the spread is 2 intervals (300 ms),
		// asserted within the same 5/6 of it as ever, and far from an answer (900 ms).
		k.server.latencyMs = 900;
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		const result = await k.run({ ...assign, options: { concurrency: 2, batchInterval: 150 } }, { items: houses(6), credential });
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(houses(6).map((h) => h.house));
		const at = (house: string) => k.server.requests.find((r) => r.form.customerHouseId === house)!.receivedAt;
		// Batch 3 (items 4 and 5) started two intervals after batch 1 — and reached the server
		// before batch 1 could have been answered (900 ms).
		const spread = at('B-4') - at('B-0');
		expect(spread).toBeGreaterThanOrEqual(250);
		expect(spread).toBeLessThan(750);
		// Within a batch, both items go out together.
		expect(Math.abs(at('B-5') - at('B-4'))).toBeLessThan(40);
	});

	it('without a Batch Interval keeps at most Parallel Requests in flight', async () => {
		k.server.latencyMs = 150;
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		await k.run({ ...assign, options: { concurrency: 2 } }, { items: houses(4), credential });
		const at = (house: string) => k.server.requests.find((r) => r.form.customerHouseId === house)!.receivedAt;
		// Item 3 waits until one of the first two was answered.
		expect(at('B-2') - at('B-0')).toBeGreaterThanOrEqual(140);
	});
});
