import { createHash } from 'node:crypto';

import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { sleepWithAbort } from 'n8n-workflow';

import { asNodeError } from '../../shared/errors';
import type { Attempts, DownloadLimits, DownloadTarget, Progress, Readable, StreamResponse } from './downloadRequest';
import { accept, continues, failure, header, hostOf, open, retrying, Retryable } from './downloadRequest';

export type { DownloadLimits, DownloadTarget } from './downloadRequest';
export { hostOf } from './downloadRequest';

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

/** How many of a file's first bytes `DownloadedFile.head` keeps. */
const HEAD_BYTES = 8;

export interface DownloadedFile {
	binary: IBinaryData;
	size: number;
	md5: string;
	/** The first bytes (up to 8): what kind of file it is. */
	head: Buffer;
	/** Times the body was cut short and continued with a Range request. */
	resumed: number;
	/** Times the download started again from the first byte. */
	restarted: number;
}

/** Ends `body` when no data came for `ms` (0: never); true when it did. Stops when `stop` aborts. */
async function watchdog(body: Readable, ms: number, stop: AbortSignal, idleSince: () => number | undefined) {
	if (ms <= 0) return false;
	const step = Math.max(10, Math.min(1000, Math.floor(ms / 4)));
	const stalled = await (async () => {
		for (;;) {
			await sleepWithAbort(step, stop);
			const since = idleSince();
			if (since !== undefined && Date.now() - since >= ms) return true;
		}
	})().catch(() => false);
	if (stalled) body.destroy();
	return stalled;
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
			if (progress.head.length < HEAD_BYTES) {
				progress.head = Buffer.concat([progress.head, chunk.subarray(0, HEAD_BYTES - progress.head.length)]);
			}
			yield chunk;
			idleSince = Date.now();
		}
	} catch {
		dropped = true;
	} finally {
		stop.abort();
	}
	const stalled = await watching;
	if (tooLarge) {
		body.destroy();
		throw failure(ctx, target, `The file at ${hostOf(target.url)} is larger than the Max Size (${limits.maxBytes} bytes)`);
	}
	if (dropped || (progress.total !== undefined && progress.size < progress.total)) {
		const total = progress.total !== undefined ? ` of ${progress.total}` : '';
		const why = stalled ? `sent no data for ${limits.inactivityMs} ms` : 'was cut short';
		return new Retryable(`The download from ${hostOf(target.url)} ${why} after ${progress.size}${total} bytes`);
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

/**
 * The host's Content-Type for a file whose name has no extension (n8n would call it text/plain);
 * undefined otherwise, so that n8n names the type by the extension.
 */
function typeOfUnnamed(target: DownloadTarget, response: StreamResponse): string | undefined {
	if (/\.[A-Za-z0-9]{1,10}$/.test(target.fileName)) return undefined;
	const type = header(response.headers, 'content-type');
	return type !== undefined && /^[\w.+-]+\/[\w.+-]+/.test(type) ? type.split(';')[0].trim() : undefined;
}

const newProgress = (): Progress => ({ size: 0, hash: createHash('md5'), head: Buffer.alloc(0), resumable: false });

/** Download `target.url` into one binary (see the file comment). */
export async function downloadToBinary(ctx: IExecuteFunctions, target: DownloadTarget, limits: DownloadLimits): Promise<DownloadedFile> {
	const attempts: Attempts = { failures: 0, resumed: 0, restarted: 0 };
	for (let cause: Retryable | undefined; ; ) {
		const progress = newProgress();
		const first = await openWhole(ctx, target, limits, attempts, cause, progress);
		const stream = streamOf(first.body, packageBytes(ctx, target, first, progress, limits, attempts));
		const outcome = await ctx.helpers.prepareBinaryData(stream, target.fileName, target.mimeType ?? typeOfUnnamed(target, first)).then(
			(binary) => ({ binary }),
			(error: unknown) => ({ error }),
		);
		if ('binary' in outcome) {
			const { resumed, restarted } = attempts;
			return { binary: outcome.binary, size: progress.size, md5: progress.hash.digest('hex'), head: progress.head, resumed, restarted };
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
