import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkText, optionalTaskInfo } from '../../helpers/fields';
import { fieldError } from '../../../shared/validation';
import type { PreparedCall } from './common';
import { creatorIdField, doneOutput, optionalTaskInfoFields, readCreatorId, readTaskId, taskIdField } from './common';

const properties: INodeProperties[] = [
	taskIdField,
	creatorIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			...optionalTaskInfoFields,
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: '',
				description: 'New task title (at most 128 bytes)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['update'] } },
	properties,
);

/** POST /openapi/task/modify `{taskInfo: {id, creatorId, …changed fields}}`. */
export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const taskId = readTaskId(this, itemIndex);
	const creatorId = readCreatorId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const title = checkText(this, itemIndex, fields.title, { label: 'Title', maxBytes: 128 });
	const optional = optionalTaskInfo(this, itemIndex, fields, ['title']);
	const changes: IDataObject = { ...(title !== undefined ? { title } : {}), ...optional };
	if (Object.keys(changes).length === 0) {
		throw fieldError(this, itemIndex, 'Update Fields', 'is empty: add at least one field to change');
	}
	const taskInfo: IDataObject = { id: taskId, creatorId, ...changes };
	return {
		path: '/task/modify',
		body: { taskInfo },
		// Writes absolute field values: sending it twice leaves the same task.
		idempotent: true,
		output: doneOutput({ taskId, creatorId, ...changes }),
	};
}

export { execute } from './common';
