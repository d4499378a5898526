/**
 * Batch Interval and Parallel Requests, told apart by what reached the stand-in while its
 * answers were held back — never by how long a run took. The interval runs on Jest's fake clock
 * (n8n's `sleep` is a plain setTimeout), so "not before 150 ms, at 150 ms" is exact.
 */
import { holdAnswers, pendingWaits, useFakeClock, useRealClock } from '../harness/hold';
import { useSetup } from '../harness/vendor';
import { assign, setup } from './setup';

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';

const houses = (count: number) => Array.from({ length: count }, (_, i) => ({ house: `B-${i}` }));
const housesOf = (requests: Array<{ form: Record<string, unknown> }>) => requests.map((r) => r.form.customerHouseId);

describe('123kanfang node: Batch Interval works like the HTTP Request node (a rate, not a cap)', () => {
	const k = useSetup(setup, { reset: true });

	afterEach(() => {
		useRealClock();
	});

	it('starts a batch every interval without waiting for the previous batch to be answered', async () => {
		useFakeClock();
		const held = holdAnswers(k.server, 'POST', ASSIGN);
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		const running = k.run({ ...assign, options: { concurrency: 2, batchInterval: 150 } }, { items: houses(6), credential });

		await held.arrivals(2);
		// Batch 1 is both items; batch 2 waits for the interval (its timer still pending at
		// 149 ms), then both its items go out.
		await jest.advanceTimersByTimeAsync(149);
		expect(pendingWaits()).toBe(1);
		expect(housesOf(held.arrived)).toEqual(['B-0', 'B-1']);
		await jest.advanceTimersByTimeAsync(1);
		await held.arrivals(4);
		await jest.advanceTimersByTimeAsync(149);
		expect(pendingWaits()).toBe(1);
		expect(housesOf(held.arrived).slice(2).sort()).toEqual(['B-2', 'B-3']);
		await jest.advanceTimersByTimeAsync(1);
		await held.arrivals(6);
		expect(housesOf(held.arrived).slice(4).sort()).toEqual(['B-4', 'B-5']);

		// All three batches went out while no answer had been given.
		expect(held.answeredBefore).toEqual([0, 0, 0, 0, 0, 0]);
		held.restore();
		const result = await running;
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(houses(6).map((h) => h.house));
	});

	it('without a Batch Interval keeps at most Parallel Requests in flight', async () => {
		const held = holdAnswers(k.server, 'POST', ASSIGN);
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		const running = k.run({ ...assign, options: { concurrency: 2 } }, { items: houses(4), credential });
		for (let arrived = 2; arrived <= 4; arrived++) {
			await held.arrivals(arrived);
			held.release(1);
		}
		held.restore();
		const result = await running;
		expect(result.items).toHaveLength(4);
		// Items 3 and 4 each went out only after one more answer had come back.
		expect(held.answeredBefore).toEqual([0, 0, 1, 2]);
		expect(held.mostWaiting).toBe(2);
	});
});
