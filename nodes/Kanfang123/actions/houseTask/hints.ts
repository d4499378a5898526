import type { NodeHint } from 'n8n-workflow';

/** A warning in the node's panel while `operation` is chosen. */
const whileOperation = (operation: string, message: string): NodeHint => ({
	message,
	type: 'warning',
	location: 'ndv',
	whenToDisplay: 'always',
	displayCondition: `={{ $parameter["operation"] === "${operation}" }}`,
});

/**
 * The editor's hints (INodeTypeDescription.hints). Of the irreversible operations, the three
 * that end a task get a warning; Review and Push (also refused to AI agents) do not, so the
 * warning keeps its weight.
 */
export const hints: NodeHint[] = [
	whileOperation('retire', 'Retire cannot be undone: 123kanfang discards the house and it cannot be restored.'),
	whileOperation(
		'cancelCapture',
		'Cancel Capture Task cannot be undone: the task ends as Cancelled, and a new capture needs a new task.',
	),
	whileOperation(
		'finish',
		'Finish House Task cannot be undone: the task moves to Completed, or to Production failed when Finished is off.',
	),
	{
		message:
			'Return All reads every page of the list: with thousands of tasks that is many requests and a large output. Narrow it with Filters or set a Limit.',
		type: 'info',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: '={{ $parameter["operation"] === "getMany" && $parameter["returnAll"] === true }}',
	},
];
