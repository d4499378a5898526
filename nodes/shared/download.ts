import { createHash, type Hash } from 'node:crypto';

import type { IBinaryData, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, sleep, sleepWithAbort } from 'n8n-workflow';

import { asNodeError } from './errors';
import { networkErrorCode } from './networkErrors';
import type { RetryPolicy } from './retry';
import { backoffMs, retryableStatus } from './retry';

/**
 * A file from a download host into n8n's binary data, streamed: the body goes straight into
 * `prepareBinaryData` (n8n's filesystem mode writes it to disk as it comes) and through an MD5
 * in the same pass. A download host is not the vendor's API: no credential is ever sent to it
 * (plain `helpers.httpRequest`), and redirects are followed (signed storage URLs redirect).
 *
 * A body cut short (connection dropped, Content-Length not met, no data for the inactivity
 * timeout) is retried: resumed with `Range` + `If-Range` when the first answer allowed ranges
 * and named the file's version (a strong ETag or Last-Modified), else started again as a new
 * binary. The MD5 covers every byte of the stored binary, resumed or not.
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

export interface DownloadedFile {
	binary: IBinaryData;
	size: number;
	md5: string;
	/** Times the body was cut short and continued with a Range request. */
	resumed: number;
	/** Times the download started again from the first byte. */
	restarted: number;
}

/** The stream type `prepareBinaryData` takes (n8n Cloud's rules forbid importing node:stream). */
type Readable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;
type StreamResponse = { statusCode: number; headers: Record<string, unknown>; body: Readable };

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
class Retryable extends Error {}

interface Progress {
	size: number;
	hash: Hash;
	/** The full length the first answer announced. */
	total?: number;
	/** What proves a later Range answer is the same file (`If-Range`). */
	validator?: string;
	resumable: boolean;
	/** Set when the stored bytes cannot be continued: begin a new binary. */
	restart?: Retryable;
	/** Set when the download failed for good (the store may report it wrapped). */
	error?: Error;
}

interface Attempts {
	failures: number;
	resumed: number;
	restarted: number;
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

function failure(ctx: IExecuteFunctions, target: DownloadTarget, message: string, httpCode?: number) {
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message,
		httpCode: httpCode !== undefined ? String(httpCode) : undefined,
		itemIndex: target.itemIndex,
	});
}

/** One GET to the download host, without any credential; `range` continues at that byte. */
async function open(ctx: IExecuteFunctions, target: DownloadTarget, limits: DownloadLimits, range?: Progress): Promise<StreamResponse> {
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
function accept(ctx: IExecuteFunctions, target: DownloadTarget, response: StreamResponse, progress: Progress, limits: DownloadLimits) {
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
function continues(response: StreamResponse, progress: Progress): boolean {
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
async function retrying(
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
async function watchdog(body: Readable, ms: number, stop: AbortSignal, idleSince: () => number | undefined) {
	if (ms <= 0) return;
	const step = Math.max(10, Math.min(1000, Math.floor(ms / 4)));
	const stopped = await (async () => {
		for (;;) {
			await sleepWithAbort(step, stop);
			const since = idleSince();
			if (since !== undefined && Date.now() - since >= ms) return false;
		}
	})().catch(() => true);
	if (!stopped) body.destroy();
}

/**
 * Yields the body's chunks, counted and hashed; returns why it stopped short (dropped,
 * stalled, Content-Length not met), or undefined when the file is complete.
 */
async function* chunksOf(
	ctx: IExecuteFunctions,
	target: DownloadTarget,
	body: Readable,
	progress: Progress,
	limits: DownloadLimits,
): AsyncGenerator<Buffer, Retryable | undefined> {
	const stop = new AbortController();
	// Idle only while waiting for the network, not while the binary store takes a chunk.
	let idleSince: number | undefined = Date.now();
	const watching = watchdog(body, limits.inactivityMs, stop.signal, () => idleSince);
	let dropped = false;
	let tooLarge = false;
	try {
		for await (const chunk of body as AsyncIterable<Buffer>) {
			idleSince = undefined;
			progress.size += chunk.length;
			if (limits.maxBytes > 0 && progress.size > limits.maxBytes) {
				tooLarge = true;
				break;
			}
			progress.hash.update(chunk);
			yield chunk;
			idleSince = Date.now();
		}
	} catch {
		dropped = true;
	} finally {
		stop.abort();
		await watching;
	}
	if (tooLarge) {
		body.destroy();
		throw failure(ctx, target, `The file at ${hostOf(target.url)} is larger than the Max Size (${limits.maxBytes} bytes)`);
	}
	if (dropped || (progress.total !== undefined && progress.size < progress.total)) {
		const total = progress.total !== undefined ? ` of ${progress.total}` : '';
		return new Retryable(`The download from ${hostOf(target.url)} was cut short after ${progress.size}${total} bytes`);
	}
	return undefined;
}

/** All bytes of one binary: the first answer, then a Range answer after each cut. */
async function* packageBytes(
	ctx: IExecuteFunctions,
	target: DownloadTarget,
	first: StreamResponse,
	progress: Progress,
	limits: DownloadLimits,
	attempts: Attempts,
): AsyncGenerator<Buffer> {
	let body = first.body;
	for (;;) {
		const cut = yield* chunksOf(ctx, target, body, progress, limits);
		if (!cut) return;
		if (!progress.resumable) {
			progress.restart = cut;
			throw cut;
		}
		const response = await retrying(ctx, target, limits, attempts, cut, async () => await open(ctx, target, limits, progress));
		if (!continues(response, progress)) {
			response.body.destroy();
			progress.restart = new Retryable(`${hostOf(target.url)} did not continue the same file`);
			throw progress.restart;
		}
		attempts.resumed++;
		body = response.body;
	}
}

/**
 * A readable stream of `source` for `prepareBinaryData`. n8n Cloud's rules forbid importing
 * node:stream, so this takes `Readable.from` from the class of the response stream n8n
 * returned (every Node stream class inherits it).
 */
function streamOf(like: Readable, source: AsyncIterable<Buffer>): Readable {
	const streams = like.constructor as unknown as { from(source: AsyncIterable<Buffer>, options: object): Readable };
	return streams.from(source, { objectMode: false, highWaterMark: 1024 * 1024 });
}

/** The first answer (the whole file), with retries; notes what a later resume needs. */
async function openWhole(ctx: IExecuteFunctions, target: DownloadTarget, limits: DownloadLimits, attempts: Attempts, cause: Retryable | undefined, progress: Progress) {
	return await retrying(ctx, target, limits, attempts, cause, async () => {
		const response = await open(ctx, target, limits);
		accept(ctx, target, response, progress, limits);
		return response;
	});
}

const newProgress = (): Progress => ({ size: 0, hash: createHash('md5'), resumable: false });

/** Download `target.url` into one binary (see the file comment). */
export async function downloadToBinary(ctx: IExecuteFunctions, target: DownloadTarget, limits: DownloadLimits): Promise<DownloadedFile> {
	const attempts: Attempts = { failures: 0, resumed: 0, restarted: 0 };
	for (let cause: Retryable | undefined; ; ) {
		const progress = newProgress();
		const first = await openWhole(ctx, target, limits, attempts, cause, progress);
		const stream = streamOf(first.body, packageBytes(ctx, target, first, progress, limits, attempts));
		const outcome = await ctx.helpers.prepareBinaryData(stream, target.fileName, target.mimeType).then(
			(binary) => ({ binary }),
			(error: unknown) => ({ error }),
		);
		if ('binary' in outcome) {
			const { resumed, restarted } = attempts;
			return { binary: outcome.binary, size: progress.size, md5: progress.hash.digest('hex'), resumed, restarted };
		}
		if (!progress.restart) throw asNodeError(ctx.getNode(), outcome.error, target.itemIndex);
		// The bytes stored so far cannot be continued: a new binary from the first byte.
		cause = progress.restart;
		attempts.restarted++;
	}
}

/** A small text document from a download host (a file list), with the same retries; at most `limits.maxBytes`. */
export async function downloadText(ctx: IExecuteFunctions, target: DownloadTarget, limits: DownloadLimits): Promise<string> {
	const attempts: Attempts = { failures: 0, resumed: 0, restarted: 0 };
	for (let cause: Retryable | undefined; ; ) {
		const progress = newProgress();
		const first = await openWhole(ctx, target, limits, attempts, cause, progress);
		const chunks: Buffer[] = [];
		const reading = chunksOf(ctx, target, first.body, progress, limits);
		let step = await reading.next();
		for (; !step.done; step = await reading.next()) chunks.push(step.value);
		if (!step.value) return Buffer.concat(chunks).toString('utf8');
		cause = step.value;
	}
}
