import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import type { LoginResponse } from '../../shared/login';
import { loginRequest } from '../../shared/login';
import { redact } from '../../shared/secrets';
import { kanfang123BaseUrl } from './baseUrl';

/**
 * 123kanfang account login (`Authorization/GetAccessToken`) and renewal with the refresh token
 * (`Authorization/RefreshToken`), for the credential's preAuthentication hook. While the
 * refresh token the last login or renewal returned is valid, the token is renewed with it, so
 * the password travels only when there is no valid refresh token or the renewal is refused.
 */

/** A refresh token this close to its expiry is not used any more (ms). */
const REFRESH_SKEW_MS = 60_000;

/** What preAuthentication returns, stored by n8n in the credential's hidden fields. */
export interface Kanfang123Tokens extends ICredentialDataDecryptedObject {
	sessionToken: string;
	tokenExpiresAt: number;
	refreshToken: string;
	refreshExpiresAt: number;
}

function parse(body: unknown): IDataObject | string | undefined {
	if (typeof body !== 'string') return body as IDataObject | undefined;
	try {
		return JSON.parse(body) as IDataObject;
	} catch {
		return body;
	}
}

/** The tokens of a `{state: 200, payload: {token, …}}` answer, or undefined. */
function tokensOf(response: LoginResponse): Kanfang123Tokens | undefined {
	const body = parse(response.body);
	if (response.statusCode >= 400 || typeof body !== 'object' || !body || body.state !== 200) return undefined;
	const payload = body.payload as IDataObject | undefined;
	if (!payload || typeof payload !== 'object' || !payload.token) return undefined;
	const lifetime = Number(payload.tokenExpireIn ?? 0);
	const refreshLifetime = Number(payload.refreshTokenExpireIn ?? 0);
	const now = Date.now();
	return {
		sessionToken: String(payload.token),
		tokenExpiresAt: lifetime > 0 ? now + lifetime * 1000 : 0,
		refreshToken: typeof payload.refreshToken === 'string' ? payload.refreshToken : '',
		refreshExpiresAt: refreshLifetime > 0 ? now + refreshLifetime * 1000 : 0,
	};
}

/** The vendor's reason for a refused login, without anything the request carried. */
function failureText(response: LoginResponse, secrets: string[]): string {
	const body = parse(response.body);
	const state = typeof body === 'object' && body ? body.state : undefined;
	const payload = typeof body === 'object' && body ? body.payload : undefined;
	const detail =
		typeof payload === 'string' && payload
			? payload
			: typeof body === 'string' && body
				? body.slice(0, 200)
				: `HTTP ${response.statusCode}`;
	return redact(`${state !== undefined ? ` (state ${String(state)})` : ''}: ${detail}`, secrets);
}

function refreshUsable(credentials: ICredentialDataDecryptedObject): boolean {
	const token = credentials.refreshToken;
	const expiresAt = Number(credentials.refreshExpiresAt ?? 0);
	return typeof token === 'string' && token !== '' && (expiresAt === 0 || Date.now() < expiresAt - REFRESH_SKEW_MS);
}

/** Renew with the refresh token; undefined when it was refused or could not be used. */
async function renew(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
	let response: LoginResponse;
	try {
		response = await loginRequest(helper, credentials, '123kanfang token renewal endpoint', {
			method: 'GET',
			url: `${kanfang123BaseUrl(credentials)}/v2/Authorization/RefreshToken`,
			headers: { Authorization: String(credentials.refreshToken) },
			qs: { clientEdtion: credentials.clientEdition || 'ps_1.0.0' },
		});
	} catch {
		// Unreachable or redirected: a login (which reports its own failure) decides.
		return undefined;
	}
	const tokens = tokensOf(response);
	if (tokens && !tokens.refreshToken) {
		// Keep the refresh token we have when the renewal does not hand out a new one.
		tokens.refreshToken = String(credentials.refreshToken);
		tokens.refreshExpiresAt = Number(credentials.refreshExpiresAt ?? 0);
	}
	return tokens;
}

export async function kanfang123Login(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<Kanfang123Tokens> {
	if (refreshUsable(credentials)) {
		const renewed = await renew(helper, credentials);
		if (renewed) return renewed;
	}
	const secrets = [String(credentials.password ?? ''), String(credentials.refreshToken ?? '')];
	const response = await loginRequest(helper, credentials, '123kanfang login endpoint', {
		method: 'GET',
		url: `${kanfang123BaseUrl(credentials)}/v2/Authorization/GetAccessToken`,
		qs: {
			authKey: credentials.username,
			authValue: credentials.password,
			clientEdtion: credentials.clientEdition || 'ps_1.0.0',
		},
	});
	const tokens = tokensOf(response);
	if (!tokens) {
		throw new Error(
			`123kanfang login failed${failureText(response, secrets)}. Check the username and password of the credential.`,
		);
	}
	return tokens;
}
