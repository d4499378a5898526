import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';

export const operations = { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['task'] } },
		options: [
			{
				name: 'Create and Assign',
				value: 'create',
				description: "Create a WhatsApp message task for a customer and put it in an agent's queue",
				action: 'Create and assign a task',
			},
		],
		default: 'create',
	},
	...create.description,
];
