import type { IDataObject } from 'n8n-workflow';

import { DOCUMENTED_MODULE_ID } from '../../nodes/Incs/actions/task/create.operation';
import { INCS_TOKEN } from '../../stand-ins/incs';
import { useSetup } from '../harness/vendor';
import { params, setup } from './setup';

const ctx = useSetup(setup, { per: 'test' });

describe('INCS › Create and Assign: success', () => {
	it('POSTs the documented JSON body with the Bearer token and outputs the reply data', async () => {
		const result = await ctx.run(
			params({
				name: 'by api',
				authId: 30058,
				userPhone: '+62 815-1234-5678',
				assigneeUsername: 'incs_1',
				additionalFields: { description: '123', userName: '路人A' },
			}),
		);

		expect(result.error).toBeUndefined();
		expect(ctx.server.requests).toHaveLength(1);
		const request = ctx.server.requests[0];
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/external/tasks');
		expect(request.headers.authorization).toBe(`Bearer ${INCS_TOKEN}`);
		expect(request.contentType).toContain('application/json');
		expect(request.json).toEqual({
			name: 'by api',
			type: 3,
			auth_id: 30058,
			description: '123',
			user_name: '路人A',
			user_phone: '6281512345678',
			assignee_username: 'incs_1',
		});

		const task = ctx.server.tasks[0];
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toEqual({
			id: 239,
			creation_id: 106,
			auth_id: 30058,
			name: 'by api',
			description: '123',
			type: 3,
			user_name: '路人A',
			user_phone: '6281512345678',
			assignee_username: 'incs_1',
			conversation_id: 1023,
			status: 0,
			created_at: task.created_at,
			updated_at: task.updated_at,
			logs: [],
		});
	});

	it('sends type 3 and only the required fields when nothing else is set; ids increment per item', async () => {
		const result = await ctx.run(
			params({ userPhone: '={{ $json.phone }}', options: { concurrency: 1, retryDelay: 1 } }),
			{ items: [
			{ phone: '6281500000001' },
				{ phone: '6281500000002' },
			] },
		);
		expect(result.error).toBeUndefined();
		for (const request of ctx.server.requests) {
			expect(Object.keys(request.json as IDataObject).sort()).toEqual(
				['assignee_username', 'auth_id', 'name', 'type', 'user_phone'].sort(),
			);
			expect((request.json as IDataObject).type).toBe(3);
		}
		expect(result.items.map((i) => [i.json.id, i.json.user_phone, i.pairedItem])).toEqual([
			[239, '6281500000001', { item: 0 }],
			[240, '6281500000002', { item: 1 }],
		]);
	});

	it('accepts the auth ID as digits text from an expression and sends it as an integer', async () => {
		const result = await ctx.run(params({ authId: '={{ $json.auth }}' }), { items: [{ auth: '30058' }] });
		expect(result.error).toBeUndefined();
		expect((ctx.server.requests[0].json as IDataObject).auth_id).toBe(30058);
		expect(result.items[0].json.auth_id).toBe(30058);
	});

	it('accepts a name of exactly 256 characters (counted as characters, not bytes)', async () => {
		const name = '任'.repeat(256);
		const result = await ctx.run(params({ name, additionalFields: { description: 'é'.repeat(256) } }));
		expect(result.error).toBeUndefined();
		expect((ctx.server.requests[0].json as IDataObject).name).toBe(name);
	});

	it('trims text fields before sending', async () => {
		const result = await ctx.run(params({ name: '  Reminder  ', assigneeUsername: ' incs_1 ' }));
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests[0].json).toMatchObject({ name: 'Reminder', assignee_username: 'incs_1' });
	});

	it('works with a Base URL that ends in a slash', async () => {
		const credential = ctx.harness.credentials.add('incsApi', {
			baseUrl: `${ctx.server.baseUrl}/`,
			apiToken: INCS_TOKEN,
		});
		const result = await ctx.run(params(), { credential });
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests[0].path).toBe('/external/tasks');
	});
});

describe('INCS › task module', () => {
	const documentedModule = {
		module_id: DOCUMENTED_MODULE_ID,
		total_amount: '20000.00',
		orders: [
			{
				order_number: 'WD20260401001',
				username: '张三',
				phone_number: '13800138000',
				loan_amount: '',
				due_amount: '',
				next_due_date: '2026-04-15',
				confirm_loan_time: '2026-03-01 10:00:00',
			},
		],
	};

	it('sends a JSON task module given as text', async () => {
		const result = await ctx.run(
			params({ taskModuleInput: 'json', taskModuleJson: JSON.stringify(documentedModule, null, 2) }),
		);
		expect(result.error).toBeUndefined();
		expect((ctx.server.requests[0].json as IDataObject).task_module_info).toEqual(documentedModule);
		expect(ctx.server.tasks[0].task_module_info).toEqual(documentedModule);
	});

	it('sends a JSON task module given as an object by an expression', async () => {
		const result = await ctx.run(
			params({ taskModuleInput: 'json', taskModuleJson: '={{ $json.module }}' }),
			{ items: [
				{ module: documentedModule },
			] },
		);
		expect(result.error).toBeUndefined();
		expect((ctx.server.requests[0].json as IDataObject).task_module_info).toEqual(documentedModule);
	});

	it('builds the module from fields: documented module ID by default, snake_case order fields, empty ones as ""', async () => {
		const result = await ctx.run(
			params({
				taskModuleInput: 'fields',
				totalAmount: '20000.00',
				orders: {
					order: [
						{
							orderNumber: 'WD20260401001',
							username: '张三',
							phoneNumber: '13800138000',
							nextDueDate: '2026-04-15',
							confirmLoanTime: '2026-03-01 10:00:00',
						},
						{
							orderNumber: 'WD20260401002',
							username: '李四',
							phoneNumber: '13900139000',
							loanAmount: '3000',
							dueAmount: 1500,
							nextDueDate: '2026-04-20',
							confirmLoanTime: '2026-03-10 14:30:00',
						},
					],
				},
			}),
		);
		expect(result.error).toBeUndefined();
		expect((ctx.server.requests[0].json as IDataObject).task_module_info).toEqual({
			module_id: '019d3dcd-f5a8-70e7-aff8-c54bde267f38',
			total_amount: '20000.00',
			orders: [
				documentedModule.orders[0],
				{
					order_number: 'WD20260401002',
					username: '李四',
					phone_number: '13900139000',
					loan_amount: '3000',
					due_amount: '1500',
					next_due_date: '2026-04-20',
					confirm_loan_time: '2026-03-10 14:30:00',
				},
			],
		});
	});

	it('uses a module ID given by the user and sends an empty order list when there are no orders', async () => {
		const result = await ctx.run(params({ taskModuleInput: 'fields', moduleId: 'my-module' }));
		expect(result.error).toBeUndefined();
		expect((ctx.server.requests[0].json as IDataObject).task_module_info).toEqual({
			module_id: 'my-module',
			total_amount: '',
			orders: [],
		});
	});

	it('sends no task module with "None", even if module fields are set', async () => {
		const result = await ctx.run(params({ taskModuleInput: 'none', taskModuleJson: '{"a":1}' }));
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests[0].json).not.toHaveProperty('task_module_info');
	});
});
