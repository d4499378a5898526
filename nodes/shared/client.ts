import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { ApiFailure } from './errors';
import { apiError, isRedirect, REDIRECT_HINT, redirectMessage, requestError } from './errors';
import type { ApiContext, CredentialInUse } from './n8nAdapter';
import { passToLogin, sendWithCredential } from './n8nAdapter';
import type { RetryPolicy } from './retry';
import { backoffMs, retryableNetworkError, retryableStatus, retryDelayMs } from './retry';
import { scrubSecrets } from './secrets';
import type { TokenConfig } from './tokenGate';
import { TokenGate } from './tokenGate';

export type { ApiContext };

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export type Interpretation =
	| { kind: 'ok'; data: unknown }
	/** The token was refused: send again with a newer one. */
	| ({ kind: 'tokenRejected' } & ApiFailure)
	| ({ kind: 'error' } & ApiFailure);

export interface TransportConfig {
	credentialType: string;
	/** The vendor's base URL from the credential, without a trailing slash. */
	baseUrl: (credentials: ICredentialDataDecryptedObject) => string;
	/** A token the credential's preAuthentication fetches (see tokenGate.ts). */
	token?: TokenConfig;
	retry: RetryPolicy;
	/** The vendor's envelope: each response becomes data or a failure. */
	interpret: (response: FullResponse) => Interpretation;
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
	/** Token refusals met so far (see MAX_TOKEN_RETRIES). */
	tokenRetries: number;
	/** Whether this request carries the login (kept across retries of the login). */
	carriesLogin: boolean;
}

/**
 * Refusals one request goes through, each answered with a newer token or a login: with a vendor
 * that revokes older tokens on every login, two workers logging in at once can refuse one
 * request's token three times.
 */
const MAX_TOKEN_RETRIES = 4;

const FRESH_REFUSAL =
	'The API refused a token it had just issued. The remaining items are not sent (no new login per item); check the account and its permissions.';

type Outcome = { response: FullResponse } | { response?: undefined; networkError: unknown };

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * A vendor's API for one execution (or one "From list" search, or one poll), sent with n8n's
 * `httpRequestWithAuthentication` so proxies, SSL settings and the credential's hooks apply as
 * everywhere in n8n. It adds the process-wide token refresh (tokenGate.ts), retries that know
 * which calls may be repeated (retry.ts), no redirects (errors.ts), and errors carrying the
 * vendor's message without the credential's secrets (secrets.ts).
 */
export class Transport {
	private credentials?: Promise<CredentialInUse>;

	private readonly gate: TokenGate;

	/** The credential data in use (to keep its secrets out of errors). */
	private data?: ICredentialDataDecryptedObject;

	/** The credential's base URL, read once with it. */
	private baseUrl = '';

	constructor(
		private readonly ctx: ApiContext,
		private readonly config: TransportConfig,
	) {
		this.gate = new TokenGate(config.token);
	}

	private loadCredentials() {
		this.credentials ??= (async () => {
			const ref = this.ctx.getNode().credentials?.[this.config.credentialType];
			const data = { ...(await this.ctx.getCredentials(this.config.credentialType)) };
			// The login n8n runs for these credentials gets the node's Timeout (login.ts).
			passToLogin(data, { timeoutMs: this.config.retry.timeoutMs });
			this.gate.attach(this.config.credentialType, ref?.id ?? ref?.name ?? '', data);
			this.data = data;
			this.baseUrl = this.config.baseUrl(data);
			return { id: ref?.id ?? '', name: ref?.name ?? '', type: this.config.credentialType, data };
		})();
		return this.credentials;
	}

	/** Send `options` (`url` a path below the base URL); returns the interpreted data or throws a NodeApiError. */
	async request(options: IHttpRequestOptions, sendOptions: SendOptions): Promise<unknown> {
		const credentials = await this.loadCredentials();
		return await this.send({ ...options, url: `${this.baseUrl}${options.url}` }, credentials, sendOptions);
	}

	/**
	 * Each round: take the token, send once, then return the data or decide on a retry (after a
	 * network error, a refused token or a retryable status) or throw.
	 */
	private async send(options: IHttpRequestOptions, credentials: CredentialInUse, sendOptions: SendOptions) {
		const progress: Progress = { attempt: 0, tokenRetries: 0, carriesLogin: false };
		for (;;) {
			const taken = await this.gate.take(progress.carriesLogin);
			progress.carriesLogin = taken.carriesLogin;
			const outcome = await this.exchange(options, credentials, sendOptions, progress);
			if (outcome.response === undefined) {
				await this.retryAfterNetworkError(outcome.networkError, sendOptions, progress);
				continue;
			}
			const { response } = outcome;
			if (isRedirect(response.statusCode)) throw this.redirectFailure(response, options, sendOptions.itemIndex);
			const result = this.config.interpret(response);
			if (result.kind === 'tokenRejected' && this.gate.applies && progress.tokenRetries < MAX_TOKEN_RETRIES) {
				progress.tokenRetries++;
				await this.gate.refused(
					taken.token,
					() => apiError(this.ctx.getNode(), { ...result, description: FRESH_REFUSAL }, sendOptions.itemIndex, 0, this.scrub),
					async () => await this.ctx.getCredentials(this.config.credentialType),
				);
				continue;
			}
			if (result.kind !== 'tokenRejected') this.gate.accepted(taken.token);
			if (result.kind === 'ok') return result.data;
			await this.retryAfterStatus(response, result, sendOptions, progress);
		}
	}

	/** Send once. When this request carries the login, end it for everyone waiting on it. */
	private async exchange(options: IHttpRequestOptions, credentials: CredentialInUse, sendOptions: SendOptions, progress: Progress): Promise<Outcome> {
		let outcome: Outcome;
		try {
			outcome = { response: await this.attempt(options, credentials) };
		} catch (networkError) {
			outcome = { networkError };
		}
		if (!progress.carriesLogin) return outcome;
		// A login n8n ran for this request left its token in the credential data (sendWithCredential).
		const loginError = outcome.response === undefined && this.gate.stale ? outcome.networkError : undefined;
		// A login that could not reach the server is retried by this request while the others
		// keep waiting (the login is a read: safe to repeat).
		if (loginError && retryableNetworkError(loginError, true) && progress.attempt < this.config.retry.maxRetries) return outcome;
		this.gate.loginDone(loginError ? this.networkFailure(loginError, sendOptions.itemIndex) : undefined);
		progress.carriesLogin = false;
		return outcome;
	}

	/** Wait and go again when the request may be repeated (or carries the login); else throw. */
	private async retryAfterNetworkError(networkError: unknown, sendOptions: SendOptions, progress: Progress) {
		const retryable = retryableNetworkError(networkError, sendOptions.idempotent || progress.carriesLogin);
		if (!retryable || progress.attempt >= this.config.retry.maxRetries) {
			throw this.networkFailure(networkError, sendOptions.itemIndex, progress.attempt);
		}
		await sleep(backoffMs(this.config.retry, progress.attempt++));
	}

	/** Wait and go again on a status worth retrying (Retry-After honoured); else throw its error. */
	private async retryAfterStatus(response: FullResponse, failure: ApiFailure, sendOptions: SendOptions, progress: Progress) {
		if (!retryableStatus(response.statusCode, sendOptions.idempotent) || progress.attempt >= this.config.retry.maxRetries) {
			throw apiError(this.ctx.getNode(), failure, sendOptions.itemIndex, progress.attempt, this.scrub);
		}
		await sleep(retryDelayMs(this.config.retry, progress.attempt++, header(response, 'retry-after')));
	}

	private redirectFailure(response: FullResponse, options: IHttpRequestOptions, itemIndex: number) {
		const message = redirectMessage('The API', response.statusCode, header(response, 'location'), options.url);
		return apiError(this.ctx.getNode(), { message, description: REDIRECT_HINT, httpCode: response.statusCode }, itemIndex, 0, this.scrub);
	}

	private async attempt(options: IHttpRequestOptions, credentials: CredentialInUse): Promise<FullResponse> {
		// Copies: n8n's authenticate hooks add to headers, query and body in place.
		const { body } = options;
		const request: IHttpRequestOptions = {
			...options,
			headers: { ...(options.headers ?? {}) },
			qs: options.qs ? { ...options.qs } : undefined,
			body: body && typeof body === 'object' && !Buffer.isBuffer(body) ? { ...(body as IDataObject) } : body,
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

	private readonly scrub = <T>(value: T): T => scrubSecrets(value, this.data, [this.config.token?.field]);
}
