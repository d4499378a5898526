/**
 * A node's "From List" search the way n8n's editor runs it (the CLI's
 * DynamicNodeParametersService): the node's `methods.listSearch` function called on n8n-core's
 * real LoadOptionsContext, for a "Temp-Node" carrying the form's current parameters and the
 * credential, with the harness's credentials helper (preAuthentication included).
 */
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import type { INodeCredentials, INodeListSearchResult, INodeParameters, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { testNode } from './nodeTypes';
import type { Harness } from './run';

export interface ListSearchOptions {
	/** Node type name as registered, e.g. `CUSTOM.kanfang123`. */
	type: string;
	/** The `methods.listSearch` function's name (the locator's `searchListMethod`). */
	method: string;
	/** The form's current parameters (what the editor sends as currentNodeParameters). */
	parameters: INodeParameters;
	credentials?: INodeCredentials;
	/** The parameter the list belongs to, e.g. `parameters.packageId`. */
	path?: string;
	filter?: string;
	paginationToken?: unknown;
}

export async function listSearch(harness: Harness, options: ListSearchOptions): Promise<INodeListSearchResult> {
	const nodeType = harness.nodeTypes.getByNameAndVersion(options.type) as INodeType;
	const search = nodeType.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`${options.type} has no listSearch method "${options.method}"`);
	const node = testNode(options.type, options.parameters, {
		id: 'uuid-1234',
		name: 'Temp-Node',
		credentials: options.credentials,
	});
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: harness.nodeTypes });
	const additionalData = harness.additionalData(new ExecutionLifecycleHooks('internal', 'list-search', {} as never));
	additionalData.currentNodeParameters = options.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, options.path ?? 'parameters');
	return await search.call(context, options.filter, options.paginationToken as string | undefined);
}
