import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SendContext } from '../../../shared/runner';
import { checkInteger, checkString, fieldError, stringParam } from '../../../shared/validation';
import { normalizePhone } from '../../helpers/phone';
import type { IncsTransport } from '../../transport';
import { TASKS_PATH } from '../../transport';
import { DOCUMENTED_MODULE_ID, MODULE_LABELS, readTaskModule, taskModuleProperties } from './taskModule';

/** Message task: the only task type this endpoint creates. */
export const MESSAGE_TASK_TYPE = 3;

export { DOCUMENTED_MODULE_ID };

export const LABELS = {
	name: 'Task Name',
	authId: 'Auth ID',
	userPhone: 'Customer Phone',
	assigneeUsername: 'Assignee Username',
	description: 'Description',
	userName: 'Customer Name',
	...MODULE_LABELS,
} as const;

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
	...taskModuleProperties(show),
];

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

	const module = readTaskModule(ctx, itemIndex);
	if (module !== undefined) body.task_module_info = module;
	return body;
}

/** Reads and checks one item: the JSON body INCS expects. */
export function prepare(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return buildBody(this, itemIndex);
}

/** POST /external/tasks with the checked body; INCS's `data` is the output item. */
export async function execute(
	this: SendContext,
	transport: IncsTransport,
	body: IDataObject,
	itemIndex: number,
): Promise<IDataObject> {
	const data = await transport.request(
		{ method: 'POST', url: TASKS_PATH, body, json: true },
		// Creating a task is not idempotent: a lost reply must not lead to a second task.
		{ itemIndex, idempotent: false },
	);
	return data as IDataObject;
}
