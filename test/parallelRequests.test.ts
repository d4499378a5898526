/**
 * Parallel Requests: up to 500 (default 5), with a hint about vendor rate limits. Concurrency
 * is counted at the stand-in (requests in flight together), not measured in time.
 */
import type { INodeProperties } from 'n8n-workflow';

import { Kanfang123 } from '../nodes/Kanfang123/Kanfang123.node';
import { useSetup } from './harness/vendor';
import { setup } from './kanfang123/setup';

const WORKING = '/v2/houseTask/GetWorkingTaskByCustomerHouseId';

describe('Parallel Requests', () => {
	const k = useSetup(setup, { reset: true });
	afterEach(() => {
		k.server.hold = undefined;
	});

	it('offers up to 500 with a hint about rate limits; the default stays 5', () => {
		const options = new Kanfang123().description.properties.find((p) => p.name === 'options')!;
		const field = (options.options as INodeProperties[]).find((o) => o.name === 'concurrency')!;
		expect(field.default).toBe(5);
		expect(field.typeOptions).toMatchObject({ minValue: 1, maxValue: 500 });
		expect(field.hint).toMatch(/rate limit/i);
	});

	const run = async (concurrency: number, count: number) => {
		const items = Array.from({ length: count }, (_, i) => ({ house: `P-${i}` }));
		// A pasted token: no login first (an account's first request goes alone to learn its token).
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		const result = await k.run(
			{ operation: 'getWorking', customerHouseId: '={{ $json.house }}', options: { concurrency } },
			{ items, credential },
		);
		expect(result.error).toBeUndefined();
		expect(k.server.requestsTo(WORKING)).toHaveLength(count);
	};

	it.each([200, 5])('%s Parallel Requests over 200 items: that many really are sent together', async (concurrency) => {
		// Every GetWorking waits at the stand-in until `concurrency` of them are in flight.
		k.server.hold = { path: WORKING, count: concurrency };
		await run(concurrency, 200);
		expect(k.server.maxInFlight).toBe(concurrency);
	});

	it('600 (above the form\'s maximum: n8n does not enforce it on expressions or imported workflows) are capped at 500', async () => {
		// Held until 501 are in flight, which the cap never allows: released after 3 s.
		k.server.hold = { path: WORKING, count: 501, timeoutMs: 3000 };
		await run(600, 600);
		expect(k.server.maxInFlight).toBe(500);
	});
});
