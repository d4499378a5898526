/**
 * Redirects in a real n8n (issue 11): an API or token endpoint that answers 307 to another host
 * must not receive our credentials a second time at that host, and the node must fail with a
 * clear redirect error. Two local servers on 127.0.0.1: the "API" answers every request with a
 * 307 to the "other host", which records what reaches it and would answer like a success.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

import type { N8nRest, WorkflowBody } from '../../scripts/lib/rest';
import { e2eState, loggedIn, n8nName } from './helpers';

const state = e2eState();
let rest: N8nRest;

interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
	const server = http.createServer(handler);
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
		),
	);
}

let otherHost: { server: http.Server; url: string };
let api: { server: http.Server; url: string };
const atOtherHost: Seen[] = [];
const atApi: Seen[] = [];

function record(into: Seen[], request: http.IncomingMessage, done: (body: string) => void) {
	const chunks: Buffer[] = [];
	request.on('data', (chunk: Buffer) => chunks.push(chunk));
	request.on('end', () => {
		const body = Buffer.concat(chunks).toString('utf8');
		into.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
		done(body);
	});
}

beforeAll(async () => {
	rest = await loggedIn(state);
	otherHost = await listen((request, response) =>
		record(atOtherHost, request, () => {
			// What a vendor's success would look like for every call we make, so that a followed
			// redirect would make the node succeed (and the test fail on the assertions below).
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(
				JSON.stringify({
					state: 200,
					payload: { accessToken: 'other-host-token', expiresIn: 7200, houseTaskId: 'x' },
					resCode: '0',
					result: { taskId: 'x' },
					access_token: 'other-host-token',
					expires_in: 3600,
					code: 0,
					data: { id: 1 },
				}),
			);
		}),
	);
	api = await listen((request, response) =>
		record(atApi, request, () => {
			response.writeHead(307, { location: `${otherHost.url}${request.url ?? '/'}` });
			response.end();
		}),
	);
});

afterAll(async () => {
	await new Promise((resolve) => otherHost.server.close(resolve));
	await new Promise((resolve) => api.server.close(resolve));
});

function example(file: string): WorkflowBody {
	return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8')) as WorkflowBody;
}

/** The example with every node of `type` using the credential `{id, name}` of `credentialType`. */
function withCredential(workflow: WorkflowBody, credentialType: string, credential: { id: string; name: string }) {
	const nodes = (workflow.nodes as Array<Record<string, unknown>>).map((node) => {
		const credentials = node.credentials as Record<string, unknown> | undefined;
		if (!credentials || !(credentialType in credentials)) return node;
		return { ...node, credentials: { [credentialType]: { id: credential.id, name: credential.name } } };
	});
	return { ...workflow, name: `${String(workflow.name)} (redirect ${Date.now()})`, nodes };
}

const cases: Array<{
	vendor: string;
	file: string;
	credentialType: string;
	data: () => Record<string, unknown>;
	secrets: string[];
	firstPath: RegExp;
}> = [
	{
		vendor: '123kanfang account login',
		file: 'kanfang123-assign-capture-tasks.json',
		credentialType: 'kanfang123Api',
		data: () => ({
			environment: 'custom',
			baseUrl: api.url,
			authentication: 'account',
			username: 'redirect-user',
			password: 'p@ss w0rd/+!&x-redirect',
			authorizationLocation: 'header',
		}),
		secrets: ['p@ss w0rd/+!&x-redirect', 'p%40ss%20w0rd%2F%2B%21%26x-redirect', 'p%40ss+w0rd'],
		firstPath: /Authorization/i,
	},
	{
		vendor: 'AICC token request',
		file: 'aicc-open-and-transfer-task.json',
		credentialType: 'aiccApi',
		data: () => ({
			domain: api.url,
			authentication: 'clientCredentials',
			clientId: 'redirect-client',
			clientSecret: 'aicc-redirect-secret-7f3e',
		}),
		secrets: ['aicc-redirect-secret-7f3e'],
		firstPath: /token/i,
	},
	{
		vendor: 'INCS Bearer token',
		file: 'incs-queue-customer-for-agent.json',
		credentialType: 'incsApi',
		data: () => ({ baseUrl: api.url, apiToken: 'incs-redirect-token-91ab' }),
		secrets: ['incs-redirect-token-91ab'],
		firstPath: /external\/tasks/,
	},
];

describe(`no credentials follow a redirect in ${n8nName(state)}`, () => {
	test.each(cases)('$vendor: a 307 to another host fails the node, the other host receives nothing', async (c) => {
		const apiBefore = atApi.length;
		const credential = await rest.createCredential(`redirect ${c.vendor} ${Date.now()}`, c.credentialType, c.data());
		const { id } = await rest.createWorkflow(withCredential(example(c.file), c.credentialType, credential));
		const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'));

		// The API was asked (first request: the login / token request / the task call) ...
		const asked = atApi.slice(apiBefore);
		expect(asked.length).toBeGreaterThanOrEqual(1);
		expect(asked[0].url).toMatch(c.firstPath);
		// ... but nothing ever reached the host the redirect named.
		expect(atOtherHost).toEqual([]);

		expect(execution.status).toBe('error');
		const error = execution.run.resultData.error;
		expect(`${error?.message ?? ''} ${error?.description ?? ''}`).toMatch(/redirect/i);
		const stored = JSON.stringify(execution);
		expect(stored).toContain(new URL(otherHost.url).origin);
		for (const secret of c.secrets) expect(stored).not.toContain(secret);
	});
});
