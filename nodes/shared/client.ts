import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ApiFailure } from './errors';
import { apiError, requestError } from './errors';
import type { CredentialInUse, SendContext } from './n8nAdapter';
import { passToLogin, sendWithCredential } from './n8nAdapter';
import { retryableNetworkError } from './networkErrors';
import { isRedirect, REDIRECT_HINT, redirectMessage } from './redirects';
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
 *   401, or a vendor code in an HTTP 200 body), single-flight for the whole process
 *   (`tokenGate.ts`); the login gets the node's Timeout (`login.ts`).
 * - Retries with exponential backoff and jitter on 429 (honouring Retry-After) and
 *   connections refused before any request was sent. Requests that may have reached the
 *   server — time-outs and resets after sending, 502/503/504 — are retried only when the call
 *   is idempotent (`retry.ts`, `networkErrors.ts`).
 * - Redirects are never followed (`redirects.ts`): a 3xx is an error.
 * - Vendor envelopes: `interpret` turns each response into data or a typed failure; failures
 *   become NodeApiErrors carrying the vendor's own message and never the request's secrets
 *   (`errors.ts`, `secrets.ts`).
 */

/** Where the client runs: a node's execution, the editor's "From list" search, a poll. */
export type ApiContext = SendContext;

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

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export class ApiClient {
	private credentials?: Promise<CredentialInUse>;

	private readonly gate: TokenGate;

	/** The credential data in use (to keep its secrets out of errors). */
	private data?: ICredentialDataDecryptedObject;

	constructor(
		private readonly ctx: ApiContext,
		private readonly config: ClientConfig,
	) {
		this.gate = new TokenGate(config.token, config.expirySkewMs);
	}

	private loadCredentials() {
		this.credentials ??= (async () => {
			const node = this.ctx.getNode();
			const ref = node.credentials?.[this.config.credentialType];
			const loaded = await this.ctx.getCredentials(this.config.credentialType);
			const data = { ...loaded };
			// The login n8n runs for these credentials gets the node's Timeout (login.ts).
			passToLogin(data, { timeoutMs: this.config.retry.timeoutMs });
			this.gate.attach(this.config.credentialType, ref?.id ?? ref?.name ?? '', data);
			return { id: ref?.id ?? '', name: ref?.name ?? '', type: this.config.credentialType, data };
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
		/** Token refusals this request met (a newer token, then one login, then it gives up). */
		let tokenRetries = 0;
		let attempt = 0;
		/** Whether this request carries a login (kept across retries of the login). */
		let refreshing = false;

		for (;;) {
			if (gate.refreshing && !refreshing) {
				await gate.waitForLogin(data);
				continue;
			}
			const failure = gate.failureFor(data);
			if (failure) throw failure;

			gate.adoptNewest(data);
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
				// A login n8n ran for this request left its token in `data` (sendWithCredential).
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

			if (isRedirect(response!.statusCode)) {
				// Not followed (see redirects.ts): nothing of ours went to the other host.
				throw this.redirectFailure(response!, options, sendOptions.itemIndex);
			}

			const result = this.config.interpret(response!);
			if (result.kind !== 'tokenRejected') gate.accepted(tokenUsed);
			if (result.kind === 'ok') return result.data;

			if (result.kind === 'tokenRejected' && gate.applies(data) && tokenRetries < 2) {
				tokenRetries++;
				const decision = gate.refused(data, tokenUsed, () =>
					apiError(
						this.ctx.getNode(),
						{
							...result,
							description:
								'The API refused a token it had just issued. The remaining items are not sent (no new login per item); check the account and its permissions.',
						},
						sendOptions.itemIndex,
						0,
						this.scrub,
					),
				);
				if (decision === 'retry' && !gate.current(data) && !gate.refreshing) {
					// About to log in: another worker may have stored a newer token meanwhile.
					const stored = await this.ctx.getCredentials(this.config.credentialType);
					gate.adoptStored(data, stored, tokenUsed);
				}
				if (decision === 'retry') continue;
				throw gate.failureFor(data)!;
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

	private redirectFailure(response: FullResponse, options: IHttpRequestOptions, itemIndex: number) {
		const failure: ApiFailure = {
			message: redirectMessage('The API', response.statusCode, header(response, 'location'), options.url),
			description: REDIRECT_HINT,
			httpCode: response.statusCode,
		};
		return apiError(this.ctx.getNode(), failure, itemIndex, 0, this.scrub);
	}

	private async attempt(options: IHttpRequestOptions, credentials: CredentialInUse): Promise<FullResponse> {
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
			disableFollowRedirect: true,
		};
		if (this.config.retry.timeoutMs > 0) request.timeout = this.config.retry.timeoutMs;
		return (await sendWithCredential(this.ctx, credentials, request)) as FullResponse;
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
		private readonly ctx: ApiContext,
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
