import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { readRequestOptions } from '../shared/http';
import { requestOptionFields } from '../shared/options';
import { runItems } from '../shared/runner';
import { route } from './actions/router';
import * as task from './actions/task/Task.resource';
import { baseUrl, createClient } from './transport';

export class Incs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'INCS',
		name: 'incs',
		icon: { light: 'file:incs.svg', dark: 'file:incs.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Put customers into an INCS agent's WhatsApp queue",
		defaults: { name: 'INCS' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'incsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Task', value: 'task' }],
				default: 'task',
			},
			...task.description,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [...requestOptionFields],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { retry, concurrency, batchInterval } = readRequestOptions(this);
		const client = createClient(this, retry);
		const handler = route(this, client, await baseUrl(this));
		return await runItems(this, handler, {
			concurrency,
			batchInterval,
			continueOnFail: this.continueOnFail(),
		});
	}
}
