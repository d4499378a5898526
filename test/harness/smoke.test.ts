import { Harness } from './run';

describe('harness', () => {
	it('runs a workflow through WorkflowExecute and returns the node output with pairedItem', async () => {
		const harness = new Harness({ nodes: [], credentialTypes: [] });
		const result = await harness.run({
			type: 'n8n-nodes-base.noOp',
			parameters: {},
			items: [{ a: 1 }, { a: 2 }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json)).toEqual([{ a: 1 }, { a: 2 }]);
		expect(result.run.status).toBe('success');
	});
});
