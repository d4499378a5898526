import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationSubtitle, resourceProperty } from '../shared/description';
import { optionsCollection } from '../shared/options';
import { irreversibleOperations } from '../shared/runner';
import { toolProperties } from '../shared/toolMode';
import { operations, router } from './actions/router';
import * as task from './actions/task';

export class Incs implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'INCS',
		name: 'incs',
		icon: { light: 'file:incs.svg', dark: 'file:incs.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(task.operationNames),
		description: "Put customers into an INCS agent's WhatsApp queue",
		defaults: { name: 'INCS' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'incsApi', required: true }],
		properties: [
			resourceProperty([{ name: 'Task', value: 'task' }], 'task'),
			...task.description,
			optionsCollection(),
			...toolProperties(irreversibleOperations(operations)),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
