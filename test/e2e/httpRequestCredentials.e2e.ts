/**
 * Our API credentials in n8n's own HTTP Request node (Authentication: Predefined Credential
 * Type), for calls our nodes do not offer — in a real n8n, against stand-ins this file starts
 * (so it can expire their tokens). n8n renews a credential there only after a failed request;
 * the 123kanfang and AICC credentials refuse to send a token past its recorded expiry, so n8n
 * renews it first. A token the vendor revokes early comes back as 123kanfang's `state: 401`
 * inside an HTTP 200, which the HTTP Request node cannot tell from an answer: the test shows
 * what the user then sees, and that running one of our 123kanfang nodes renews it.
 */
import type { N8nRest, WorkflowBody } from '../../scripts/lib/rest';
import { nodeOutput } from '../../scripts/lib/rest';
import { AICC_TASK_PATH, AICC_TOKEN_PATH, AiccServer } from '../../stand-ins/aicc';
import { IncsServer } from '../../stand-ins/incs';
import { demoAccountCredential, Kanfang123StandIn } from '../../stand-ins/kanfang123';
import { e2eState, loggedIn, n8nName } from './helpers';

const state = e2eState();
let rest: N8nRest;

const kanfang = new Kanfang123StandIn();
const aicc = new AiccServer({ clientId: 'http-node-client', clientSecret: 'http-node-secret-1' });
const incs = new IncsServer({ token: 'incs-http-node-token-51d2' });

beforeAll(async () => {
	rest = await loggedIn(state);
	await Promise.all([kanfang.start(), aicc.start(), incs.start()]);
});
afterAll(async () => {
	await Promise.all([kanfang.stop(), aicc.stop(), incs.stop()]);
});

let credentialCount = 0;
async function credential(type: string, data: Record<string, unknown>) {
	const stored = await rest.createCredential(`${type} for the HTTP Request node ${++credentialCount}`, type, data);
	return { id: stored.id, name: stored.name };
}

const trigger = { name: 'Run manually', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/** Manual trigger → `node`, saved; returns a function that runs it and returns `node`'s output. */
async function workflowWith(node: Record<string, unknown>) {
	const workflow: WorkflowBody = {
		name: `HTTP Request e2e ${++credentialCount}`,
		nodes: [trigger, { position: [220, 0], ...node }],
		connections: { 'Run manually': { main: [[{ node: String(node.name), type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const { id } = await rest.createWorkflow(workflow);
	return async () => {
		const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'));
		const error = execution.run.resultData.error;
		if (execution.status !== 'success') throw new Error(`run ended "${execution.status}": ${error?.message ?? ''}`);
		return nodeOutput(execution.run, String(node.name));
	};
}

/** n8n's HTTP Request node with one of our credentials as its Predefined Credential Type. */
function httpRequest(type: string, ref: { id: string; name: string }, request: { method: string; url: string; json?: unknown }) {
	return {
		name: 'HTTP Request',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: request.method,
			url: request.url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: type,
			...(request.json === undefined ? {} : { sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(request.json) }),
			options: {},
		},
		credentials: { [type]: ref },
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`our credentials in the HTTP Request node of ${n8nName(state)}`, () => {
	const getPage = () => ({ method: 'GET', url: `${kanfang.baseUrl}/v2/houseTask/GetPage?page=0&pageSize=1` });
	const sentTokens = (since: number) =>
		kanfang.requestsTo('/v2/houseTask/GetPage').filter((r) => r.receivedAt >= since).map((r) => r.headers.authorization);

	beforeEach(() => {
		kanfang.authFailure = 'body';
		kanfang.tokenLifetimeSeconds = 172800;
		kanfang.seedTask({ customerHouseId: `HTTP-${Date.now()}` });
	});

	test('123kanfang API (account login): the token is fetched once and stored; later runs reuse it', async () => {
		const ref = await credential('kanfang123Api', demoAccountCredential(kanfang.baseUrl));
		const run = await workflowWith(httpRequest('kanfang123Api', ref, getPage()));
		const logins = kanfang.loginRequests().length;
		const began = Date.now();
		for (let i = 0; i < 2; i++) expect((await run())[0]).toMatchObject({ state: 200 });
		expect(kanfang.loginRequests().length - logins).toBe(1);
		const tokens = sentTokens(began);
		expect(tokens).toHaveLength(2);
		expect(tokens[0]).toMatch(/^tok_/);
		expect(tokens[1]).toBe(tokens[0]);
	});

	test('123kanfang API: after the token expires, n8n renews it (refresh token) before sending — no refused request', async () => {
		kanfang.tokenLifetimeSeconds = 2;
		const ref = await credential('kanfang123Api', demoAccountCredential(kanfang.baseUrl));
		const run = await workflowWith(httpRequest('kanfang123Api', ref, getPage()));
		expect((await run())[0]).toMatchObject({ state: 200 });
		const renewals = kanfang.refreshRequests().length;
		await sleep(2500); // the token's recorded (and the stand-in's) lifetime is over
		const began = Date.now();
		expect((await run())[0]).toMatchObject({ state: 200 });
		expect(kanfang.refreshRequests().length - renewals).toBe(1);
		const tokens = sentTokens(began);
		expect(tokens).toHaveLength(1);
		expect(kanfang.tokens.get(tokens[0] as string)).toBeGreaterThan(Date.now());
	});

	test('123kanfang API: a token refused with HTTP 401 is renewed by n8n and the request sent again', async () => {
		const ref = await credential('kanfang123Api', demoAccountCredential(kanfang.baseUrl));
		const run = await workflowWith(httpRequest('kanfang123Api', ref, getPage()));
		await run();
		kanfang.authFailure = 'http';
		kanfang.expireAllTokens();
		const began = Date.now();
		expect((await run())[0]).toMatchObject({ state: 200 });
		const tokens = sentTokens(began);
		expect(tokens).toHaveLength(2);
		expect(tokens[1]).not.toBe(tokens[0]);
	});

	test('123kanfang API: a token revoked early (state 401 in HTTP 200) is the output; running a 123kanfang node renews it', async () => {
		const ref = await credential('kanfang123Api', demoAccountCredential(kanfang.baseUrl));
		const run = await workflowWith(httpRequest('kanfang123Api', ref, getPage()));
		await run();
		kanfang.expireAllTokens();
		// What the user sees: the vendor's refusal as the node's output, no error.
		expect((await run())[0]).toMatchObject({ state: 401 });

		const renew = await workflowWith({
			name: 'Get working task',
			type: 'n8n-nodes-task-dispatch.kanfang123',
			typeVersion: 1,
			parameters: { resource: 'houseTask', operation: 'getWorking', customerHouseId: 'ANY-HOUSE', options: {} },
			credentials: { kanfang123Api: ref },
		});
		await renew();
		expect((await run())[0]).toMatchObject({ state: 200 });
	});

	test('Huawei AICC API: works, and after its token expired (HTTP 401) n8n fetches a new one and sends again', async () => {
		const ref = await credential('aiccApi', {
			domain: aicc.baseUrl,
			authentication: 'clientCredentials',
			clientId: 'http-node-client',
			clientSecret: 'http-node-secret-1',
		});
		const create = { method: 'POST', url: `${aicc.baseUrl}${AICC_TASK_PATH}/task`, json: { taskInfo: { title: 'From the HTTP Request node', ownerId: 'agent01', creatorId: 'sup01' } } };
		const run = await workflowWith(httpRequest('aiccApi', ref, create));
		const first = (await run())[0];
		expect(first).toMatchObject({ resCode: '0' });
		const tokens = aicc.requestsTo(AICC_TOKEN_PATH).length;
		aicc.expireAllTokens();
		expect((await run())[0]).toMatchObject({ resCode: '0' });
		expect(aicc.requestsTo(AICC_TOKEN_PATH).length - tokens).toBe(1);
	});

	test('INCS API: works (its API token is static; nothing expires)', async () => {
		const ref = await credential('incsApi', { baseUrl: incs.baseUrl, apiToken: incs.token });
		const body = { name: 'From the HTTP Request node', type: 3, auth_id: 12, user_phone: '8613700137000', assignee_username: 'agent.zhang' };
		const run = await workflowWith(httpRequest('incsApi', ref, { method: 'POST', url: `${incs.baseUrl}/external/tasks`, json: body }));
		const [output] = await run();
		expect(JSON.stringify(output)).toContain('8613700137000');
		const [request] = incs.requestsTo('/external/tasks');
		expect(request.headers.authorization).toBe(`Bearer ${incs.token}`);
	});
});
