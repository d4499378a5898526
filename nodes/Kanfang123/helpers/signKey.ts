import type { IWebhookFunctions } from 'n8n-workflow';

import { dropOldest } from '../../shared/boundedMap';
import { computeSignature, type FormPair, signaturesMatch } from './signature';

/**
 * The sign key of the trigger's 123kanfang Webhook credential, kept in this process for a few
 * seconds. Reading a credential is n8n's most expensive step of a callback (a database read,
 * decryption, expression resolution); under a burst of callbacks one read serves all of them.
 *
 * The key is cached by credential id for SIGN_KEY_CACHE_MS only. A signature that does not
 * match a cached key is checked again against a freshly read key, so a key changed in n8n is
 * used at once; the previous key stays accepted for at most SIGN_KEY_CACHE_MS after its last
 * read. An empty key is never cached. Expired keys are dropped whenever a key is read from a
 * credential, and at most MAX_SIGN_KEYS are kept (the oldest read dropped first).
 */
export const SIGN_KEY_CACHE_MS = 10_000;
const MAX_SIGN_KEYS = 1000;

const cache = new Map<string, { key: string; until: number }>();

export interface SignKey {
	key: string;
	/** Whether it came from the cache (then a mismatch is worth a fresh read). */
	cached: boolean;
}

export async function readSignKey(context: IWebhookFunctions, nowMs: number, fresh = false): Promise<SignKey> {
	const id = context.getNode().credentials?.kanfang123WebhookApi?.id ?? undefined;
	const hit = id === undefined || fresh ? undefined : cache.get(id);
	if (hit !== undefined && hit.until > nowMs) return { key: hit.key, cached: true };
	const credentials = await context.getCredentials('kanfang123WebhookApi');
	const key = String(credentials.signSecret ?? '');
	if (id !== undefined) {
		cache.delete(id);
		if (key !== '') cache.set(id, { key, until: nowMs + SIGN_KEY_CACHE_MS });
		// Re-inserted on each read, so the cache is in order of reads: oldest first.
		dropOldest(cache, MAX_SIGN_KEYS, (entry) => entry.until <= nowMs);
	}
	return { key, cached: false };
}

/**
 * The callback's signature against the sign key: `valid`, `invalid`, or `noKey` (the credential
 * has no key). A mismatch with a cached key is checked once more against a fresh read.
 */
export async function checkSignature(
	context: IWebhookFunctions,
	pairs: FormPair[],
	sign: string,
	timestamp: string | undefined,
	nowMs: number,
): Promise<'valid' | 'invalid' | 'noKey'> {
	const matches = (key: string) => key !== '' && signaturesMatch(computeSignature(key, pairs, timestamp ?? ''), sign);
	let signKey = await readSignKey(context, nowMs);
	let valid = matches(signKey.key);
	if (!valid && signKey.cached) {
		signKey = await readSignKey(context, nowMs, true);
		valid = matches(signKey.key);
	}
	if (signKey.key === '') return 'noKey';
	return valid ? 'valid' : 'invalid';
}
