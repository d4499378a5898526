import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ApiClient } from '../../shared/client';
import * as task from './task/Task.resource';

export interface ItemHandler {
	prepare: (itemIndex: number) => IDataObject;
	send: (body: IDataObject, itemIndex: number) => Promise<IDataObject>;
}

/** Picks the handler for the node's resource and operation (the same for all items). */
export function route(ctx: IExecuteFunctions, client: ApiClient, baseUrl: string): ItemHandler {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	if (resource === 'task' && operation === 'create') {
		return {
			prepare: (itemIndex) => task.create.buildBody(ctx, itemIndex),
			send: async (body, itemIndex) => await task.create.send(client, baseUrl, body, itemIndex),
		};
	}
	throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
}
