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

import { readRawBody, rawBodyOf, type WebhookRequest } from '../../shared/n8nAdapter';
import { countFormFields, type FormPair, parseFormPairs } from './signature';

/** Default of the Max Body Size option: 64 KiB. */
export const DEFAULT_MAX_BODY_KIB = 64;
/** Default of the Max Form Fields option. */
export const DEFAULT_MAX_FIELDS = 100;

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
 * The form pairs as 123kanfang sent them, or why the body is refused. From the raw body bytes:
 * those n8n read, or, when n8n did not read the body (a content type it does not parse, or
 * none), read here after the declared Content-Length passed the size limit. Only when no raw
 * body can be had, from the body n8n already parsed (a multipart form: it cannot show the
 * original order of different names — irrelevant, they are sorted — but keeps the order of a
 * repeated name's values), sized by Content-Length.
 */
export async function readFormPairs(
	request: WebhookRequest,
	parsedBody: () => IDataObject,
	maxBytes: number,
	maxFields: number,
): Promise<FormPair[] | Refusal> {
	const declared = Number(firstText(request.headers?.['content-length']) ?? 0);
	let raw = rawBodyOf(request);
	if (!raw && !isMultipart(request)) {
		if (declared > maxBytes) return tooLarge(maxBytes);
		try {
			raw = await readRawBody(request);
		} catch (error) {
			const type = (error as { type?: unknown }).type;
			if (type === 'entity.too.large') return tooLarge(maxBytes);
			return { status: 400, payload: 'Bad Request: the body could not be read' };
		}
	}
	if (raw) {
		if (raw.length > maxBytes) return tooLarge(maxBytes);
		if (countFormFields(raw, maxFields) > maxFields) return tooManyFields(maxFields);
		return parseFormPairs(raw);
	}
	if (declared > maxBytes) return tooLarge(maxBytes);
	const pairs = parsedPairs(parsedBody());
	if (pairs.length > maxFields) return tooManyFields(maxFields);
	return pairs;
}

/** n8n parses multipart forms itself (their stream is consumed by then). */
function isMultipart(request: WebhookRequest): boolean {
	return (firstText(request.headers?.['content-type']) ?? '').toLowerCase().startsWith('multipart/');
}
