/**
 * When a request is sent again. Only what certainly did not reach the server (429, a refused
 * connection) is retried for every call; what may have been processed (502/503/504, a reset or
 * time-out after sending) only for calls that are safe to repeat.
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

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, timeoutMs: 30_000 };

/** Network errors where the request certainly did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Network errors after which the server may have processed the request. */
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** Whether an answer with this HTTP status may be retried. */
export function retryableStatus(status: number, idempotent: boolean): boolean {
	return status === 429 || ([502, 503, 504].includes(status) && idempotent);
}

/** The system error code of a failed request (`ECONNREFUSED`…), wherever the wrapper put it. */
export function errorCode(error: unknown): string | undefined {
	const e = error as { code?: string; cause?: { code?: string; cause?: { code?: string } } };
	return e?.cause?.code ?? e?.code ?? e?.cause?.cause?.code;
}

/**
 * `errorCode`, or the code n8n-core 1.x keeps as the `httpCode` of the NodeApiError it wraps a
 * request error in (without `cause`).
 */
export function networkErrorCode(error: unknown): string | undefined {
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	const wrapped = typeof httpCode === 'string' && /^E[A-Z0-9_]+$/.test(httpCode) ? httpCode : undefined;
	return errorCode(error) ?? wrapped;
}

/** Whether a failed request may be sent again: it never reached the server, or is safe to repeat. */
export function retryableNetworkError(error: unknown, idempotent: boolean): boolean {
	const code = networkErrorCode(error);
	return code !== undefined && (NOT_SENT_CODES.has(code) || (MAYBE_SENT_CODES.has(code) && idempotent));
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or invalid. */
function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
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
