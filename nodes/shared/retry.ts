/**
 * When a request is sent again: the retry policy, its backoff and the HTTP statuses that
 * allow a retry. Network failures are classed in `networkErrors.ts`.
 */
export interface RetryPolicy {
	/** Extra attempts after the first (0 = no retries). */
	maxRetries: number;
	/** First backoff in ms; doubles every attempt, with equal jitter (see `backoffMs`). */
	baseDelayMs: number;
	/** Upper bound for one wait (also caps Retry-After). */
	maxDelayMs: number;
	/** Per-request timeout in ms (0 = n8n's default, none). */
	timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
	maxRetries: 3,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	timeoutMs: 30_000,
};

/** The server said it did not take the request (rate limit): safe to send again, whatever the call. */
const RETRY_STATUSES = new Set([429]);
/**
 * Unavailable, or a gateway failed or timed out: the origin may have done the work (some
 * proxies answer 503 after forwarding), so only calls that are safe to repeat.
 */
const MAYBE_PROCESSED_STATUSES = new Set([502, 503, 504]);

/** Whether an answer with this HTTP status may be retried. */
export function retryableStatus(status: number, idempotent: boolean): boolean {
	return RETRY_STATUSES.has(status) || (MAYBE_PROCESSED_STATUSES.has(status) && idempotent);
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or invalid. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with equal jitter: a random wait between half and all of
 * `min(maxDelayMs, baseDelayMs · 2^attempt)`, so retries spread out yet none comes sooner than half of it.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The wait before retry number `attempt + 1`: Retry-After when the server sent one, else backoff. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfter: string | undefined): number {
	const wait = retryAfterMs(retryAfter);
	return wait !== undefined ? Math.min(wait, policy.maxDelayMs) : backoffMs(policy, attempt);
}
