import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { wrappedLoginMessages } from './n8nAdapter';
import { errorCode } from './retry';

/** Removes the credential's secrets from text or plain data (`secrets.ts`); every error text goes through it. */
export type Scrub = <T>(value: T) => T;

/** A vendor failure as a transport's `interpret` describes it. */
export interface ApiFailure {
	message: string;
	description?: string;
	/** The HTTP status of the response (the error's `httpCode`). */
	httpCode?: number;
	/**
	 * The code in the vendor's own JSON envelope (123kanfang `state`, AICC `resCode`, INCS
	 * `code`); absent when the body was not the vendor's envelope (a proxy's page, no body).
	 */
	vendorCode?: number | string;
	body?: unknown;
}

const gaveUp = (retries: number) =>
	retries > 0 ? `Gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.` : undefined;

/** Plain data of a vendor body for error output, size capped. */
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

/** A NodeApiError carrying the vendor's own message (and body), without the request's secrets. */
export function apiError(node: INode, failure: ApiFailure, itemIndex: number, retries: number, scrub: Scrub): NodeApiError {
	const body = scrub(sanitizeBody(failure.body));
	const message = scrub(failure.message);
	const error = new NodeApiError(node, { message, ...(body !== undefined ? { response: body } : {}) } as JsonObject, {
		message,
		description: scrub(failure.description || gaveUp(retries)),
		httpCode: failure.httpCode !== undefined ? String(failure.httpCode) : undefined,
		itemIndex,
	});
	if (failure.vendorCode !== undefined) error.context.vendorCode = failure.vendorCode;
	return error;
}

/** The code of the vendor's envelope an API error came with (see `ApiFailure.vendorCode`). */
export function vendorCodeOf(error: unknown): number | string | undefined {
	const code = error instanceof NodeApiError ? error.context?.vendorCode : undefined;
	return typeof code === 'number' || typeof code === 'string' ? code : undefined;
}

// ── Redirects ───────────────────────────────────────────────────────────────────────────────
// Every request of ours carries a credential (a header, a form field, a client secret): none
// follows a redirect (n8n's `disableFollowRedirect`). A 3xx becomes an error naming only the
// target's origin, never its path or query.

export const isRedirect = (statusCode: number) => statusCode >= 300 && statusCode < 400;

export const REDIRECT_HINT =
	'Check the base URL (or domain) of the credential: use the address the API answers on directly (https instead of http, the right host name and port).';

/** "… answered with a redirect to <origin> (HTTP 307) …", for a node or a login error. */
export function redirectMessage(who: string, statusCode: number, location: unknown, requestUrl: string): string {
	const value = Array.isArray(location) ? location[0] : location;
	let origin = 'no location';
	if (typeof value === 'string' && value.trim() !== '') {
		try {
			origin = new URL(value.trim(), requestUrl).origin;
		} catch {
			origin = 'an invalid location';
		}
	}
	return `${who} answered with a redirect to ${origin} (HTTP ${statusCode}); requests carrying credentials do not follow redirects`;
}

// ── Network and login failures ──────────────────────────────────────────────────────────────

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'timed out',
	ETIMEDOUT: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'connection closed',
};

/**
 * The message of a credential's failed login request (`loginRequestError`): our own error, or
 * n8n's wrapper of it, whose own message is n8n's generic text.
 */
function loginMessage(error: unknown): string | undefined {
	const e = error as { loginError?: boolean; message?: string };
	if (e?.loginError && typeof e.message === 'string') return e.message;
	return wrappedLoginMessages(error).find((m) => /^Could not reach the .*(endpoint|login)/.test(m));
}

/** Turn a network or login failure into a NodeApiError without request details. */
export function requestError(node: INode, error: unknown, itemIndex: number, retries: number, scrub: Scrub): NodeApiError {
	const code = errorCode(error);
	if (error instanceof NodeApiError && !code && error.context?.credentialError) {
		error.message = scrub(error.message);
		error.description = scrub(error.description);
		return error;
	}
	const login = loginMessage(error);
	if (login) {
		// Its own message names the endpoint. No `code` in the response: NodeApiError would
		// replace the message by a generic one.
		const message = scrub(login);
		return new NodeApiError(node, { message } as JsonObject, { message, description: gaveUp(retries), itemIndex });
	}
	const raw = scrub((error as Error)?.message ?? String(error));
	const message = code ? `Could not reach the API (${code})` : raw.replace(/^(NodeApiError|Error):\s*/, '');
	const apiError = new NodeApiError(node, { message, ...(code ? { code } : {}) } as JsonObject, { message, itemIndex });
	// n8n words a network code its own way; the original text goes into the description unless
	// it is those words already (n8n-core 2.x hands over its NodeApiError with the code, 1.x without).
	const detail = code && raw !== apiError.message ? raw : undefined;
	apiError.description = [detail, gaveUp(retries)].filter(Boolean).join(' ') || undefined;
	return apiError;
}

/**
 * A fresh error for a login request that failed on the network: it keeps the error code (for
 * the node's retry decision) but not the original error, which carries the request and so the
 * secret. `detail` must already be scrubbed.
 */
export function loginRequestError(message: string, caught: unknown, detail?: string): Error & { code?: string; loginError?: boolean } {
	const code = errorCode(caught);
	// In words: n8n replaces any message that names a system error code by its generic text.
	const reason = code ? ` (${NETWORK_WORDS[code] ?? 'network error'})` : '';
	const error = new Error(`${message}${reason}${detail !== undefined ? `: ${detail}` : ''}`) as Error & {
		code?: string;
		loginError?: boolean;
	};
	if (code) error.code = code;
	error.loginError = true;
	return error;
}

/** Keep node errors as they are (adding the item index); wrap anything else. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context) error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
