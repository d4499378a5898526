import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * When an AI Agent calls one of our nodes as a tool. n8n offers every `usableAsTool` node to
 * agents as a node type of its own, named like the node plus "Tool" (`kanfang123Tool`); the
 * editor's `@tool` display option uses the same rule. That type name is what the node sees at
 * run time in n8n 1.x and 2.x alike (2.x's `isToolExecution()` is false when the agent has n8n
 * run the tool as a workflow step, as its default agent does).
 */
export function isToolCall(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** At most this many output items go back to the model per call when Simplify is on. */
export const MAX_ITEMS_FOR_MODEL = 50;

/** Longer texts are cut for the model (Simplify on) and in errors the model reads. */
const MAX_TEXT_FOR_MODEL = 500;
const MAX_ERROR_FOR_MODEL = 300;

/**
 * The parameters only a tool shows (`@tool`): Simplify, and for the node's operations that
 * cannot be undone, the switch that lets an agent run them.
 */
export function toolProperties(irreversibleOperations: string[]): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: `Whether to return a reply sized for an AI model: empty fields left out, texts cut at ${MAX_TEXT_FOR_MODEL} characters, at most ${MAX_ITEMS_FOR_MODEL} results. Off returns the full reply.`,
			displayOptions: { show: { '@tool': [true] } },
		},
	];
	if (irreversibleOperations.length) {
		properties.unshift({
			displayName: 'Allow Irreversible Operations',
			name: 'allowIrreversible',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			description:
				'Whether the AI agent may run this operation, which cannot be undone. Off: the tool refuses the call and tells the agent why. To let a person approve each call instead, turn this on and put a human review step between this tool and the agent.',
			displayOptions: { show: { '@tool': [true], operation: irreversibleOperations } },
		});
	}
	return properties;
}

/** The refusal an agent reads when it calls an operation that cannot be undone. */
export function irreversibleRefusal(operation: string): string {
	return `Refused: the operation "${operation}" cannot be undone, and this tool is not allowed to run it for an AI agent. Nothing was sent. Ask a person to do it, or to turn on "Allow Irreversible Operations" in the tool.`;
}

function cut(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null || value === '') return true;
	if (Array.isArray(value)) return value.length === 0;
	return typeof value === 'object' && Object.keys(value as object).length === 0;
}

function simplifyValue(value: unknown): unknown {
	if (typeof value === 'string') return cut(value, MAX_TEXT_FOR_MODEL);
	if (Array.isArray(value)) return value.map(simplifyValue).filter((entry) => !isEmpty(entry));
	if (value && typeof value === 'object') return simplifyItem(value as IDataObject);
	return value;
}

/** One output item for a model: empty fields left out, long texts cut. */
export function simplifyItem(json: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(json)) {
		const simple = simplifyValue(value);
		if (!isEmpty(simple)) result[key] = simple as IDataObject[keyof IDataObject];
	}
	return result;
}

/**
 * An error as the model reads it: one line of plain text (HTML tags and line breaks removed),
 * the message and its description, short. Secrets are already gone (errors.ts scrubs them).
 */
export function errorTextForModel(error: { message?: string; description?: string | null }): string {
	const parts = [error.message, error.description].filter((part): part is string => Boolean(part));
	// Sentences: a message without its own full stop gets one before the description.
	const text = parts
		.map((part, index) => (index < parts.length - 1 && !/[.!?:]\s*$/.test(part) ? `${part}.` : part))
		.join(' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return cut(text || 'The call failed', MAX_ERROR_FOR_MODEL);
}
