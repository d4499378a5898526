/**
 * Runs our nodes the way n8n does: a workflow (start node → node under test) executed by
 * n8n-core's `WorkflowExecute`, with real execution contexts and real HTTP helpers, and
 * credentials resolved through `TestCredentialsHelper` (the credential type's own
 * `authenticate` / `preAuthentication`). Credential tests go through n8n-core's
 * `RoutingNode`, as n8n's credential tester does.
 */
import {
	CredentialTestContext,
	ExecuteContext,
	ExecutionLifecycleHooks,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteData,
	INodeCredentialTestResult,
	INodeCredentials,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunExecutionData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { CredentialTypeRegistry, TestCredentialsHelper } from './credentials';
import { latestVersion, START_NODE_TYPE, testNode, TestNodeTypes } from './nodeTypes';

export interface HarnessOptions {
	nodes: Array<{ type: string; node: INodeType | IVersionedNodeType }>;
	credentialTypes: ICredentialType[];
}

export interface RunOptions {
	/** Node type name as registered, e.g. `CUSTOM.kanfang123`. */
	type: string;
	parameters: INodeParameters;
	/** Credential type name → stored credential reference (from `harness.credentials.add`). */
	credentials?: INodeCredentials;
	/** Input items' JSON; each becomes one item of the start node's output. */
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** Settings → On Error → "Continue (using error output)": a second output for failed items. */
	errorOutput?: boolean;
	/** n8n's node settings Retry On Fail, Max Tries and Wait Between Tries (ms). */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	typeVersion?: number;
	/** Workflow settings, e.g. `{ timezone: 'Asia/Shanghai' }`. */
	settings?: IDataObject;
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	/** Items the node under test emitted on its first output (empty when it failed). */
	items: INodeExecutionData[];
	/** All outputs of the node under test. */
	outputs: INodeExecutionData[][];
	/** The error that stopped the node (without Continue On Fail). */
	error?: ExecutionError;
	run: IRun;
}

export const NODE_NAME = 'Node Under Test';

/** The run as n8n hands it to the workflowExecuteAfter hook, once the execution has ended. */
export function whenFinished(hooks: ExecutionLifecycleHooks): Promise<IRun> {
	return new Promise((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
}

export class Harness {
	readonly nodeTypes: TestNodeTypes;

	readonly credentialTypes: CredentialTypeRegistry;

	readonly credentials: TestCredentialsHelper;

	constructor(options: HarnessOptions) {
		this.nodeTypes = new TestNodeTypes(options.nodes);
		this.credentialTypes = new CredentialTypeRegistry(options.credentialTypes);
		this.credentials = new TestCredentialsHelper(this.credentialTypes);
	}

	additionalData(hooks: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
		const unavailable = (name: string) => () => {
			throw new Error(`${name} is not available in the test harness`);
		};
		return {
			credentialsHelper: this.credentials,
			hooks,
			executeWorkflow: unavailable('executeWorkflow'),
			getRunExecutionData: async () => undefined,
			currentNodeExecutionIndex: 0,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			variables: {},
			logAiEvent: () => {},
			startRunnerTask: unavailable('startRunnerTask'),
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** Build `start → node` and execute it with `WorkflowExecute`. */
	async run(options: RunOptions): Promise<RunResult> {
		const nodeType = this.nodeTypes.getByName(options.type);
		const start = testNode(
			START_NODE_TYPE,
			{ items: JSON.stringify((options.items ?? [{}]).map((json) => ({ json }))) },
			{ id: 'start', name: 'Start' },
		);
		const node = testNode(options.type, options.parameters, {
			id: 'node-under-test',
			name: NODE_NAME,
			typeVersion: options.typeVersion ?? latestVersion(nodeType),
			position: [200, 0],
			credentials: options.credentials,
			continueOnFail: (options.continueOnFail || options.errorOutput) ?? false,
			onError: options.errorOutput ? 'continueErrorOutput' : options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
			...(options.retryOnFail && { retryOnFail: true, ...options.retryOnFail }),
		});
		const workflow = new Workflow({
			id: 'harness',
			name: 'Harness workflow',
			nodes: [start, node],
			connections: {
				Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
			},
			active: false,
			nodeTypes: this.nodeTypes,
			settings: options.settings ?? {},
		});

		const mode = options.mode ?? 'manual';
		const hooks = new ExecutionLifecycleHooks(mode, '1', {
			id: 'harness',
			name: 'Harness workflow',
			nodes: [start, node],
			connections: {},
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		const finished = whenFinished(hooks);

		const runExecutionData: IRunExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
			},
		});
		const execute = new WorkflowExecute(this.additionalData(hooks), mode, runExecutionData);
		await execute.processRunExecutionData(workflow);
		const run = await finished;
		const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
		const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
		return {
			items: outputs[0] ?? [],
			outputs,
			error: taskData?.error ?? run.data.resultData.error,
			run,
		};
	}

	/** Test a stored credential the way n8n's credential tester does for request-based tests. */
	async testCredential(credentialsDecrypted: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const credentialType = this.credentialTypes.get(credentialsDecrypted.type);
		const test = credentialType.test as ICredentialTestRequest | undefined;
		if (!test) {
			// Like n8n's CredentialsTester: a node that uses the credential may test it with a
			// `methods.credentialTest` function named by the credential entry's `testedBy`.
			const testFunction = this.nodeTypes.credentialTestFunction(credentialsDecrypted.type);
			if (testFunction) return await testFunction.call(new CredentialTestContext(), credentialsDecrypted);
			return { status: 'Error', message: 'No testing function found for this credential.' };
		}

		const noOp = this.nodeTypes.getByNameAndVersion('n8n-nodes-base.noOp');
		const node = testNode('n8n-nodes-base.noOp', { temp: '' }, {
			id: 'temp',
			name: 'Temp-Node',
			credentials: {
				[credentialsDecrypted.type]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
			},
		});
		const nodeTypeCopy: INodeType = {
			description: {
				...noOp.description,
				credentials: [{ name: credentialsDecrypted.type, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: test.request },
						default: '',
					},
				],
			},
		};
		// Like n8n's tester: the workflow resolves No-Op to this copy carrying the test request.
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new TestNodeTypes([{ type: 'n8n-nodes-base.noOp', node: nodeTypeCopy }]),
		});
		const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', {} as never);
		const executeData: IExecuteData = { node, data: {}, source: null };
		const context = new ExecuteContext(
			workflow,
			node,
			this.additionalData(hooks),
			'internal',
			createRunExecutionData(),
			0,
			[],
			{ main: [[{ json: {} }]] },
			executeData,
			[],
		);
		const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted);
		let response: INodeExecutionData[][] | null | undefined;
		try {
			response = await routingNode.runNode();
		} catch (error) {
			const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
			if (cause?.response) {
				for (const rule of test.rules ?? []) {
					if (rule.type === 'responseCode' && cause.response.status === rule.properties.value) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
				if (cause.response.status < 199 || cause.response.status > 299) {
					return {
						status: 'Error',
						message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}`,
					};
				}
			} else if (cause?.code) {
				return { status: 'Error', message: cause.code };
			}
			return { status: 'Error', message: String((error as Error).message) };
		}
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const body = response?.[0]?.[0]?.json ?? {};
				const value = rule.properties.key
					.split('.')
					.reduce<unknown>((acc, key) => (acc as IDataObject | undefined)?.[key], body);
				if (value === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}
}
