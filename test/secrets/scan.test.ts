/**
 * Secrets scan: runs the failure paths of every node — wrong password or secret, refused and
 * expired tokens, HTTP 401/403/500, network errors, bad input, with and without Continue On
 * Fail, credential tests, refused webhook callbacks — and collects everything they produce:
 * error messages, descriptions, stacks and whole error objects, output items, the run data n8n
 * would store, webhook replies, and every line written through console.* or n8n's logger
 * (Logger service and LoggerProxy). None of it may contain a token, password, client secret,
 * sign key, or the signature the trigger expected.
 */
import { createHash } from 'node:crypto';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { IncsApi } from '../../credentials/IncsApi.credentials';
import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { Kanfang123WebhookApi } from '../../credentials/Kanfang123WebhookApi.credentials';
import { Aicc } from '../../nodes/Aicc/Aicc.node';
import { Incs } from '../../nodes/Incs/Incs.node';
import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { Kanfang123Trigger } from '../../nodes/Kanfang123/Kanfang123Trigger.node';
import { Harness } from '../harness/run';
import type { RunResult } from '../harness/run';
import { WebhookServer } from '../harness/webhook';
import { AICC_TASK_PATH, AICC_TOKEN_PATH, AiccServer } from '../../stand-ins/aicc';
import { IncsServer } from '../../stand-ins/incs';
import { Kanfang123StandIn } from '../../stand-ins/kanfang123';

// Secrets use only letters, digits and dashes, so URL or form encoding cannot hide them.
const SECRETS = {
	kanfangPassword: 'kf-Pa55word-8d1c2e7f',
	kanfangWrongPassword: 'kf-wrong-Pa55-41b9aa03',
	kanfangStaticToken: 'kf-static-token-9e3b51c0',
	kanfangBadToken: 'kf-refused-token-77c2d4e1',
	aiccSecret: 'aicc-Client-Secret-5f0a9b33',
	aiccWrongSecret: 'aicc-wrong-secret-2d8e6c19',
	aiccBadToken: 'aicc-refused-token-c41f07aa',
	incsToken: 'incs-api-token-6a2b90fd',
	incsWrongToken: 'incs-wrong-token-0b7e3c58',
	signKey: 'trigger-sign-key-3c9d71ae',
};

const KANFANG = 'CUSTOM.kanfang123';
const AICC = 'CUSTOM.aicc';
const INCS = 'CUSTOM.incs';
const TRIGGER = 'CUSTOM.kanfang123Trigger';

/** Everything produced so far, labelled by the scenario that produced it. */
const corpus: Array<{ scenario: string; text: string }> = [];
/** Log lines (console and n8n logger) are collected continuously. */
const logLines: string[] = [];

/** JSON of anything, including errors' non-enumerable fields, tolerating cycles. */
function dump(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (typeof v === 'bigint') return String(v);
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[cycle]';
			seen.add(v);
			if (v instanceof Error) {
				const copy: Record<string, unknown> = { name: v.name, message: v.message, stack: v.stack };
				for (const key of Object.getOwnPropertyNames(v)) copy[key] = (v as unknown as Record<string, unknown>)[key];
				copy.cause = (v as { cause?: unknown }).cause;
				return copy;
			}
		}
		return v;
	});
}

function secretsIn(text: string, secrets: string[]): string[] {
	return secrets.filter((secret) => secret && text.includes(secret));
}

/** Add a scenario's products to the corpus and check them against the known secrets now. */
function collect(scenario: string, ...things: unknown[]) {
	const text = things.map((thing) => (typeof thing === 'string' ? thing : dump(thing))).join('\n');
	corpus.push({ scenario, text });
	expect({ scenario, leaked: secretsIn(text, Object.values(SECRETS)) }).toEqual({ scenario, leaked: [] });
}

function collectRun(scenario: string, result: RunResult) {
	const error = result.error as unknown as Record<string, unknown> | undefined;
	collect(scenario, result.items, result.run, error, error?.message, error?.description, error?.stack);
	// Every failure path must actually fail: an error, or error items.
	expect(result.error !== undefined || result.items.some((i) => i.json.error !== undefined)).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// Log capture: console.* and n8n's logger.

const capture =
	(level: string) =>
	(...args: unknown[]) => {
		logLines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : dump(a))).join(' ')}`);
	};
const capturingLogger = {
	error: capture('logger.error'),
	warn: capture('logger.warn'),
	info: capture('logger.info'),
	debug: capture('logger.debug'),
	verbose: capture('logger.verbose'),
	scoped: () => capturingLogger,
};
const consoleSpies: jest.SpyInstance[] = [];

// ---------------------------------------------------------------------------------------------

let harness: Harness;
const kanfang = new Kanfang123StandIn();
const aicc = new AiccServer({ clientId: 'scan-client', clientSecret: SECRETS.aiccSecret });
const incs = new IncsServer({ token: SECRETS.incsToken });
const incsHttpErrors = new IncsServer({ token: SECRETS.incsToken, errorStatus: 'httpCode' });
let webhook: WebhookServer;

beforeAll(async () => {
	Container.set(Logger, capturingLogger as unknown as Logger);
	LoggerProxy.init(capturingLogger as never);
	for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
		consoleSpies.push(jest.spyOn(console, method).mockImplementation(capture(`console.${method}`)));
	}
	kanfang.accounts.set('demo', SECRETS.kanfangPassword);
	kanfang.staticTokens.add(SECRETS.kanfangStaticToken);
	await Promise.all([kanfang.start(), aicc.start(), incs.start(), incsHttpErrors.start()]);
	harness = new Harness({
		nodes: [
			{ type: KANFANG, node: new Kanfang123() },
			{ type: AICC, node: new Aicc() },
			{ type: INCS, node: new Incs() },
			{ type: TRIGGER, node: new Kanfang123Trigger() },
		],
		credentialTypes: [new Kanfang123Api(), new AiccApi(), new IncsApi(), new Kanfang123WebhookApi()],
	});
	webhook = new WebhookServer(harness, { type: TRIGGER, parameters: {} });
	await webhook.start();
});

afterAll(async () => {
	for (const spy of consoleSpies) spy.mockRestore();
	await Promise.all([kanfang.stop(), aicc.stop(), incs.stop(), incsHttpErrors.stop(), webhook.stop()]);
});

beforeEach(() => {
	kanfang.clearFaults();
	aicc.clearFaults();
	incs.clearFaults();
	kanfang.authFailure = 'body';
});

const options = { retryDelay: 1, maxRetries: 1, timeout: 1000 };
const bothModes = [false, true];

// ---------------------------------------------------------------------------------------------
// 123kanfang

function kanfangAccount(password = SECRETS.kanfangPassword, baseUrl = kanfang.baseUrl): INodeCredentialsDetails {
	return harness.credentials.add('kanfang123Api', {
		environment: 'custom',
		baseUrl,
		authentication: 'account',
		username: 'demo',
		password,
	});
}

function kanfangToken(token: string, authorizationLocation = 'header'): INodeCredentialsDetails {
	return harness.credentials.add('kanfang123Api', {
		environment: 'custom',
		baseUrl: kanfang.baseUrl,
		authentication: 'accessToken',
		accessToken: token,
		authorizationLocation,
	});
}

let house = 0;
async function kanfangAssign(credential: INodeCredentialsDetails, continueOnFail: boolean, extra: INodeParameters = {}, count = 2) {
	return await harness.run({
		type: KANFANG,
		parameters: {
			resource: 'houseTask',
			operation: 'assignCapture',
			userName: 'photographer',
			houseName: 'House',
			customerHouseId: '={{ $json.house }}',
			serviceId: 'svc',
			options,
			...extra,
		},
		credentials: { kanfang123Api: credential },
		items: Array.from({ length: count }, () => ({ house: `scan-${++house}` })),
		continueOnFail,
	});
}

describe.each(bothModes)('123kanfang failure paths (Continue On Fail: %s)', (continueOnFail) => {
	it('wrong password', async () => {
		collectRun('kanfang wrong password', await kanfangAssign(kanfangAccount(SECRETS.kanfangWrongPassword), continueOnFail));
	});

	it.each(['header', 'body', 'cookie'])('refused access token sent in the %s (HTTP 200 body and HTTP 401)', async (location) => {
		collectRun(`kanfang refused token ${location}`, await kanfangAssign(kanfangToken(SECRETS.kanfangBadToken, location), continueOnFail));
		kanfang.authFailure = 'http';
		collectRun(`kanfang refused token ${location} http`, await kanfangAssign(kanfangToken(SECRETS.kanfangBadToken, location), continueOnFail));
	});

	it('expired token whose renewal fails (password changed meanwhile)', async () => {
		const credential = kanfangAccount();
		const first = await kanfangAssign(credential, continueOnFail, {}, 1);
		expect(first.items[0].json.id).toBeDefined();
		kanfang.expireAllTokens();
		// The refresh token is refused too, so the renewal falls back to the (now wrong) password.
		kanfang.expireAllRefreshTokens();
		kanfang.accounts.set('demo', 'changed-elsewhere');
		try {
			collectRun('kanfang renewal fails', await kanfangAssign(credential, continueOnFail));
		} finally {
			kanfang.accounts.set('demo', SECRETS.kanfangPassword);
		}
	});

	it.each([
		[401, { state: 401, payload: 'Unauthorized' }],
		[403, { state: 403, payload: 'InvalidServiceId' }],
		[500, { state: 500, payload: 'InnerServerError -> detail' }],
		[500, '<html><body>Internal Server Error</body></html>'],
	])('HTTP %s from the API', async (status, body) => {
		kanfang.inject({ kind: 'reply', path: '/v2/houseTask/AssignNewCaptureHouseTask', status, body }, { kind: 'reply', status, body });
		collectRun(`kanfang http ${status}`, await kanfangAssign(kanfangToken(SECRETS.kanfangStaticToken), continueOnFail));
	});

	it('network errors: reset, time-out, refused connection (API and login)', async () => {
		kanfang.inject({ kind: 'reset' }, { kind: 'reset' });
		collectRun('kanfang reset', await kanfangAssign(kanfangToken(SECRETS.kanfangStaticToken), continueOnFail, { operation: 'push', packageId: 'p', notifyconfigId: 'n' }));
		kanfang.inject({ kind: 'hang', ms: 10_000 }, { kind: 'hang', ms: 10_000 });
		collectRun('kanfang timeout', await kanfangAssign(kanfangToken(SECRETS.kanfangStaticToken), continueOnFail, { operation: 'push', packageId: 'p', notifyconfigId: 'n' }));
		collectRun('kanfang login refused', await kanfangAssign(kanfangAccount(SECRETS.kanfangPassword, 'http://127.0.0.1:1'), continueOnFail));
		kanfang.inject({ kind: 'reset', path: '/v2/Authorization/GetAccessToken' }, { kind: 'reset', path: '/v2/Authorization/GetAccessToken' });
		collectRun('kanfang login reset', await kanfangAssign(kanfangAccount(), continueOnFail));
	});

	it('a server that echoes the token or the password in its error text', async () => {
		const echo = { kind: 'reply', status: 500, body: { state: 500, payload: `token ${SECRETS.kanfangStaticToken} is not allowed` } } as const;
		kanfang.inject(echo, echo);
		collectRun('kanfang echoed token', await kanfangAssign(kanfangToken(SECRETS.kanfangStaticToken), continueOnFail));
		kanfang.inject({
			kind: 'reply',
			path: '/v2/Authorization/GetAccessToken',
			body: { state: 401, payload: `password ${SECRETS.kanfangPassword} was refused` },
		});
		collectRun('kanfang echoed password', await kanfangAssign(kanfangAccount(), continueOnFail));
	});

	it('bad input', async () => {
		collectRun(
			'kanfang bad input',
			await kanfangAssign(kanfangAccount(), continueOnFail, { serviceId: 'x'.repeat(40), additionalFields: { additionalData: '{"a":' } }),
		);
	});
});

describe('123kanfang credential test with wrong secrets', () => {
	it('reports failures without the token or password', async () => {
		const results = [];
		for (const credential of [kanfangToken(SECRETS.kanfangBadToken), kanfangAccount(SECRETS.kanfangWrongPassword)]) {
			const result = await harness.testCredential(harness.credentials.decrypted(credential.id!));
			expect(result.status).toBe('Error');
			results.push(result);
		}
		collect('kanfang credential test', results);
	});
});

// ---------------------------------------------------------------------------------------------
// Huawei AICC

function aiccClient(secret = SECRETS.aiccSecret, domain = aicc.baseUrl): INodeCredentialsDetails {
	return harness.credentials.add('aiccApi', { domain, authentication: 'clientCredentials', clientId: 'scan-client', clientSecret: secret });
}
function aiccToken(token: string): INodeCredentialsDetails {
	return harness.credentials.add('aiccApi', { domain: aicc.baseUrl, authentication: 'accessToken', accessToken: token });
}

async function aiccCreate(credential: INodeCredentialsDetails, continueOnFail: boolean, extra: INodeParameters = {}) {
	return await harness.run({
		type: AICC,
		parameters: { resource: 'task', operation: 'create', title: 'Call back', ownerId: 'owner-1', creatorId: 'creator-1', options, ...extra },
		credentials: { aiccApi: credential },
		items: [{}, {}],
		continueOnFail,
	});
}

describe.each(bothModes)('Huawei AICC failure paths (Continue On Fail: %s)', (continueOnFail) => {
	it('wrong client secret', async () => {
		collectRun('aicc wrong secret', await aiccCreate(aiccClient(SECRETS.aiccWrongSecret), continueOnFail));
	});

	it('refused access token', async () => {
		collectRun('aicc refused token', await aiccCreate(aiccToken(SECRETS.aiccBadToken), continueOnFail));
	});

	it('token endpoint errors: HTTP 500 page, malformed JSON, refused connection, reset', async () => {
		aicc.inject({ kind: 'html', path: AICC_TOKEN_PATH, status: 500 });
		collectRun('aicc token 500', await aiccCreate(aiccClient(), continueOnFail));
		aicc.inject({ kind: 'malformedJson', path: AICC_TOKEN_PATH });
		collectRun('aicc token malformed', await aiccCreate(aiccClient(), continueOnFail));
		collectRun('aicc token refused', await aiccCreate(aiccClient(SECRETS.aiccSecret, 'http://127.0.0.1:1'), continueOnFail));
		aicc.inject({ kind: 'reset', path: AICC_TOKEN_PATH }, { kind: 'reset', path: AICC_TOKEN_PATH });
		collectRun('aicc token reset', await aiccCreate(aiccClient(), continueOnFail));
	});

	it('expired token whose renewal fails (secret rotated meanwhile)', async () => {
		const credential = aiccClient();
		const first = await aiccCreate(credential, continueOnFail);
		expect(first.items[0].json.taskId).toBeDefined();
		aicc.expireAllTokens();
		aicc.clientSecret = 'rotated-elsewhere';
		try {
			collectRun('aicc renewal fails', await aiccCreate(credential, continueOnFail));
		} finally {
			aicc.clientSecret = SECRETS.aiccSecret;
		}
	});

	it.each([401, 403, 500])('HTTP %s from the API', async (status) => {
		const fault = { kind: 'reply', path: `${AICC_TASK_PATH}/task`, status, body: { resCode: String(status), resMsg: 'refused' } } as const;
		aicc.inject(fault, fault, fault, fault, fault, fault);
		collectRun(`aicc http ${status}`, await aiccCreate(aiccClient(), continueOnFail));
	});

	it('network errors on the API: reset and time-out', async () => {
		aicc.inject({ kind: 'reset', path: `${AICC_TASK_PATH}/task` }, { kind: 'hang', path: `${AICC_TASK_PATH}/task`, ms: 10_000 });
		collectRun('aicc api network', await aiccCreate(aiccClient(), continueOnFail));
	});

	it('a server that echoes the access token in its error text', async () => {
		const token = aicc.issueToken();
		const echo = { kind: 'reply', path: `${AICC_TASK_PATH}/task`, status: 403, body: { resCode: '403', resMsg: `token ${token} may not create tasks` } } as const;
		aicc.inject(echo, echo);
		const result = await aiccCreate(aiccToken(token), continueOnFail);
		collectRun('aicc echoed token', result);
		expect(dump(result)).not.toContain(token);
	});

	it('bad input', async () => {
		collectRun('aicc bad input', await aiccCreate(aiccClient(), continueOnFail, { title: 'x'.repeat(200), additionalFields: { dueDate: 'soon' } }));
	});
});

describe('Huawei AICC credential test with wrong secrets', () => {
	it('reports failures without the secret or token', async () => {
		const results = [];
		for (const credential of [aiccClient(SECRETS.aiccWrongSecret), aiccToken(SECRETS.aiccBadToken)]) {
			const result = await harness.testCredential(harness.credentials.decrypted(credential.id!));
			expect(result.status).toBe('Error');
			results.push(result);
		}
		collect('aicc credential test', results);
	});
});

// ---------------------------------------------------------------------------------------------
// INCS

let phone = 0;
async function incsCreate(server: IncsServer, token: string, continueOnFail: boolean, extra: INodeParameters = {}) {
	return await harness.run({
		type: INCS,
		parameters: {
			resource: 'task',
			operation: 'create',
			name: 'Reminder',
			authId: 30058,
			userPhone: '={{ $json.phone }}',
			assigneeUsername: 'agent',
			options,
			...extra,
		},
		credentials: { incsApi: harness.credentials.add('incsApi', { baseUrl: server.baseUrl, apiToken: token }) },
		items: [{ phone: `62811000${String(++phone).padStart(4, '0')}` }, { phone: `62811000${String(++phone).padStart(4, '0')}` }],
		continueOnFail,
	});
}

describe.each(bothModes)('INCS failure paths (Continue On Fail: %s)', (continueOnFail) => {
	it.each([
		['errors as HTTP 200', () => incs],
		['errors as HTTP status', () => incsHttpErrors],
	])('wrong token (%s)', async (_label, server) => {
		collectRun('incs wrong token', await incsCreate(server(), SECRETS.incsWrongToken, continueOnFail));
	});

	it.each([403, 500, 502])('HTTP %s', async (status) => {
		incs.inject({ kind: 'reply', status, body: { status: 'error', code: status, message: 'Refused' } }, { kind: 'reply', status, body: 'plain failure' });
		collectRun(`incs http ${status}`, await incsCreate(incs, SECRETS.incsToken, continueOnFail));
	});

	it('network errors: reset, time-out, refused connection', async () => {
		incs.inject({ kind: 'reset' }, { kind: 'hang', ms: 10_000 });
		collectRun('incs network', await incsCreate(incs, SECRETS.incsToken, continueOnFail));
		const down = new IncsServer({ token: SECRETS.incsToken });
		down.baseUrl = 'http://127.0.0.1:1';
		collectRun('incs refused', await incsCreate(down, SECRETS.incsToken, continueOnFail));
	});

	it('a server that echoes the token in its error text', async () => {
		const echo = { kind: 'reply', status: 401, body: { status: 'error', code: 401, message: `Bearer ${SECRETS.incsToken} is revoked` } } as const;
		incs.inject(echo, echo);
		collectRun('incs echoed token', await incsCreate(incs, SECRETS.incsToken, continueOnFail));
	});

	it('bad input', async () => {
		collectRun('incs bad input', await incsCreate(incs, SECRETS.incsToken, continueOnFail, { userPhone: '0815-not-a-phone', authId: 'abc' }));
	});
});

describe('INCS credential test with a wrong token', () => {
	it('reports the failure without the token', async () => {
		const credential = harness.credentials.add('incsApi', { baseUrl: incs.baseUrl, apiToken: SECRETS.incsWrongToken });
		const result = await harness.testCredential(harness.credentials.decrypted(credential.id!));
		expect(result.status).toBe('Error');
		collect('incs credential test', result);
	});
});

// ---------------------------------------------------------------------------------------------
// 123kanfang Trigger

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

describe('123kanfang Trigger: refused callbacks', () => {
	const params = 'state=50000&houseTaskId=abc&userName=%E5%BC%A0';
	const values = '50000abc张';

	async function callback(headers: Record<string, string>, body = params) {
		const response = await fetch(webhook.productionUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body,
		});
		const text = await response.text();
		await webhook.settled();
		return { status: response.status, text };
	}

	it('wrong, missing and stale signatures are refused without echoing the key or the expected signature', async () => {
		const credential = harness.credentials.add('kanfang123WebhookApi', { signSecret: SECRETS.signKey });
		webhook.configure({ parameters: {}, credentials: { kanfang123WebhookApi: credential } });
		const now = String(Date.now());
		const stale = String(Date.now() - 3_600_000);
		const expected = (timestamp: string, body = values) => md5(`${SECRETS.signKey}${body}${timestamp}`);
		const replies = [
			await callback({ sign: md5(`wrong-key${values}${now}`), timestamp: now }),
			await callback({ sign: expected(now), timestamp: now }, `${params}&extra=1`),
			await callback({ timestamp: now }),
			await callback({ sign: expected(now) }),
			await callback({ sign: expected(stale), timestamp: stale }),
			await callback({ sign: expected('not-a-time'), timestamp: 'not-a-time' }),
		];
		for (const reply of replies) expect(reply.status).toBe(401);
		expect(webhook.executions).toHaveLength(0);
		const text = dump({ replies, handled: webhook.handled });
		collect('trigger refused', text);
		// Nor the signature the node computed for the tampered body (it would let a sender forge it).
		expect(secretsIn(text + logLines.join('\n'), [expected(now, `${values}1`)])).toEqual([]);
	});

	it('a credential without a sign key refuses with HTTP 500 and a warning, no key material', async () => {
		const credential = harness.credentials.add('kanfang123WebhookApi', { signSecret: '' });
		webhook.configure({ parameters: {}, credentials: { kanfang123WebhookApi: credential } });
		// A fresh timestamp: the trigger checks the time before it reads the key.
		const now = String(Date.now());
		const reply = await callback({ sign: md5(`x${values}${now}`), timestamp: now });
		expect(reply.status).toBe(500);
		collect('trigger no key', reply, webhook.handled);
		expect(logLines.some((line) => line.includes('no sign key'))).toBe(true);
	});
});

// ---------------------------------------------------------------------------------------------

describe('the whole scan', () => {
	it('covered every node and found no secret in outputs, errors, run data, replies or logs', () => {
		const scenarios = new Set(corpus.map((c) => c.scenario.split(' ')[0]));
		expect([...scenarios].sort()).toEqual(['aicc', 'incs', 'kanfang', 'trigger']);
		expect(corpus.length).toBeGreaterThan(60);
		expect(logLines.length).toBeGreaterThan(0);

		// Tokens the stand-ins issued during the runs are secrets too.
		const issued = [
			...kanfang.tokens.keys(),
			...(aicc as unknown as { tokens: Map<string, number> }).tokens.keys(),
		];
		const secrets = [...Object.values(SECRETS), ...issued];
		expect(issued.length).toBeGreaterThan(0);

		const leaks: Array<{ scenario: string; secrets: string[] }> = [];
		for (const { scenario, text } of corpus) {
			const found = secretsIn(text, secrets);
			if (found.length) leaks.push({ scenario, secrets: found });
		}
		const logs = logLines.join('\n');
		const inLogs = secretsIn(logs, secrets);
		if (inLogs.length) leaks.push({ scenario: 'logs', secrets: inLogs });
		expect(leaks).toEqual([]);
	});
});
