import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { readRequestOptions } from '../shared/http';
import { requestOptionFields } from '../shared/options';
import { runItems } from '../shared/runner';
import type { PreparedCall } from './actions/common';
import { sendPrepared } from './actions/common';
import type { TaskOperation } from './actions/task';
import { description as taskDescription, operations } from './actions/task';
import { AiccTransport } from './transport';

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
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create and follow work-order tasks in Huawei Cloud AICC (CEC)',
		defaults: { name: 'Huawei AICC' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aiccApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Task', value: 'task' }],
				default: 'task',
			},
			...taskDescription,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...requestOptionFields, dueDateTimeZoneOption].sort((a, b) =>
					a.displayName.localeCompare(b.displayName),
				),
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const continueOnFail = this.continueOnFail();
		const { retry, concurrency, batchInterval } = readRequestOptions(this);
		const operation = this.getNodeParameter('operation', 0) as TaskOperation;
		const action = operations[operation];
		if (!action) {
			throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
		}

		// Check every item before sending anything: without Continue On Fail a bad row stops
		// the node before the first request, so no item is half-done.
		const items = this.getInputData();
		const prepared: Array<PreparedCall | Error> = items.map((_, itemIndex) => {
			try {
				return action.prepare.call(this, itemIndex);
			} catch (error) {
				return error as Error;
			}
		});
		if (!continueOnFail) {
			const firstBad = prepared.find((call): call is Error => call instanceof Error);
			if (firstBad) throw firstBad;
		}

		const transport = new AiccTransport(this, retry);
		return await runItems(
			this,
			async (itemIndex) => {
				const call = prepared[itemIndex];
				if (call instanceof Error) throw call;
				return await sendPrepared(transport, call, itemIndex);
			},
			{ concurrency, batchInterval, continueOnFail },
		);
	}
}
