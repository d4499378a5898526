/**
 * A credential's Test button builds its URL with an n8n expression (n8n evaluates it; it cannot
 * call our code), the nodes with a function. Evaluated by n8n-workflow's expression engine, the
 * expression must give what the node's function gives, for every spelling a user pastes.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { IncsApi } from '../../credentials/IncsApi.credentials';
import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { aiccBaseUrl } from '../../nodes/Aicc/transport/baseUrl';
import { incsBaseUrl } from '../../nodes/Incs/transport/baseUrl';
import { kanfang123BaseUrl } from '../../nodes/Kanfang123/transport/baseUrl';
import { TestNodeTypes } from '../harness/nodeTypes';

function evaluate(expression: string, credentials: ICredentialDataDecryptedObject): unknown {
	const workflow = new Workflow({
		nodes: [{ id: '1', name: 'Test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		active: false,
		nodeTypes: new TestNodeTypes(),
	});
	// How n8n resolves a credential test request: `$credentials` is the decrypted credential.
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'Test', [], 'internal', {
		$credentials: credentials,
	} as never);
}

const spellings = ['', '   ', 'https://h.example', 'https://h.example/', ' https://h.example// ', 'http://127.0.0.1:8080/'];

describe('credential Test buttons reach the base URL the nodes use', () => {
	it.each(spellings)('Huawei AICC API, Domain %j', (domain) => {
		const expression = new AiccApi().test.request.baseURL as string;
		expect(evaluate(expression, { domain })).toBe(aiccBaseUrl(domain));
	});

	it.each(['h.example', 'h.example/', ' tenant.besclouds.com '])('Huawei AICC API, a bare host name %j gets https://', (domain) => {
		const expression = new AiccApi().test.request.baseURL as string;
		expect(evaluate(expression, { domain })).toBe(aiccBaseUrl(domain));
		expect(aiccBaseUrl(domain)).toMatch(/^https:\/\/[^/ ]+$/);
	});

	it.each(spellings)('INCS API, Base URL %j', (baseUrl) => {
		const expression = new IncsApi().test.request.baseURL as string;
		expect(evaluate(expression, { baseUrl })).toBe(incsBaseUrl({ baseUrl }));
	});

	it.each([
		{ environment: 'production' },
		{ environment: 'test' },
		...spellings.filter((s) => s.trim() !== '').map((baseUrl) => ({ environment: 'custom', baseUrl })),
	])('123kanfang API, %j', (credentials) => {
		const expression = new Kanfang123Api().test.request.baseURL as string;
		expect(evaluate(expression, credentials)).toBe(kanfang123BaseUrl(credentials));
	});

	it.each(['', '   '])('123kanfang API, an empty Custom URL %j is an error naming the field', (baseUrl) => {
		expect(() => kanfang123BaseUrl({ environment: 'custom', baseUrl })).toThrow("The 123kanfang credential's Base URL is empty");
		expect(() => kanfang123BaseUrl({ environment: 'custom' })).toThrow("The 123kanfang credential's Base URL is empty");
	});
});
