/**
 * A local download host (123kanfang's package storage) for the Download Package tests, e2e and
 * bench: serves files with ETag / Last-Modified / Accept-Ranges as configured, honours Range
 * and If-Range, records every request's headers, and misbehaves on request — cut the body
 * after N bytes (the connection drops with Content-Length unmet), stall after N bytes, answer
 * with a status, or redirect to another host. Large files are generated, never held: the bytes
 * at offset o come from a fixed pseudo-random pattern, so 1 GiB costs no memory.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

import { listenTracked } from './base';

export interface HostedFile {
	/** The content, or the length of generated content. */
	bytes?: Buffer;
	size?: number;
	etag?: string;
	lastModified?: string;
	/** Default true. */
	acceptRanges?: boolean;
	contentType?: string;
	/** Pause this long between slices of the answer (a slow host, so answers overlap). */
	paceMs?: number;
	/** After its first request, the file is replaced by this version (changed on the server). */
	nextVersion?: HostedFile;
	/** Served before the content, e.g. a redirect: `{ status: 302, headers: { location } }`. */
	reply?: { status: number; headers?: Record<string, string>; body?: string };
}

export type DownloadFault =
	/** Send the headers and this many bytes of the answer, then close the connection. */
	| { kind: 'cut'; afterBytes: number }
	/** The same, but the connection is destroyed (reset) instead of closed. */
	| { kind: 'reset'; afterBytes: number }
	/** Send this many bytes, then nothing more (until the client gives up). */
	| { kind: 'stall'; afterBytes: number }
	| { kind: 'status'; status: number };

export interface SeenRequest {
	method: string;
	url: string;
	path: string;
	headers: http.IncomingHttpHeaders;
}

const PATTERN_PERIOD = 1024 * 1024 + 7;
let pattern: Buffer | undefined;

/** The generated content's pattern: deterministic pseudo-random bytes (xorshift32). */
function patternBytes(): Buffer {
	if (!pattern) {
		pattern = Buffer.alloc(PATTERN_PERIOD);
		let x = 0x9e3779b9;
		for (let i = 0; i < PATTERN_PERIOD; i++) {
			x ^= x << 13;
			x ^= x >>> 17;
			x ^= x << 5;
			pattern[i] = x & 0xff;
		}
	}
	return pattern;
}

/** Bytes [start, end) of a generated file, in slices of at most 256 KiB. */
export function* generatedSlices(start: number, end: number): Generator<Buffer> {
	const source = patternBytes();
	for (let offset = start; offset < end; ) {
		const at = offset % PATTERN_PERIOD;
		const length = Math.min(end - offset, PATTERN_PERIOD - at, 256 * 1024);
		yield source.subarray(at, at + length);
		offset += length;
	}
}

/**
 * The MD5 of a generated file of `size` bytes (what the node must compute). Yields to the
 * event loop now and then, so the caller's idle HTTP connections are not left half-closed.
 */
export async function generatedMd5(size: number): Promise<string> {
	const hash = createHash('md5');
	let count = 0;
	for (const slice of generatedSlices(0, size)) {
		hash.update(slice);
		if (++count % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
	}
	return hash.digest('hex');
}

export class DownloadHost {
	readonly files = new Map<string, HostedFile>();

	readonly requests: SeenRequest[] = [];

	private readonly faults: Array<{ path: string; fault: DownloadFault }> = [];

	private readonly server = http.createServer((request, response) => this.handle(request, response));

	private readonly sockets = new Set<Socket>();

	baseUrl = '';

	/** Answers being sent right now, and the most at once so far. */
	inFlight = 0;

	maxInFlight = 0;

	async start(port = 0): Promise<string> {
		this.baseUrl = await listenTracked(this.server, this.sockets, port);
		return this.baseUrl;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(resolve));
	}

	/** Host a file at `path`; returns its URL. */
	host(path: string, file: HostedFile): string {
		this.files.set(path, file);
		return `${this.baseUrl}${path}`;
	}

	/** The next request for `path` misbehaves (queued in order). */
	inject(path: string, fault: DownloadFault) {
		this.faults.push({ path, fault });
	}

	requestsTo(path: string): SeenRequest[] {
		return this.requests.filter((r) => r.path === path);
	}

	reset() {
		this.files.clear();
		this.faults.length = 0;
		this.requests.length = 0;
		this.maxInFlight = 0;
	}

	private takeFault(path: string): DownloadFault | undefined {
		const index = this.faults.findIndex((f) => f.path === path);
		return index < 0 ? undefined : this.faults.splice(index, 1)[0].fault;
	}

	private handle(request: http.IncomingMessage, response: http.ServerResponse) {
		const url = request.url ?? '/';
		const path = url.split('?')[0];
		this.requests.push({ method: request.method ?? '', url, path, headers: request.headers });
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		response.on('close', () => this.inFlight--);
		const file = this.files.get(path);
		if (!file) {
			response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
			return;
		}
		if (file.nextVersion) this.files.set(path, file.nextVersion);
		if (file.reply) {
			response.writeHead(file.reply.status, file.reply.headers).end(file.reply.body ?? '');
			return;
		}
		const fault = this.takeFault(path);
		if (fault?.kind === 'status') {
			response.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`status ${fault.status}`);
			return;
		}
		const size = file.bytes?.length ?? file.size ?? 0;
		const headers: Record<string, string> = { 'content-type': file.contentType ?? 'application/zip' };
		if (file.etag) headers.etag = file.etag;
		if (file.lastModified) headers['last-modified'] = file.lastModified;
		if (file.acceptRanges !== false) headers['accept-ranges'] = 'bytes';

		let start = 0;
		const range = /^bytes=(\d+)-$/.exec(String(request.headers.range ?? ''));
		const ifRange = request.headers['if-range'];
		const sameFile = ifRange === undefined || ifRange === file.etag || ifRange === file.lastModified;
		if (range && file.acceptRanges !== false && sameFile) {
			start = Number(range[1]);
			headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
		}
		headers['content-length'] = String(size - start);
		response.writeHead(start > 0 ? 206 : 200, headers);
		if (request.method === 'HEAD') {
			response.end();
			return;
		}
		const limit = fault ? Math.min(size, start + fault.afterBytes) : size;
		this.send(response, file, start, limit, () => {
			if (limit === size) response.end();
			// The connection ends with Content-Length unmet (what was written is flushed first).
			else if (fault?.kind === 'cut') response.socket?.end();
			else if (fault?.kind === 'reset') response.write('', () => response.socket?.destroy());
			// stall: keep the connection open and silent.
		});
	}

	/** Write bytes [start, end) with backpressure, then `done`. */
	private send(response: http.ServerResponse, file: HostedFile, start: number, end: number, done: () => void) {
		const slices = file.bytes ? [file.bytes.subarray(start, end)][Symbol.iterator]() : generatedSlices(start, end);
		const next = () => {
			for (;;) {
				const slice = slices.next();
				if (slice.done) return done();
				const more = response.write(slice.value);
				if (file.paceMs) return setTimeout(next, file.paceMs);
				if (!more) return response.once('drain', next);
			}
		};
		response.on('close', () => response.off('drain', next));
		next();
	}
}
