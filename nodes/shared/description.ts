import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * The parameters every action node has, built the same way: Resource first, then each
 * resource's Operation (the options sorted by name, as n8n's linter wants them).
 */
export function resourceProperty(options: INodePropertyOptions[], defaultResource: string): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options,
		default: defaultResource,
	};
}

export function operationProperty(
	resource: string,
	options: Array<INodePropertyOptions & { action: string }>,
	defaultOperation: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [...options].sort((a, b) => a.name.localeCompare(b.name)),
		default: defaultOperation,
	};
}

/**
 * The canvas subtitle: the chosen operation in words ("Assign Capture Task"), looked up in an
 * operation value → words table by an expression the editor evaluates.
 */
export function operationSubtitle(words: Record<string, string>): string {
	return `={{ ${JSON.stringify(words)}[$parameter["operation"]] }}`;
}
