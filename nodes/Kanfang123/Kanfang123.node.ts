import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationSubtitle, resourceProperty } from '../shared/description';
import { optionsCollection } from '../shared/options';
import { irreversibleOperations } from '../shared/runner';
import { toolProperties } from '../shared/toolMode';
import { operations, router } from './actions/router';
import { description as houseTaskDescription, operationNames } from './actions/houseTask';
import { hints } from './actions/houseTask/hints';
import * as listSearch from './methods/listSearch';

export class Kanfang123 implements INodeType {
	description: INodeTypeDescription = {
		displayName: '123kanfang',
		name: 'kanfang123',
		icon: { light: 'file:kanfang123.svg', dark: 'file:kanfang123.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(operationNames),
		description: 'Assign and track VR house capture tasks on 123kanfang (123看房)',
		defaults: { name: '123kanfang' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'kanfang123Api', required: true }],
		properties: [
			resourceProperty([{ name: 'House Task', value: 'houseTask' }], 'houseTask'),
			...houseTaskDescription,
			optionsCollection(),
			...toolProperties(irreversibleOperations(operations)),
		],
		hints,
	};

	methods = {
		listSearch: {
			searchPackages: listSearch.searchPackages,
			searchHouseTasks: listSearch.searchHouseTasks,
			searchCustomerHouseIds: listSearch.searchCustomerHouseIds,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
