/**
 * n8n's Retry On Fail (node settings) and our Max Retries combine: n8n re-runs the whole node,
 * and each try retries its requests itself. The node says so in an execution hint whenever both
 * are on, so nobody gets multiplied retries without knowing.
 */
import { useSetup } from '../harness/vendor';
import { assign, setup } from './setup';

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';
const HINT = /^Retry On Fail is on: when this node fails, n8n runs it again for every item/;

describe("123kanfang node: n8n's Retry On Fail and the node's Max Retries", () => {
	const k = useSetup(setup, { reset: true });
	const hintsOf = (result: Awaited<ReturnType<typeof k.run>>) =>
		(result.run.data.resultData.runData['Node Under Test'].at(-1)?.hints ?? []).map((hint) => hint.message);

	it('with both on, a try retries its own requests and the output pane says that they combine', async () => {
		k.server.inject(...Array.from({ length: 2 }, () => ({ kind: 'reply' as const, path: ASSIGN, status: 503, body: 'busy' })));
		const result = await k.run(
			{ ...assign, options: { maxRetries: 2 } },
			{ items: [{ house: 'R-1' }], retryOnFail: { maxTries: 2, waitBetweenTries: 0 } },
		);
		// One try was enough: its own two retries got past the two 503s.
		expect(k.server.requestsTo(ASSIGN)).toHaveLength(3);
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(['R-1']);
		expect(hintsOf(result)).toEqual([expect.stringMatching(HINT)]);
	});

	it('with Max Retries 0, n8n alone retries: one request per try, and no hint', async () => {
		k.server.inject({ kind: 'reply', path: ASSIGN, status: 503, body: 'busy' });
		const result = await k.run(
			{ ...assign, options: { maxRetries: 0 } },
			{ items: [{ house: 'R-2' }], retryOnFail: { maxTries: 2, waitBetweenTries: 0 } },
		);
		expect(k.server.requestsTo(ASSIGN)).toHaveLength(2);
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(['R-2']);
		expect(hintsOf(result)).toEqual([]);
	});

	it('without Retry On Fail there is no hint', async () => {
		const result = await k.run(assign, { items: [{ house: 'R-3' }] });
		expect(result.items).toHaveLength(1);
		expect(hintsOf(result)).toEqual([]);
	});
});
