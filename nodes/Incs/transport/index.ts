import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FullResponse, Interpretation } from '../../shared/client';
import { Transport } from '../../shared/client';
import type { RetryPolicy } from '../../shared/retry';
import { incsBaseUrl } from './baseUrl';

export { incsBaseUrl };

export const CREDENTIAL_TYPE = 'incsApi';

/** The task-creation path, the only endpoint INCS documents for Bearer tokens. */
export const TASKS_PATH = '/external/tasks';

const STATUS_TEXT: Record<number, string> = {
	200: 'OK',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	409: 'Conflict',
	422: 'Unprocessable Entity',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

function statusText(status: number): string {
	return STATUS_TEXT[status] ? `HTTP ${status} ${STATUS_TEXT[status]}` : `HTTP ${status}`;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON envelope INCS answers with, or undefined when the body is something else. */
function envelope(body: unknown): IDataObject | undefined {
	let parsed = body;
	if (typeof body === 'string') {
		if (body.trim() === '') return undefined;
		try {
			parsed = JSON.parse(body);
		} catch {
			return undefined;
		}
	}
	return isObject(parsed) ? parsed : undefined;
}

/** `error` details of an envelope as one line, when INCS filled them. */
function errorDetails(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string') return value;
	if (isObject(value) && Object.keys(value).length === 0) return undefined;
	if (Array.isArray(value) && value.length === 0) return undefined;
	const text = JSON.stringify(value);
	return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export const INCOMPLETE_TASK_HINT =
	'This customer already has an open INCS task. Finish or close that task in INCS before creating a new one for the same phone number.';

export const TOKEN_REJECTED = 'INCS rejected the API token';

/**
 * Turns an INCS reply into data or a failure.
 *
 * - HTTP 2xx with `status: "success"` and `code` 200 (or no `code`) → the reply's `data`.
 * - `status: "error"` or a `code` other than 200 in an HTTP 200, or any HTTP error status →
 *   an error with INCS's `message` (HTTP status text when there is none).
 * - HTTP 401 or `code` 401 → "INCS rejected the API token".
 * - "User is in an incomplete task." → hint that the customer already has an open task.
 *
 * Failures carry the HTTP status as `httpCode` and the envelope's `code` as `vendorCode`.
 */
export function interpret(response: FullResponse): Interpretation {
	const status = response.statusCode;
	const body = envelope(response.body);
	const ok2xx = status >= 200 && status < 300;
	const vendorCode = body && body.code !== undefined && body.code !== null ? Number(body.code) : undefined;
	const vendorStatus = body && typeof body.status === 'string' ? body.status.toLowerCase() : undefined;
	const vendorMessage =
		body && typeof body.message === 'string' && body.message.trim() !== '' ? body.message.trim() : undefined;

	if (ok2xx && body && vendorStatus === 'success' && (vendorCode === undefined || vendorCode === 200)) {
		const data = body.data;
		return { kind: 'ok', data: isObject(data) ? data : data === undefined || data === null ? {} : { data } };
	}

	if (status === 401 || vendorCode === 401) {
		return {
			kind: 'error',
			message: vendorMessage ? `${TOKEN_REJECTED}: ${vendorMessage}` : TOKEN_REJECTED,
			description: 'Check the API token in the "INCS API" credential.',
			httpCode: status,
			vendorCode: Number.isFinite(vendorCode) ? vendorCode : undefined,
			body: body ?? undefined,
		};
	}

	const isEnvelope = body !== undefined && (vendorStatus !== undefined || vendorCode !== undefined);
	if (ok2xx && !isEnvelope) {
		// Not INCS's envelope: an HTML page, an empty or broken body, a proxy's answer…
		return {
			kind: 'error',
			message: `INCS answered ${statusText(status)} without its usual JSON reply`,
			description: 'Check the Base URL in the "INCS API" credential.',
			httpCode: status,
			body: response.body,
		};
	}

	const message =
		vendorMessage ??
		(ok2xx ? `INCS reported an error (code ${String(body?.code)})` : `INCS answered ${statusText(status)}`);
	const details = body ? errorDetails(body.error) : undefined;
	let description: string | undefined;
	if (vendorMessage && /incomplete task/i.test(vendorMessage)) {
		description = INCOMPLETE_TASK_HINT;
	} else if (details) {
		description = `Details: ${details}`;
	}
	return {
		kind: 'error',
		message,
		description,
		httpCode: status,
		vendorCode: isEnvelope && Number.isFinite(vendorCode) ? vendorCode : undefined,
		body: body ?? response.body,
	};
}

export type IncsTransport = Transport;

/** The INCS API for one execution (Bearer token, no refresh). */
export function createTransport(ctx: IExecuteFunctions, retry: RetryPolicy): IncsTransport {
	return new Transport(ctx, { credentialType: CREDENTIAL_TYPE, retry, interpret, baseUrl: incsBaseUrl });
}
