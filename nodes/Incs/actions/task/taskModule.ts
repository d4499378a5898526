import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkJsonObject, checkString, stringParam } from '../../../shared/validation';

/**
 * The task module (`task_module_info`) of Create and Assign: extra information INCS shows in
 * the agent's chat window, given as JSON or built from the documented order-module fields.
 */

/** The module ID INCS's documentation gives for its order/loan module ("pass this fixed ID"). */
export const DOCUMENTED_MODULE_ID = '019d3dcd-f5a8-70e7-aff8-c54bde267f38';

export const MODULE_LABELS = {
	taskModuleJson: 'Task Module (JSON)',
	moduleId: 'Module ID',
	totalAmount: 'Total Amount',
} as const;

/** The order fields INCS documents for its module, UI name → body key. */
const ORDER_FIELDS: Array<{ name: string; key: string; displayName: string; description: string; placeholder: string }> = [
	{
		name: 'orderNumber',
		key: 'order_number',
		displayName: 'Order Number',
		description: 'Order or contract number shown to the agent',
		placeholder: 'e.g. WD20260401001',
	},
	{
		name: 'username',
		key: 'username',
		displayName: 'Username',
		description: 'Name of the customer on this order',
		placeholder: 'e.g. Budi',
	},
	{
		name: 'phoneNumber',
		key: 'phone_number',
		displayName: 'Phone Number',
		description: 'Phone number on this order, shown as entered',
		placeholder: 'e.g. 13800138000',
	},
	{
		name: 'loanAmount',
		key: 'loan_amount',
		displayName: 'Loan Amount',
		description: 'Loan amount, as text (e.g. 3000)',
		placeholder: 'e.g. 3000',
	},
	{
		name: 'dueAmount',
		key: 'due_amount',
		displayName: 'Due Amount',
		description: 'Amount due, as text (e.g. 1500)',
		placeholder: 'e.g. 1500',
	},
	{
		name: 'nextDueDate',
		key: 'next_due_date',
		displayName: 'Next Due Date',
		description: 'Next due date as INCS shows it, e.g. 2026-04-15',
		placeholder: 'e.g. 2026-04-15',
	},
	{
		name: 'confirmLoanTime',
		key: 'confirm_loan_time',
		displayName: 'Confirm Loan Time',
		description: 'When the loan was confirmed, e.g. 2026-03-01 10:00:00',
		placeholder: 'e.g. 2026-03-01 10:00:00',
	},
];

/** The task-module fields, shown for `show` (the operation's resource and operation). */
export function taskModuleProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Task Module Input',
			name: 'taskModuleInput',
			type: 'options',
			noDataExpression: true,
			default: 'none',
			description: 'Extra information INCS shows in the agent\'s chat window (task_module_info)',
			displayOptions: { show },
			options: [
				{
					name: 'None',
					value: 'none',
					description: 'Send no task module',
				},
				{
					name: 'JSON',
					value: 'json',
					description: 'Give the whole task module as a JSON object',
				},
				{
					name: 'Fields',
					value: 'fields',
					description: 'Build the documented order module from a module ID, a total amount and orders',
				},
			],
		},
		{
			displayName: 'Task Module (JSON)',
			name: 'taskModuleJson',
			type: 'json',
			default: '{\n  "module_id": "",\n  "total_amount": "",\n  "orders": []\n}',
			description: 'The task_module_info object, sent as it is',
			displayOptions: { show: { ...show, taskModuleInput: ['json'] } },
		},
		{
			displayName: 'Module ID',
			name: 'moduleId',
			type: 'string',
			required: true,
			default: DOCUMENTED_MODULE_ID,
			description:
				'ID of the INCS display module. The default is the ID INCS documents for its order module.',
			displayOptions: { show: { ...show, taskModuleInput: ['fields'] } },
		},
		{
			displayName: 'Total Amount',
			name: 'totalAmount',
			type: 'string',
			default: '',
			placeholder: 'e.g. 20000.00',
			description: 'Total amount shown above the orders, as text',
			displayOptions: { show: { ...show, taskModuleInput: ['fields'] } },
		},
		{
			displayName: 'Orders',
			name: 'orders',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Order',
			default: {},
			description: 'Orders shown to the agent, in this order',
			displayOptions: { show: { ...show, taskModuleInput: ['fields'] } },
			options: [
				{
					displayName: 'Order',
					name: 'order',
					values: ORDER_FIELDS.map((field) => ({
						displayName: field.displayName,
						name: field.name,
						type: 'string' as const,
						default: '',
						placeholder: field.placeholder,
						description: field.description,
					})),
				},
			],
		},
	];
}

/** Builds task_module_info from the "Fields" inputs. */
function moduleFromFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const moduleId = stringParam(ctx, 'moduleId', itemIndex, { label: MODULE_LABELS.moduleId, required: true });
	const totalAmount = stringParam(ctx, 'totalAmount', itemIndex, { label: MODULE_LABELS.totalAmount }) ?? '';
	const collection = ctx.getNodeParameter('orders', itemIndex, {}) as IDataObject;
	const rows = Array.isArray(collection.order) ? (collection.order as IDataObject[]) : [];
	const orders = rows.map((row, rowIndex) => {
		const order: IDataObject = {};
		for (const field of ORDER_FIELDS) {
			order[field.key] =
				checkString(ctx, itemIndex, row[field.name], {
					label: `Orders › Order ${rowIndex + 1} › ${field.displayName}`,
				}) ?? '';
		}
		return order;
	});
	return { module_id: moduleId, total_amount: totalAmount, orders };
}

/** The item's task module per Task Module Input; undefined for None. */
export function readTaskModule(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	const moduleInput = ctx.getNodeParameter('taskModuleInput', itemIndex, 'none') as string;
	if (moduleInput === 'json') {
		return checkJsonObject(ctx, itemIndex, ctx.getNodeParameter('taskModuleJson', itemIndex, ''), {
			label: MODULE_LABELS.taskModuleJson,
			required: true,
		});
	}
	if (moduleInput === 'fields') return moduleFromFields(ctx, itemIndex);
	return undefined;
}
