import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { IncsApi } from '../../credentials/IncsApi.credentials';
import { Incs } from '../../nodes/Incs/Incs.node';
import { INCS_TOKEN } from '../../stand-ins/incs';
import { useSetup } from '../harness/vendor';
import { params, setup } from './setup';

describe.each(['http200', 'httpCode'] as const)('INCS API credential test (errors as %s)', (errorStatus) => {
	const ctx = useSetup(async () => await setup({ errorStatus }), { per: 'test' });

	it('succeeds with a valid token: INCS answers the empty body with a validation error and creates nothing', async () => {
		const result = await ctx.harness.testCredential(ctx.harness.credentials.decrypted(ctx.credential().id!));
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(ctx.server.requests).toHaveLength(1);
		const request = ctx.server.requests[0];
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/external/tasks');
		expect(request.headers.authorization).toBe(`Bearer ${INCS_TOKEN}`);
		expect(request.json).toEqual({});
		expect(ctx.server.tasks).toHaveLength(0);
	});

	it('fails with a clear message when INCS rejects the token', async () => {
		const credential = ctx.harness.credentials.add('incsApi', { baseUrl: `${ctx.server.baseUrl}/`, apiToken: 'wrong' });
		const result = await ctx.harness.testCredential(ctx.harness.credentials.decrypted(credential.id!));
		expect(result).toEqual({
			status: 'Error',
			message: 'INCS rejected the API token. Check the token in this credential.',
		});
		expect(ctx.server.requests[0].headers.authorization).toBe('Bearer wrong');
		expect(ctx.server.requests[0].path).toBe('/external/tasks');
	});
});

describe('INCS node and credential descriptions', () => {
	const node = new Incs();
	const credential = new IncsApi();

	it('follow the package conventions', () => {
		expect(node.description).toMatchObject({
			name: 'incs',
			displayName: 'INCS',
			icon: { light: 'file:incs.svg', dark: 'file:incs.dark.svg' },
			usableAsTool: true,
			credentials: [{ name: 'incsApi', required: true }],
			// The operation in words (test/subtitles.test.ts evaluates it).
			subtitle: expect.stringContaining('"create":"Create and Assign Task"'),
		});
		const operation = node.description.properties.find((p) => p.name === 'operation');
		expect(operation?.noDataExpression).toBe(true);
		expect(operation?.options).toEqual([expect.objectContaining({ value: 'create', action: 'Create and assign a task' })]);
		expect(credential.name).toBe('incsApi');
		expect(credential.displayName).toBe('INCS API');
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe('https://api.incsapp.com');
		expect(credential.properties.find((p) => p.name === 'apiToken')?.typeOptions?.password).toBe(true);
	});

	it('ship an SVG icon and a codex file next to the node', () => {
		const dir = path.join(__dirname, '../../nodes/Incs');
		const svg = readFileSync(path.join(dir, 'incs.svg'), 'utf8');
		expect(svg).toMatch(/<svg[^>]+viewBox="0 0 60 60"/);
		expect(existsSync(path.join(dir, 'Incs.node.json'))).toBe(true);
		const codex = JSON.parse(readFileSync(path.join(dir, 'Incs.node.json'), 'utf8'));
		expect(codex).toMatchObject({ node: 'n8n-nodes-task-dispatch.incs', nodeVersion: '1.0', codexVersion: '1.0' });
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});
});

describe('INCS API token as pasted', () => {
	const ctx = useSetup(async () => await setup(), { reset: true });

	it.each([
		['with a line break after it', `${INCS_TOKEN}\n`, '6281500000001'],
		['with spaces around it', `  ${INCS_TOKEN}  `, '6281500000002'],
		['with the header\'s "Bearer " in front', `Bearer ${INCS_TOKEN}`, '6281500000003'],
	])('a token %s is sent as the token alone, by the node and by the Test button', async (_how, apiToken, userPhone) => {
		const credential = ctx.credential({ apiToken });
		const result = await ctx.run(params({ userPhone }), { credential });
		expect(result.error).toBeUndefined();
		const test = await ctx.harness.testCredential(ctx.harness.credentials.decrypted(credential.id!));
		expect(test).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(ctx.server.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${INCS_TOKEN}`, `Bearer ${INCS_TOKEN}`]);
	});

	it('a pasted token INCS echoes in an error is removed from it, as sent and as pasted', async () => {
		const pasted = 'Bearer 4f1c0b6a9e2d7c3b8a5f\n';
		ctx.server.inject({ kind: 'reply', path: '/external/tasks', status: 401, body: { code: 401, message: 'token 4f1c0b6a9e2d7c3b8a5f is not valid' } });
		const result = await ctx.run(params(), { credential: ctx.credential({ apiToken: pasted }) });
		expect(result.error?.message).toContain('token *** is not valid');
	});
});
