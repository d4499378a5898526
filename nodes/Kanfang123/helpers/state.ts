import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { parseTimestamp } from './signature';

/**
 * What the trigger keeps in the workflow's static data (node scope) across executions:
 *
 * - `activation`: the production URL and event this state belongs to and when the workflow was
 *   activated for them. 123kanfang has no API to register callback URLs (its contact enters them
 *   by hand), so the webhook lifecycle cannot register anything there; what it owns is this
 *   state: `create` starts it, `checkExists` tells n8n whether the stored state is for the
 *   current URL and event, `delete` removes it.
 * - `seen`: the replay memory — the `sign` of every verified production callback, with the time
 *   until which that exact callback could still pass the timestamp check. A callback whose sign
 *   is remembered is a repeat (a resend by 123kanfang, or a replay of a captured request): it is
 *   answered with success but starts no second execution. Expired entries are pruned on every
 *   callback; at most MAX_SEEN are kept.
 */
export interface TriggerState extends IDataObject {
	activation?: { url: string; event: string; activatedAt: string };
	seen?: Record<string, number>;
}

export const MAX_SEEN = 1000;
/** How long a sign is remembered when the timestamp check is off (tolerance 0). */
export const UNBOUNDED_RETENTION_MS = 24 * 60 * 60 * 1000;

function nodeState(context: IHookFunctions | IWebhookFunctions): TriggerState {
	return context.getWorkflowStaticData('node') as TriggerState;
}

function clear(state: TriggerState) {
	delete state.activation;
	delete state.seen;
}

/** `checkExists`: whether the stored state belongs to this production URL and event. */
export function stateExists(context: IHookFunctions): boolean {
	if (context.getMode() === 'manual') return false;
	const activation = nodeState(context).activation;
	return (
		activation !== undefined &&
		activation.url === context.getNodeWebhookUrl('default') &&
		activation.event === String(context.getNodeParameter('event', 'taskStateChanged'))
	);
}

/** `create`: start a fresh state for this URL and event (an empty replay memory). */
export function startState(context: IHookFunctions): boolean {
	// Listening for a test event: n8n does not keep static data of manual runs; leave it alone.
	if (context.getMode() === 'manual') return true;
	const state = nodeState(context);
	clear(state);
	state.activation = {
		url: context.getNodeWebhookUrl('default') ?? '',
		event: String(context.getNodeParameter('event', 'taskStateChanged')),
		activatedAt: new Date().toISOString(),
	};
	state.seen = {};
	return true;
}

/** `delete`: remove everything the trigger kept. */
export function endState(context: IHookFunctions): boolean {
	if (context.getMode() === 'manual') return true;
	clear(nodeState(context));
	return true;
}

/**
 * Remembers a verified production callback by its sign and tells whether it was already seen.
 * Test (manual) callbacks are not remembered.
 */
export function isRepeat(
	context: IWebhookFunctions,
	sign: string,
	timestamp: string | undefined,
	toleranceSeconds: number,
	nowMs: number,
): boolean {
	if (context.getMode() === 'manual') return false;
	const state = nodeState(context);
	const seen = { ...(state.seen ?? {}) };
	for (const [key, until] of Object.entries(seen)) if (until <= nowMs) delete seen[key];
	if (seen[sign] !== undefined) {
		state.seen = seen;
		return true;
	}
	const sentAt = parseTimestamp(timestamp) ?? nowMs;
	seen[sign] = toleranceSeconds > 0 ? sentAt + toleranceSeconds * 1000 + 1 : nowMs + UNBOUNDED_RETENTION_MS;
	const keys = Object.keys(seen);
	if (keys.length > MAX_SEEN) {
		keys.sort((a, b) => seen[a] - seen[b]);
		for (const key of keys.slice(0, keys.length - MAX_SEEN)) delete seen[key];
	}
	state.seen = seen;
	return false;
}
