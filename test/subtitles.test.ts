import type { INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Aicc } from '../nodes/Aicc/Aicc.node';
import { Incs } from '../nodes/Incs/Incs.node';
import { Kanfang123 } from '../nodes/Kanfang123/Kanfang123.node';
import { TestNodeTypes, testNode } from './harness/nodeTypes';

/** The subtitle the editor shows under a node on the canvas, for these parameters. */
function subtitle(nodeType: INodeType, resource: string, operation: string) {
	const type = `CUSTOM.${nodeType.description.name}`;
	const node = testNode(type, { resource, operation });
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes([{ type, node: nodeType }]) });
	return workflow.expression.getSimpleParameterValue(node, nodeType.description.subtitle!, 'internal', {});
}

describe('node subtitles read as words', () => {
	it.each([
		[new Kanfang123(), 'houseTask', 'assignCapture', 'Assign Capture Task'],
		[new Kanfang123(), 'houseTask', 'retire', 'Retire'],
		[new Kanfang123(), 'houseTask', 'getMany', 'Get Many'],
		[new Aicc(), 'task', 'create', 'Create Task'],
		[new Aicc(), 'task', 'updateStatus', 'Update Task Status'],
		[new Incs(), 'task', 'create', 'Create and Assign Task'],
	])('%#: %s %s → "%s"', (nodeType, resource, operation, words) => {
		expect(subtitle(nodeType, resource, operation)).toBe(words);
	});

	it('every operation of every action node has its words', () => {
		for (const nodeType of [new Kanfang123(), new Aicc(), new Incs()]) {
			const operations = nodeType.description.properties.filter((p) => p.name === 'operation');
			for (const property of operations) {
				const resource = property.displayOptions!.show!.resource![0] as string;
				for (const option of property.options as Array<{ value: string }>) {
					expect(subtitle(nodeType, resource, option.value)).toMatch(/^[A-Z][A-Za-z0-9 ]+$/);
				}
			}
		}
	});
});
