import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ID_MAX_BYTES, textParam } from '../../helpers/fields';
import type { PreparedCall } from './common';
import { creatorIdField, doneOutput, readCreatorId, readTaskId, taskIdField } from './common';

const properties: INodeProperties[] = [
	taskIdField,
	{
		displayName: 'New Owner ID',
		name: 'ownerId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the agent who takes the task over (at most 20 bytes)',
	},
	creatorIdField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['transfer'] } },
	properties,
);

/** POST /openapi/task/transfer `{id, ownerId, creatorId}`: re-assigns the task. */
export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const taskId = readTaskId(this, itemIndex);
	const ownerId = textParam(this, 'ownerId', itemIndex, {
		label: 'New Owner ID',
		required: true,
		maxBytes: ID_MAX_BYTES,
	}) as string;
	const creatorId = readCreatorId(this, itemIndex);
	return {
		path: '/task/transfer',
		body: { id: taskId, ownerId, creatorId },
		// Sets the owner to an absolute value: sending it twice leaves the same owner.
		idempotent: true,
		output: doneOutput({ taskId, ownerId, creatorId }),
	};
}

export { execute } from './common';
