import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { readRequestOptions } from '../shared/http';
import { requestOptionFields } from '../shared/options';
import { runItems } from '../shared/runner';
import type { PreparedHouseTask } from './actions/houseTask';
import { houseTaskDescription, prepareHouseTask, sendHouseTask } from './actions/houseTask';
import { kanfang123Client } from './transport';

export class Kanfang123 implements INodeType {
	description: INodeTypeDescription = {
		displayName: '123kanfang',
		name: 'kanfang123',
		icon: { light: 'file:kanfang123.svg', dark: 'file:kanfang123.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Assign and track VR house capture tasks on 123kanfang (123看房)',
		defaults: { name: '123kanfang' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
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
		const continueOnFail = this.continueOnFail();
		const { retry, concurrency, batchInterval } = readRequestOptions(this);

		// Read and check every item before sending anything: without Continue On Fail a bad row
		// stops the node before the first request, so no run is left half-done.
		const prepared = this.getInputData().map((_, itemIndex): PreparedHouseTask | Error => {
			try {
				return prepareHouseTask(this, operation, itemIndex);
			} catch (error) {
				return error as Error;
			}
		});
		if (!continueOnFail) {
			const firstBad = prepared.find((call): call is Error => call instanceof Error);
			if (firstBad) throw firstBad;
		}

		const client = kanfang123Client(this, retry);
		return await runItems(
			this,
			async (itemIndex) => {
				const call = prepared[itemIndex];
				if (call instanceof Error) throw call;
				return await sendHouseTask(this, call, itemIndex, client);
			},
			{ concurrency, batchInterval, continueOnFail },
		);
	}
}
