/**
 * The sending side of 123kanfang's signed callbacks, written independently of the node's
 * signature module: form-encodes parameters like .NET's form content (UTF-8, space as `+`
 * unless told otherwise), signs them by the StrongValidation rule and POSTs them over HTTP.
 * The one signer of the project's tests, e2e suite, sandbox (`send-callback`) and bench.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';

export type Params = Array<[string, string]>;

/** application/x-www-form-urlencoded encoding of one component. */
export function formEncode(text: string, spaceAsPlus = true): string {
	const encoded = encodeURIComponent(text).replace(
		/[!'()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
	);
	return spaceAsPlus ? encoded.replace(/%20/g, '+') : encoded;
}

export function formBody(params: Params, spaceAsPlus = true): string {
	return params.map(([name, value]) => `${formEncode(name, spaceAsPlus)}=${formEncode(value, spaceAsPlus)}`).join('&');
}

/** MD5(key + values ordered by name (JS default sort = UTF-16 code units, stable) + timestamp). */
export function senderSign(key: string, fields: Params | Record<string, string>, timestamp: string): string {
	const params: Params = Array.isArray(fields) ? fields : Object.entries(fields);
	const names = [...new Set(params.map(([name]) => name))].sort();
	const values = names.flatMap((name) => params.filter(([n]) => n === name).map(([, v]) => v));
	return createHash('md5').update(key + values.join('') + timestamp, 'utf8').digest('hex');
}

export interface Reply {
	status: number;
	contentType: string;
	text: string;
	json: unknown;
}

/**
 * One POST; `fresh: true` sends it on a connection of its own (no keep-alive), as a vendor's
 * callback arrives.
 */
export async function post(
	url: string,
	body: string | Buffer,
	headers: Record<string, string>,
	options: { fresh?: boolean } = {},
): Promise<Reply> {
	return await new Promise<Reply>((resolve, reject) => {
		const request = http.request(
			url,
			{
				method: 'POST',
				...(options.fresh ? { agent: false } : {}),
				headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({
						status: response.statusCode ?? 0,
						contentType: String(response.headers['content-type'] ?? ''),
						text,
						json,
					});
				});
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}

export interface CallbackOptions {
	key: string;
	params: Params;
	/** Timestamp header as sent; default: now in milliseconds. */
	timestamp?: string;
	/** Override the computed sign header. */
	sign?: string;
	/** Leave out these headers. */
	omit?: Array<'sign' | 'timestamp'>;
	/** Send this body instead of the encoded params (signature still over `params`). */
	body?: string;
	spaceAsPlus?: boolean;
	/**
	 * Where `timestamp` and `sign` travel: HTTP headers (default, as StrongValidation.md's
	 * table says) or the query string of the URL (`?timestamp=…&sign=…`, as its worked example
	 * sends them).
	 */
	signatureIn?: 'headers' | 'query';
	/** Content-Type header; default `application/x-www-form-urlencoded`, `null` sends none. */
	contentType?: string | null;
	/** More headers (e.g. a Webhook node's Header Auth in `bench:n8n`). */
	headers?: Record<string, string>;
}

/** The URL with `timestamp` and `sign` appended to its query string. */
export function withSignatureQuery(url: string, fields: Record<string, string>): string {
	const target = new URL(url);
	for (const [name, value] of Object.entries(fields)) target.searchParams.append(name, value);
	return target.toString();
}

/** POST a signed form callback, as 123kanfang does. */
export async function sendCallback(url: string, options: CallbackOptions): Promise<Reply> {
	const timestamp = options.timestamp ?? String(Date.now());
	const signature: Record<string, string> = {
		timestamp,
		sign: options.sign ?? senderSign(options.key, options.params, timestamp),
	};
	for (const name of options.omit ?? []) delete signature[name];
	const inQuery = options.signatureIn === 'query';
	const contentType = options.contentType === undefined ? 'application/x-www-form-urlencoded' : options.contentType;
	const headers: Record<string, string> = {
		...(contentType === null ? {} : { 'content-type': contentType }),
		...(inQuery ? {} : signature),
		...options.headers,
	};
	const target = inQuery ? withSignatureQuery(url, signature) : url;
	return await post(target, options.body ?? formBody(options.params, options.spaceAsPlus ?? true), headers);
}
