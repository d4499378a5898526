/**
 * Serves a trigger node's webhook over real HTTP the way n8n's webhook server does, so
 * tests can POST to it like the vendor would:
 *
 * - `/webhook/<webhookId>/<path>` (production, mode `webhook`) and `/webhook-test/…` (mode
 *   `manual`) for the node's webhook description; anything else is 404.
 * - The request is prepared like n8n's `rawBodyReader` middleware and its webhook
 *   `parseRequestBody`: `contentType`/`encoding` are set from the Content-Type header (what
 *   `parseIncomingMessage` does, in n8n-core 1.x and in @n8n/backend-network in 2.x);
 *   `req.readRawBody()` reads the raw bytes once into `req.rawBody` (a Buffer; gzip/deflate
 *   bodies inflated); the body is read and parsed (Node's `querystring.parse` for
 *   `application/x-www-form-urlencoded`, JSON and text/plain too) before the node runs — for a
 *   node of type version 1 always, from version 2 on only for the content types n8n parses.
 *   `req.query` / `req.params` are set, and the response gets express's `status()`, `json()`,
 *   `send()`, `set()` and `sendStatus()`.
 * - The node's `webhook()` runs in n8n-core's real `WebhookContext` (credentials through the
 *   Harness's credential store). Its result is handled like n8n's `executeWebhook`:
 *   `noWebhookResponse` → the node answered itself; no `workflowData` → answer
 *   `webhookResponse` or `{"message":"Webhook call received"}`; `workflowData` → (Respond
 *   Immediately) the node's `webhookResponse` or `{"message":"Workflow was started"}`, and an execution
 *   of `trigger → Sink` with n8n-core's `WorkflowExecute`, recorded in `executions`. A node
 *   that throws gets HTTP 500 with n8n's error message.
 *
 * Like every stand-in server: `start(port?)` / `stop()`, no jest imports.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

import {
	ExecutionLifecycleHooks,
	HookContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRun,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { listenTracked } from '../../stand-ins/base';
import type { TriggerConfig } from './nodeTypes';
import { changedStaticData, testNode, triggerNode } from './nodeTypes';
import type { Harness } from './run';
import { whenFinished } from './run';

export const TRIGGER_NODE_NAME = 'Trigger Under Test';
export const SINK_NODE_NAME = 'Sink';

export interface WebhookNodeConfig extends TriggerConfig {
	webhookId?: string;
	/**
	 * Keep `req.rawBody` after parsing (n8n does). `false` removes it after the body was
	 * parsed, and gives no raw bytes otherwise, to exercise a node's fallback for servers that
	 * do not keep the raw body.
	 */
	keepRawBody?: boolean;
	/**
	 * Milliseconds between loading the workflow (its static data as saved so far) and running
	 * the node, like n8n's database round trips: requests handled at the same time then start
	 * from the same static data, as they do in n8n. Default 0.
	 */
	loadDelayMs?: number;
}

export interface WebhookExecution {
	mode: WorkflowExecuteMode;
	/** The items the trigger node emitted (what `webhook()` returned as workflowData). */
	triggerItems: INodeExecutionData[];
	/** The items that reached the node after the trigger. */
	sinkItems: INodeExecutionData[];
	run: IRun;
}

export interface HandledRequest {
	method: string;
	path: string;
	/** What the node's webhook() returned (undefined when it threw). */
	result?: IWebhookResponseData;
	error?: Error;
	execution?: WebhookExecution;
	/** Whether the raw body was read from the socket at all (by n8n's parsing or by the node). */
	bodyRead?: boolean;
	/** Whether the static data changed during the call, so n8n wrote it to its database. */
	savedStaticData?: boolean;
}

/**
 * express's request additions that n8n nodes read (n8n-workflow already declares `rawBody`,
 * `readRawBody`, `contentType` and `encoding` on IncomingMessage).
 */
export interface WebhookRequest extends http.IncomingMessage {
	body?: unknown;
	query: IDataObject;
	params: IDataObject;
}

/** express's response additions, on node's own ServerResponse. */
export interface WebhookResponse extends http.ServerResponse {
	status(code: number): WebhookResponse;
	set(name: string, value: string): WebhookResponse;
	json(body: unknown): WebhookResponse;
	send(body?: unknown): WebhookResponse;
	sendStatus(code: number): WebhookResponse;
}

function expressResponse(res: http.ServerResponse): WebhookResponse {
	const response = res as WebhookResponse;
	response.status = (code: number) => {
		response.statusCode = code;
		return response;
	};
	response.set = (name: string, value: string) => {
		response.setHeader(name, value);
		return response;
	};
	response.send = (body?: unknown) => {
		if (body === undefined || body === null) {
			response.end();
		} else if (Buffer.isBuffer(body)) {
			if (!response.getHeader('content-type')) response.setHeader('content-type', 'application/octet-stream');
			response.end(body);
		} else if (typeof body === 'object') {
			return response.json(body);
		} else {
			if (!response.getHeader('content-type')) response.setHeader('content-type', 'text/html; charset=utf-8');
			response.end(String(body));
		}
		return response;
	};
	response.json = (body: unknown) => {
		if (!response.getHeader('content-type')) {
			response.setHeader('content-type', 'application/json; charset=utf-8');
		}
		response.end(JSON.stringify(body));
		return response;
	};
	response.sendStatus = (code: number) => {
		response.statusCode = code;
		response.setHeader('content-type', 'text/plain; charset=utf-8');
		response.end(http.STATUS_CODES[code] ?? String(code));
		return response;
	};
	return response;
}

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks);
}

/** The content types n8n parses for a webhook node of type version 2 or later. */
function parsable(contentType: string | undefined): boolean {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

/**
 * What n8n's `parseIncomingMessage` sets on every webhook request: the media type in lower case
 * and the charset (utf-8 when none is given).
 */
function parseContentType(request: WebhookRequest) {
	const [type, ...parameters] = (request.headers['content-type'] ?? '').split(';');
	if (!type.trim()) return;
	const charset = parameters.map((p) => p.split('=')).find(([name]) => name.trim().toLowerCase() === 'charset')?.[1];
	request.contentType = type.trim().toLowerCase();
	request.encoding = (charset?.trim().replace(/^"(.*)"$/, '$1') || 'utf-8').toLowerCase() as BufferEncoding;
}

/**
 * n8n's `rawBodyReader` middleware (`readRawBody`, reading the body once, on demand) and its
 * webhook `parseRequestBody`: for a node of type version 1 the body is always read and parsed;
 * from version 2 on only for the content types n8n parses, else the node reads it if it wants.
 * `keepRawBody: false` is a server that parses the body but keeps no raw bytes.
 */
async function prepareRequest(
	req: http.IncomingMessage,
	typeVersion: number,
	keepRawBody: boolean,
): Promise<{ request: WebhookRequest; bodyRead: () => boolean }> {
	const request = req as WebhookRequest;
	parseContentType(request);
	let read = false;
	request.readRawBody = async () => {
		if (request.rawBody || read) return;
		read = true;
		let stream: Readable = request;
		const contentEncoding = request.headers['content-encoding'];
		if (contentEncoding === 'gzip') stream = request.pipe(createGunzip());
		else if (contentEncoding === 'deflate') stream = request.pipe(createInflate());
		request.rawBody = await readAll(stream);
	};
	const url = new URL(request.url ?? '/', 'http://localhost');
	request.query = parseQueryString(url.search.replace(/^\?/, '')) as IDataObject;
	request.params = {};

	if (typeVersion === 1 || parsable(request.contentType)) {
		await request.readRawBody();
		const { rawBody, contentType } = request;
		const encoding = request.encoding ?? 'utf-8';
		if (rawBody?.length) {
			if (contentType === 'application/json') {
				request.body = JSON.parse(rawBody.toString(encoding));
			} else if (contentType === 'application/x-www-form-urlencoded') {
				request.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, { maxKeys: 1000 });
			} else if (contentType === 'text/plain') {
				request.body = rawBody.toString(encoding);
			}
		}
		if (!keepRawBody) delete (request as { rawBody?: Buffer }).rawBody;
	} else if (!keepRawBody) {
		// Such a server hands the node no raw bytes at all.
		request.readRawBody = async () => {};
		req.resume();
	}
	if (!request.body) request.body = {};
	return { request, bodyRead: () => read };
}

/** Workflow ids given out in this test process (n8n's are unique in its database). */
let workflowsCreated = 0;

export class WebhookServer {
	readonly handled: HandledRequest[] = [];

	/** The id of the workflow served; `reset()` starts a new workflow with a new id. */
	workflowId = `webhook-harness-${++workflowsCreated}`;

	readonly executions: WebhookExecution[] = [];

	baseUrl = '';

	readonly webhookId: string;

	private config: WebhookNodeConfig;

	private server?: http.Server;

	private readonly sockets = new Set<Socket>();

	private readonly pending = new Set<Promise<void>>();

	private executionCounter = 0;

	/**
	 * The workflow's static data as n8n keeps it in its database: handed to every Workflow
	 * built here, and written back (like n8n's `saveStaticData`) when it changed during a
	 * production webhook call or a webhook lifecycle call — never after a test (manual) call.
	 */
	staticData: IDataObject = {};

	constructor(
		private readonly harness: Harness,
		config: WebhookNodeConfig,
	) {
		this.config = config;
		this.webhookId = config.webhookId ?? 'e2b7c5a0-1c1d-4c9a-9f3e-123456789abc';
	}

	/** Change the node's parameters / credentials (like editing and re-saving the workflow). */
	configure(config: Partial<WebhookNodeConfig>) {
		this.config = { ...this.config, ...config };
	}

	private nodeType(): INodeType {
		return this.harness.nodeTypes.getByNameAndVersion(this.config.type, this.config.typeVersion);
	}

	private webhookDescription(): IWebhookDescription {
		const description = this.nodeType().description.webhooks?.[0];
		if (!description) throw new Error(`${this.config.type} has no webhook`);
		return description;
	}

	/** Production URL of the webhook, as n8n shows it under "Production URL". */
	get productionUrl(): string {
		return `${this.baseUrl}/webhook/${this.webhookId}/${String(this.webhookDescription().path)}`;
	}

	/** Test URL (works like the production one here; n8n serves it only while listening). */
	get testUrl(): string {
		return `${this.baseUrl}/webhook-test/${this.webhookId}/${String(this.webhookDescription().path)}`;
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		this.server = http.createServer((req, res) => {
			const work = this.handle(req, expressResponse(res)).catch((error: Error) => {
				if (!res.headersSent) {
					res.statusCode = 500;
					res.setHeader('content-type', 'application/json; charset=utf-8');
					res.end(JSON.stringify({ code: 500, message: error.message }));
				}
			});
			this.pending.add(work);
			void work.finally(() => this.pending.delete(work));
		});
		this.baseUrl = await listenTracked(this.server, this.sockets, port, host);
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		await this.settled();
		for (const socket of this.sockets) socket.destroy();
		if (!this.server) return;
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	/** Wait until every request received so far is fully handled (executions finished). */
	async settled(): Promise<void> {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	/**
	 * Serve a new workflow: a new id (what a node keeps per workflow in the process does not
	 * apply to it), empty static data, no requests or executions recorded.
	 */
	reset() {
		this.workflowId = `webhook-harness-${++workflowsCreated}`;
		this.handled.length = 0;
		this.executions.length = 0;
		this.staticData = {};
	}

	/** The trigger node's part of the static data (`getWorkflowStaticData('node')`). */
	get nodeStaticData(): IDataObject | undefined {
		return this.staticData[`node:${TRIGGER_NODE_NAME}`] as IDataObject | undefined;
	}

	private saveStaticData(workflow: Workflow): boolean {
		const changed = changedStaticData(workflow);
		if (!changed) return false;
		this.staticData = changed;
		return true;
	}

	private async runWebhookMethod(
		method: 'checkExists' | 'create' | 'delete',
		activation: WorkflowActivateMode,
		workflow: Workflow,
		trigger: INode,
		mode: WorkflowExecuteMode,
	): Promise<boolean> {
		const description = this.webhookDescription();
		const name = (description.name ?? 'default') as 'default';
		const fn = this.nodeType().webhookMethods?.[name]?.[method];
		if (!fn) return method === 'checkExists' ? false : true;
		const webhookPath = `${this.webhookId}/${String(description.path)}`;
		const additionalData = this.harness.additionalData(this.hooks(mode, 'lifecycle', [trigger]));
		additionalData.webhookBaseUrl = `${this.baseUrl}/webhook`;
		additionalData.webhookTestBaseUrl = `${this.baseUrl}/webhook-test`;
		const webhookData = this.webhookData(description, webhookPath, workflow.id, trigger.name, additionalData, mode);
		const context = new HookContext(workflow, trigger, additionalData, mode, activation, webhookData);
		return (await fn.call(context)) as boolean;
	}

	/**
	 * Activate the workflow like n8n's ActiveWorkflowManager: `checkExists`, then `create` when
	 * it answered false; then the static data is saved. Returns the methods called.
	 */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<string[]> {
		const { workflow, trigger } = this.buildWorkflow();
		const called = ['checkExists'];
		if (!(await this.runWebhookMethod('checkExists', activation, workflow, trigger, 'trigger'))) {
			called.push('create');
			await this.runWebhookMethod('create', activation, workflow, trigger, 'trigger');
		}
		this.saveStaticData(workflow);
		return called;
	}

	/** Deactivate like n8n: `delete`, then the static data is saved. */
	async deactivate(): Promise<void> {
		const { workflow, trigger } = this.buildWorkflow();
		await this.runWebhookMethod('delete', 'activate', workflow, trigger, 'trigger');
		this.saveStaticData(workflow);
	}

	/** Listening for a test event and stopping, like n8n's TestWebhooks (mode manual). */
	async listenForTestEvent(): Promise<string[]> {
		const { workflow, trigger } = this.buildWorkflow();
		const called = ['checkExists'];
		if (!(await this.runWebhookMethod('checkExists', 'manual', workflow, trigger, 'manual'))) {
			called.push('create');
			await this.runWebhookMethod('create', 'manual', workflow, trigger, 'manual');
		}
		await this.runWebhookMethod('delete', 'manual', workflow, trigger, 'manual');
		return called;
	}

	/** What n8n hands a webhook's contexts about the webhook (lifecycle and requests alike). */
	private webhookData(
		description: IWebhookDescription,
		path: string,
		workflowId: string,
		node: string,
		additionalData: IWebhookData['workflowExecuteAdditionalData'],
		mode: WorkflowExecuteMode,
	): IWebhookData {
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node,
			path,
			webhookDescription: description,
			workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.webhookId,
			isTest: mode === 'manual',
		};
	}

	private buildWorkflow(): { workflow: Workflow; trigger: INode; sink: INode } {
		const trigger = triggerNode(this.nodeType(), this.config, {
			id: 'trigger-under-test',
			name: TRIGGER_NODE_NAME,
			webhookId: this.webhookId,
		});
		const sink = testNode('n8n-nodes-base.noOp', {}, { id: 'sink', name: SINK_NODE_NAME, position: [200, 0] });
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'Webhook harness workflow',
			nodes: [trigger, sink],
			connections: {
				[TRIGGER_NODE_NAME]: { main: [[{ node: SINK_NODE_NAME, type: 'main', index: 0 }]] },
			},
			active: true,
			nodeTypes: this.harness.nodeTypes,
			settings: {},
			staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
		});
		return { workflow, trigger, sink };
	}

	private hooks(mode: WorkflowExecuteMode, executionId: string, nodes: INode[]) {
		return new ExecutionLifecycleHooks(mode, executionId, {
			id: this.workflowId,
			name: 'Webhook harness workflow',
			nodes,
			connections: {},
			active: true,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
	}

	private async handle(req: http.IncomingMessage, res: WebhookResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const method = (req.method ?? 'GET').toUpperCase();
		const description = this.webhookDescription();
		const webhookPath = `${this.webhookId}/${String(description.path)}`;
		let mode: WorkflowExecuteMode | undefined;
		if (url.pathname === `/webhook/${webhookPath}`) mode = 'webhook';
		else if (url.pathname === `/webhook-test/${webhookPath}`) mode = 'manual';
		if (!mode || method !== String(description.httpMethod ?? 'GET').toUpperCase()) {
			req.resume();
			res.status(404).json({
				code: 404,
				message: `The requested webhook "${method} ${url.pathname}" is not registered.`,
			});
			return;
		}

		const { workflow, trigger, sink } = this.buildWorkflow();
		const { request, bodyRead } = await prepareRequest(req, trigger.typeVersion, this.config.keepRawBody !== false);
		const record: HandledRequest = { method, path: url.pathname };
		this.handled.push(record);

		if (this.config.loadDelayMs) await new Promise((resolve) => setTimeout(resolve, this.config.loadDelayMs));
		const executionId = String(++this.executionCounter);
		const additionalData = this.harness.additionalData(this.hooks(mode, executionId, [trigger, sink]));
		additionalData.httpRequest = request as never;
		additionalData.httpResponse = res as never;
		const webhookData = this.webhookData(description, webhookPath, workflow.id, trigger.name, additionalData, mode);
		const context = new WebhookContext(workflow, trigger, additionalData, mode, webhookData, [], null);

		let result: IWebhookResponseData;
		try {
			result = await this.nodeType().webhook!.call(context);
			record.bodyRead = bodyRead();
		} catch (error) {
			record.bodyRead = bodyRead();
			record.error = error as Error;
			if (!res.headersSent) {
				res.status(500).json({
					code: 0,
					message: `Workflow Webhook Error: Workflow could not be started! ${(error as Error).message}`,
				});
			}
			return;
		}
		record.result = result;
		if (mode === 'webhook') {
			// n8n saves the static data when the request is answered. A node that answered itself
			// (noWebhookResponse) or starts no execution is answered now; otherwise n8n (2.x)
			// answers after creating the execution, and creating it wraps the same static data
			// object again, which resets its "changed" mark: what webhook() changed is not saved.
			const answeredLater = result.noWebhookResponse !== true && result.workflowData !== undefined;
			if (answeredLater) (workflow.staticData as IDataObject).__dataChanged = false;
			record.savedStaticData = this.saveStaticData(workflow);
		}

		let didSendResponse = result.noWebhookResponse === true;
		if (result.workflowData === undefined) {
			if (!didSendResponse && !res.headersSent) {
				res.status(Number(description.responseCode ?? 200)).json(
					result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' },
				);
			}
			return;
		}
		if (!didSendResponse && description.responseMode === 'onReceived' && !res.headersSent) {
			// n8n (1.x and 2.x): the description's responseData (default "firstEntryJson", sent as
			// text), nothing for "noData", and when it is empty the node's webhookResponse, else
			// {"message":"Workflow was started"}.
			const responseData = description.responseData === undefined ? 'firstEntryJson' : description.responseData;
			if (typeof responseData === 'string' && responseData.startsWith('=')) {
				throw new Error('The webhook harness does not evaluate expressions in responseData');
			}
			const code = Number(description.responseCode ?? 200);
			if (responseData === 'noData') res.status(code).end();
			else if (responseData) res.status(code).send(String(responseData));
			else res.status(code).json(result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Workflow was started' });
			didSendResponse = true;
		}

		const hooks = this.hooks(mode, executionId, [trigger, sink]);
		const finished = whenFinished(hooks);
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: trigger, data: { main: result.workflowData }, source: null }],
			},
		});
		const execute = new WorkflowExecute(this.harness.additionalData(hooks), mode, runExecutionData);
		await execute.processRunExecutionData(workflow);
		const run = await finished;
		const runData = run.data.resultData.runData;
		const execution: WebhookExecution = {
			mode,
			triggerItems: runData[TRIGGER_NODE_NAME]?.[0]?.data?.main?.[0] ?? [],
			sinkItems: runData[SINK_NODE_NAME]?.[0]?.data?.main?.[0] ?? [],
			run,
		};
		record.execution = execution;
		this.executions.push(execution);
	}
}

/** Factory, like the other stand-in servers. */
export function createWebhookServer(harness: Harness, config: WebhookNodeConfig): WebhookServer {
	return new WebhookServer(harness, config);
}
