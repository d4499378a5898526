import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FullResponse, Interpretation } from '../../shared/client';
import { Transport } from '../../shared/client';
import type { RetryPolicy } from '../../shared/retry';
import { sessionToken } from '../../shared/tokenGate';
import { aiccBaseUrl } from './baseUrl';

export { aiccBaseUrl };

export const CREDENTIAL_TYPE = 'aiccApi';

/** Path of the work-order task API below the tenant's base URL. */
export const TASK_API_PATH = '/service/AICC__Case/1.0.0/openapi';

function vendorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		// An HTML error page says nothing useful in one line.
		if (text === '' || text.startsWith('<')) return undefined;
		return text.length > 300 ? `${text.slice(0, 300)}…` : text;
	}
	if (!body || typeof body !== 'object') return undefined;
	const data = body as IDataObject;
	for (const key of ['resMsg', 'message', 'error_description', 'errorMsg', 'error']) {
		const value = data[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

/**
 * Reads AICC's answer. The service wraps every result in `{resCode, resMsg, result}`:
 * `resCode` "0" is success, anything else a failure described by `resMsg` (documented with
 * HTTP 200). HTTP 401 means the access token is unknown or expired.
 */
export function interpret(response: FullResponse): Interpretation {
	const { statusCode, body } = response;
	// Failures carry the HTTP status as `httpCode` and AICC's `resCode`, when its envelope came, as `vendorCode`.
	const rawCode = body && typeof body === 'object' ? (body as IDataObject).resCode : undefined;
	const vendorCode = rawCode === undefined || rawCode === null ? undefined : String(rawCode);
	if (statusCode === 401) {
		const detail = vendorMessage(body);
		return {
			kind: 'tokenRejected',
			message: `Huawei AICC rejected the access token (HTTP 401${detail ? `: ${detail}` : ''})`,
			httpCode: 401,
			vendorCode,
			body,
		};
	}
	if (statusCode < 200 || statusCode >= 300) {
		const detail = vendorMessage(body);
		return {
			kind: 'error',
			message: detail
				? `Huawei AICC error (HTTP ${statusCode}): ${detail}`
				: `Huawei AICC answered HTTP ${statusCode}`,
			httpCode: statusCode,
			vendorCode,
			body,
		};
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return {
			kind: 'error',
			message: 'Huawei AICC sent an answer that is not the expected JSON envelope',
			description: `HTTP ${statusCode}, body: ${typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body)}`,
			httpCode: statusCode,
			body,
		};
	}
	const envelope = body as IDataObject;
	const resCode = envelope.resCode;
	if (resCode === undefined || resCode === null) {
		return {
			kind: 'error',
			message: 'Huawei AICC sent an answer without "resCode"',
			httpCode: statusCode,
			body,
		};
	}
	if (String(resCode) !== '0') {
		const resMsg = typeof envelope.resMsg === 'string' && envelope.resMsg ? envelope.resMsg : undefined;
		return {
			kind: 'error',
			message: resMsg ?? `Huawei AICC refused the request (resCode ${String(resCode)})`,
			description: `Huawei AICC resCode: ${String(resCode)}`,
			httpCode: statusCode,
			vendorCode,
			body,
		};
	}
	return { kind: 'ok', data: envelope.result ?? null };
}

export type AiccTransport = Transport;

/** The AICC API for one execution: all items share the token and its refresh. */
export function createTransport(ctx: IExecuteFunctions, retry: RetryPolicy): AiccTransport {
	return new Transport(ctx, {
		credentialType: CREDENTIAL_TYPE,
		token: sessionToken(
			(credentials) => credentials.authentication === 'clientCredentials',
			(credentials) => [aiccBaseUrl(credentials.domain), String(credentials.clientId ?? '').trim()],
		),
		retry,
		interpret,
		baseUrl: (credentials) => aiccBaseUrl(credentials.domain),
	});
}
