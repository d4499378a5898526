/**
 * The 123kanfang Polling Trigger through n8n-core's PollContext (test/harness/poll.ts) against
 * the stand-in: first activation from now, no duplicates across polls and restarts, the
 * webhook trigger's item shape, the state filter, clock differences, late writes, page caps
 * and "Fetch Test Event".
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { EVENT_FIELDS } from '../../nodes/Kanfang123/helpers/callback';
import { Kanfang123PollTrigger } from '../../nodes/Kanfang123/Kanfang123PollTrigger.node';
import { Kanfang123StandIn, serverTime } from '../../stand-ins/kanfang123';
import { PollRunner } from '../harness/poll';
import { startVendor, useSetup } from '../harness/vendor';
import { accountLogin } from './setup';

const TYPE = 'CUSTOM.kanfang123PollTrigger';
const PAGE = '/v2/houseTask/GetPage';
const MINUTE = 60_000;

async function setup() {
	const vendor = await startVendor({
		type: TYPE,
		node: () => new Kanfang123PollTrigger(),
		credentialType: () => new Kanfang123Api(),
		server: new Kanfang123StandIn(),
		credentialData: accountLogin,
		parameters: (parameters) => parameters,
	});
	const credential = vendor.credential();
	return {
		...vendor,
		runner: (parameters: INodeParameters = {}) =>
			new PollRunner(vendor.harness, { type: TYPE, parameters, credentials: { kanfang123Api: credential } }),
	};
}

const ago = (ms: number) => serverTime(Date.now() - ms);
const json = (items: Array<{ json: IDataObject }> | null) => (items ?? []).map((i) => i.json);

describe('123kanfang Polling Trigger', () => {
	const k = useSetup(setup, { per: 'test' });

	it('first activation starts from now: nothing of the past is emitted, the window starts there', async () => {
		k.server.seedTask({ customerHouseId: 'OLD-1', taskState: 50000, lastModifyTime: ago(10 * MINUTE) });
		const poller = k.runner();
		expect(await poller.activate()).toBeNull();
		expect(k.server.requestsTo(PAGE)).toHaveLength(0);
		const saved = poller.nodeStaticData as { cursor: string };
		expect(saved.cursor >= ago(5000) && saved.cursor <= ago(-5000)).toBe(true);
		expect(await poller.poll()).toBeNull();
		const [request] = k.server.requestsTo(PAGE);
		expect(request.query).toMatchObject({
			orderBy: 'LastModifyTime ASC',
			modifyStart: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
			fields: 'Id,PackageId,UserId,UserName,CustomerHouseId,HouseName,TaskState,LastModifyTime',
			page: '0',
			pageSize: '100',
		});
		// The window starts two minutes (the overlap) before the cursor.
		expect(Date.parse(`${saved.cursor}Z`) - Date.parse(`${String(request.query.modifyStart)}Z`)).toBe(2 * MINUTE);
	});

	it('a change made shortly before activation (inside the overlap) is not emitted: no history at start', async () => {
		k.server.seedTask({ customerHouseId: 'JUST-BEFORE', taskState: 50000, lastModifyTime: ago(MINUTE) });
		const poller = k.runner();
		await poller.activate();
		expect(await poller.poll()).toBeNull();
		expect(k.server.requestsTo(PAGE)).toHaveLength(1);
	});

	it('emits one item per state change, shaped like the webhook trigger\'s task-state event, and never twice', async () => {
		const poller = k.runner();
		await poller.activate();
		const task = k.server.seedTask({ customerHouseId: 'HN-7', userName: 'p7', taskState: 9000 });
		const first = json(await poller.poll());
		expect(first).toHaveLength(1);
		const item = first[0];
		// Every field of the webhook trigger's Task State Changed item, with the same meaning.
		for (const field of EVENT_FIELDS.taskStateChanged) expect(item).toHaveProperty(field.name);
		expect(item).toEqual({
			event: 'taskStateChanged',
			state: 9000,
			stateName: 'Waiting for capture (等待拍摄)',
			houseTaskId: task.id,
			houseId: 'HN-7',
			packageId: task.packageId,
			userId: task.userId,
			userName: 'p7',
			houseName: task.houseName,
			lastModifyTime: task.lastModifyTime,
			timestamp: null,
			receivedAt: expect.any(String),
		});
		// The overlap re-reads the same row: not emitted again.
		expect(await poller.poll()).toBeNull();
		expect(k.server.requestsTo(PAGE).at(-1)!.query.modifyStart).toBeDefined();
		k.server.setState(task, 20000);
		expect(json(await poller.poll()).map((i) => [i.houseTaskId, i.state])).toEqual([[task.id, 20000]]);
		expect(await poller.poll()).toBeNull();
	});

	it('a change without a new state is not emitted', async () => {
		const poller = k.runner();
		await poller.activate();
		const task = k.server.seedTask({ customerHouseId: 'SAME-1', taskState: 20000 });
		expect(json(await poller.poll())).toHaveLength(1);
		task.lastModifyTime = serverTime(Date.now() + 1000); // e.g. comments edited
		expect(await poller.poll()).toBeNull();
	});

	it('no duplicates across a restart, and changes made while n8n was down are emitted after it', async () => {
		const poller = k.runner();
		await poller.activate();
		const a = k.server.seedTask({ customerHouseId: 'R-1', taskState: 9000 });
		expect(json(await poller.poll())).toHaveLength(1);
		// Polls that emit nothing are not saved by n8n: the restart reads that window again.
		expect(await poller.poll()).toBeNull();
		k.server.setState(a, 20000);
		const b = k.server.seedTask({ customerHouseId: 'R-2', taskState: 9000 });
		const afterRestart = json(await poller.restart());
		expect(afterRestart.map((i) => [i.houseId, i.state])).toEqual([
			['R-1', 20000],
			['R-2', 9000],
		]);
		expect(b.id).toBe(afterRestart[1].houseTaskId);
		expect(await poller.restart()).toBeNull();
		expect(await poller.poll()).toBeNull();
	});

	it('Include Last N Hours: the first poll also emits the changes of those hours, not older ones', async () => {
		const recent = k.server.seedTask({ customerHouseId: 'H-3h', taskState: 50000, lastModifyTime: ago(3 * 60 * MINUTE) });
		k.server.seedTask({ customerHouseId: 'H-30h', taskState: 50000, lastModifyTime: ago(30 * 60 * MINUTE) });
		const poller = k.runner({ options: { includeLastHours: 24 } });
		expect(json(await poller.activate()).map((i) => i.houseTaskId)).toEqual([recent.id]);
		expect(await poller.poll()).toBeNull();
	});

	it('Task States filter: only the chosen states start the workflow; other states are still tracked', async () => {
		const poller = k.runner({ taskStates: [50000] });
		await poller.activate();
		const task = k.server.seedTask({ customerHouseId: 'S-1', taskState: 40000 });
		expect(await poller.poll()).toBeNull();
		k.server.setState(task, 50000, serverTime(Date.now() + 1000));
		expect(json(await poller.poll()).map((i) => i.state)).toEqual([50000]);
		k.server.setState(task, 40000, serverTime(Date.now() + 2000));
		expect(await poller.poll()).toBeNull();
		k.server.setState(task, 50000, serverTime(Date.now() + 3000));
		expect(json(await poller.poll()).map((i) => i.state)).toEqual([50000]);
	});

	it('Task States from an expression ("50000, 52000"); one that gives no state codes fails naming the field', async () => {
		const poller = k.runner({ taskStates: '={{ "50000, 52000" }}' });
		await poller.activate();
		[40000, 52000, 50000].forEach((state, i) =>
			k.server.seedTask({ customerHouseId: `E-${state}`, taskState: state, lastModifyTime: serverTime(Date.now() + (i + 1) * 1000) }),
		);
		expect(json(await poller.poll()).map((i) => i.state)).toEqual([52000, 50000]);
		await expect(k.runner({ taskStates: '={{ "uploaded" }}' }).fetchTestEvent()).rejects.toThrow(
			'"Task States" must be task state codes, got "uploaded"',
		);
		expect(k.server.requestsTo(PAGE)).toHaveLength(1);
	});

	it('a 123kanfang clock 10 minutes behind n8n loses no change (the window follows the server\'s own times)', async () => {
		k.server.clockOffsetMs = -10 * MINUTE;
		const poller = k.runner({ options: { includeLastHours: 1 } });
		await poller.activate();
		const a = k.server.seedTask({ customerHouseId: 'SKEW-1', taskState: 9000 });
		expect(json(await poller.poll())).toHaveLength(1);
		k.server.setState(a, 20000, serverTime(Date.now() - 10 * MINUTE + 1000));
		expect(json(await poller.poll()).map((i) => i.state)).toEqual([20000]);
	});

	it('a change written late with an earlier time (inside the overlap) is still emitted', async () => {
		const poller = k.runner();
		await poller.activate();
		k.server.seedTask({ customerHouseId: 'LATE-1', taskState: 9000, lastModifyTime: serverTime(Date.now() + 90_000) });
		expect(json(await poller.poll())).toHaveLength(1);
		// Written after that poll, stamped a minute earlier than the newest change it saw.
		const late = k.server.seedTask({ customerHouseId: 'LATE-2', taskState: 9000, lastModifyTime: serverTime(Date.now() + 30_000) });
		expect(json(await poller.poll()).map((i) => i.houseTaskId)).toEqual([late.id]);
	});

	it('pages until the total when 123kanfang returns at most 7 rows a page: all 23 changes, oldest first', async () => {
		const poller = k.runner();
		await poller.activate();
		k.server.pageSizeCap = 7;
		const tasks = Array.from({ length: 23 }, (_, i) =>
			k.server.seedTask({ customerHouseId: `CAP-${i}`, taskState: 9000, lastModifyTime: serverTime(Date.now() + i * 1000) }),
		);
		expect(json(await poller.poll()).map((i) => i.houseTaskId)).toEqual(tasks.map((t) => t.id));
		// Each next read starts one second before the newest time read (rows 1 s apart: 5 new a read after the first).
		expect(k.server.requestsTo(PAGE).map((r) => r.query.modifyStart)).toEqual([
			expect.any(String),
			...[5, 10, 15, 20].map((i) => tasks[i].lastModifyTime),
		]);
		expect(await poller.poll()).toBeNull();
	});

	it('a task modified while the pages are read is emitted with its new state, and no other task is skipped', async () => {
		const tasks = Array.from({ length: 150 }, (_, i) =>
			k.server.seedTask({ customerHouseId: `RACE-${i}`, taskState: 9000, lastModifyTime: ago(50 * MINUTE - i * 10_000) }),
		);
		// Between the first and the second page the first task moves to the end of the order.
		k.server.beforePage = (earlierCalls) => {
			if (earlierCalls === 1) k.server.setState(tasks[0], 10000);
		};
		const items = json(await k.runner({ options: { includeLastHours: 1 } }).activate());
		expect(items.map((i) => i.houseId)).toEqual([...tasks.map((t) => t.customerHouseId), 'RACE-0']);
		expect(items.at(-1)).toMatchObject({ houseId: 'RACE-0', state: 10000 });
		// The second read starts at the newest time the first read brought, not at page 1.
		expect(k.server.requestsTo(PAGE).map((r) => [r.query.page, r.query.modifyStart])).toEqual([
			['0', expect.any(String)],
			['0', new Date(Date.parse(`${tasks[99].lastModifyTime}Z`) - 1000).toISOString().slice(0, 19)],
		]);
	});

	it('more than a page of changes with the same time: read by page number within that second, none lost', async () => {
		const at = ago(MINUTE);
		const tasks = Array.from({ length: 230 }, (_, i) => k.server.seedTask({ customerHouseId: `SAME-${i}`, taskState: 9000, lastModifyTime: at }));
		const items = json(await k.runner({ options: { includeLastHours: 1 } }).activate());
		expect(items.map((i) => i.houseId).sort()).toEqual(tasks.map((t) => t.customerHouseId).sort());
		expect(k.server.requestsTo(PAGE).map((r) => r.query.page)).toEqual(['0', '0', '1', '2']);
	});

	it('Fetch Test Event returns the latest tasks whatever the window, and keeps no state', async () => {
		const tasks = Array.from({ length: 7 }, (_, i) =>
			k.server.seedTask({ customerHouseId: `T-${i}`, taskState: i % 2 ? 50000 : 20000, lastModifyTime: ago((30 - i) * 60 * MINUTE) }),
		);
		const poller = k.runner();
		const items = json(await poller.fetchTestEvent());
		expect(items.map((i) => i.houseTaskId)).toEqual(tasks.slice(2).reverse().map((t) => t.id));
		expect(items[0]).toMatchObject({ event: 'taskStateChanged', state: 20000, houseId: 'T-6' });
		expect(poller.staticData).toEqual({});
		expect(k.server.requestsTo(PAGE)[0].query).toMatchObject({ orderBy: 'LastModifyTime DESC', page: '0', pageSize: '5' });

		poller.configure({ parameters: { taskStates: [50000] } });
		expect(json(await poller.fetchTestEvent()).map((i) => i.state)).toEqual([50000, 50000, 50000]);
		expect(k.server.requestsTo(PAGE)[1].query.status).toBe('50000');
	});

	it('a misspelt 123kanfang Time Zone fails naming the field, before any request', async () => {
		const poller = k.runner({ options: { timeZone: 'Asia/Shangai' } });
		await expect(poller.activate()).rejects.toThrow('"123kanfang Time Zone" is not a time zone name n8n knows: "Asia/Shangai"');
		await expect(poller.fetchTestEvent()).rejects.toThrow('"123kanfang Time Zone"');
		expect(k.server.requestsTo(PAGE)).toHaveLength(0);
	});

	it('Fetch Test Event with no task says so', async () => {
		await expect(k.runner().fetchTestEvent()).rejects.toThrow('No 123kanfang house tasks found to show as a test event');
	});
});
