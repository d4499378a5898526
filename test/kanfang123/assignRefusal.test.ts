/**
 * Assign Capture Task looks up the open task only on 123kanfang's own refusal (state 403 in
 * its JSON envelope), never on an HTTP 403 from a proxy or firewall; an open task returned
 * says plainly that nothing was created. Errors carry the HTTP status (`httpCode`) and the
 * envelope's state (`vendorCode`) apart.
 */
import type { Fault } from '../../stand-ins/base';
import { OPEN_TASK_REFUSAL } from '../../stand-ins/kanfang123';
import { useSetup } from '../harness/vendor';
import { assign, setup } from './setup';

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';
const WORKING = '/v2/houseTask/GetWorkingTaskByCustomerHouseId';

describe('123kanfang node: Assign Capture Task and a 403', () => {
	const k = useSetup(setup, { reset: true });
	let house = 0;
	/** A Customer House ID that has an open task (another photographer's), so a look-up would find one. */
	const openHouse = () => {
		const customerHouseId = `OPEN-${++house}`;
		k.server.seedTask({ customerHouseId, userName: 'someone-else', taskState: 9000 });
		return customerHouseId;
	};

	it.each<[string, Fault, { message: RegExp; httpCode: string }]>([
		['an HTML 403 page', { kind: 'html', path: ASSIGN, status: 403 }, { message: /^123kanfang answered HTTP 403/, httpCode: '403' }],
		[
			'a JSON 403 without the envelope',
			{ kind: 'reply', path: ASSIGN, status: 403, body: { message: 'Forbidden by policy', code: 403 } },
			{ message: /^123kanfang answered HTTP 403/, httpCode: '403' },
		],
		['an empty 403', { kind: 'empty', path: ASSIGN, status: 403 }, { message: /^123kanfang answered HTTP 403$/, httpCode: '403' }],
	])('%s from a proxy is an error: no open-task look-up, httpCode 403, no vendorCode', async (_name, fault, expected) => {
		const customerHouseId = openHouse();
		k.server.inject(fault);
		const result = await k.run(assign, { items: [{ house: customerHouseId }] });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(expected.message);
		expect((result.error as unknown as { httpCode?: string }).httpCode).toBe(expected.httpCode);
		expect((result.error as unknown as { context: Record<string, unknown> }).context.vendorCode).toBeUndefined();
		expect(k.server.requestsTo(WORKING)).toHaveLength(0);

		k.server.inject(fault);
		const item = await k.run(assign, { items: [{ house: customerHouseId }], continueOnFail: true });
		expect(item.items).toEqual([{ json: { error: expect.stringMatching(expected.message), httpCode: '403' }, pairedItem: { item: 0 } }]);
		expect(k.server.requestsTo(WORKING)).toHaveLength(0);
	});

	it.each([
		['inside HTTP 200', 200],
		['with HTTP 403', 403],
	])("123kanfang's own refusal (state 403) %s returns the open task, saying nothing was created", async (_name, status) => {
		const customerHouseId = openHouse();
		const [open] = k.server.tasks.filter((t) => t.customerHouseId === customerHouseId);
		k.server.inject({ kind: 'reply', path: ASSIGN, status, body: { state: 403, payload: OPEN_TASK_REFUSAL } });
		const result = await k.run(assign, { items: [{ house: customerHouseId }] });
		expect(result.error).toBeUndefined();
		expect(k.server.requestsTo(WORKING)).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			id: open.id,
			customerHouseId,
			created: false,
			existingTask: true,
			reason: expect.stringContaining(`No task was created`),
		});
		expect(result.items[0].json.reason).toContain(OPEN_TASK_REFUSAL);
		expect(result.run.data.resultData.runData['Node Under Test'][0].hints).toEqual([
			expect.objectContaining({ message: expect.stringContaining('created no capture task'), location: 'outputPane' }),
		]);
	});

	it('one hint for a run with several open tasks; a new task says created: true', async () => {
		const houses = [openHouse(), openHouse()];
		const result = await k.run(assign, { items: [{ house: houses[0] }, { house: 'NEW-1' }, { house: houses[1] }] });
		expect(result.items.map((i) => [i.json.created, i.json.existingTask])).toEqual([
			[false, true],
			[true, false],
			[false, true],
		]);
		expect(result.run.data.resultData.runData['Node Under Test'][0].hints).toHaveLength(1);
	});

	it('errors carry the HTTP status as httpCode and the envelope state as vendorCode', async () => {
		k.server.inject({ kind: 'reply', path: ASSIGN, status: 200, body: { state: 500, payload: 'InnerServerError' } });
		const result = await k.run(assign, { items: [{ house: 'V-1' }], continueOnFail: true });
		expect(result.items[0].json).toEqual({ error: '123kanfang error (state 500): InnerServerError', httpCode: '200', vendorCode: 500 });
		k.server.inject({ kind: 'reply', path: ASSIGN, status: 500, body: { state: 500, payload: 'InnerServerError' } });
		const failed = await k.run({ ...assign, options: { maxRetries: 0 } }, { items: [{ house: 'V-2' }] });
		expect((failed.error as unknown as { httpCode?: string }).httpCode).toBe('500');
		expect((failed.error as unknown as { context: Record<string, unknown> }).context.vendorCode).toBe(500);
	});
});
