/**
 * Every operation through n8n's real WorkflowExecute against the AICC stand-in: what the
 * server received (method, path, headers, JSON body) and what the node returned.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { aiccBaseUrl } from '../../nodes/Aicc/transport';
import { Aicc } from '../../nodes/Aicc/Aicc.node';
import type { VendorRunOptions } from '../harness/vendor';
import { useSetup } from '../harness/vendor';
import { paths, setup } from './setup';

const ctx = useSetup(setup);
beforeEach(() => ctx.server.resetRecording());

function expectJsonCall(index: number, path: string, token: string) {
	const request = ctx.taskRequests()[index];
	expect(request.method).toBe('POST');
	expect(request.path).toBe(path);
	expect(request.headers['access-token']).toBe(token);
	expect(request.contentType).toMatch(/^application\/json/);
	return request.json;
}

/** Runs with a fresh Client Credentials credential; the result (without error) and the token used. */
async function runWithToken(parameters: INodeParameters, options: Omit<VendorRunOptions, 'credential'> = {}) {
	const credential = ctx.clientCredentials();
	const result = await ctx.run(parameters, { ...options, credential });
	expect(result.error).toBeUndefined();
	return { result, token: ctx.harness.credentials.stored(credential.id!).sessionToken as string };
}

describe('Huawei AICC node: operations', () => {
	it('Create sends the documented taskInfo and returns taskId plus what was sent', async () => {
		const { result, token: issued } = await runWithToken(
			{
				operation: 'create',
				title: '={{ $json.title }}',
				ownerId: '10gg00000148QvgpaLAm',
				creatorId: '10gg00000148QvgpaLAm',
				additionalFields: {
					description: 'test001',
					type: 'Case',
					relateId: 'c6m80000014iXKHqDw3c',
					dueDate: '2023-07-08T00:00:00',
					contactId: 'ciIy0000013y7cC8T2rA',
					priority: 'Low',
					attachment: 'file.pdf',
				},
			},
			{ items: [{ title: 'test002' }], settings: { timezone: 'Asia/Shanghai' } },
		);

		const token = ctx.server.requestsTo(paths.token);
		expect(token).toHaveLength(1);
		expect(token[0].form).toEqual({
			grant_type: 'client_credentials',
			client_id: 'n8n-client',
			client_secret: 'S3cr3t-client-secret!',
		});
		expect(issued).toMatch(/^[\w-]{20,}$/);

		const body = expectJsonCall(0, paths.create, issued);
		// The seed's example body, field for field.
		expect(body).toEqual({
			taskInfo: {
				title: 'test002',
				description: 'test001',
				type: 'Case',
				ownerId: '10gg00000148QvgpaLAm',
				relateId: 'c6m80000014iXKHqDw3c',
				dueDate: '2023-07-08 00:00:00',
				contactId: 'ciIy0000013y7cC8T2rA',
				priority: 'Low',
				creatorId: '10gg00000148QvgpaLAm',
				attachment: 'file.pdf',
			},
		});
		const taskId = [...ctx.server.tasks.keys()].pop()!;
		expect(result.items).toEqual([
			{
				json: { taskId, ...(body as { taskInfo: object }).taskInfo },
				pairedItem: { item: 0 },
			},
		]);
		expect(ctx.server.tasks.get(taskId)).toMatchObject({ title: 'test002', priority: 'Low', status: 'Pending' });
	});

	it('Create with only the required fields sends only those', async () => {
		const { result } = await runWithToken({
			operation: 'create',
			title: '  Call back  ',
			ownerId: 'agent01',
			creatorId: 'sup01',
		});
		expect(ctx.taskRequests()[0].json).toEqual({
			taskInfo: { title: 'Call back', ownerId: 'agent01', creatorId: 'sup01' },
		});
		expect(result.items[0].json).toEqual({
			taskId: expect.stringMatching(/^task\d+$/),
			title: 'Call back',
			ownerId: 'agent01',
			creatorId: 'sup01',
		});
	});

	it('Process adds an "Iternal" processing record', async () => {
		const task = ctx.server.seedTask();
		const { result, token } = await runWithToken({
			operation: 'process',
			taskId: task.id,
			creatorId: 'agent01',
			title: 'Called the customer',
			description: '客户已确认上门时间',
			additionalFields: { attachment: 'recording.mp3' },
		});
		const sent = {
			taskId: task.id,
			creatorId: 'agent01',
			processInfo: {
				type: 'Iternal',
				title: 'Called the customer',
				description: '客户已确认上门时间',
				attachment: 'recording.mp3',
			},
		};
		expect(expectJsonCall(0, paths.process, token)).toEqual(sent);
		expect(result.items).toEqual([{ json: { success: true, ...sent }, pairedItem: { item: 0 } }]);
		expect(ctx.server.tasks.get(task.id)!.records).toHaveLength(1);
	});

	// Update Status and Transfer: {id, ...fields} goes out, {success, taskId, ...fields} comes back.
	it.each([
		{
			title: 'Update Status sends {id, status, creatorId}',
			operation: 'updateStatus',
			path: paths.status,
			seed: {},
			fields: { status: 'Completed', creatorId: 'agent01' },
			stored: { status: 'Completed' },
		},
		{
			title: 'Transfer sends {id, ownerId, creatorId}',
			operation: 'transfer',
			path: paths.transfer,
			seed: { ownerId: 'agent01' },
			fields: { ownerId: 'agent02', creatorId: 'sup01' },
			stored: { ownerId: 'agent02' },
		},
	])('$title', async ({ operation, path, seed, fields, stored }) => {
		const task = ctx.server.seedTask(seed);
		const { result, token } = await runWithToken({ operation, taskId: task.id, ...fields });
		expect(expectJsonCall(0, path, token)).toEqual({ id: task.id, ...fields });
		expect(result.items).toEqual([{ json: { success: true, taskId: task.id, ...fields }, pairedItem: { item: 0 } }]);
		expect(ctx.server.tasks.get(task.id)).toMatchObject(stored);
	});

	it('Update Status accepts the status from an expression, in any letter case', async () => {
		const task = ctx.server.seedTask();
		const result = await ctx.run(
			{ operation: 'updateStatus', taskId: task.id, status: '={{ $json.s }}', creatorId: 'agent01' },
			{ items: [{ s: 'processing' }] },
		);
		expect(result.error).toBeUndefined();
		expect(ctx.taskRequests()[0].json).toEqual({ id: task.id, status: 'Processing', creatorId: 'agent01' });
		expect(result.items[0].json.status).toBe('Processing');
	});

	it('Update sends {taskInfo: {id, creatorId, changed fields}}', async () => {
		const task = ctx.server.seedTask();
		const { result, token } = await runWithToken(
			{
				operation: 'update',
				taskId: task.id,
				creatorId: 'sup01',
				updateFields: { title: 'New title', priority: 'Critical', dueDate: '2024-05-01T18:30:00' },
			},
			{ items: [{}], settings: { timezone: 'Europe/Berlin' } },
		);
		expect(expectJsonCall(0, paths.modify, token)).toEqual({
			taskInfo: {
				id: task.id,
				creatorId: 'sup01',
				title: 'New title',
				priority: 'Critical',
				dueDate: '2024-05-01 18:30:00',
			},
		});
		expect(result.items).toEqual([
			{
				json: {
					success: true,
					taskId: task.id,
					creatorId: 'sup01',
					title: 'New title',
					priority: 'Critical',
					dueDate: '2024-05-01 18:30:00',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(ctx.server.tasks.get(task.id)).toMatchObject({ title: 'New title', priority: 'Critical' });
	});

	it('Access Token mode sends the pasted token and never asks for one', async () => {
		const token = ctx.server.issueToken();
		const task = ctx.server.seedTask();
		const result = await ctx.run(
			{
				operation: 'transfer',
				taskId: task.id,
				ownerId: 'agent09',
				creatorId: 'sup01',
			},
			{ credential: ctx.accessToken(token) },
		);
		expect(result.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.token)).toHaveLength(0);
		expect(ctx.taskRequests()[0].headers['access-token']).toBe(token);
		expect(result.items[0].json).toEqual({ success: true, taskId: task.id, ownerId: 'agent09', creatorId: 'sup01' });
	});

	it('a domain with a trailing slash still reaches the same URLs (and a bare host gets https://)', async () => {
		const host = ctx.server.baseUrl;
		const task = ctx.server.seedTask();
		const result = await ctx.run(
			{
				operation: 'updateStatus',
				taskId: task.id,
				status: 'Pending',
				creatorId: 'sup01',
			},
			{ credential: ctx.clientCredentials({ domain: `${host}/` }) },
		);
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests.map((r) => r.path)).toEqual([paths.token, paths.status]);
		expect(aiccBaseUrl('service.besclouds.com')).toBe('https://service.besclouds.com');
		expect(aiccBaseUrl(' https://tenant.example.com:8443/ ')).toBe('https://tenant.example.com:8443');
		expect(aiccBaseUrl('')).toBe('https://service.besclouds.com');
	});

	it('many items keep input order and pairing', async () => {
		const items = Array.from({ length: 12 }, (_, i) => ({ title: `Task ${i}` }));
		const result = await ctx.run(
			{ operation: 'create', title: '={{ $json.title }}', ownerId: 'agent01', creatorId: 'sup01', options: { concurrency: 4 } },
			{ items: items },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => [i.json.title, i.pairedItem])).toEqual(
			items.map((item, index) => [item.title, { item: index }]),
		);
		const byTitle = new Map([...ctx.server.tasks.values()].map((t) => [t.title, t.id]));
		for (const item of result.items) expect(item.json.taskId).toBe(byTitle.get(item.json.title as string));
	});
});

describe('Huawei AICC node: description', () => {
	const node = new Aicc();
	const dir = path.join(__dirname, '../../nodes/Aicc');

	it('follows the package conventions', () => {
		const d = node.description;
		expect(d.name).toBe('aicc');
		expect(d.displayName).toBe('Huawei AICC');
		expect(d.usableAsTool).toBe(true);
		expect(d.icon).toEqual({ light: 'file:aicc.svg', dark: 'file:aicc.dark.svg' });
		expect(existsSync(path.join(dir, 'aicc.svg'))).toBe(true);
		expect(existsSync(path.join(dir, 'aicc.dark.svg'))).toBe(true);
		expect(readFileSync(path.join(dir, 'aicc.svg'), 'utf8')).toContain('viewBox="0 0 60 60"');
		// The operation in words (test/subtitles.test.ts evaluates it for every operation).
		expect(d.subtitle).toContain('"create":"Create Task"');
		expect(d.credentials).toEqual([{ name: 'aiccApi', required: true }]);
		const codex = JSON.parse(readFileSync(path.join(dir, 'Aicc.node.json'), 'utf8'));
		expect(codex).toMatchObject({ node: 'n8n-nodes-task-dispatch.aicc', nodeVersion: '1.0', codexVersion: '1.0' });
		const operation = d.properties.find((p) => p.name === 'operation')!;
		expect(operation.noDataExpression).toBe(true);
		expect(d.properties.find((p) => p.name === 'resource')!.noDataExpression).toBe(true);
		expect((operation.options as Array<{ value: string; action: string }>).map((o) => [o.value, o.action])).toEqual([
			['create', 'Create a task'],
			['process', 'Add a processing record to a task'],
			['transfer', 'Transfer a task'],
			['update', 'Update a task'],
			['updateStatus', 'Update the status of a task'],
		]);
	});

	it('the credential is aiccApi with an expirable hidden token', () => {
		const credential = new AiccApi();
		expect(credential.name).toBe('aiccApi');
		expect(credential.displayName).toBe('Huawei AICC API');
		const token = credential.properties.find((p) => p.name === 'sessionToken')!;
		expect(token.type).toBe('hidden');
		expect(token.typeOptions?.expirable).toBe(true);
		expect(credential.properties.find((p) => p.name === 'domain')!.default).toBe('https://service.besclouds.com');
		expect(credential.properties.find((p) => p.name === 'authentication')!.default).toBe('clientCredentials');
	});
});
