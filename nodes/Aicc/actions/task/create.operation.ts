import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { ID_MAX_BYTES, optionalTaskInfo, textParam } from '../../helpers/fields';
import type { PreparedCall } from './common';
import { creatorIdField, optionalTaskInfoFields, readCreatorId } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		description: 'Task title (at most 128 bytes)',
	},
	{
		displayName: 'Owner ID',
		name: 'ownerId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '10gg00000148QvgpaLAm',
		description: 'ID of the agent who handles the task (at most 20 bytes)',
	},
	creatorIdField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: optionalTaskInfoFields,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['task'], operation: ['create'] } },
	properties,
);

/** POST /openapi/task with `{taskInfo}`; the answer's `result.taskId` names the new task. */
export function prepare(this: IExecuteFunctions, itemIndex: number): PreparedCall {
	const title = textParam(this, 'title', itemIndex, { label: 'Title', required: true, maxBytes: 128 });
	const ownerId = textParam(this, 'ownerId', itemIndex, { label: 'Owner ID', required: true, maxBytes: ID_MAX_BYTES });
	const creatorId = readCreatorId(this, itemIndex);
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const optional = optionalTaskInfo(this, itemIndex, extra);
	// In the order of the API's TaskInfo table.
	const taskInfo: IDataObject = {
		title,
		description: optional.description,
		type: optional.type,
		relateId: optional.relateId,
		ownerId,
		contactId: optional.contactId,
		creatorId,
		priority: optional.priority,
		dueDate: optional.dueDate,
		attachment: optional.attachment,
	};
	for (const key of Object.keys(taskInfo)) if (taskInfo[key] === undefined) delete taskInfo[key];
	const node = this.getNode();
	return {
		path: '/task',
		body: { taskInfo },
		// Sending twice would open two tasks.
		idempotent: false,
		output: (result) => {
			const taskId = (result as IDataObject | null)?.taskId;
			if (typeof taskId !== 'string' && typeof taskId !== 'number') {
				throw new NodeApiError(node, { result } as JsonObject, {
					message: 'Huawei AICC reported success but sent no taskId',
					itemIndex,
				});
			}
			return { taskId: String(taskId), ...taskInfo };
		},
	};
}

export { execute } from './common';
