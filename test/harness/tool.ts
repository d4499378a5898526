import type { INodeType } from 'n8n-workflow';

/**
 * A node as n8n offers it to an AI Agent: the same node whose type name ends in "Tool"
 * (n8n's convertNodeToAiTool appends it, and the `@tool` display option and our nodes read
 * it). The rest of what n8n changes (inputs, outputs, a Description field) does not reach
 * `execute`, so the harness keeps the node's main input and output.
 */
export function asTool(node: INodeType): INodeType {
	const description = {
		...node.description,
		name: `${node.description.name}Tool`,
		displayName: `${node.description.displayName} Tool`,
	};
	return Object.assign(Object.create(node) as INodeType, { description });
}
