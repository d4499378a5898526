import type { INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { SEARCH_PAGE_SIZE } from '../../nodes/Kanfang123/methods/listSearch';
import { TestNodeTypes, testNode } from '../harness/nodeTypes';
import { useSetup } from '../harness/vendor';
import { assign, NODE_TYPE, setup } from './setup';

const GET_PAGE = '/v2/houseTask/GetPage';

describe('123kanfang node: resource locators', () => {
	const k = useSetup(setup, { reset: true });

	describe('From List (listSearch over GetPage)', () => {
		it('sends the filter as searchKey, newest first, and formats each entry', async () => {
			const tasks = [0, 1, 2].map((n) => k.server.seedTask({ customerHouseId: `LS-A-${n}`, houseName: `Garden ${n}` }));
			k.server.seedTask({ customerHouseId: 'OTHER-1', houseName: 'Elsewhere' });
			k.server.setState(tasks[1], 50000);

			const result = await k.listSearch('searchPackages', { operation: 'setAnjukeNumber' }, { filter: ' LS-A ' });

			const [request] = k.server.requestsTo(GET_PAGE);
			expect(request.query).toEqual({
				searchKey: 'LS-A',
				fields: 'Id,PackageId,HouseName,CustomerHouseId,TaskState',
				orderBy: 'CreateTime DESC',
				page: '0',
				pageSize: String(SEARCH_PAGE_SIZE),
			});
			expect(result.results).toEqual([
				{ name: 'Garden 2 · LS-A-2 · Waiting for capture', value: tasks[2].packageId },
				{ name: 'Garden 1 · LS-A-1 · Completed', value: tasks[1].packageId },
				{ name: 'Garden 0 · LS-A-0 · Waiting for capture', value: tasks[0].packageId },
			]);
			expect(result.paginationToken).toBeUndefined();
		});

		it('matches the house name too, and cuts the filter to the documented 32 characters', async () => {
			const task = k.server.seedTask({ customerHouseId: 'LS-B-1', houseName: 'Sunny Court Block 7' });
			const result = await k.listSearch('searchPackages', { operation: 'push' }, { filter: 'Sunny Court' });
			expect(result.results.map((r) => r.value)).toEqual([task.packageId]);

			await k.listSearch('searchPackages', { operation: 'push' }, { filter: 'x'.repeat(40) });
			expect(k.server.requestsTo(GET_PAGE)[1].query.searchKey).toBe('x'.repeat(32));
		});

		it('an empty filter sends no searchKey', async () => {
			await k.listSearch('searchPackages', { operation: 'push' });
			expect(k.server.requestsTo(GET_PAGE)[0].query).not.toHaveProperty('searchKey');
		});

		it('pages with paginationToken: the token n8n hands back asks for the next page', async () => {
			const count = SEARCH_PAGE_SIZE + 7;
			for (let n = 0; n < count; n++) k.server.seedTask({ customerHouseId: `LS-P-${String(n).padStart(3, '0')}` });

			const first = await k.listSearch('searchCustomerHouseIds', { operation: 'getWorking' }, { filter: 'LS-P-' });
			expect(first.results).toHaveLength(SEARCH_PAGE_SIZE);
			expect(first.paginationToken).toBe('1');
			// n8n keeps the token as the page's JSON and sends it back as it was.
			const token = JSON.parse(JSON.stringify(first.paginationToken)) as string;
			const second = await k.listSearch('searchCustomerHouseIds', { operation: 'getWorking' }, { filter: 'LS-P-', paginationToken: token });

			expect(k.server.requestsTo(GET_PAGE).map((r) => r.query.page)).toEqual(['0', '1']);
			expect(second.results).toHaveLength(7);
			expect(second.paginationToken).toBeUndefined();
			const all = [...first.results, ...second.results].map((r) => r.value);
			expect(new Set(all).size).toBe(count);
			expect(all[0]).toBe(`LS-P-${String(count - 1).padStart(3, '0')}`);
			expect(all[count - 1]).toBe('LS-P-000');
		});

		it('a House Task ID list gives the task ID, a Customer House ID list the customer house ID', async () => {
			const task = k.server.seedTask({ customerHouseId: 'LS-C-1', taskState: 30000 });
			const byTask = await k.listSearch('searchHouseTasks', { operation: 'updateCustomerHouseId', identifyBy: 'houseTaskId' }, { filter: 'LS-C-1' });
			const byHouse = await k.listSearch('searchCustomerHouseIds', { operation: 'getWorking' }, { filter: 'LS-C-1' });
			expect(byTask.results.map((r) => r.value)).toEqual([task.id]);
			expect(byHouse.results.map((r) => r.value)).toEqual(['LS-C-1']);
		});

		it.each([
			['review', { status: '45000' }],
			['cancelCapture', { status: '9000' }],
			['finish', { stateStart: '20000', stateEnd: '45000' }],
			['delegate', { stateStart: '20000', stateEnd: '45000' }],
			['getWorking', { stateStart: '9000', stateEnd: '45000' }],
		])('%s lists only the tasks it can act on', async (operation, filter) => {
			const method = operation === 'cancelCapture' || operation === 'getWorking' ? 'searchCustomerHouseIds' : 'searchPackages';
			await k.listSearch(method, { operation }, { filter: 'LS-S' });
			expect(k.server.requestsTo(GET_PAGE)[0].query).toMatchObject(filter);
		});

		it('Review offers the tasks in customer review and no others', async () => {
			const inReview = k.server.seedTask({ customerHouseId: 'LS-R-1', taskState: 45000 });
			k.server.seedTask({ customerHouseId: 'LS-R-2', taskState: 50000 });
			const result = await k.listSearch('searchPackages', { operation: 'review' }, { filter: 'LS-R-' });
			expect(result.results.map((r) => r.value)).toEqual([inReview.packageId]);
		});

		it.each(['retire', 'push', 'setAnjukeNumber', 'setFangTianXiaInfo', 'updateCustomerHouseId'])(
			'%s lists tasks in every state (the vendor docs name none)',
			async (operation) => {
				await k.listSearch('searchPackages', { operation }, { filter: 'LS-S' });
				const { query } = k.server.requestsTo(GET_PAGE)[0];
				expect(query).not.toHaveProperty('status');
				expect(query).not.toHaveProperty('stateStart');
			},
		);

		it("a vendor refusal is an error with the vendor's message", async () => {
			k.server.inject({ kind: 'reply', path: GET_PAGE, body: { state: 500, payload: 'InnerServerError -> search failed' } });
			await expect(k.listSearch('searchPackages', { operation: 'push' }, { filter: 'x' })).rejects.toThrow(
				'123kanfang error (state 500): InnerServerError -> search failed',
			);
		});
	});

	describe('values the operations accept', () => {
		const retire = (packageId: unknown) => ({ operation: 'retire', packageId }) as INodeParameters;

		it.each([
			['a plain string (a workflow saved before the locator)', (id: string) => id],
			['From List', (id: string) => ({ __rl: true, mode: 'list', value: id, cachedResultName: 'House · X · Completed' })],
			['By ID', (id: string) => ({ __rl: true, mode: 'id', value: id })],
			['By ID from an expression', () => ({ __rl: true, mode: 'id', value: '={{ $json.pkg }}' })],
		])('%s runs', async (_label, value) => {
			const task = k.server.seedTask({ customerHouseId: 'LS-V-1', taskState: 50000 });
			const result = await k.run(retire(value(task.packageId)), { items: [{ pkg: task.packageId }] });
			expect(result.error).toBeUndefined();
			expect(k.server.requestsTo('/v2/houseTask/RetireHouseTask')[0].form).toMatchObject({ packageId: task.packageId });
		});

		it('a Customer House ID picked in a locator still works after switching to Assign Capture Task (a text field)', async () => {
			const result = await k.run({
				...assign,
				customerHouseId: { __rl: true, mode: 'list', value: 'LS-V-4', cachedResultName: 'House · LS-V-4 · Cancelled' },
			});
			expect(result.error).toBeUndefined();
			expect(k.server.requestsTo('/v2/houseTask/AssignNewCaptureHouseTask')[0].form).toMatchObject({ customerHouseId: 'LS-V-4' });
		});

		it('Identify By picks which locator is sent (Delegate by House Task ID)', async () => {
			const task = k.server.seedTask({ customerHouseId: 'LS-V-2', taskState: 20000 });
			const result = await k.run({
				operation: 'delegate',
				identifyBy: 'houseTaskId',
				houseTaskId: { __rl: true, mode: 'list', value: task.id },
			});
			expect(result.error).toBeUndefined();
			expect(k.server.requestsTo('/v2/houseTask/AssignToVrtours3d')[0].form).toEqual({ houseTaskId: task.id });
		});

		it('Customer House ID locators run too (Get Working Tasks), string or object', async () => {
			k.server.seedTask({ customerHouseId: 'LS-V-3', taskState: 9000 });
			const plain = await k.run({ operation: 'getWorking', customerHouseId: 'LS-V-3' });
			const picked = await k.run({ operation: 'getWorking', customerHouseId: { __rl: true, mode: 'list', value: 'LS-V-3' } });
			expect(plain.items.map((i) => i.json.customerHouseId)).toEqual(['LS-V-3']);
			expect(picked.items.map((i) => i.json.customerHouseId)).toEqual(['LS-V-3']);
		});

		it('n8n itself refuses to run a By ID value over the documented length (its parameter issues)', async () => {
			// 1.x: "The workflow has issues…"; 2.x: "The 'Node Under Test' node has issues: - Not a valid…".
			await expect(k.run(retire({ __rl: true, mode: 'id', value: 'p'.repeat(129) }))).rejects.toThrow(/has issues/);
			expect(k.server.requestsTo('/v2/houseTask/RetireHouseTask')).toHaveLength(0);
		});

		it('an ID from an expression over the documented length is refused before any request, naming the field', async () => {
			const result = await k.run(retire({ __rl: true, mode: 'id', value: '={{ $json.pkg }}' }), { items: [{ pkg: 'p'.repeat(129) }] });
			expect(result.error?.message).toBe('"Package ID" is too long: 129 characters, at most 128 allowed — item 1 (index 0)');
			expect(k.server.requestsTo('/v2/houseTask/RetireHouseTask')).toHaveLength(0);
		});

		it('a locator whose expression gives nothing is "required but empty"', async () => {
			const result = await k.run(retire({ __rl: true, mode: 'list', value: '={{ $json.none }}' }));
			expect(result.error?.message).toBe('"Package ID" is required but empty — item 1 (index 0)');
		});
	});

	describe('By ID validation in the editor (n8n parameter issues)', () => {
		const description = new Kanfang123().description;
		const issues = (parameters: INodeParameters) => {
			const node = testNode(NODE_TYPE, { resource: 'houseTask', ...parameters });
			return NodeHelpers.getNodeParametersIssues(description.properties, node, description)?.parameters ?? {};
		};

		it('accepts an ID of the documented length and an expression', () => {
			expect(issues({ operation: 'retire', packageId: { __rl: true, mode: 'id', value: 'p'.repeat(128) } })).toEqual({});
			expect(issues({ operation: 'retire', packageId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } })).toEqual({});
		});

		it.each([
			['Package ID', 'retire', 'packageId', 'p'.repeat(129), 128],
			['Package ID', 'delegate', 'packageId', 'p'.repeat(65), 64],
			['House Task ID', 'delegate', 'houseTaskId', 'h'.repeat(33), 32],
			['Customer House ID', 'cancelCapture', 'customerHouseId', 'c'.repeat(65), 64],
			['Package ID', 'push', 'packageId', 'has space', 128],
		])('%s of %s: %s is flagged', (label, operation, name, value, max) => {
			const identifyBy = operation === 'delegate' ? { identifyBy: name } : {};
			const found = issues({ operation, ...identifyBy, userName: 'p', notifyconfigId: 'n', [name]: { __rl: true, mode: 'id', value } });
			expect(found[name]).toEqual([`Not a valid ${label}: at most ${max} characters, no spaces`]);
		});
	});
});

describe('123kanfang node: hints and irreversible operations', () => {
	const description = new Kanfang123().description as INodeTypeDescription;
	const nodeTypes = new TestNodeTypes([{ type: NODE_TYPE, node: new Kanfang123() }]);
	const evaluate = (expression: string, parameters: INodeParameters) => {
		const node = testNode(NODE_TYPE, parameters);
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, expression, 'internal', {});
	};
	/** The hints the editor shows for these parameters (it evaluates each displayCondition). */
	const shown = (parameters: INodeParameters) =>
		(description.hints ?? []).filter((hint) => evaluate(hint.displayCondition!, { resource: 'houseTask', ...parameters }) === true);

	it.each([
		['retire', 'Retire cannot be undone'],
		['cancelCapture', 'Cancel Capture Task cannot be undone'],
		['finish', 'Finish House Task cannot be undone'],
	])('%s shows a warning that it cannot be undone', (operation, text) => {
		const hints = shown({ operation });
		expect(hints).toHaveLength(1);
		expect(hints[0]).toMatchObject({ type: 'warning', location: 'ndv' });
		expect(hints[0].message).toContain(text);
	});

	it.each(['assignCapture', 'getWorking', 'review', 'push', 'delegate', 'setAnjukeNumber', 'updateCustomerHouseId'])(
		'%s shows no warning',
		(operation) => {
			expect(shown({ operation })).toEqual([]);
		},
	);

	it('Get Many shows the Return All hint only with Return All on', () => {
		expect(shown({ operation: 'getMany', returnAll: false })).toEqual([]);
		const [hint] = shown({ operation: 'getMany', returnAll: true });
		expect(hint.message).toContain('Return All reads every page');
	});

	it('Force Push carries a hint that the vendor may block frequent pushes', () => {
		const additional = description.properties.find(
			(p) => p.name === 'additionalFields' && p.displayOptions?.show?.operation?.includes('push'),
		);
		const forcePush = (additional?.options as Array<{ name: string; hint?: string }>).find((o) => o.name === 'forcePush');
		expect(forcePush?.hint).toMatch(/may block accounts that push too often/);
	});

	it('Retire, Cancel, Finish, Review and Push are flagged irreversible, and no other operation', async () => {
		const { operations } = await import('../../nodes/Kanfang123/actions/houseTask');
		const flagged = Object.entries(operations)
			.filter(([, module]) => (module as { irreversible?: boolean }).irreversible === true)
			.map(([name]) => name)
			.sort();
		expect(flagged).toEqual(['cancelCapture', 'finish', 'push', 'retire', 'review']);
	});
});
