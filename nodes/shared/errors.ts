import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { wrappedLoginMessages } from './n8nAdapter';
import { errorCode } from './networkErrors';

/**
 * The errors our nodes and credentials raise. Every text goes through `scrub`, which removes
 * the credential's secrets (see `secrets.ts`), before it is put into an error.
 */
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

function gaveUp(retries: number): string | undefined {
	return retries > 0 ? `Gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'}.` : undefined;
}

/** Keep only plain data of a vendor body for error output (cap its size). */
export function sanitizeBody(body: unknown): unknown {
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
	const description = scrub(failure.description || gaveUp(retries));
	const message = scrub(failure.message);
	const error = new NodeApiError(node, { message, ...(body !== undefined ? { response: body } : {}) } as JsonObject, {
		message,
		description,
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

const LOGIN_MESSAGE = /^Could not reach the .*(endpoint|login)/;

/**
 * The message of a credential's failed login request (`loginRequestError`): our own error, or
 * n8n's wrapper of it (whose own message is n8n's generic text; see `wrappedLoginMessages`).
 */
function loginMessage(error: unknown): string | undefined {
	const e = error as { loginError?: boolean; message?: string };
	if (e?.loginError && typeof e.message === 'string') return e.message;
	return wrappedLoginMessages(error).find((m) => LOGIN_MESSAGE.test(m));
}

/** Turn a network or login failure into a NodeApiError without request details. */
export function requestError(node: INode, error: unknown, itemIndex: number, retries: number, scrub: Scrub): NodeApiError {
	if (error instanceof NodeApiError && !errorCode(error) && error.context?.credentialError) {
		error.message = scrub(error.message);
		error.description = scrub(error.description);
		return error;
	}
	const code = errorCode(error);
	const login = loginMessage(error);
	if (login) {
		// A credential's login that failed on the network: its own message names the endpoint.
		const message = scrub(login);
		// No `code` in the response: NodeApiError would replace the message by a generic one.
		return new NodeApiError(node, { message } as JsonObject, {
			message,
			description: gaveUp(retries),
			itemIndex,
		});
	}
	const raw = scrub((error as Error)?.message ?? String(error));
	const message = code ? `Could not reach the API (${code})` : raw.replace(/^(NodeApiError|Error):\s*/, '');
	const apiError = new NodeApiError(node, { message, ...(code ? { code } : {}) } as JsonObject, { message, itemIndex });
	// n8n puts its own words in the message of a network code; the original text goes into the
	// description, unless it is those words already (n8n-core 2.x hands over its NodeApiError
	// with the code, 1.x without).
	const detail = code && raw !== apiError.message ? raw : undefined;
	apiError.description = [detail, gaveUp(retries)].filter(Boolean).join(' ') || undefined;
	return apiError;
}

/**
 * A fresh error for a credential's login request that failed on the network: it keeps the
 * error code (for the node's retry decision) but not the original error, which carries the
 * request and so the secret. `detail` must already be scrubbed.
 */
export function loginRequestError(message: string, caught: unknown, detail?: string): Error & { code?: string; loginError?: boolean } {
	const code = errorCode(caught);
	// In words: n8n replaces any message that names a system error code by its generic text.
	const reason = code ? (NETWORK_WORDS[code] ?? 'network error') : undefined;
	const error = new Error(
		`${message}${reason ? ` (${reason})` : ''}${detail !== undefined ? `: ${detail}` : ''}`,
	) as Error & { code?: string; loginError?: boolean };
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
