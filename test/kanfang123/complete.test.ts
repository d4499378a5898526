/**
 * Issue 12's action-node points: FinishHouseTask, Return All under a page-size cap and a wrong
 * total, the Notify Result filter's column, and Assign after a lost answer.
 */
import { OPEN_TASK_REFUSAL } from '../../stand-ins/kanfang123';
import { useSetup } from '../harness/vendor';
import { assign, setup } from './setup';

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';
const FINISH = '/v2/houseTask/FinishHouseTask';
const PAGE = '/v2/houseTask/GetPage';

describe('123kanfang node: Finish House Task', () => {
	const k = useSetup(setup, { reset: true });

	it('posts packageId, isFinished and comments and returns the task in its final state', async () => {
		const task = k.server.seedTask({ customerHouseId: 'F-1', taskState: 40000 });
		const done = await k.run({ operation: 'finish', packageId: task.packageId, isFinished: true });
		expect(done.error).toBeUndefined();
		expect(k.server.requestsTo(FINISH)[0].form).toEqual({ packageId: task.packageId, isFinished: 'true' });
		expect(done.items.map((i) => i.json)).toEqual([{ id: task.id, taskState: 50000, taskStateName: 'Completed (已完成)' }]);

		const other = k.server.seedTask({ customerHouseId: 'F-2', taskState: 30000 });
		const failed = await k.run({
			operation: 'finish',
			packageId: other.packageId,
			isFinished: false,
			additionalFields: { comments: '点位不足' },
		});
		expect(k.server.requestsTo(FINISH)[1].form).toEqual({ packageId: other.packageId, isFinished: 'false', comments: '点位不足' });
		expect(failed.items[0].json).toMatchObject({ taskState: 52000, taskStateName: 'Production failed (制作失败)' });
	});

	it('is not resent after a reset once sent (a second report of a finished task is not documented)', async () => {
		const task = k.server.seedTask({ customerHouseId: 'F-3', taskState: 40000 });
		k.server.inject({ kind: 'resetAfterHandling', path: FINISH });
		const result = await k.run({ operation: 'finish', packageId: task.packageId, isFinished: true });
		expect(result.error?.message).toMatch(/closed unexpectedly|ECONNRESET|socket hang up/i);
		expect(k.server.requestsTo(FINISH)).toHaveLength(1);
		expect(task.taskState).toBe(50000);
	});

	it('Finished from an expression: true/false in any letter case or 1/0; anything else fails naming the field, nothing sent', async () => {
		const values: Array<[string, string]> = [
			['={{ "TRUE" }}', 'true'],
			['={{ 1 }}', 'true'],
			['={{ " False " }}', 'false'],
			['={{ 0 }}', 'false'],
		];
		for (const [isFinished] of values) {
			const task = k.server.seedTask({ customerHouseId: `FB-${k.server.tasks.length}`, taskState: 40000 });
			const result = await k.run({ operation: 'finish', packageId: task.packageId, isFinished });
			expect(result.error).toBeUndefined();
		}
		expect(k.server.requestsTo(FINISH).map((r) => r.form.isFinished)).toEqual(values.map(([, sent]) => sent));
		const task = k.server.seedTask({ customerHouseId: 'FB-yes', taskState: 40000 });
		const result = await k.run({ operation: 'finish', packageId: task.packageId, isFinished: '={{ "yes" }}' });
		expect(result.error?.message).toBe('"Finished" must be true or false, got "yes" — item 1 (index 0)');
		expect(k.server.requestsTo(FINISH)).toHaveLength(values.length);
		expect(task.taskState).toBe(40000);
	});

	it('requires the Package ID before any request', async () => {
		const result = await k.run({ operation: 'finish', packageId: '={{ "" }}', isFinished: true });
		expect(result.error?.message).toContain('"Package ID" is required');
		expect(k.server.requestsTo(FINISH)).toHaveLength(0);
	});
});

describe('123kanfang node: Get Many under a page-size cap and a wrong total', () => {
	const k = useSetup(setup, { reset: true });
	const PREFIX = 'CAP-';
	const ours = () => k.server.tasks.filter((t) => t.customerHouseId.startsWith(PREFIX));

	beforeAll(() => {
		for (let i = 0; i < 23; i++) k.server.seedTask({ customerHouseId: `${PREFIX}${i}`, serviceId: 'svc-cap' });
	});
	afterEach(() => {
		k.server.pageSizeCap = undefined;
		k.server.reportedTotal = undefined;
	});

	const all = async () => await k.run({ operation: 'getMany', returnAll: true, filters: { serviceId: 'svc-cap' } });

	it('Return All gets all 23 rows from a server that returns at most 7 a page', async () => {
		k.server.pageSizeCap = 7;
		const result = await all();
		expect(result.items.map((i) => i.json.id)).toEqual(ours().map((t) => t.id));
		expect(k.server.requestsTo(PAGE).map((r) => [r.query.page, r.query.pageSize])).toEqual([
			['0', '100'],
			['1', '7'],
			['2', '7'],
			['3', '7'],
		]);
	});

	it('ends on a server that reports more rows than it has (no endless paging, no duplicates)', async () => {
		k.server.pageSizeCap = 7;
		k.server.reportedTotal = () => 1000;
		const result = await all();
		expect(result.items.map((i) => i.json.id)).toEqual(ours().map((t) => t.id));
		expect(k.server.requestsTo(PAGE).length).toBeLessThanOrEqual(6);
	});

	it('ends on a server that ignores the page number and reports a huge total', async () => {
		k.server.reportedTotal = () => 1_000_000;
		k.server.inject(...Array.from({ length: 5 }, () => ({ kind: 'reply' as const, path: PAGE, body: { state: 200, payload: { total: 1_000_000, rows: [{ id: 'same' }] } } })));
		const result = await all();
		expect(result.items.map((i) => i.json.id)).toEqual(['same']);
		expect(k.server.requestsTo(PAGE)).toHaveLength(2);
		k.server.clearFaults();
	});
});

describe('123kanfang node: the Notify Result filter', () => {
	const k = useSetup(setup, { reset: true });

	it('adds the NotifyResult column (with the default columns) so the server applies the filter', async () => {
		const pushed = k.server.seedTask({ customerHouseId: 'N-1', serviceId: 'svc-n', notifyResult: 1 });
		k.server.seedTask({ customerHouseId: 'N-2', serviceId: 'svc-n', notifyResult: 2 });
		const result = await k.run({ operation: 'getMany', returnAll: true, filters: { serviceId: 'svc-n', notifyResult: '1' } });
		const [request] = k.server.requestsTo(PAGE);
		expect(request.query.NotifyResult).toBe('1');
		expect(String(request.query.fields).split(',')).toEqual([
			'Id', 'PackageId', 'UserId', 'HouseName', 'CustomerHouseId', 'CreateTime', 'CaptureTime',
			'UploadTime', 'TaskState', 'UserComments', 'Floors', 'Rooms', 'Points', 'Bucket', 'NotifyResult',
		]);
		expect(result.items.map((i) => i.json.id)).toEqual([pushed.id]);
		expect(result.items[0].json).toMatchObject({ notifyResult: 1, notifyResultName: 'Notified successfully (通知成功)' });
	});

	it('adds NotifyResult to the columns picked, once', async () => {
		k.server.seedTask({ customerHouseId: 'N-3', serviceId: 'svc-m', notifyResult: 3 });
		await k.run({ operation: 'getMany', returnAll: true, filters: { serviceId: 'svc-m', notifyResult: '3' }, fields: ['Id'] });
		await k.run({ operation: 'getMany', returnAll: true, filters: { notifyResult: '3' }, fields: ['NotifyResult', 'Id'] });
		expect(k.server.requestsTo(PAGE).map((r) => r.query.fields)).toEqual(['Id,NotifyResult', 'NotifyResult,Id']);
	});

	it('leaves the columns alone without the filter', async () => {
		await k.run({ operation: 'getMany', returnAll: false, limit: 1 });
		expect(k.server.requestsTo(PAGE)[0].query.fields).toBeUndefined();
	});
});

describe('123kanfang node: Assign Capture Task when an open task exists', () => {
	const k = useSetup(setup, { reset: true });

	it('a lost answer, then the retry: the node returns the task the first call created, exactly one exists', async () => {
		k.server.inject({ kind: 'resetAfterHandling', path: ASSIGN });
		const result = await k.run(assign, { items: [{ house: 'LOST-1' }] });
		expect(result.error).toBeUndefined();
		const tasks = k.server.tasks.filter((t) => t.customerHouseId === 'LOST-1');
		expect(tasks).toHaveLength(1);
		expect(k.server.requestsTo(ASSIGN)).toHaveLength(2);
		expect(k.server.requestsTo('/v2/houseTask/GetWorkingTaskByCustomerHouseId')[0].query).toEqual({ customerHouseId: 'LOST-1' });
		expect(result.items.map((i) => i.json)).toEqual([
			{
				id: tasks[0].id,
				customerHouseId: 'LOST-1',
				packageId: tasks[0].packageId,
				taskState: 9000,
				taskStateName: 'Waiting for capture (等待拍摄)',
				created: false,
				existingTask: true,
				reason: expect.stringMatching(/^No task was created: 123kanfang refused a new capture task.*/) as string,
			},
		]);
		expect(result.items[0].json.reason).toContain(OPEN_TASK_REFUSAL);
	});

	it('a new task is marked existingTask: false; a second assign returns the open one marked true', async () => {
		const first = await k.run(assign, { items: [{ house: 'OPEN-1' }] });
		expect(first.items[0].json).toMatchObject({ customerHouseId: 'OPEN-1', created: true, existingTask: false });
		const second = await k.run(assign, { items: [{ house: 'OPEN-1' }] });
		expect(second.items[0].json).toMatchObject({ id: first.items[0].json.id, created: false, existingTask: true });
	});

	it('a refusal with no open task stays an error', async () => {
		k.server.inject({ kind: 'reply', path: ASSIGN, body: { state: 403, payload: 'InvalidServiceId' } });
		const result = await k.run(assign, { items: [{ house: 'NONE-1' }] });
		expect(result.error?.message).toBe('123kanfang error (state 403): InvalidServiceId');
	});
});
