/**
 * Our credentials used by another node — like n8n's HTTP Request node with a Predefined
 * Credential Type, which sends through n8n-core's `requestWithAuthentication` and renews a
 * credential only after a failed request. A token past its recorded expiry must not be sent
 * (123kanfang would refuse it inside an HTTP 200, which is no failure): the credential fails
 * the request before sending, n8n renews the token, stores it and sends again.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { AICC_TASK_PATH, AICC_TOKEN_PATH, AiccServer } from '../../stand-ins/aicc';
import { demoAccountCredential, Kanfang123StandIn } from '../../stand-ins/kanfang123';
import { oneInOneOut } from '../harness/nodeTypes';
import { Harness } from '../harness/run';

const TYPE = 'CUSTOM.requestWithCredential';

/** A node that sends one request with a credential through the legacy helper, as n8n's HTTP Request node V3 does. */
class RequestWithCredential implements INodeType {
	description = oneInOneOut({
		displayName: 'Request With Credential',
		name: 'requestWithCredential',
		defaults: { name: 'Request' },
		credentials: [
			{ name: 'kanfang123Api', required: false },
			{ name: 'aiccApi', required: false },
		],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: '' },
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		],
	});

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const type = this.getNodeParameter('credentialType', 0) as string;
		const body = (await this.helpers.requestWithAuthentication.call(this, type, {
			method: this.getNodeParameter('method', 0) as 'GET',
			uri: this.getNodeParameter('url', 0) as string,
			body: {},
			json: true,
		})) as IDataObject;
		return [[{ json: body }]];
	}
}

const kanfang = new Kanfang123StandIn();
const aicc = new AiccServer({ clientId: 'c', clientSecret: 'client-secret-1' });
let harness: Harness;

beforeAll(async () => {
	await kanfang.start();
	await aicc.start();
});
afterAll(async () => {
	await kanfang.stop();
	await aicc.stop();
});
beforeEach(() => {
	harness = new Harness({ nodes: [{ type: TYPE, node: new RequestWithCredential() }], credentialTypes: [new Kanfang123Api(), new AiccApi()] });
	kanfang.resetRecording();
	aicc.resetRecording();
});

async function send(credentialType: string, credential: { id: string; name: string }, url: string, method = 'GET') {
	return await harness.run({
		type: TYPE,
		parameters: { credentialType, method, url },
		credentials: { [credentialType]: credential },
	});
}

describe('123kanfang API credential in another node', () => {
	const getPage = () => `${kanfang.baseUrl}/v2/houseTask/GetPage?page=0&pageSize=1`;

	it('logs in once and stores the token; later runs reuse it', async () => {
		const credential = harness.credentials.add('kanfang123Api', demoAccountCredential(kanfang.baseUrl)) as { id: string; name: string };
		for (let run = 0; run < 2; run++) {
			const result = await send('kanfang123Api', credential, getPage());
			expect(result.items[0].json).toMatchObject({ state: 200 });
		}
		expect(kanfang.loginRequests()).toHaveLength(1);
		const stored = harness.credentials.stored(credential.id);
		expect(kanfang.requestsTo('/v2/houseTask/GetPage').map((r) => r.headers.authorization)).toEqual([stored.sessionToken, stored.sessionToken]);
	});

	it('a token past its recorded expiry is not sent: n8n renews it (refresh token), stores it and sends again', async () => {
		const credential = harness.credentials.add('kanfang123Api', demoAccountCredential(kanfang.baseUrl)) as { id: string; name: string };
		await send('kanfang123Api', credential, getPage());
		const first = harness.credentials.stored(credential.id);
		// The recorded expiry has passed (the stand-in revokes it too, as the vendor would).
		kanfang.expireAllTokens();
		harness.credentials.patch(credential.id, { tokenExpiresAt: Date.now() - 1000 });
		kanfang.resetRecording();

		const result = await send('kanfang123Api', credential, getPage());
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ state: 200 });
		const renewed = harness.credentials.stored(credential.id);
		expect(renewed.sessionToken).not.toBe(first.sessionToken);
		expect(Number(renewed.tokenExpiresAt)).toBeGreaterThan(Date.now());
		expect(kanfang.refreshRequests()).toHaveLength(1);
		expect(kanfang.loginRequests()).toHaveLength(0);
		expect(kanfang.requestsTo('/v2/houseTask/GetPage').map((r) => r.headers.authorization)).toEqual([renewed.sessionToken]);
	});
});

describe('Huawei AICC API credential in another node', () => {
	it('a token past its recorded expiry is not sent: a new one is fetched and the request sent once', async () => {
		const credential = harness.credentials.add('aiccApi', {
			domain: aicc.baseUrl,
			authentication: 'clientCredentials',
			clientId: 'c',
			clientSecret: 'client-secret-1',
		}) as { id: string; name: string };
		const status = `${aicc.baseUrl}${AICC_TASK_PATH}/task/status/update`;
		await send('aiccApi', credential, status, 'POST');
		harness.credentials.patch(credential.id, { tokenExpiresAt: Date.now() - 1000 });
		aicc.resetRecording();

		await send('aiccApi', credential, status, 'POST');
		const stored = harness.credentials.stored(credential.id);
		expect(aicc.requestsTo(AICC_TOKEN_PATH)).toHaveLength(1);
		expect(aicc.requestsTo(`${AICC_TASK_PATH}/task/status/update`).map((r) => r.headers['access-token'])).toEqual([stored.sessionToken]);
	});
});
