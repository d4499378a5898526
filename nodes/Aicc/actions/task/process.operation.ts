import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText, textParam } from '../../helpers/fields';
import { fieldError } from '../../../shared/validation';
import type { PreparedCall } from './common';
import { creatorIdField, doneOutput, readCreatorId, readTaskId, taskIdField } from './common';

const properties: INodeProperties[] = [
	taskIdField,
	creatorIdField,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		description: 'Title of the processing record (at most 128 bytes)',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'What was done (at most 20,000 bytes)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Attachment',
				name: 'attachment',
				type: 'string',
				default: '',
				description: 'Attachment of the processing record (at most 255 bytes)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['process'] } },
	properties,
);

/**
 * POST /openapi/task/process: adds a processing record to a task. The record type is always
 * "Iternal" — the only value the API documents, spelled as Huawei spells it.
 */
export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const taskId = readTaskId(this, itemIndex);
	const creatorId = readCreatorId(this, itemIndex);
	const title = textParam(this, 'title', itemIndex, { label: 'Title', required: true, maxBytes: 128 });
	const text = textParam(this, 'description', itemIndex, { label: 'Description', required: true, maxBytes: 20000 });
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const key of Object.keys(extra)) {
		if (key !== 'attachment') throw fieldError(this, itemIndex, key, 'is not a field this operation knows');
	}
	const attachment = checkText(this, itemIndex, extra.attachment, { label: 'Attachment', maxBytes: 255 });
	const processInfo: IDataObject = { type: 'Iternal', title, description: text };
	if (attachment !== undefined) processInfo.attachment = attachment;
	return {
		path: '/task/process',
		body: { taskId, creatorId, processInfo },
		// Each call adds a record; sending twice would add two.
		idempotent: false,
		output: doneOutput({ taskId, creatorId, processInfo }),
	};
}

export { execute } from './common';
