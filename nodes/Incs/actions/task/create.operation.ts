import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/client';
import { checkInteger, checkJsonObject, checkString, fieldError, stringParam } from '../../../shared/validation';
import { normalizePhone } from '../../helpers/phone';
import { TASKS_PATH } from '../../transport';

/** Message task: the only task type this endpoint creates. */
export const MESSAGE_TASK_TYPE = 3;

/** The module ID INCS's documentation gives for its order/loan module ("pass this fixed ID"). */
export const DOCUMENTED_MODULE_ID = '019d3dcd-f5a8-70e7-aff8-c54bde267f38';

export const LABELS = {
	name: 'Task Name',
	authId: 'Auth ID',
	userPhone: 'Customer Phone',
	assigneeUsername: 'Assignee Username',
	description: 'Description',
	userName: 'Customer Name',
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

const show = { resource: ['task'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Task Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Payment reminder',
		description: 'Name of the task, at most 256 characters',
		displayOptions: { show },
	},
	{
		displayName: 'Auth ID',
		name: 'authId',
		type: 'number',
		required: true,
		default: 0,
		placeholder: 'e.g. 30058',
		description:
			'The WhatsApp authorisation ID that INCS issued for your business number (auth_id), a whole number such as 30058',
		displayOptions: { show },
	},
	{
		displayName: 'Customer Phone',
		name: 'userPhone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +62 815-1234-1234',
		description:
			'WhatsApp number of the customer, with country code. Spaces, dashes, dots, parentheses and a leading + or 00 are removed; INCS receives digits only (e.g. 6281512341234).',
		displayOptions: { show },
	},
	{
		displayName: 'Assignee Username',
		name: 'assigneeUsername',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. incs_1',
		description: 'INCS account name of the agent who gets the task',
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Customer Name',
				name: 'userName',
				type: 'string',
				default: '',
				description: 'Name of the customer, shown to the agent',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Description of the task, at most 256 characters',
			},
		],
	},
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

/** Builds task_module_info from the "Fields" inputs. */
function moduleFromFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const moduleId = stringParam(ctx, 'moduleId', itemIndex, { label: LABELS.moduleId, required: true });
	const totalAmount = stringParam(ctx, 'totalAmount', itemIndex, { label: LABELS.totalAmount }) ?? '';
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

/** Reads and checks one item's fields and returns the JSON body INCS expects. */
export function buildBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const name = stringParam(ctx, 'name', itemIndex, { label: LABELS.name, required: true, maxLength: 256 });
	const authId = checkInteger(ctx, itemIndex, ctx.getNodeParameter('authId', itemIndex, ''), {
		label: LABELS.authId,
		required: true,
		max: Number.MAX_SAFE_INTEGER,
	});
	if (authId === undefined || authId <= 0) {
		throw fieldError(
			ctx,
			itemIndex,
			LABELS.authId,
			authId === 0 ? 'is required: enter the WhatsApp auth ID INCS issued (e.g. 30058)' : 'must be a positive whole number',
		);
	}
	const phone = normalizePhone(ctx.getNodeParameter('userPhone', itemIndex, ''));
	if (!phone.ok) throw fieldError(ctx, itemIndex, LABELS.userPhone, phone.problem);
	const assignee = stringParam(ctx, 'assigneeUsername', itemIndex, {
		label: LABELS.assigneeUsername,
		required: true,
	});

	const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const description = checkString(ctx, itemIndex, additional.description, {
		label: LABELS.description,
		maxLength: 256,
	});
	const userName = checkString(ctx, itemIndex, additional.userName, { label: LABELS.userName });

	const body: IDataObject = {
		name,
		type: MESSAGE_TASK_TYPE,
		auth_id: authId,
		user_phone: phone.digits,
		assignee_username: assignee,
	};
	if (description !== undefined) body.description = description;
	if (userName !== undefined) body.user_name = userName;

	const moduleInput = ctx.getNodeParameter('taskModuleInput', itemIndex, 'none') as string;
	if (moduleInput === 'json') {
		const module = checkJsonObject(ctx, itemIndex, ctx.getNodeParameter('taskModuleJson', itemIndex, ''), {
			label: LABELS.taskModuleJson,
			required: true,
		});
		body.task_module_info = module;
	} else if (moduleInput === 'fields') {
		body.task_module_info = moduleFromFields(ctx, itemIndex);
	}
	return body;
}

/** Sends one checked body. */
export async function send(client: ApiClient, baseUrl: string, body: IDataObject, itemIndex: number): Promise<IDataObject> {
	const data = await client.send(
		{ method: 'POST', url: `${baseUrl}${TASKS_PATH}`, body, json: true },
		// Creating a task is not idempotent: a lost reply must not lead to a second task.
		{ itemIndex, idempotent: false },
	);
	return data as IDataObject;
}
