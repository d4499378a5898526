/**
 * What the trigger reads from a callback request, cheapest first, so that a hostile request is
 * refused before anything costly happens:
 *
 * 1. `sign` and `timestamp`: from the headers; a name missing there is taken from the query
 *    string (`?timestamp=…&sign=…`, the form of StrongValidation.md's worked example). Headers
 *    win when both are sent. Only the first value of a repeated name counts.
 * 2. The size of the body (bytes n8n received), refused over the limit (413) before any parsing.
 * 3. The number of form fields, counted without allocating, refused over the limit (400).
 * 4. Only then the form pairs, parsed in one linear pass.
 */
import type { IDataObject } from 'n8n-workflow';

import { countFormFields, type FormPair, parseFormPairs } from './signature';

/** Default of the Max Body Size option: 64 KiB. */
export const DEFAULT_MAX_BODY_KIB = 64;
/** Default of the Max Form Fields option. */
export const DEFAULT_MAX_FIELDS = 100;

/** What n8n's webhook server hands the node (an express request with the raw body kept). */
export interface CallbackRequest {
	rawBody?: Buffer;
	headers?: Record<string, string | string[] | undefined>;
}

export interface Refusal {
	status: 400 | 413;
	payload: string;
}

function firstText(value: unknown): string | undefined {
	const first: unknown = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first.trim() !== '' ? first : undefined;
}

/** `sign` and `timestamp`, each from its header, else from the query string. */
export function signatureFields(
	headers: IDataObject,
	query: () => IDataObject,
): { sign?: string; timestamp?: string } {
	let sign = firstText(headers.sign);
	let timestamp = firstText(headers.timestamp);
	if (sign === undefined || timestamp === undefined) {
		const fromQuery = query() ?? {};
		sign ??= firstText(fromQuery.sign);
		timestamp ??= firstText(fromQuery.timestamp);
	}
	return { sign, timestamp };
}

function tooLarge(maxBytes: number): Refusal {
	return { status: 413, payload: `Payload Too Large: the body is over ${maxBytes} bytes` };
}

function tooManyFields(maxFields: number): Refusal {
	return { status: 400, payload: `Bad Request: more than ${maxFields} form fields` };
}

/** The pairs of n8n's parsed body (used only when n8n kept no raw body). */
function parsedPairs(body: IDataObject): FormPair[] {
	const pairs: FormPair[] = [];
	if (typeof body !== 'object' || body === null) return pairs;
	for (const [name, value] of Object.entries(body)) {
		for (const entry of Array.isArray(value) ? value : [value]) {
			pairs.push({ name, value: entry === undefined || entry === null ? '' : String(entry) });
		}
	}
	return pairs;
}

/**
 * The form pairs as 123kanfang sent them, or why the body is refused. From the raw body bytes
 * when n8n kept them (it does, as `rawBody`); otherwise, as a fallback, from the body n8n
 * already parsed (which cannot see the original order of different names — irrelevant, they
 * are sorted — but keeps the order of a repeated name's values), sized by Content-Length.
 */
export function readFormPairs(
	request: CallbackRequest,
	parsedBody: () => IDataObject,
	maxBytes: number,
	maxFields: number,
): FormPair[] | Refusal {
	const raw = request.rawBody;
	if (Buffer.isBuffer(raw)) {
		if (raw.length > maxBytes) return tooLarge(maxBytes);
		if (countFormFields(raw, maxFields) > maxFields) return tooManyFields(maxFields);
		return parseFormPairs(raw);
	}
	const declared = Number(firstText(request.headers?.['content-length']) ?? 0);
	if (declared > maxBytes) return tooLarge(maxBytes);
	const pairs = parsedPairs(parsedBody());
	if (pairs.length > maxFields) return tooManyFields(maxFields);
	return pairs;
}
