/**
 * Contract tests of nodes/shared/n8nAdapter.ts: each relies-on of the adapter, checked in the
 * real n8n of the line under test. When n8n changes one of these behaviours, the test fails
 * with a message naming the adapter function to fix.
 *
 * The API side is a small 123kanfang of this file on 127.0.0.1 (logins counted, a login that
 * never answers, GetPage rows for the polling trigger); the webhook trigger tests sign their
 * own callbacks (stand-ins/callback.ts).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { postBody } from '../../scripts/bench/callbackLoad';
import { PACKAGE_NAME } from '../../scripts/lib/examples';
import { nodeOutput, type N8nRest } from '../../scripts/lib/rest';
import { chain, workflowNode as node } from '../../scripts/lib/workflow';
import { formBody, senderSign, type Params } from '../../stand-ins/callback';
import { activeWorkflow, e2eState, loggedIn, n8nName } from './helpers';

const state = e2eState();
let rest: N8nRest;

/** Fails the test, naming the adapter function whose reliance on n8n no longer holds. */
function contract(adapterFunction: string, holds: boolean, expected: string, seen: unknown) {
	if (holds) return;
	throw new Error(
		`n8n changed a behaviour nodes/shared/n8nAdapter.ts relies on — fix ${adapterFunction}() ` +
			`(${n8nName(state)}): expected ${expected}; seen: ${JSON.stringify(seen)}`,
	);
}

// ── A 123kanfang of this file ───────────────────────────────────────────────────────────────

const LOGIN_PATH = '/v2/Authorization/GetAccessToken';
const vendor = {
	url: '',
	server: undefined as http.Server | undefined,
	sockets: new Set<Socket>(),
	/** 'hang': logins are never answered (the socket is closed when the file ends). */
	login: 'ok' as 'ok' | 'hang',
	logins: 0,
	/** The Authorization header of each API request (not logins). */
	apiTokens: [] as string[],
	/** What GetPage (every API request) answers with. */
	rows: [] as Array<Record<string, unknown>>,
	/** The path of each API request. */
	apiPaths: [] as string[],
};

function vendorReply(request: http.IncomingMessage, response: http.ServerResponse) {
	const path = new URL(request.url ?? '/', 'http://x').pathname;
	const json = (body: unknown) => {
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify(body));
	};
	request.resume();
	if (path === LOGIN_PATH) {
		vendor.logins++;
		if (vendor.login === 'hang') return;
		json({ state: 200, payload: { token: `contract-token-${vendor.logins}`, tokenExpireIn: 7200 } });
		return;
	}
	const token = String(request.headers.authorization ?? '');
	vendor.apiTokens.push(token);
	vendor.apiPaths.push(path);
	if (token !== `contract-token-${vendor.logins}`) json({ state: 401, payload: 'token invalid' });
	else json({ state: 200, payload: { rows: vendor.rows, total: vendor.rows.length } });
}

/** A 123kanfang credential (account login, no token yet) for `baseUrl`. */
async function accountCredential(baseUrl: string) {
	return rest.createCredential(`n8nAdapter contract ${randomUUID().slice(0, 8)}`, 'kanfang123Api', {
		environment: 'custom',
		baseUrl,
		authentication: 'account',
		username: 'contract-user',
		password: 'contract-password',
		authorizationLocation: 'header',
	});
}

/** Run manually: three items, each asking 123kanfang Get Many for one row with `credential`. */
async function runGetMany(credential: { id: string; name: string }, options: Record<string, unknown>) {
	const { id } = await rest.createWorkflow({
		name: `n8nAdapter contract ${randomUUID().slice(0, 8)}`,
		nodes: [
			node('Run manually', 'n8n-nodes-base.manualTrigger', 1, {}),
			node('Three items', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ n: [1, 2, 3] }), options: {} }),
			node('One item each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'n', options: {} }),
			node(
				'Get Many',
				`${PACKAGE_NAME}.kanfang123`,
				1,
				{ resource: 'houseTask', operation: 'getMany', returnAll: false, limit: 1, filters: {}, options },
				{ credentials: { kanfang123Api: { id: credential.id, name: credential.name } } },
			),
		],
		connections: chain('Run manually', 'Three items', 'One item each', 'Get Many'),
		settings: {},
	});
	const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'));
	const error = execution.run.resultData.error;
	return { execution, error: `${error?.message ?? ''} ${error?.description ?? ''}`.trim() };
}

/** A port nothing listens on (a server opened, then closed). */
async function closedPort(): Promise<number> {
	const server = http.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

beforeAll(async () => {
	rest = await loggedIn(state);
	const server = http.createServer(vendorReply);
	server.on('connection', (socket) => {
		vendor.sockets.add(socket);
		socket.on('close', () => vendor.sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	vendor.server = server;
	vendor.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	for (const socket of vendor.sockets) socket.destroy();
	await new Promise((resolve) => vendor.server?.close(resolve));
});

describe(`n8nAdapter.ts: what the nodes rely on beyond n8n's node API, in ${n8nName(state)}`, () => {
	test('wrappedLoginMessages: a login that fails on the network still reports our login message', async () => {
		const credential = await accountCredential(`http://127.0.0.1:${await closedPort()}`);
		const { execution, error } = await runGetMany(credential, { maxRetries: 0 });
		expect(execution.status).toBe('error');
		contract(
			'wrappedLoginMessages',
			/Could not reach the 123kanfang login endpoint \(connection refused\)/.test(error),
			'the error of the failed preAuthentication to list our message "Could not reach the 123kanfang login endpoint (connection refused)"',
			error,
		);
	});

	test("passToLogin / settingsFromNode: the node's Timeout reaches the credential's login", async () => {
		vendor.login = 'hang';
		try {
			const credential = await accountCredential(vendor.url);
			const { execution, error } = await runGetMany(credential, { maxRetries: 0, timeout: 1500 });
			expect(execution.status).toBe('error');
			// Without the node's Timeout the login would wait the default 30000 ms and say so.
			contract(
				'passToLogin',
				error.includes("no answer within 1500 ms (the node's Timeout)"),
				"the login to fail at the node's Timeout of 1500 ms (preAuthentication receives the node's credential data object itself)",
				error,
			);
		} finally {
			vendor.login = 'ok';
		}
	});

	test('sendWithCredential: the token preAuthentication fetched is used by the following requests (one login)', async () => {
		const credential = await accountCredential(vendor.url);
		const loginsBefore = vendor.logins;
		const tokensBefore = vendor.apiTokens.length;
		const { execution, error } = await runGetMany(credential, { concurrency: 1 });
		const logins = vendor.logins - loginsBefore;
		const tokens = vendor.apiTokens.slice(tokensBefore);
		const issued = `contract-token-${vendor.logins}`;
		contract(
			'sendWithCredential',
			execution.status === 'success' && logins === 1 && tokens.length === 3 && tokens.every((t) => t === issued),
			`one login, then three requests with its token (n8n writes what preAuthentication returned into the data object the node passed)`,
			{ status: execution.status, error, logins, tokens },
		);
	});

	test('sendWithCredential from a poll (ApiContext includes IPollFunctions): the polling trigger sends its request', async () => {
		// This file's 123kanfang, not the sandbox's: a task made there would show up in the
		// polling trigger's own e2e tests.
		const houseTaskId = `adapter-poll-${randomUUID().slice(0, 8)}`;
		vendor.rows = [
			{ id: houseTaskId, packageId: 'pkg-adapter', customerHouseId: 'ADAPTER-POLL', houseName: 'Adapter House', taskState: 9000, lastModifyTime: '2026-12-06T10:00:00' },
		];
		const credential = await accountCredential(vendor.url);
		const trigger = 'Polled';
		const { id } = await rest.createWorkflow({
			name: `n8nAdapter contract poll ${randomUUID().slice(0, 8)}`,
			nodes: [
				node(trigger, `${PACKAGE_NAME}.kanfang123PollTrigger`, 1, { pollTimes: { item: [{ mode: 'everyMinute' }] }, taskStates: [9000], options: {} }, {
					credentials: { kanfang123Api: { id: credential.id, name: credential.name } },
				}),
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		try {
			const pagesBefore = vendor.apiPaths.filter((p) => p.endsWith('/GetPage')).length;
			const execution = await rest.waitForExecution(await rest.runManually(id, trigger));
			const pages = vendor.apiPaths.filter((p) => p.endsWith('/GetPage')).length - pagesBefore;
			const items = execution.status === 'success' ? nodeOutput(execution.run, trigger) : [];
			contract(
				'sendWithCredential (from a poll context)',
				pages >= 1 && items.some((item) => item.houseTaskId === houseTaskId),
				'the polling trigger to read GetPage through the shared client (its login included) and emit the task',
				{ status: execution.status, error: execution.run.resultData.error?.message, pages, items: items.length },
			);
		} finally {
			vendor.rows = [];
		}
	});

	describe('rawBodyOf / readRawBody: the webhook trigger checks the bytes 123kanfang sent', () => {
		const credential = state.credentials.kanfang123WebhookApi;
		const signKey = String(credential.data.signSecret);
		const webhookId = randomUUID();
		let trigger: Awaited<ReturnType<typeof activeWorkflow>>;

		beforeAll(async () => {
			trigger = await activeWorkflow(
				rest,
				{
					name: `n8nAdapter contract trigger ${webhookId.slice(0, 8)}`,
					nodes: [
						node('Callback', `${PACKAGE_NAME}.kanfang123Trigger`, 2, { event: 'taskStateChanged' }, {
							webhookId,
							credentials: { kanfang123WebhookApi: { id: credential.id, name: credential.name } },
						}),
					],
					connections: {},
					settings: { executionOrder: 'v1' },
				},
				{ webhookId, path: 'webhook' },
			);
		});

		afterAll(async () => {
			await trigger?.deactivate();
		});

		/** POST `params` signed; `raw` sends them as unescaped UTF-8 bytes (not form-encoded). */
		async function send(params: Params, contentType: string | undefined, raw = false) {
			const timestamp = String(Date.now());
			const headers: Record<string, string> = { timestamp, sign: senderSign(signKey, params, timestamp) };
			if (contentType) headers['content-type'] = contentType;
			const body = raw ? Buffer.from(params.map(([name, value]) => `${name}=${value}`).join('&'), 'utf8') : formBody(params);
			return postBody(trigger.url, body, headers);
		}

		const callback = (id: string): Params => [
			['state', '50000'],
			['houseTaskId', `adapter-${id}`],
			['houseId', `测试-${id}`],
		];

		test('rawBodyOf: the signature is checked over the bytes received, not over n8n\'s decoded copy', async () => {
			// n8n decodes a form body with the charset its Content-Type names: as latin1, the UTF-8
			// bytes of 测试 become other characters in n8n's parsed copy. Only the bytes themselves
			// match the signature.
			const latin1 = await send(callback(`latin1-${Date.now()}`), 'application/x-www-form-urlencoded; charset=latin1', true);
			contract(
				'rawBodyOf',
				latin1.status === 200,
				'a signed form callback with charset=latin1 and UTF-8 bytes to be accepted (n8n keeps the bytes it read as rawBody)',
				latin1,
			);
			// n8n's parsed copy of a text body is one string, not form fields.
			const text = await send(callback(`text-${Date.now()}`), 'text/plain; charset=utf-8');
			contract('rawBodyOf', text.status === 200, 'a signed callback whose form bytes come as text/plain to be accepted', text);
		});

		test('readRawBody: without a Content-Type n8n leaves the body unread and the trigger reads it', async () => {
			const reply = await send(callback(`bare-${Date.now()}`), undefined);
			contract('readRawBody', reply.status === 200, 'a signed callback without Content-Type to be accepted', reply);
		});
	});
});
