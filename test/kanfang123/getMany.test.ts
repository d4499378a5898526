import { useSetup } from '../harness/vendor';
import { setup } from './setup';

describe('123kanfang node: Get Many (GetPage)', () => {
	const k = useSetup(setup, { reset: true });

	beforeAll(() => {
		for (let i = 0; i < 230; i++) {
			k.server.seedTask({ customerHouseId: `G-${i}`, taskState: i % 2 ? 50000 : 20000, userName: i % 3 ? 'alice' : 'bob' });
		}
	});

	it('Return All walks the pages until the total is reached', async () => {
		const result = await k.run({ operation: 'getMany', returnAll: true });
		const pages = k.server.requestsTo('/v2/houseTask/GetPage');
		expect(pages.map((r) => [r.query.page, r.query.pageSize])).toEqual([
			['0', '100'],
			['1', '100'],
			['2', '100'],
		]);
		expect(result.items).toHaveLength(230);
		expect(result.items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(result.items[1].json).toMatchObject({ customerHouseId: 'G-1', taskState: 50000, taskStateName: 'Completed (已完成)' });
	});

	it('Limit stops early and asks only for what it needs', async () => {
		const result = await k.run({ operation: 'getMany', returnAll: false, limit: 7 });
		const pages = k.server.requestsTo('/v2/houseTask/GetPage');
		expect(pages).toHaveLength(1);
		expect(pages[0].query).toMatchObject({ page: '0', pageSize: '7' });
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(['G-0', 'G-1', 'G-2', 'G-3', 'G-4', 'G-5', 'G-6']);
	});

	it('filters go into the query; lists are repeated parameters; fields are comma-joined', async () => {
		const pick = k.server.tasks.filter((t) => t.customerHouseId.startsWith('G-')).slice(0, 6);
		const result = await k.run({
			operation: 'getMany',
			returnAll: true,
			filters: {
				userName: 'alice',
				status: [50000, 20000],
				packageIds: pick.map((t) => t.packageId).join(', '),
				exceptPackageIds: pick[1].packageId,
				stateStart: 20000,
				stateEnd: 50000,
				orderBy: 'CreateTime DESC',
				createStart: '2026-01-01T00:00:00',
				mappingToUserKey: true,
			},
			fields: ['PackageId', 'TaskState', 'UserName'],
		});
		const [request] = k.server.requestsTo('/v2/houseTask/GetPage');
		expect(request.rawBody).toBe('');
		expect(request.query).toEqual({
			userName: 'alice',
			status: ['50000', '20000'],
			packageId: pick.map((t) => t.packageId),
			exceptPackageIds: pick[1].packageId,
			stateStart: '20000',
			stateEnd: '50000',
			orderBy: 'CreateTime DESC',
			createStart: '2026-01-01T00:00:00',
			mappingToUserKey: 'true',
			// Id is always asked for (to tell rows apart) and left out of the output.
			fields: 'PackageId,TaskState,UserName,Id',
			page: '0',
			pageSize: '100',
		});
		// Newest first, as ordered.
		const expected = pick.filter((t, i) => i !== 1 && t.userName === 'alice').reverse();
		expect(result.items.map((i) => i.json)).toEqual(
			expected.map((t) => ({
				packageId: t.packageId,
				taskState: t.taskState,
				userName: 'alice',
				taskStateName: t.taskState === 50000 ? 'Completed (已完成)' : 'House uploaded (房源已上传)',
			})),
		);
	});

	it('accepts States given by an expression as text, and rejects words', async () => {
		const text = await k.run({ operation: 'getMany', returnAll: false, limit: 1, filters: { status: '50000, 20000' } });
		expect(text.error).toBeUndefined();
		expect(k.server.requestsTo('/v2/houseTask/GetPage')[0].query.status).toEqual(['50000', '20000']);
		const words = await k.run({ operation: 'getMany', filters: { status: 'done' } });
		expect(words.error?.message).toContain('"States" must be task state codes, got "done"');
	});

	it('Notify Result from an expression: a code is sent as a number, anything else fails naming the field', async () => {
		const code = await k.run({ operation: 'getMany', filters: { notifyResult: '={{ 2 }}' } });
		expect(code.error).toBeUndefined();
		expect(k.server.requestsTo('/v2/houseTask/GetPage')[0].query.NotifyResult).toBe('2');
		const words = await k.run({ operation: 'getMany', filters: { notifyResult: '={{ "failed" }}' } });
		expect(words.error?.message).toContain('"Notify Result" must be one of -1, 0, 1, 2, 3, got "failed"');
		expect(k.server.requestsTo('/v2/houseTask/GetPage')).toHaveLength(1);
	});

	it('date filters: an instant is sent as 123kanfang\'s own time (UTC+8, no offset); a time without offset as written', async () => {
		const result = await k.run({
			operation: 'getMany',
			filters: {
				createStart: '={{ DateTime.fromISO("2026-01-05T00:00:00Z") }}',
				createEnd: '2026-01-05T23:59:59-05:00',
				modifyStart: '2026-01-05T00:00:00',
				modifyEnd: '={{ new Date("2026-01-06T16:30:00Z") }}',
			},
		});
		expect(result.error).toBeUndefined();
		expect(k.server.requestsTo('/v2/houseTask/GetPage')[0].query).toMatchObject({
			createStart: '2026-01-05T08:00:00',
			createEnd: '2026-01-06T12:59:59',
			modifyStart: '2026-01-05T00:00:00',
			modifyEnd: '2026-01-07T00:30:00',
		});
		const bad = await k.run({ operation: 'getMany', filters: { modifyEnd: '={{ "last tuesday" }}' } });
		expect(bad.error?.message).toBe('"Modified Before" is not a date and time ("last tuesday") — item 1 (index 0)');
	});

	it('rejects an over-long filter and a reversed state range before any request', async () => {
		const long = await k.run({ operation: 'getMany', filters: { searchKey: 'k'.repeat(33) } });
		expect(long.error?.message).toContain('"Search Key" is too long');
		const reversed = await k.run({ operation: 'getMany', filters: { stateStart: 50000, stateEnd: 9000 } });
		expect(reversed.error?.message).toContain('"State From" is after "State To"');
		expect(k.server.requestsTo('/v2/houseTask/GetPage')).toHaveLength(0);
	});
});
