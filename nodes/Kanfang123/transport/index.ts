import type { IDataObject } from 'n8n-workflow';

import type { ApiContext, FullResponse, Interpretation } from '../../shared/client';
import { Transport } from '../../shared/client';
import type { RetryPolicy } from '../../shared/retry';
import { sessionToken } from '../../shared/tokenGate';
import { kanfang123BaseUrl } from './baseUrl';

export { KANFANG123_PRODUCTION_URL, KANFANG123_TEST_URL, kanfang123BaseUrl } from './baseUrl';

export const CREDENTIAL_TYPE = 'kanfang123Api';

/** States of 123kanfang's `{state, payload}` envelope that mean "the token is not valid". */
const TOKEN_STATES = new Set([401, 4011]);

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

function describe(payload: unknown): string {
	if (payload === undefined || payload === null || payload === '') return '';
	return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/**
 * 123kanfang answers `{ "state": 200, "payload": … }`; any other state is a failure whose text
 * is in `payload`. The docs do not say whether failures also use HTTP error statuses, so both
 * are handled: 401/4011 (in the body or as HTTP 401) mean the token was refused. Failures carry
 * the HTTP status as `httpCode` and the envelope's `state` (only when there is an envelope)
 * as `vendorCode`: a proxy's HTTP 403 page is not 123kanfang's refusal.
 */
export function interpret(response: FullResponse): Interpretation {
	const body = parseBody(response.body);
	const envelope =
		body && typeof body === 'object' && !Array.isArray(body) && 'state' in (body as IDataObject)
			? (body as IDataObject)
			: undefined;
	const state = envelope ? Number(envelope.state) : undefined;
	const detail = envelope ? describe(envelope.payload) : '';

	if (response.statusCode === 401 || (state !== undefined && TOKEN_STATES.has(state))) {
		return {
			kind: 'tokenRejected',
			message: `123kanfang refused the token (state ${state ?? response.statusCode})${detail ? `: ${detail}` : ''}`,
			httpCode: response.statusCode,
			vendorCode: state,
			body: envelope,
		};
	}
	if (response.statusCode >= 200 && response.statusCode < 300 && state === 200) {
		return { kind: 'ok', data: envelope!.payload };
	}
	if (envelope) {
		return {
			kind: 'error',
			message: `123kanfang error (state ${String(envelope.state)})${detail ? `: ${detail}` : ''}`,
			httpCode: response.statusCode,
			vendorCode: Number.isFinite(state) ? state : String(envelope.state),
			body: envelope,
		};
	}
	const text = typeof body === 'string' ? body.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
	return {
		kind: 'error',
		message:
			response.statusCode >= 400
				? `123kanfang answered HTTP ${response.statusCode}${text ? `: ${text}` : ''}`
				: `123kanfang sent a response that is not its JSON envelope${text ? `: ${text}` : ' (empty body)'}`,
		httpCode: response.statusCode,
		body: typeof body === 'string' ? text : body,
	};
}

export type Kanfang123Transport = Transport;

/**
 * The 123kanfang API for one execution (all items share the token and its refresh), or for one
 * "From list" search in the editor.
 */
export function createTransport(ctx: ApiContext, retry: RetryPolicy): Kanfang123Transport {
	return new Transport(ctx, {
		credentialType: CREDENTIAL_TYPE,
		token: sessionToken(
			(credentials) => credentials.authentication === 'account',
			(credentials) => [kanfang123BaseUrl(credentials), String(credentials.username ?? '')],
			['refreshToken', 'refreshExpiresAt'],
		),
		retry,
		interpret,
		baseUrl: kanfang123BaseUrl,
	});
}
