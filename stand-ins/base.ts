/**
 * The common core of our local API stand-ins: a plain Node HTTP server on 127.0.0.1 that
 * parses query strings, form and JSON bodies, records every request for assertions, and can
 * be told to misbehave (latency, error statuses, resets, hangs, broken bodies) so tests can
 * show how the nodes cope. Vendor servers (kanfang123.ts, aicc.ts, incs.ts) add the routes.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	/** Path and query string exactly as received (still URL-encoded). */
	rawUrl: string;
	/** Parsed query string; repeated names become arrays. */
	query: Record<string, string | string[]>;
	headers: http.IncomingHttpHeaders;
	contentType: string;
	/** Raw body text as received. */
	rawBody: string;
	/** Parsed form fields (x-www-form-urlencoded) — repeated names become arrays. */
	form: Record<string, string | string[]>;
	/** Parsed JSON body, when the body was JSON. */
	json: unknown;
	cookies: Record<string, string>;
	receivedAt: number;
}

export interface ReplyDescription {
	status?: number;
	headers?: Record<string, string>;
	/** Object bodies are sent as JSON; strings as they are. */
	body?: unknown;
}

/**
 * Listen on `host:port` (0: a free port) and keep the open sockets in `sockets`, so that
 * `stop()` can end them; returns the base URL.
 */
export async function listenTracked(server: http.Server, sockets: Set<Socket>, port = 0, host = '127.0.0.1'): Promise<string> {
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	const address = server.address() as AddressInfo;
	return `http://${host}:${address.port}`;
}

/** One queued misbehaviour; consumed by the next request that matches `path` (or any). */
export type Fault =
	| ({ kind: 'reply'; path?: string } & ReplyDescription)
	| { kind: 'reset'; path?: string }
	/** The request is handled (e.g. a task created), then the connection is reset: a lost answer. */
	| { kind: 'resetAfterHandling'; path?: string }
	| { kind: 'hang'; path?: string; ms?: number }
	| { kind: 'html'; path?: string; status?: number }
	| { kind: 'malformedJson'; path?: string }
	| { kind: 'empty'; path?: string; status?: number };

export type RouteHandler = (request: RecordedRequest) => ReplyDescription | Promise<ReplyDescription>;

function parsePairs(text: string): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const [key, value] of new URLSearchParams(text)) {
		const existing = result[key];
		if (existing === undefined) result[key] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else result[key] = [existing, value];
	}
	return result;
}

function parseCookies(header: string | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const part of (header ?? '').split(';')) {
		const index = part.indexOf('=');
		if (index < 0) continue;
		result[part.slice(0, index).trim()] = decodeURIComponent(part.slice(index + 1).trim());
	}
	return result;
}

export class StandInServer {
	readonly requests: RecordedRequest[] = [];

	/** Milliseconds to wait before answering every request. */
	latencyMs = 0;

	/**
	 * Hold every request to `path` until `count` of them are in flight together, then answer
	 * them all (after `timeoutMs`, default 10 s, a held request is answered anyway). With
	 * `maxInFlight`, tests count concurrent requests instead of measuring time.
	 */
	hold?: { path: string; count: number; timeoutMs?: number };

	/** The most requests that were in flight at once since the last `resetRecording()`. */
	maxInFlight = 0;

	private inFlight = 0;

	private held: Array<() => void> = [];

	private readonly faults: Fault[] = [];

	private readonly routes = new Map<string, RouteHandler>();

	private readonly sockets = new Set<Socket>();

	private server?: http.Server;

	baseUrl = '';

	/** `METHOD /path` → handler. */
	route(method: string, path: string, handler: RouteHandler) {
		this.routes.set(`${method.toUpperCase()} ${path.toLowerCase()}`, handler);
	}

	/** Queue misbehaviours: each is used once, in order, by the next matching request. */
	inject(...faults: Fault[]) {
		this.faults.push(...faults);
	}

	clearFaults() {
		this.faults.length = 0;
	}

	/** Forget recorded requests (keeps state such as issued tokens). */
	resetRecording() {
		this.requests.length = 0;
		this.maxInFlight = this.inFlight;
	}

	requestsTo(path: string) {
		return this.requests.filter((r) => r.path.toLowerCase() === path.toLowerCase());
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5000;
		this.baseUrl = await listenTracked(this.server, this.sockets, port, host);
		return this.baseUrl;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private takeFault(path: string): Fault | undefined {
		const index = this.faults.findIndex((f) => !f.path || f.path.toLowerCase() === path.toLowerCase());
		if (index < 0) return undefined;
		return this.faults.splice(index, 1)[0];
	}

	/** Wait until `hold.count` requests to its path are in flight (see `hold`). */
	private async waitForHold(path: string) {
		const hold = this.hold;
		if (!hold || hold.path.toLowerCase() !== path.toLowerCase()) return;
		if (this.inFlight >= hold.count) {
			for (const release of this.held.splice(0)) release();
			return;
		}
		await new Promise<void>((resolve) => {
			this.held.push(resolve);
			setTimeout(resolve, hold.timeoutMs ?? 10_000).unref();
		});
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		// 'finish' (the answer handed to the OS, before the client can read it) or 'close' (aborted).
		let done = false;
		const finished = () => {
			if (!done) this.inFlight--;
			done = true;
		};
		res.on('finish', finished);
		res.on('close', finished);
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://stand-in');
		const contentType = String(req.headers['content-type'] ?? '');
		let json: unknown;
		if (contentType.includes('json') && rawBody) {
			try {
				json = JSON.parse(rawBody);
			} catch {
				json = undefined;
			}
		}
		const recorded: RecordedRequest = {
			method: req.method ?? 'GET',
			path: url.pathname,
			rawUrl: req.url ?? '/',
			query: parsePairs(url.search),
			headers: req.headers,
			contentType,
			rawBody,
			form: contentType.includes('application/x-www-form-urlencoded') ? parsePairs(rawBody) : {},
			json,
			cookies: parseCookies(req.headers.cookie),
			receivedAt: Date.now(),
		};
		this.requests.push(recorded);

		await this.waitForHold(recorded.path);
		if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

		const fault = this.takeFault(recorded.path);
		if (fault) {
			switch (fault.kind) {
				case 'reset':
					req.socket.destroy();
					return;
				case 'hang':
					setTimeout(() => req.socket.destroy(), fault.ms ?? 60_000).unref();
					return;
				case 'html':
					res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html' });
					res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
					return;
				case 'malformedJson':
					res.writeHead(200, { 'Content-Type': 'application/json' });
					res.end('{"state": 200, "payload": {');
					return;
				case 'empty':
					res.writeHead(fault.status ?? 200, { 'Content-Length': '0' });
					res.end();
					return;
				case 'reply':
					this.send(res, fault);
					return;
				case 'resetAfterHandling':
					break;
			}
		}

		const handler = this.routes.get(`${recorded.method} ${recorded.path.toLowerCase()}`);
		if (!handler) {
			this.send(res, { status: 404, body: { message: `No route ${recorded.method} ${recorded.path}` } });
			return;
		}
		try {
			const reply = await handler(recorded);
			if (fault?.kind === 'resetAfterHandling') {
				req.socket.destroy();
				return;
			}
			this.send(res, reply);
		} catch (error) {
			this.send(res, { status: 500, body: { message: (error as Error).message } });
		}
	}

	private send(res: http.ServerResponse, reply: ReplyDescription) {
		const isText = typeof reply.body === 'string';
		const body = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
		res.writeHead(reply.status ?? 200, {
			'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
			...reply.headers,
		});
		res.end(body);
	}
}
