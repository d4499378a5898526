import type { INodeProperties } from 'n8n-workflow';

import { fieldProperties, operations } from './fields';
import { getManyProperties } from './getMany';

export { prepareHouseTask, sendHouseTask } from './execute';
export type { PreparedHouseTask } from './execute';

const getManyOperation = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many house tasks',
	description: 'List house tasks with filters and field selection (GetPage)',
};

export const houseTaskDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['houseTask'] } },
		options: [
			...operations.map(({ name, value, action, description }) => ({ name, value, action, description })),
			getManyOperation,
		].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'assignCapture',
	},
	...operations.flatMap(fieldProperties),
	...getManyProperties,
];
