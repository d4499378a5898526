import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { BoundedMap, dropOldest } from '../../shared/boundedMap';
import { parseTimestamp } from './signature';

/**
 * What the trigger keeps in the workflow's static data (node scope) across executions:
 *
 * - `activation`: the production URL and event this state belongs to and when the workflow was
 *   activated for them. 123kanfang has no API to register callback URLs (its contact enters them
 *   by hand), so the webhook lifecycle cannot register anything there; what it owns is this
 *   state: `create` starts it, `checkExists` tells n8n whether the stored state is for the
 *   current URL and event, `delete` removes it.
 * - `seen`: the replay memory — every verified production callback's sign, kept until that exact
 *   callback could no longer pass the timestamp check (24 h without a time bound). A callback
 *   whose sign is remembered is a repeat (a resend by 123kanfang, a replay of a captured request,
 *   or a copy with characters moved between fields, which carries the same sign): it is answered
 *   with success but starts no second execution. Expired entries are pruned whenever a sign is
 *   added; at most MAX_SEEN are kept. n8n saves static data to its database after each
 *   production webhook call that changed it, so every process sharing that database (queue mode:
 *   all webhook processors) sees it; a process-local memory in front of it (below) catches copies
 *   arriving together in one process.
 *
 * n8n loads and saves the whole static data for every callback, so `seen` is kept small (11
 * bytes a sign, against 50 as sign → milliseconds): per expiry in epoch seconds (rounded up: a
 * sign may be remembered up to a second longer), the replay keys of the signs remembered until
 * then, concatenated (`replayKey`: 11 characters each).
 */
export interface TriggerState extends IDataObject {
	activation?: { url: string; event: string; activatedAt: string };
	seen?: Record<string, string>;
}

export const MAX_SEEN = 1000;
/** Characters of one replay key (64 bits in base64url). */
const KEY_LENGTH = 11;
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
 * The process-local front of the replay memory: per trigger (workflow, node, activation) the
 * signs this process accepted, with their expiry. It is checked and written synchronously, in
 * the same tick, so a burst of copies of one callback inside one process is caught even before
 * n8n has saved the static data of the first (n8n saves it after the node's reply, and two
 * requests handled at once both start from the static data loaded for them). It keeps at most
 * MAX_SCOPES triggers (least recently used dropped first), each with at most MAX_SEEN signs.
 */
const MAX_SCOPES = 500;
const processMemory = new BoundedMap<string, Map<string, number>>(MAX_SCOPES);

function scopeOf(context: IWebhookFunctions, state: TriggerState): Map<string, number> {
	const node = context.getNode();
	const key = `${String(context.getWorkflow().id)}\u0000${node.id ?? node.name}\u0000${state.activation?.activatedAt ?? ''}`;
	let scope = processMemory.get(key);
	if (scope === undefined) {
		scope = new Map();
		processMemory.set(key, scope);
	}
	return scope;
}

/** Adds a sign to a trigger's process memory, dropping the expired ones and beyond MAX_SEEN the oldest. */
function keep(scope: Map<string, number>, key: string, untilMs: number, nowMs: number) {
	scope.set(key, untilMs);
	dropOldest(scope, MAX_SEEN, (until) => until <= nowMs);
}

/**
 * The key a sign is remembered by: its first 64 bits in base64url (11 characters). Signs are
 * MD5s in hex, compared case-insensitively (`D568…` = `d568…`); two different callbacks share a
 * key with a chance of about 1 in 10^16 among 1,000 remembered. Anything else has no key: it is
 * never a repeat, and its signature check refuses it.
 */
export function replayKey(sign: string): string | undefined {
	const hex = sign.trim().toLowerCase();
	if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
	return Buffer.from(hex.slice(0, 16), 'hex').toString('base64url');
}

/** The signs `seen` remembers after `nowMs`: replay key → until when (epoch ms). */
export function storedSigns(state: TriggerState, nowMs: number): Map<string, number> {
	const signs = new Map<string, number>();
	for (const [bucket, keys] of Object.entries(state.seen ?? {})) {
		const untilMs = Number(bucket) * 1000;
		if (typeof keys !== 'string' || !(untilMs > nowMs)) continue;
		for (let at = 0; at + KEY_LENGTH <= keys.length; at += KEY_LENGTH) signs.set(keys.slice(at, at + KEY_LENGTH), untilMs);
	}
	return signs;
}

/** `seen` as stored, from replay key → until when. */
function storable(signs: Map<string, number>): Record<string, string> {
	const seen: Record<string, string> = {};
	for (const [key, untilMs] of signs) {
		const bucket = String(Math.ceil(untilMs / 1000));
		seen[bucket] = (seen[bucket] ?? '') + key;
	}
	return seen;
}

/**
 * Until when an accepted callback is remembered: as long as its timestamp could still pass the
 * tolerance check; 24 h when there is no time bound (tolerance 0, or a notice without timestamp).
 */
export function rememberUntil(timestamp: string | undefined, toleranceSeconds: number, nowMs: number): number {
	const sentAt = parseTimestamp(timestamp);
	if (toleranceSeconds > 0 && sentAt !== undefined) return sentAt + toleranceSeconds * 1000 + 1;
	return nowMs + UNBOUNDED_RETENTION_MS;
}

/**
 * Whether this sign belongs to a production callback accepted before (in this process, or in
 * any process that shares n8n's database — through the static data). Never writes the static
 * data; a sign found only there is copied into this process's memory. Test (manual) callbacks
 * are never remembered.
 */
export function alreadySeen(context: IWebhookFunctions, sign: string, nowMs: number): boolean {
	const key = replayKey(sign);
	if (context.getMode() === 'manual' || key === undefined) return false;
	const state = nodeState(context);
	return isRepeat(scopeOf(context, state), storedSigns(state, nowMs), key, nowMs);
}

/** Whether `key` is in the process memory or in the stored `signs` (then copied into the process memory). */
function isRepeat(scope: Map<string, number>, signs: Map<string, number>, key: string, nowMs: number): boolean {
	const local = scope.get(key);
	if (local !== undefined && local > nowMs) return true;
	const stored = signs.get(key);
	if (stored === undefined) return false;
	keep(scope, key, stored, nowMs);
	return true;
}

/**
 * Remembers an accepted production callback, unless a copy got there first (then `false`: it is
 * a repeat). The process memory is written at once; the static data gets the sign and loses
 * expired entries (at most MAX_SEEN kept) — the only time the trigger changes static data while
 * receiving, so n8n saves it only for a callback that starts an execution.
 */
export function remember(context: IWebhookFunctions, sign: string, untilMs: number, nowMs: number): boolean {
	const key = replayKey(sign);
	if (context.getMode() === 'manual' || key === undefined) return true;
	const state = nodeState(context);
	const scope = scopeOf(context, state);
	// Decoded once: for the repeat check and for the save.
	const signs = storedSigns(state, nowMs);
	if (isRepeat(scope, signs, key, nowMs)) return false;
	keep(scope, key, untilMs, nowMs);
	// Queue mode: n8n saves the whole static data from the copy loaded when each call began, so
	// saves of a burst overwrite each other. Writing this process's live memory along with the
	// new sign makes every save carry all signs this process accepted: the last save wins them all.
	for (const [old, until] of scope) if (until > nowMs) signs.set(old, Math.max(until, signs.get(old) ?? 0));
	signs.set(key, untilMs);
	// Beyond MAX_SEEN, the signs that expire soonest go first.
	state.seen = storable(signs.size > MAX_SEEN ? new Map([...signs].sort((x, y) => x[1] - y[1]).slice(-MAX_SEEN)) : signs);
	return true;
}
