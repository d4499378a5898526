/**
 * The few calls of n8n's own REST API (the one its editor uses, `/rest/...`) that the sandbox
 * and the e2e tests need, with the session cookie of a logged-in user. Where n8n 1.x and 2.x
 * differ, the line's profile (n8n-lines.ts) decides.
 */
import type { N8nLine } from './n8n-lines';

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface CredentialSummary {
	id: string;
	name: string;
	type: string;
}

export interface WorkflowSummary {
	id: string;
	name: string;
	active: boolean;
	versionId: string;
	activeVersionId?: string | null;
}

export interface WorkflowBody {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
	meta?: Record<string, unknown>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string;
	stoppedAt?: string;
}

/** The part of an execution's data the tests read. */
export interface ExecutionRun {
	resultData: {
		error?: { message?: string; description?: string };
		lastNodeExecuted?: string;
		runData: Record<
			string,
			Array<{
				executionStatus?: string;
				error?: { message?: string; description?: string };
				/** Execution hints the node added (`this.addExecutionHints`). */
				hints?: Array<{ message: string; location?: string }>;
				data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
			}>
		>;
	};
}

/** The items a node put out on its first output in its last run. */
export function nodeOutput(run: ExecutionRun, nodeName: string): Array<Record<string, unknown>> {
	const runs = run.resultData.runData[nodeName];
	if (!runs?.length) return [];
	const last = runs[runs.length - 1];
	return (last.data?.main?.[0] ?? []).map((item) => item.json);
}

export class RestError extends Error {
	constructor(
		readonly status: number,
		readonly body: string,
		what: string,
	) {
		super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
	}
}

export class N8nRest {
	private cookie = '';

	constructor(
		readonly baseUrl: string,
		readonly line: N8nLine,
	) {}

	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...(this.cookie ? { Cookie: this.cookie } : {}),
				Accept: 'application/json',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60_000),
		});
		const text = await response.text();
		const setCookie = response.headers.getSetCookie?.() ?? [];
		for (const entry of setCookie) {
			const [pair] = entry.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		if (!response.ok) throw new RestError(response.status, text, `${method} ${path}`);
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		return (parsed.data ?? parsed) as T;
	}

	get sessionCookie() {
		return this.cookie;
	}

	async settings() {
		return this.request<{ userManagement?: { showSetupOnFirstLoad?: boolean } }>('GET', '/rest/settings');
	}

	/** Create the owner on a fresh instance (no-op when one exists), then log in. */
	async ensureOwnerAndLogin(owner: Owner): Promise<'created' | 'existing'> {
		const settings = await this.settings();
		let result: 'created' | 'existing' = 'existing';
		if (settings.userManagement?.showSetupOnFirstLoad) {
			await this.request('POST', '/rest/owner/setup', owner);
			result = 'created';
		}
		await this.login(owner);
		return result;
	}

	async login(owner: Pick<Owner, 'email' | 'password'>) {
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (!this.cookie) throw new Error('n8n login returned no session cookie');
	}

	// ---- types --------------------------------------------------------------------------------

	/** Every node type description n8n loaded (what the editor's node panel lists). */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		const response = await fetch(`${this.baseUrl}/types/nodes.json`, { headers: { Cookie: this.cookie } });
		if (!response.ok) throw new RestError(response.status, await response.text(), 'GET /types/nodes.json');
		return (await response.json()) as Array<{ name: string; displayName: string; version: number | number[] }>;
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		const response = await fetch(`${this.baseUrl}/types/credentials.json`, { headers: { Cookie: this.cookie } });
		if (!response.ok) throw new RestError(response.status, await response.text(), 'GET /types/credentials.json');
		return (await response.json()) as Array<{ name: string; displayName: string }>;
	}

	// ---- credentials --------------------------------------------------------------------------

	async credentials(): Promise<CredentialSummary[]> {
		return this.request<CredentialSummary[]>('GET', '/rest/credentials');
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>) {
		return this.request<CredentialSummary>('POST', '/rest/credentials', { name, type, data });
	}

	async updateCredential(id: string, name: string, type: string, data: Record<string, unknown>) {
		return this.request<CredentialSummary>('PATCH', `/rest/credentials/${id}`, { name, type, data });
	}

	/** Create or update (by name and type); returns the stored credential and what happened. */
	async upsertCredential(name: string, type: string, data: Record<string, unknown>) {
		const existing = (await this.credentials()).find((c) => c.name === name && c.type === type);
		if (existing) return { credential: await this.updateCredential(existing.id, name, type, data), created: false };
		return { credential: await this.createCredential(name, type, data), created: true };
	}

	/** n8n's "Test" button of the credential dialog: `{status: 'OK' | 'Error', message}`. */
	async testCredential(credential: { id?: string; name: string; type: string; data: Record<string, unknown> }) {
		return this.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: credential,
		});
	}

	// ---- workflows ----------------------------------------------------------------------------

	async workflows(): Promise<WorkflowSummary[]> {
		return this.request<WorkflowSummary[]>('GET', '/rest/workflows');
	}

	async workflow(id: string) {
		return this.request<WorkflowSummary & WorkflowBody>('GET', `/rest/workflows/${id}`);
	}

	async createWorkflow(workflow: WorkflowBody) {
		return this.request<WorkflowSummary & WorkflowBody>('POST', '/rest/workflows', { ...workflow, active: false });
	}

	/** Activate (2.x: publish) a workflow; returns once its production webhooks answer. */
	async activateWorkflow(id: string) {
		await this.line.activate(this, id);
	}

	/** Is the stored workflow active (published)? */
	async isActive(id: string) {
		return this.line.isActive(await this.workflow(id));
	}

	async deactivateWorkflow(id: string) {
		return this.request<WorkflowSummary>('POST', `/rest/workflows/${id}/deactivate`, {});
	}

	/**
	 * What the editor's "Execute workflow" button does: run the saved workflow from its trigger
	 * (by node name) and return the new execution's id.
	 */
	async runManually(id: string, triggerName: string): Promise<string> {
		const workflowData = await this.workflow(id);
		const result = await this.request<{ executionId?: string; waitingForWebhook?: boolean }>(
			'POST',
			`/rest/workflows/${id}/run`,
			this.line.manualRunBody(workflowData, triggerName),
		);
		if (!result.executionId) throw new Error(`n8n did not start workflow ${id}: ${JSON.stringify(result)}`);
		return result.executionId;
	}

	// ---- executions ---------------------------------------------------------------------------

	/** Poll until the execution has stopped; returns it with its run data unflattened. */
	async waitForExecution(id: string, timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.execution(id);
			if (execution.stoppedAt || ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) {
				return { ...execution, run: unflatten(execution.data) as ExecutionRun };
			}
			if (Date.now() > deadline) throw new Error(`Execution ${id} still ${execution.status} after ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const result = await this.request<{ results: ExecutionSummary[] } | ExecutionSummary[]>(
			'GET',
			`/rest/executions?filter=${filter}`,
		);
		return Array.isArray(result) ? result : result.results;
	}

	/** One execution with its run data (n8n stores it "flatted"; see `unflatten`). */
	async execution(id: string) {
		return this.request<ExecutionSummary & { data: string; workflowData: WorkflowBody }>(
			'GET',
			`/rest/executions/${id}`,
		);
	}
}

/**
 * n8n stores execution data with the `flatted` format (objects replaced by indices into one
 * array; every string inside an object is such an index). This turns it back into the object,
 * like `flatted.parse`.
 */
export function unflatten(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	const seen = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (seen.has(index)) return seen.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			seen.set(index, value);
			return value;
		}
		const result: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
		seen.set(index, result);
		for (const [key, ref] of Object.entries(value as Record<string, unknown>)) {
			(result as Record<string, unknown>)[key] =
				typeof ref === 'string' ? revive(Number(ref)) : ref;
		}
		return result;
	};
	return revive(0);
}
