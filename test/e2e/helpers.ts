import fs from 'node:fs';

import type { RecordedRequest } from '../../stand-ins/base';
import { N8N_LINES } from '../../scripts/lib/n8n-lines';
import type { WorkflowBody } from '../../scripts/lib/rest';
import { N8nRest } from '../../scripts/lib/rest';
import { E2E_STATE_FILE, type E2eState } from './state';

export function e2eState(): E2eState {
	return JSON.parse(fs.readFileSync(E2E_STATE_FILE(), 'utf8')) as E2eState;
}

/** A REST client logged in as the owner, speaking the dialect of the state's n8n line. */
export async function loggedIn(state = e2eState()): Promise<N8nRest> {
	const rest = new N8nRest(state.url, N8N_LINES[state.line]);
	await rest.login(state.owner);
	return rest;
}

/** "n8n 2.41.3" — for test titles, so the output names the version each case ran against. */
export function n8nName(state = e2eState()) {
	return `n8n ${state.n8nVersion}`;
}

/**
 * Create a workflow, activate it (on 2.x: publish it and wait until its webhooks answer) and
 * return its id with a function that calls one of its production webhooks. Works on both
 * n8n lines; `webhookId` + `path` are those of the trigger node inside `workflow`.
 */
export async function activeWorkflow(
	rest: N8nRest,
	workflow: WorkflowBody,
	webhook: { webhookId: string; path: string },
) {
	const { id } = await rest.createWorkflow(workflow);
	await rest.activateWorkflow(id);
	const url = `${rest.baseUrl}/webhook/${webhook.webhookId}/${webhook.path}`;
	return {
		id,
		url,
		call: (init: RequestInit = {}) => fetch(url, { method: 'POST', ...init }),
		deactivate: () => rest.deactivateWorkflow(id),
	};
}

export function workflowByFile(state: E2eState, file: string) {
	const workflow = state.workflows.find((w) => w.file === file);
	if (!workflow) {
		throw new Error(`Example ${file} was not imported (imported: ${state.workflows.map((w) => w.file).join(', ')})`);
	}
	return workflow;
}

/** What a stand-in has received so far (its `/__sandbox/requests` route). */
export async function received(baseUrl: string, path?: string): Promise<RecordedRequest[]> {
	const query = path ? `?path=${encodeURIComponent(path)}` : '';
	const response = await fetch(`${baseUrl}/__sandbox/requests${query}`);
	const body = (await response.json()) as { requests: RecordedRequest[] };
	return body.requests;
}

/** 123kanfang's callback signature, from the vendor's rule (not from the node): the stand-ins' signer. */
export { senderSign as signCallback } from '../../stand-ins/callback';

export async function until<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs = 20_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
