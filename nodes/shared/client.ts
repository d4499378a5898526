import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ApiFailure } from './errors';
import { apiError, requestError } from './errors';
import { retryableNetworkError } from './networkErrors';
import type { RetryPolicy } from './retry';
import { backoffMs, retryableStatus, retryDelayMs } from './retry';
import { scrubSecrets } from './secrets';
import type { TokenConfig } from './tokenGate';
import { TokenGate } from './tokenGate';

/**
 * One HTTP client for all our action nodes, on top of n8n's own
 * `helpers.httpRequestWithAuthentication` (so proxies, SSL settings and the credential's
 * `authenticate` / `preAuthentication` hooks apply as everywhere in n8n).
 *
 * What it adds:
 * - Token credentials (`token` in the config): the token is refreshed when the field is
 *   empty, its recorded expiry has passed, or the API said the token is no longer valid (HTTP
 *   401, or a vendor code in an HTTP 200 body), single-flight (`tokenGate.ts`).
 * - Retries with exponential backoff and jitter on 429 (honouring Retry-After), 503 and
 *   connection failures before any request was sent. Requests that may have reached the
 *   server — time-outs and resets after sending, 502/504 from a gateway — are retried only
 *   when the call is idempotent (`retry.ts`, `networkErrors.ts`).
 * - Vendor envelopes: `interpret` turns each response into data or a typed failure; failures
 *   become NodeApiErrors carrying the vendor's own message and never the request's secrets
 *   (`errors.ts`, `secrets.ts`).
 */

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export type Interpretation =
	| { kind: 'ok'; data: unknown }
	/** The token was refused: refresh it once and send again. */
	| ({ kind: 'tokenRejected' } & ApiFailure)
	| ({ kind: 'error' } & ApiFailure);

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

type LoadedCredentials = { id: string; name: string; data: ICredentialDataDecryptedObject };

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export class ApiClient {
	private credentials?: Promise<LoadedCredentials>;

	private readonly gate: TokenGate;

	/** Requests sent, including retries (for logs and the benchmark). */
	requestCount = 0;

	/** The credential data in use (to keep its secrets out of errors). */
	private data?: ICredentialDataDecryptedObject;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly config: ClientConfig,
	) {
		this.gate = new TokenGate(config.token, config.expirySkewMs);
	}

	private loadCredentials() {
		this.credentials ??= (async () => {
			const node = this.ctx.getNode();
			const ref = node.credentials?.[this.config.credentialType];
			const data = await this.ctx.getCredentials(this.config.credentialType);
			return { id: ref?.id ?? '', name: ref?.name ?? '', data: { ...data } };
		})();
		return this.credentials;
	}

	/** Send one request and return the interpreted data, or throw a NodeApiError. */
	async send(options: IHttpRequestOptions, sendOptions: SendOptions): Promise<unknown> {
		const credentials = await this.loadCredentials();
		const { data } = credentials;
		this.data = data;
		const gate = this.gate;
		const { maxRetries } = this.config.retry;
		let tokenRetried = false;
		let attempt = 0;
		/** Whether this request carries a token refresh (kept across retries of the login). */
		let refreshing = false;

		for (;;) {
			if (gate.refreshing && !refreshing) {
				await gate.refreshing;
				continue;
			}
			const failure = gate.failureFor(data);
			if (failure) throw failure;

			if (!refreshing && gate.isStale(data)) {
				gate.begin(data);
				refreshing = true;
			}
			const tokenUsed = gate.current(data);

			let response: FullResponse | undefined;
			let networkError: unknown;
			try {
				response = await this.attempt(options, credentials);
			} catch (error) {
				networkError = error;
			} finally {
				if (refreshing) {
					const loginFailed = gate.isStale(data) && networkError !== undefined;
					// A login that could not reach the server is retried by this request while the
					// others keep waiting (the login is a read: safe to repeat).
					const retryLogin = loginFailed && retryableNetworkError(networkError, true) && attempt < maxRetries;
					if (!retryLogin) {
						gate.end(data, loginFailed ? this.networkFailure(networkError, sendOptions.itemIndex) : undefined);
						refreshing = false;
					}
				}
			}

			if (networkError !== undefined) {
				const retryable = retryableNetworkError(networkError, sendOptions.idempotent || refreshing);
				if (retryable && attempt < maxRetries) {
					await sleep(backoffMs(this.config.retry, attempt++));
					continue;
				}
				throw this.networkFailure(networkError, sendOptions.itemIndex, attempt);
			}

			const result = this.config.interpret(response!);
			if (result.kind === 'ok') return result.data;

			if (result.kind === 'tokenRejected' && gate.applies(data) && !tokenRetried) {
				tokenRetried = true;
				// Only invalidate if nobody refreshed meanwhile; then the next loop refreshes.
				gate.invalidate(data, tokenUsed);
				continue;
			}

			if (retryableStatus(response!.statusCode, sendOptions.idempotent) && attempt < maxRetries) {
				const delay = retryDelayMs(this.config.retry, attempt, header(response!, 'retry-after'));
				attempt++;
				await sleep(delay);
				continue;
			}

			throw apiError(this.ctx.getNode(), result, sendOptions.itemIndex, attempt, this.scrub);
		}
	}

	private async attempt(options: IHttpRequestOptions, credentials: LoadedCredentials): Promise<FullResponse> {
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
		return (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.config.credentialType, request, {
			credentialsDecrypted: {
				id: credentials.id,
				name: credentials.name,
				type: this.config.credentialType,
				data: credentials.data,
			},
		})) as FullResponse;
	}

	private networkFailure(error: unknown, itemIndex: number, retries = 0) {
		return requestError(this.ctx.getNode(), error, itemIndex, retries, this.scrub);
	}

	/** Replace the credential's secret values in text (or plain data) by "***". */
	private readonly scrub = <T>(value: T): T => scrubSecrets(value, this.data, [this.config.token?.field]);
}

export interface TransportConfig extends ClientConfig {
	/** The vendor's base URL from the credential, without a trailing slash. */
	baseUrl: (credentials: ICredentialDataDecryptedObject) => string;
}

/**
 * A vendor's API as the operations see it: paths below the credential's base URL, sent through
 * one ApiClient per execution (so all items share the token and its refresh).
 */
export class Transport {
	readonly client: ApiClient;

	private base?: Promise<string>;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly config: TransportConfig,
	) {
		this.client = new ApiClient(ctx, config);
	}

	/** Send `options` with `url` a path below the base URL; returns the interpreted data. */
	async request(options: IHttpRequestOptions, sendOptions: SendOptions): Promise<unknown> {
		this.base ??= this.ctx.getCredentials(this.config.credentialType).then(this.config.baseUrl);
		return await this.client.send({ ...options, url: `${await this.base}${options.url}` }, sendOptions);
	}
}
