import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationSubtitle, resourceProperty } from '../shared/description';
import { optionsCollection } from '../shared/options';
import { irreversibleOperations } from '../shared/runner';
import { toolProperties } from '../shared/toolMode';
import { operations, router } from './actions/router';
import { operationNames, description as taskDescription } from './actions/task';

const dueDateTimeZoneOption: INodeProperties = {
	displayName: 'Due Date Time Zone',
	name: 'dueDateTimeZone',
	type: 'string',
	default: '',
	placeholder: 'Asia/Shanghai',
	description:
		"IANA time zone in which Due Date is sent to AICC (e.g. the tenant's zone). Empty uses the workflow's time zone.",
	displayOptions: { show: { '/operation': ['create', 'update'] } },
};

export class Aicc implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Huawei AICC',
		name: 'aicc',
		icon: { light: 'file:aicc.svg', dark: 'file:aicc.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(operationNames),
		description: 'Create and follow work-order tasks in Huawei Cloud AICC (CEC)',
		defaults: { name: 'Huawei AICC' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aiccApi', required: true }],
		properties: [
			resourceProperty([{ name: 'Task', value: 'task' }], 'task'),
			...taskDescription,
			optionsCollection([dueDateTimeZoneOption]),
			...toolProperties(irreversibleOperations(operations)),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
