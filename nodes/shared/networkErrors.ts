/**
 * Network failures, classed by whether the request can have reached the server: only those
 * where it certainly did not are retried for calls that are not safe to repeat.
 */

/** Network errors where the request certainly did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Network errors after which the server may have processed the request. */
const MAYBE_SENT_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** The system error code of a failed request (`ECONNREFUSED`…), wherever the wrapper put it. */
export function errorCode(error: unknown): string | undefined {
	const e = error as { code?: string; cause?: { code?: string; cause?: { code?: string } } };
	return e?.cause?.code ?? e?.code ?? e?.cause?.cause?.code;
}

/**
 * The network error code of a failed request, for retry decisions. n8n-core wraps request
 * errors in a NodeApiError that keeps no `cause` (n8n-workflow 1.x), only the code as its
 * `httpCode` ("ECONNRESET", "ECONNABORTED"…), so look there too.
 */
export function networkErrorCode(error: unknown): string | undefined {
	const code = errorCode(error);
	if (code) return code;
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	return typeof httpCode === 'string' && /^E[A-Z0-9_]+$/.test(httpCode) ? httpCode : undefined;
}

/** Whether a failed request may be sent again: never reached the server, or safe to repeat. */
export function retryableNetworkError(error: unknown, idempotent: boolean): boolean {
	const code = networkErrorCode(error);
	return code !== undefined && (NOT_SENT_CODES.has(code) || (MAYBE_SENT_CODES.has(code) && idempotent));
}
