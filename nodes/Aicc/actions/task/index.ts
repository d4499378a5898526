import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/description';
import * as create from './create.operation';
import * as processTask from './process.operation';
import * as transfer from './transfer.operation';
import * as update from './update.operation';
import * as updateStatus from './updateStatus.operation';

export const operations = { create, process: processTask, transfer, update, updateStatus };

/** Operation value → words, for the node's subtitle. */
export const operationNames: Record<keyof typeof operations, string> = {
	create: 'Create Task',
	process: 'Process Task',
	transfer: 'Transfer Task',
	update: 'Update Task',
	updateStatus: 'Update Task Status',
};

export const description: INodeProperties[] = [
	operationProperty(
		'task',
		[
			{
				name: 'Create',
				value: 'create',
				description: 'Open a task for an agent',
				action: 'Create a task',
			},
			{
				name: 'Process',
				value: 'process',
				description: 'Add a processing record to a task',
				action: 'Add a processing record to a task',
			},
			{
				name: 'Transfer',
				value: 'transfer',
				description: 'Re-assign a task to another owner',
				action: 'Transfer a task',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change fields of a task',
				action: 'Update a task',
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				description: 'Set a task to Completed, Pending or Processing',
				action: 'Update the status of a task',
			},
		],
		'create',
	),
	...create.description,
	...processTask.description,
	...transfer.description,
	...update.description,
	...updateStatus.description,
];
