/**
 * Node types the harness runs: our own nodes plus two tiny stand-ins for nodes of n8n's
 * nodes-base package that the tests need (a start node that emits the test's input items,
 * and No-Op, which n8n's credential tester uses as the carrier of a credential test request).
 */
import type {
	ICredentialTestFunction,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
	Workflow,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

export const START_NODE_TYPE = 'n8n-nodes-base.manualTrigger';

/** A version 1 node of `type` at the canvas origin named `n`, unless `fields` say otherwise. */
export function testNode(type: string, parameters: INodeParameters, fields: Partial<INode> = {}): INode {
	return { id: 'n', name: 'n', type, typeVersion: 1, position: [0, 0], parameters, ...fields };
}

/** The version n8n gives a new node of this type: the highest it has. */
export function latestVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** A trigger node under test, as a test configures it. */
export interface TriggerConfig {
	/** Registered node type, e.g. `CUSTOM.kanfang123Trigger`. */
	type: string;
	/** Parameters as the editor stores them; defaults are filled in like the editor does. */
	parameters: INodeParameters;
	credentials?: INodeCredentials;
	/** Default: the latest version of the type. */
	typeVersion?: number;
}

/** The node `config` describes, saved the way the editor saves it (parameters with their defaults). */
export function triggerNode(nodeType: INodeType, config: TriggerConfig, fields: Partial<INode>): INode {
	const { description } = nodeType;
	const node = testNode(config.type, {}, {
		typeVersion: config.typeVersion ?? latestVersion(nodeType),
		credentials: config.credentials,
		...fields,
	});
	node.parameters =
		NodeHelpers.getNodeParameters(description.properties, config.parameters, true, false, node, description) ?? config.parameters;
	return node;
}

/** What n8n saves of `workflow`'s static data after a call: a copy without the change mark; undefined when unchanged. */
export function changedStaticData(workflow: Workflow): IDataObject | undefined {
	const data = workflow.staticData as IDataObject & { __dataChanged?: boolean };
	if (data.__dataChanged !== true) return undefined;
	const copy = JSON.parse(JSON.stringify(data)) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}

/**
 * The description of a test node: version 1, one main input and one main output, a transform
 * named after its display name unless `fields` say otherwise.
 */
export function oneInOneOut(
	fields: Pick<INodeTypeDescription, 'displayName' | 'name' | 'properties'> & Partial<INodeTypeDescription>,
): INodeTypeDescription {
	return {
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: fields.displayName },
		inputs: ['main'] as INodeTypeDescription['inputs'],
		outputs: ['main'] as INodeTypeDescription['outputs'],
		...fields,
	};
}

/** Emits the items stored in its `items` parameter, like a manual trigger with pinned data. */
export class StartNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'When clicking "Execute workflow"',
		name: START_NODE_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Harness start node: emits the test input items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'] as INodeTypeDescription['outputs'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string;
		const items = JSON.parse(raw) as INodeExecutionData[];
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}

export class NoOpNode implements INodeType {
	description = oneInOneOut({
		displayName: 'No Operation, do nothing',
		name: 'n8n-nodes-base.noOp',
		group: ['organization'],
		description: 'No-Op',
		defaults: { name: 'No Operation' },
		properties: [],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor(nodes: Array<{ type: string; node: INodeType | IVersionedNodeType }> = []) {
		this.types.set(START_NODE_TYPE, new StartNode());
		this.types.set('n8n-nodes-base.noOp', new NoOpNode());
		for (const { type, node } of nodes) this.types.set(type, node);
	}

	add(type: string, node: INodeType | IVersionedNodeType) {
		this.types.set(type, node);
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}

	/** The `methods.credentialTest` function a registered node names in `testedBy` for `credentialType`. */
	credentialTestFunction(credentialType: string): ICredentialTestFunction | undefined {
		for (const registered of this.types.values()) {
			const nodeType = NodeHelpers.getVersionedNodeType(registered);
			const entry = nodeType.description.credentials?.find((c) => c.name === credentialType);
			if (typeof entry?.testedBy !== 'string') continue;
			const fn = nodeType.methods?.credentialTest?.[entry.testedBy];
			if (fn) return fn;
		}
		return undefined;
	}
}
