import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { readRequestOptions } from '../shared/http';
import { requestOptionFields } from '../shared/options';
import { runItems } from '../shared/runner';
import { executeHouseTask, houseTaskDescription } from './actions/houseTask';
import { kanfang123Client } from './transport';

export class Kanfang123 implements INodeType {
	description: INodeTypeDescription = {
		displayName: '123kanfang',
		name: 'kanfang123',
		icon: 'file:kanfang123.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Assign and track VR house capture tasks on 123kanfang (123看房)',
		defaults: { name: '123kanfang' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [{ name: 'kanfang123Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'House Task', value: 'houseTask' }],
				default: 'houseTask',
			},
			...houseTaskDescription,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: requestOptionFields,
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const { retry, concurrency, batchInterval } = readRequestOptions(this);
		const client = kanfang123Client(this, retry);
		return await runItems(this, async (itemIndex) => await executeHouseTask(this, operation, itemIndex, client), {
			concurrency,
			batchInterval,
			continueOnFail: this.continueOnFail(),
		});
	}
}
