import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SendContext } from '../../../shared/runner';
import { ID_MAX_BYTES, textParam } from '../../helpers/fields';
import type { AiccTransport } from '../../transport';
import { TASK_API_PATH } from '../../transport';

/** One item's checked request, built before anything is sent. */
export interface PreparedCall {
	/** Path below `/openapi`. */
	path: string;
	body: IDataObject;
	/** Whether sending it twice is harmless, so a reset after sending may be retried. */
	idempotent: boolean;
	/** Builds the output item from the API's `result`. */
	output: (result: unknown) => IDataObject;
}

/** Every task operation's `execute`: POST the prepared JSON body and shape the output item. */
export async function execute(
	this: SendContext,
	transport: AiccTransport,
	call: PreparedCall,
	itemIndex: number,
): Promise<IDataObject> {
	const result = await transport.request(
		{
			method: 'POST',
			url: `${TASK_API_PATH}${call.path}`,
			headers: { 'Content-Type': 'application/json' },
			body: call.body,
			json: true,
		},
		{ itemIndex, idempotent: call.idempotent },
	);
	return call.output(result);
}

/** Output of the calls that return no data: what was done, plus `result` if the API sent one. */
export function doneOutput(sent: IDataObject) {
	return (result: unknown): IDataObject => {
		const output: IDataObject = { success: true, ...sent };
		if (result !== null && result !== undefined && !(typeof result === 'object' && Object.keys(result).length === 0)) {
			output.result = result as IDataObject;
		}
		return output;
	};
}

export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'ccqG0000014iXvGKONQO',
	description: 'ID of the task, as returned by Create',
};

export const creatorIdField: INodeProperties = {
	displayName: 'Creator ID',
	name: 'creatorId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '10gg00000148QvgpaLAm',
	description: 'ID of the user on whose behalf the call is made (at most 20 bytes)',
};

/** The optional TaskInfo fields, shared by Create ("Additional Fields") and Update. */
export const optionalTaskInfoFields: INodeProperties[] = [
	{
		displayName: 'Attachment',
		name: 'attachment',
		type: 'string',
		default: '',
		description: 'Attachment of the task (at most 255 bytes)',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		default: '',
		description: 'ID of the contact the task is about (at most 20 bytes)',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'Task description (at most 20,000 bytes)',
	},
	{
		displayName: 'Due Date',
		name: 'dueDate',
		type: 'dateTime',
		default: '',
		description:
			'Expected completion. Sent as YYYY-MM-DD HH:mm:ss in the workflow\'s time zone, or in Options → Due Date Time Zone. A date without time means midnight of that day.',
	},
	{
		displayName: 'Priority',
		name: 'priority',
		type: 'options',
		options: [
			{ name: 'Critical', value: 'Critical' },
			{ name: 'High', value: 'High' },
			{ name: 'Medium', value: 'Medium' },
			{ name: 'Low', value: 'Low' },
		],
		default: 'Medium',
		description: 'Priority of the task',
	},
	{
		displayName: 'Related Object ID',
		name: 'relateId',
		type: 'string',
		default: '',
		description: 'ID of the related object, e.g. the case (at most 20 bytes). Required when Related Object Type is set.',
	},
	{
		displayName: 'Related Object Type',
		name: 'type',
		type: 'options',
		options: [{ name: 'Case', value: 'Case' }],
		default: 'Case',
		description: 'Type of object the task belongs to; needs Related Object ID',
	},
];

/** The item's Task ID (required). */
export function readTaskId(ctx: IExecuteFunctions, itemIndex: number): string {
	return textParam(ctx, 'taskId', itemIndex, { label: 'Task ID', required: true }) as string;
}

/** The item's Creator ID (required, at most 20 bytes). */
export function readCreatorId(ctx: IExecuteFunctions, itemIndex: number): string {
	return textParam(ctx, 'creatorId', itemIndex, {
		label: 'Creator ID',
		required: true,
		maxBytes: ID_MAX_BYTES,
	}) as string;
}
