import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

/**
 * One HTTP client for all our action nodes, on top of n8n's own
 * `helpers.httpRequestWithAuthentication` (so proxies, SSL settings and the credential's
 * `authenticate` / `preAuthentication` hooks apply as everywhere in n8n).
 *
 * What it adds:
 * - Token credentials (`token` in the config): the credential's hidden, expirable token field
 *   is refreshed by n8n's preAuthentication — which also writes it back to the stored
 *   credential, so every worker of a queue-mode n8n shares it. The client decides *when*: the
 *   field is empty, its recorded expiry has passed, or the API said the token is no longer
 *   valid (HTTP 401, or a vendor code in an HTTP 200 body). Refreshes are single-flight: one
 *   request carries the refresh while the others wait, so N parallel items on a cold
 *   credential cause one token request, and a failed login is not repeated for every item.
 * - Retries with exponential backoff and jitter on 429 (honouring Retry-After), 503 and
 *   connection failures before any request was sent. Requests that may have reached the
 *   server — time-outs and resets after sending, 502/504 from a gateway — are retried only
 *   when the call is idempotent.
 * - Vendor envelopes: `interpret` turns each response into data or a typed failure; failures
 *   become NodeApiErrors carrying the vendor's own message and never the request's secrets.
 */

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export type Interpretation =
	| { kind: 'ok'; data: unknown }
	/** The token was refused: refresh it once and send again. */
	| { kind: 'tokenRejected'; message: string; httpCode?: number; body?: unknown }
	| { kind: 'error'; message: string; description?: string; httpCode?: number; body?: unknown };

export interface TokenConfig {
	/** Hidden, expirable credential property holding the token. */
	field: string;
	/** Credential property holding the expiry (epoch ms), if the vendor tells one. */
	expiresAtField?: string;
	/** Whether this credential's current settings use the refreshed token at all. */
	applies: (credentials: ICredentialDataDecryptedObject) => boolean;
}

export interface RetryPolicy {
	/** Extra attempts after the first (0 = no retries). */
	maxRetries: number;
	/** First backoff in ms; doubles every attempt, with full jitter. */
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

export interface ClientConfig {
	credentialType: string;
	token?: TokenConfig;
	retry: RetryPolicy;
	interpret: (response: FullResponse) => Interpretation;
	/** Milliseconds before the recorded expiry at which a token counts as expired. */
	expirySkewMs?: number;
}

export interface SendOptions {
	itemIndex: number;
	/** Safe to send twice (reads, or writes the vendor documents as idempotent). */
	idempotent: boolean;
}

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
/** The server said it did not take the request: safe to send again, whatever the call. */
/**
 * Credential fields whose values never appear in an error we raise, even when a server echoes
 * them back ("invalid token abc…"). The token field of the config is added to these.
 */
const SECRET_FIELDS = [
	'password',
	'accessToken',
	'apiToken',
	'apiKey',
	'clientSecret',
	'secret',
	'signSecret',
	'sessionToken',
	'refreshToken',
	'token',
];
/** Shorter values are not scrubbed (they would garble ordinary words). */
const MIN_SECRET_LENGTH = 6;

const RETRY_STATUSES = new Set([429, 503]);
/** A gateway failed or timed out: the origin may have done the work, so only idempotent calls. */
const GATEWAY_STATUSES = new Set([502, 504]);

function errorCode(error: unknown): string | undefined {
	const e = error as { code?: string; cause?: { code?: string; cause?: { code?: string } } };
	return e?.cause?.code ?? e?.code ?? e?.cause?.cause?.code;
}

/**
 * The network error code of a failed request, for retry decisions. n8n-core wraps request
 * errors in a NodeApiError that keeps no `cause` (n8n-workflow 1.x), only the code as its
 * `httpCode` ("ECONNRESET", "ECONNABORTED"…), so look there too.
 */
function networkErrorCode(error: unknown): string | undefined {
	const code = errorCode(error);
	if (code) return code;
	const httpCode = (error as { httpCode?: unknown } | undefined)?.httpCode;
	return typeof httpCode === 'string' && /^E[A-Z0-9_]+$/.test(httpCode) ? httpCode : undefined;
}

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as milliseconds (seconds or an HTTP date); undefined when absent or invalid. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class ApiClient {
	private credentials?: Promise<{ id: string; name: string; data: ICredentialDataDecryptedObject }>;

	/** Set while one request carries a token refresh; others wait for it. */
	private refreshGate?: Promise<void>;

	/** A refresh that failed (wrong password…): reported to every later item without retrying. */
	private refreshFailure?: Error;

	/**
	 * Whether this execution already fetched a fresh token. Such a token is used up to its real
	 * expiry: renewing it early (the skew) would fetch a new token for every request when the
	 * vendor hands out tokens that live shorter than the skew.
	 */
	private refreshedHere = false;

	/** Requests sent, including retries (for logs and the benchmark). */
	requestCount = 0;

	/** The credential data in use (to keep its secrets out of errors). */
	private data?: ICredentialDataDecryptedObject;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly config: ClientConfig,
	) {}

	private loadCredentials() {
		this.credentials ??= (async () => {
			const node = this.ctx.getNode();
			const ref = node.credentials?.[this.config.credentialType];
			const data = await this.ctx.getCredentials(this.config.credentialType);
			return { id: ref?.id ?? '', name: ref?.name ?? '', data: { ...data } };
		})();
		return this.credentials;
	}

	private tokenIsStale(data: ICredentialDataDecryptedObject): boolean {
		const token = this.config.token;
		if (!token || !token.applies(data)) return false;
		if (!data[token.field]) return true;
		if (!token.expiresAtField) return false;
		const expiresAt = Number(data[token.expiresAtField] ?? 0);
		const skew = this.refreshedHere ? 0 : (this.config.expirySkewMs ?? 60_000);
		return expiresAt > 0 && Date.now() >= expiresAt - skew;
	}

	/** Send one request and return the interpreted data, or throw a NodeApiError. */
	async send(options: IHttpRequestOptions, sendOptions: SendOptions): Promise<unknown> {
		const credentials = await this.loadCredentials();
		const { data } = credentials;
		this.data = data;
		let tokenRetried = false;
		let attempt = 0;
		/** Set while this request carries a token refresh (kept across retries of the login). */
		let release: (() => void) | undefined;
		const retryableNetworkError = (error: unknown, idempotent: boolean) => {
			const code = networkErrorCode(error);
			return code !== undefined && (NOT_SENT_CODES.has(code) || (MAYBE_SENT_CODES.has(code) && idempotent));
		};

		for (;;) {
			if (this.refreshGate && !release) {
				await this.refreshGate;
				continue;
			}
			if (this.refreshFailure && this.tokenIsStale(data)) throw this.refreshFailure;

			if (!release && this.tokenIsStale(data)) {
				data[this.config.token!.field] = '';
				this.refreshGate = new Promise<void>((resolve) => (release = resolve));
			}
			const tokenUsed = this.config.token ? data[this.config.token.field] : undefined;

			let response: FullResponse | undefined;
			let networkError: unknown;
			try {
				response = await this.attempt(options, credentials);
			} catch (error) {
				networkError = error;
			} finally {
				if (release) {
					const loginFailed = this.tokenIsStale(data) && networkError !== undefined;
					// A login that could not reach the server is retried by this request while the
					// others keep waiting (the login is a read: safe to repeat).
					const retryLogin =
						loginFailed &&
						retryableNetworkError(networkError, true) &&
						attempt < this.config.retry.maxRetries;
					if (!retryLogin) {
						if (loginFailed) {
							// The login itself failed: remember it for the items still waiting.
							this.refreshFailure = this.toError(networkError, sendOptions.itemIndex);
						} else if (data[this.config.token!.field]) {
							this.refreshedHere = true;
						}
						this.refreshGate = undefined;
						release();
						release = undefined;
					}
				}
			}

			if (networkError !== undefined) {
				const retryable = retryableNetworkError(networkError, sendOptions.idempotent || release !== undefined);
				if (retryable && attempt < this.config.retry.maxRetries) {
					await sleep(backoffMs(this.config.retry, attempt++));
					continue;
				}
				throw this.toError(networkError, sendOptions.itemIndex, attempt);
			}

			const result = this.config.interpret(response!);
			if (result.kind === 'ok') return result.data;

			if (result.kind === 'tokenRejected' && this.config.token?.applies(data) && !tokenRetried) {
				tokenRetried = true;
				// Only invalidate if nobody refreshed meanwhile; then the next loop refreshes.
				if (data[this.config.token.field] === tokenUsed) data[this.config.token.field] = '';
				continue;
			}

			const status = response!.statusCode;
			const retryable =
				RETRY_STATUSES.has(status) || (GATEWAY_STATUSES.has(status) && sendOptions.idempotent);
			if (retryable && attempt < this.config.retry.maxRetries) {
				const wait = retryAfterMs(header(response!, 'retry-after'));
				const delay =
					wait !== undefined
						? Math.min(wait, this.config.retry.maxDelayMs)
						: backoffMs(this.config.retry, attempt);
				attempt++;
				await sleep(delay);
				continue;
			}

			throw this.apiError(result, sendOptions.itemIndex, attempt);
		}
	}

	private async attempt(
		options: IHttpRequestOptions,
		credentials: { id: string; name: string; data: ICredentialDataDecryptedObject },
	): Promise<FullResponse> {
		this.requestCount++;
		const request: IHttpRequestOptions = {
			...options,
			headers: { ...(options.headers ?? {}) },
			qs: options.qs ? { ...options.qs } : undefined,
			body:
				options.body && typeof options.body === 'object' && !Buffer.isBuffer(options.body)
					? { ...(options.body as IDataObject) }
					: options.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		if (this.config.retry.timeoutMs > 0) request.timeout = this.config.retry.timeoutMs;
		const response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
			this.ctx,
			this.config.credentialType,
			request,
			{
				credentialsDecrypted: {
					id: credentials.id,
					name: credentials.name,
					type: this.config.credentialType,
					data: credentials.data,
				},
			},
		)) as FullResponse;
		return response;
	}

	private apiError(
		result: Exclude<Interpretation, { kind: 'ok' }>,
		itemIndex: number,
		retries: number,
	): NodeApiError {
		const body = this.scrub(sanitizeBody(result.body));
		const description = this.scrub(
			('description' in result && result.description) ||
				(retries > 0 ? `Gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.` : undefined),
		);
		const message = this.scrub(result.message);
		return new NodeApiError(
			this.ctx.getNode(),
			{ message, ...(body !== undefined ? { response: body } : {}) } as JsonObject,
			{
				message,
				description,
				httpCode: result.httpCode !== undefined ? String(result.httpCode) : undefined,
				itemIndex,
			},
		);
	}

	/** Turn a network or login failure into a NodeApiError without request details. */
	private toError(error: unknown, itemIndex: number, retries = 0): NodeApiError {
		if (error instanceof NodeApiError && !errorCode(error) && error.context?.credentialError) {
			error.message = this.scrub(error.message);
			error.description = this.scrub(error.description);
			return error;
		}
		const code = errorCode(error);
		const raw = this.scrub((error as Error)?.message ?? String(error));
		const message = code
			? `Could not reach the API (${code})`
			: raw.replace(/^(NodeApiError|Error):\s*/, '');
		const description = [
			code ? raw : undefined,
			retries > 0 ? `Gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.` : undefined,
		]
			.filter(Boolean)
			.join(' ');
		return new NodeApiError(this.ctx.getNode(), { message, ...(code ? { code } : {}) } as JsonObject, {
			message,
			description: description || undefined,
			itemIndex,
		});
	}

	/** Replace the credential's secret values in text (or plain data) by "***". */
	private scrub<T>(value: T): T {
		const data = this.data;
		if (value === undefined || value === null || !data) return value;
		const secrets = new Set<string>();
		for (const field of [...SECRET_FIELDS, this.config.token?.field]) {
			const secret = field ? data[field] : undefined;
			if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) {
				secrets.add(secret);
				secrets.add(JSON.stringify(secret).slice(1, -1));
			}
		}
		if (secrets.size === 0) return value;
		const clean = (text: string) => [...secrets].reduce((result, secret) => result.split(secret).join('***'), text);
		if (typeof value === 'string') return clean(value) as T;
		try {
			return JSON.parse(clean(JSON.stringify(value))) as T;
		} catch {
			return value;
		}
	}
}

/** Keep only plain data of a vendor body for error output (cap its size). */
function sanitizeBody(body: unknown): unknown {
	if (body === undefined || body === null || body === '') return undefined;
	if (typeof body === 'string') return body.length > 2000 ? `${body.slice(0, 2000)}…` : body;
	try {
		const text = JSON.stringify(body);
		return text.length > 4000 ? `${text.slice(0, 4000)}…` : JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Read the shared request options every action node offers (under "Options"). */
export function readRequestOptions(
	ctx: IExecuteFunctions,
	defaults: RetryPolicy = DEFAULT_RETRY,
): { retry: RetryPolicy; concurrency: number; batchInterval: number } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (key: string, fallback: number) =>
		typeof options[key] === 'number' && Number.isFinite(options[key]) ? (options[key] as number) : fallback;
	return {
		concurrency: Math.max(1, Math.floor(number('concurrency', 5))),
		batchInterval: Math.max(0, number('batchInterval', 0)),
		retry: {
			maxRetries: Math.max(0, Math.floor(number('maxRetries', defaults.maxRetries))),
			baseDelayMs: Math.max(0, number('retryDelay', defaults.baseDelayMs)),
			maxDelayMs: defaults.maxDelayMs,
			timeoutMs: Math.max(0, number('timeout', defaults.timeoutMs)),
		},
	};
}
