import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/description';
import * as create from './create.operation';

export const operations = { create };

/** Operation value → words, for the node's subtitle. */
export const operationNames = { create: 'Create and Assign Task' };

export const description: INodeProperties[] = [
	operationProperty(
		'task',
		[
			{
				name: 'Create and Assign',
				value: 'create',
				description: "Create a WhatsApp message task for a customer and put it in an agent's queue",
				action: 'Create and assign a task',
			},
		],
		'create',
	),
	...create.description,
];
