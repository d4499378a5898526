import type { Hash } from 'node:crypto';

import type { IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { RetryPolicy } from '../../shared/retry';
import { backoffMs, networkErrorCode, retryableStatus } from '../../shared/retry';

/**
 * The requests of a download (see download.ts): one GET without credentials, the checks of
 * its answer (whole file, or the exact continuation of the same file), and the retries.
 */

export interface DownloadLimits {
	retry: RetryPolicy;
	/** Largest body accepted in bytes (0: no limit). */
	maxBytes: number;
	/** Give up a response that sends no data for this long (0: wait indefinitely). */
	inactivityMs: number;
}

export interface DownloadTarget {
	url: string;
	fileName: string;
	mimeType?: string;
	itemIndex: number;
}

/** The stream type `prepareBinaryData` takes (n8n Cloud's rules forbid importing node:stream). */
export type Readable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;
export type StreamResponse = { statusCode: number; headers: Record<string, unknown>; body: Readable };

/** Where a URL points, for messages: never its query, which may carry a signature. */
export function hostOf(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return 'the download host';
	}
}

/** A failure that sending again may cure (network, HTTP 5xx/429, a body cut short). */
export class Retryable extends Error {}

export interface Progress {
	size: number;
	hash: Hash;
	/** The file's first bytes (up to HEAD_BYTES): what kind of file came. */
	head: Buffer;
	/** The full length the first answer announced. */
	total?: number;
	/** What proves a later Range answer is the same file (`If-Range`). */
	validator?: string;
	resumable: boolean;
	/** Set when the stored bytes cannot be continued: begin a new binary. */
	restart?: Retryable;
}

export interface Attempts {
	failures: number;
	resumed: number;
	restarted: number;
}

/** A response header's (first) value. */
export function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/** A download failure for good: the node's error, naming the item. */
export function failure(ctx: IExecuteFunctions, target: DownloadTarget, message: string, httpCode?: number) {
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message,
		httpCode: httpCode !== undefined ? String(httpCode) : undefined,
		itemIndex: target.itemIndex,
	});
}

/** One GET to the download host, without any credential; `range` continues at that byte. */
export async function open(ctx: IExecuteFunctions, target: DownloadTarget, limits: DownloadLimits, range?: Progress): Promise<StreamResponse> {
	// No compression: Range offsets and Content-Length must be those of the stored bytes.
	const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
	if (range) {
		headers.Range = `bytes=${range.size}-`;
		headers['If-Range'] = range.validator!;
	}
	const request: IHttpRequestOptions = {
		method: 'GET',
		url: target.url,
		headers,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: ctx.getExecutionCancelSignal(),
	};
	if (limits.inactivityMs > 0) request.timeout = limits.inactivityMs;
	const response = (await ctx.helpers.httpRequest(request).catch((error: unknown) => error)) as StreamResponse | Error;
	if (response instanceof Error) {
		const code = networkErrorCode(response);
		if (code) throw new Retryable(`Could not reach ${hostOf(target.url)} (${code})`);
		throw failure(ctx, target, `Could not download from ${hostOf(target.url)}: ${response.message}`);
	}
	const { statusCode } = response;
	if (statusCode === 200 || statusCode === 206) return response;
	response.body?.destroy?.();
	const message = `The download host answered HTTP ${statusCode} for ${hostOf(target.url)}`;
	if (retryableStatus(statusCode, true)) throw new Retryable(message);
	throw failure(ctx, target, message, statusCode);
}

/** The first answer: the whole file. Notes its length and whether it can be continued. */
export function accept(ctx: IExecuteFunctions, target: DownloadTarget, response: StreamResponse, progress: Progress, limits: DownloadLimits) {
	if (response.statusCode !== 200) {
		response.body.destroy();
		throw new Retryable(`${hostOf(target.url)} answered a request for the whole file with part of it`);
	}
	const length = Number(header(response.headers, 'content-length') ?? NaN);
	progress.total = Number.isFinite(length) ? length : undefined;
	const etag = header(response.headers, 'etag');
	// A weak ETag may not be used with If-Range (RFC 9110 13.1.5).
	progress.validator = etag && !etag.startsWith('W/') ? etag : header(response.headers, 'last-modified');
	progress.resumable = header(response.headers, 'accept-ranges') === 'bytes' && progress.validator !== undefined;
	if (limits.maxBytes > 0 && progress.total !== undefined && progress.total > limits.maxBytes) {
		response.body.destroy();
		throw failure(ctx, target, `The file at ${hostOf(target.url)} is ${progress.total} bytes, more than the Max Size (${limits.maxBytes} bytes)`);
	}
}

/** Whether a Range answer continues exactly where we stopped, in the same file. */
export function continues(response: StreamResponse, progress: Progress): boolean {
	// A 200 is the whole file again: it changed (If-Range) or the server ignores ranges.
	const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header(response.headers, 'content-range') ?? '');
	return (
		response.statusCode === 206 &&
		range !== null &&
		Number(range[1]) === progress.size &&
		(progress.total === undefined || range[2] === String(progress.total))
	);
}

/**
 * Send until an answer comes, retrying what may be cured (`cause`: the failure before the
 * first send, if any) within the Max Retries shared by the whole download.
 */
export async function retrying(
	ctx: IExecuteFunctions,
	target: DownloadTarget,
	limits: DownloadLimits,
	attempts: Attempts,
	cause: Retryable | undefined,
	send: () => Promise<StreamResponse>,
): Promise<StreamResponse> {
	for (let last = cause; ; ) {
		if (last) {
			if (attempts.failures >= limits.retry.maxRetries) {
				const retries = attempts.failures === 1 ? '1 retry' : `${attempts.failures} retries`;
				throw failure(ctx, target, attempts.failures ? `${last.message} (gave up after ${retries})` : last.message);
			}
			await sleep(backoffMs(limits.retry, attempts.failures++));
		}
		const result = await send().catch((error: unknown) => error as Error);
		if (!(result instanceof Error)) return result;
		if (!(result instanceof Retryable)) throw result;
		last = result;
	}
}

/** Ends `body` when no data came for `ms` (0: never); stops when `stop` aborts. */
