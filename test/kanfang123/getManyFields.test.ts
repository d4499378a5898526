import type { Kanfang123Task } from '../../stand-ins/kanfang123';
import { useSetup } from '../harness/vendor';
import { setup } from './setup';

/**
 * GetPage returns only the selected columns once Fields is given (GetPage.md), so `id` is
 * absent unless the node asks for it. Rows must still be told apart and paged right, whatever
 * the user picks: the node always requests Id and leaves it out of the output when not picked.
 */
describe('123kanfang node: Get Many returns every row whatever Fields selects', () => {
	const k = useSetup(setup, { reset: true });
	let tasks: Kanfang123Task[];

	beforeAll(() => {
		// 45 tasks in one state and two house names: rows with the same columns look alike.
		tasks = Array.from({ length: 45 }, (_, i) =>
			k.server.seedTask({ customerHouseId: `F-${i}`, houseName: i % 2 ? 'Twin A' : 'Twin B', taskState: 50000 }),
		);
	});
	afterEach(() => {
		k.server.pageSizeCap = undefined;
	});

	const pick = (task: Kanfang123Task, fields: string[]) =>
		Object.fromEntries(fields.map((field) => [field[0].toLowerCase() + field.slice(1), task[(field[0].toLowerCase() + field.slice(1)) as keyof Kanfang123Task]]));

	const choices: Array<[string, string[]]> = [
		['TaskState alone', ['TaskState']],
		['HouseName alone', ['HouseName']],
		['several columns', ['HouseName', 'TaskState', 'CustomerHouseId']],
		['Id among them', ['TaskState', 'Id']],
	];

	describe.each(choices)('Fields = %s', (_name, fields) => {
		const sent = fields.includes('Id') ? fields.join(',') : [...fields, 'Id'].join(',');
		const shown = (task: Kanfang123Task) => ({ ...pick(task, fields), taskStateName: fields.includes('TaskState') ? 'Completed (已完成)' : undefined });
		const expected = (list: Kanfang123Task[]) =>
			list.map((task) => JSON.parse(JSON.stringify(shown(task))) as object);

		it('Return All returns all 45 rows, page by page, asking for Id', async () => {
			k.server.pageSizeCap = 10;
			const result = await k.run({ operation: 'getMany', returnAll: true, fields });
			expect(result.error).toBeUndefined();
			const pages = k.server.requestsTo('/v2/houseTask/GetPage');
			expect(pages.map((r) => [r.query.fields, r.query.page, r.query.pageSize])).toEqual([
				[sent, '0', '100'],
				[sent, '1', '10'],
				[sent, '2', '10'],
				[sent, '3', '10'],
				[sent, '4', '10'],
			]);
			expect(result.items.map((item) => item.json)).toEqual(expected(tasks));
		});

		it('Limit returns exactly that many distinct rows', async () => {
			k.server.pageSizeCap = 10;
			const result = await k.run({ operation: 'getMany', returnAll: false, limit: 23, fields });
			expect(result.error).toBeUndefined();
			const pages = k.server.requestsTo('/v2/houseTask/GetPage');
			expect(pages.map((r) => [r.query.fields, r.query.page, r.query.pageSize])).toEqual([
				[sent, '0', '23'],
				[sent, '1', '10'],
				[sent, '2', '10'],
			]);
			expect(result.items.map((item) => item.json)).toEqual(expected(tasks.slice(0, 23)));
		});
	});

	it('Fields empty: the default columns (Id among them) and every row', async () => {
		const result = await k.run({ operation: 'getMany', returnAll: true });
		const [request] = k.server.requestsTo('/v2/houseTask/GetPage');
		expect(request.query.fields).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(tasks.map((task) => task.id));
		const limited = await k.run({ operation: 'getMany', returnAll: false, limit: 44 });
		expect(limited.items.map((item) => item.json.id)).toEqual(tasks.slice(0, 44).map((task) => task.id));
	});

	it('Fields from an expression: text with commas (any letter case) or a list, sent in the list\'s spelling', async () => {
		const text = await k.run({ operation: 'getMany', returnAll: false, limit: 2, fields: '={{ "houseName, CUSTOMERHOUSEID" }}' });
		expect(text.error).toBeUndefined();
		expect(k.server.requestsTo('/v2/houseTask/GetPage')[0].query.fields).toBe('HouseName,CustomerHouseId,Id');
		expect(text.items.map((item) => item.json)).toEqual(tasks.slice(0, 2).map((task) => pick(task, ['HouseName', 'CustomerHouseId'])));
		const list = await k.run({ operation: 'getMany', returnAll: false, limit: 1, fields: '={{ ["TaskState", "Id"] }}' });
		expect(list.items[0].json).toEqual({ id: tasks[0].id, taskState: 50000, taskStateName: 'Completed (已完成)' });
	});

	it('a field name GetPage does not know fails naming Fields and the item, before any request', async () => {
		const result = await k.run({ operation: 'getMany', fields: '={{ "PackageId, Bogus" }}' });
		expect(result.error?.message).toContain('"Fields" must be one of Id, PackageId');
		expect(result.error?.message).toContain('got "Bogus" — item 1 (index 0)');
		expect(k.server.requestsTo('/v2/houseTask/GetPage')).toHaveLength(0);
	});
});
