import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ApiFailure } from './errors';
import { apiError, requestError } from './errors';
import type { ApiContext, CredentialInUse } from './n8nAdapter';
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

export type { ApiContext };

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

/** Where one request stands across its rounds. */
interface Progress {
	/** Retries so far after network errors and retryable statuses. */
	attempt: number;
	/**
	 * Token refusals met. Each one is answered with a newer token (this process's, one another
	 * worker stored) or a login, up to MAX_TOKEN_RETRIES: with a vendor that revokes older tokens
	 * on every login, two workers logging in at once can refuse one request's token three times.
	 */
	tokenRetries: number;
	/** Whether this request carries the login (kept across retries of the login). */
	refreshing: boolean;
}

/** Token refusals one request goes through before it gives up (see Progress.tokenRetries). */
const MAX_TOKEN_RETRIES = 4;

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

	/**
	 * Send one request and return the interpreted data, or throw a NodeApiError. Each round:
	 * take the token (`takeToken`), send once (`exchange`), then return the data or decide on a
	 * retry — after a network error, a refused token or a retryable status — or throw.
	 */
	async send(options: IHttpRequestOptions, sendOptions: SendOptions): Promise<unknown> {
		const credentials = await this.loadCredentials();
		this.data = credentials.data;
		const progress: Progress = { attempt: 0, tokenRetries: 0, refreshing: false };
		for (;;) {
			const tokenUsed = await this.takeToken(credentials.data, progress);
			const outcome = await this.exchange(options, credentials, sendOptions, progress);
			if (outcome.response === undefined) {
				await this.retryAfterNetworkError(outcome.networkError, sendOptions, progress);
				continue;
			}
			const { response } = outcome;
			if (isRedirect(response.statusCode)) {
				// Not followed (see redirects.ts): nothing of ours went to the other host.
				throw this.redirectFailure(response, options, sendOptions.itemIndex);
			}
			const result = this.config.interpret(response);
			if (result.kind !== 'tokenRejected') this.gate.accepted(tokenUsed);
			if (result.kind === 'ok') return result.data;
			if (result.kind === 'tokenRejected' && this.gate.applies(credentials.data) && progress.tokenRetries < MAX_TOKEN_RETRIES) {
				await this.retryAfterTokenRefused(credentials.data, result, tokenUsed, sendOptions, progress);
				continue;
			}
			await this.retryAfterStatus(response, result, sendOptions, progress);
		}
	}

	/**
	 * The token this round sends: after any login in flight for the credential has ended; this
	 * request carries the login itself when the token is empty, expired or refused.
	 */
	private async takeToken(data: ICredentialDataDecryptedObject, progress: Progress): Promise<unknown> {
		while (this.gate.refreshing && !progress.refreshing) await this.gate.waitForLogin(data);
		const failure = this.gate.failureFor(data);
		if (failure) throw failure;
		this.gate.adoptNewest(data);
		if (!progress.refreshing && this.gate.isStale(data)) {
			this.gate.begin(data);
			progress.refreshing = true;
		}
		return this.gate.current(data);
	}

	/** Send once. When this request carries a login, end it for everyone waiting on it. */
	private async exchange(
		options: IHttpRequestOptions,
		credentials: CredentialInUse,
		sendOptions: SendOptions,
		progress: Progress,
	): Promise<{ response: FullResponse } | { response?: undefined; networkError: unknown }> {
		let outcome: { response: FullResponse } | { response?: undefined; networkError: unknown };
		try {
			outcome = { response: await this.attempt(options, credentials) };
		} catch (networkError) {
			outcome = { networkError };
		}
		// A login n8n ran for this request left its token in `data` (sendWithCredential).
		if (progress.refreshing) {
			const { data } = credentials;
			const loginFailed = this.gate.isStale(data) && outcome.response === undefined;
			const networkError = outcome.response === undefined ? outcome.networkError : undefined;
			// A login that could not reach the server is retried by this request while the others
			// keep waiting (the login is a read: safe to repeat).
			const retryLogin =
				loginFailed && retryableNetworkError(networkError, true) && progress.attempt < this.config.retry.maxRetries;
			if (!retryLogin) {
				this.gate.end(data, loginFailed ? this.networkFailure(networkError, sendOptions.itemIndex) : undefined);
				progress.refreshing = false;
			}
		}
		return outcome;
	}

	/** Wait and go again when the request may be repeated (or carries a login); else throw. */
	private async retryAfterNetworkError(networkError: unknown, sendOptions: SendOptions, progress: Progress): Promise<void> {
		const retryable = retryableNetworkError(networkError, sendOptions.idempotent || progress.refreshing);
		if (!retryable || progress.attempt >= this.config.retry.maxRetries) {
			throw this.networkFailure(networkError, sendOptions.itemIndex, progress.attempt);
		}
		await sleep(backoffMs(this.config.retry, progress.attempt++));
	}

	/**
	 * The API refused the token: go again with a newer one (this process's, or one another worker
	 * stored), or log in once; throw when the gate says a login would not help.
	 */
	private async retryAfterTokenRefused(
		data: ICredentialDataDecryptedObject,
		failure: ApiFailure,
		tokenUsed: unknown,
		sendOptions: SendOptions,
		progress: Progress,
	): Promise<void> {
		progress.tokenRetries++;
		const decision = this.gate.refused(data, tokenUsed, () =>
			apiError(
				this.ctx.getNode(),
				{
					...failure,
					description:
						'The API refused a token it had just issued. The remaining items are not sent (no new login per item); check the account and its permissions.',
				},
				sendOptions.itemIndex,
				0,
				this.scrub,
			),
		);
		if (decision !== 'retry') throw this.gate.failureFor(data)!;
		if (!this.gate.current(data) && !this.gate.refreshing) {
			// About to log in: another worker may have stored a newer token meanwhile.
			const stored = await this.ctx.getCredentials(this.config.credentialType);
			this.gate.adoptStored(data, stored, tokenUsed);
		}
	}

	/** Wait and go again on a status worth retrying (Retry-After honoured); else throw its error. */
	private async retryAfterStatus(
		response: FullResponse,
		failure: ApiFailure,
		sendOptions: SendOptions,
		progress: Progress,
	): Promise<void> {
		if (!retryableStatus(response.statusCode, sendOptions.idempotent) || progress.attempt >= this.config.retry.maxRetries) {
			throw apiError(this.ctx.getNode(), failure, sendOptions.itemIndex, progress.attempt, this.scrub);
		}
		const delay = retryDelayMs(this.config.retry, progress.attempt, header(response, 'retry-after'));
		progress.attempt++;
		await sleep(delay);
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
