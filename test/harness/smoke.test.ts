import type { IExecuteFunctions, INodeType } from 'n8n-workflow';

import { oneInOneOut } from './nodeTypes';
import { Harness } from './run';

/** A node that stores a PDF's bytes as binary data without saying what they are. */
const binaryNode: INodeType = {
	description: oneInOneOut({ displayName: 'Binary', name: 'binary', properties: [] }),
	async execute(this: IExecuteFunctions) {
		const data = await this.helpers.prepareBinaryData(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n'), 'report');
		return [[{ json: {}, binary: { data } }]];
	},
};

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

	// n8n-core 2.x loads the ESM package file-type with import() to sniff the type: under Jest
	// that needs Node's --experimental-vm-modules (scripts/test-n8n2.ts passes it).
	it('binary data without a MIME type gets the one n8n-core detects', async () => {
		const harness = new Harness({ nodes: [{ type: 'CUSTOM.binary', node: binaryNode }], credentialTypes: [] });
		const result = await harness.run({ type: 'CUSTOM.binary', parameters: {} });
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data).toMatchObject({ mimeType: 'application/pdf', fileExtension: 'pdf', fileName: 'report' });
	});
});
