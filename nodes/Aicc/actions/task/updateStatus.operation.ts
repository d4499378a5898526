import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { checkChoice } from '../../../shared/validation';
import { STATUSES } from '../../helpers/fields';
import type { PreparedCall } from './common';
import { creatorIdField, doneOutput, readCreatorId, readTaskId, taskIdField } from './common';

const properties: INodeProperties[] = [
	taskIdField,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		required: true,
		options: [
			{ name: 'Completed', value: 'Completed' },
			{ name: 'Pending', value: 'Pending' },
			{ name: 'Processing', value: 'Processing' },
		],
		default: 'Processing',
		description: 'New status of the task',
	},
	creatorIdField,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['updateStatus'] } },
	properties,
);

/** POST /openapi/task/status/update `{id, status, creatorId}`. */
export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const taskId = readTaskId(this, itemIndex);
	const status = checkChoice(this, itemIndex, this.getNodeParameter('status', itemIndex, ''), {
		label: 'Status',
		required: true,
		allowed: STATUSES,
	}) as string;
	const creatorId = readCreatorId(this, itemIndex);
	return {
		path: '/task/status/update',
		body: { id: taskId, status, creatorId },
		// Sets an absolute value: sending it twice leaves the same state.
		idempotent: true,
		output: doneOutput({ taskId, status, creatorId }),
	};
}

export { execute } from './common';
