import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { isRedirect, loginRequestError, REDIRECT_HINT, redirectMessage } from './errors';
import { settingsFromNode } from './n8nAdapter';
import { networkErrorCode } from './retry';

/** A login started outside a node (n8n's credential test…) waits at most this long. */
const DEFAULT_LOGIN_TIMEOUT_MS = 30_000;

/**
 * Whether one of our nodes sends with these credentials: its token gate (tokenGate.ts) renews
 * the token before the recorded expiry, so the credential's own expiry check stays out of it.
 */
export function sentByOurNode(credentials: ICredentialDataDecryptedObject): boolean {
	return settingsFromNode(credentials) !== undefined;
}

/**
 * The time limit of a login for these credentials: the node's Timeout (handed over by the
 * client with `passToLogin`, n8nAdapter.ts), else the default.
 */
function loginTimeoutMs(credentials: ICredentialDataDecryptedObject): number {
	const timeout = settingsFromNode(credentials)?.timeoutMs;
	return timeout !== undefined && timeout > 0 ? timeout : DEFAULT_LOGIN_TIMEOUT_MS;
}

export interface LoginResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * A credential's token request: the node's Timeout, no redirect followed (a 3xx is an error
 * naming only the target's origin), HTTP error statuses returned for the caller to read. A
 * network failure becomes a fresh error without the request (which carries the secret).
 */
export async function loginRequest(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	who: string,
	options: IHttpRequestOptions,
): Promise<LoginResponse> {
	let response: LoginResponse;
	try {
		response = (await helper.helpers.httpRequest({
			...options,
			json: true,
			timeout: loginTimeoutMs(credentials),
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as LoginResponse;
	} catch (error) {
		const timedOut = networkErrorCode(error) === 'ECONNABORTED' || networkErrorCode(error) === 'ETIMEDOUT';
		const detail = timedOut ? `no answer within ${loginTimeoutMs(credentials)} ms (the node's Timeout)` : undefined;
		throw loginRequestError(`Could not reach the ${who}`, error, detail);
	}
	if (isRedirect(response.statusCode)) {
		const location = response.headers?.location ?? response.headers?.Location;
		throw new Error(`${redirectMessage(`The ${who}`, response.statusCode, location, options.url)}. ${REDIRECT_HINT}`);
	}
	return response;
}
