/** Building blocks of the workflows the e2e tests, the queue suite and bench:n8n create over n8n's REST API. */
import { randomUUID } from 'node:crypto';

export type WorkflowNode = Record<string, unknown>;

/** One node at the origin (n8n lays nothing out from these). */
export const workflowNode = (
	name: string,
	type: string,
	typeVersion: number,
	parameters: Record<string, unknown>,
	extra: WorkflowNode = {},
): WorkflowNode => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [0, 0],
	parameters,
	...extra,
});

/** The `connections` of nodes in a line: each node's output into the next one's input. */
export const chain = (...names: string[]) =>
	Object.fromEntries(names.slice(0, -1).map((from, i) => [from, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
