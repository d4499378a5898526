/**
 * Our nodes as tools of n8n's AI Agent in a real n8n, with n8n's OpenAI Chat Model pointed at
 * a local scripted model (stand-ins/openai.ts: its first answer calls every tool once with the
 * `$fromAI` values it is given, then it answers in text). What the vendor stand-ins received
 * and what the model got back (the tool results in its follow-up request) are checked, and so
 * are a refused irreversible operation and an error that reaches the model.
 */
import fs from 'node:fs';
import path from 'node:path';

import { N8N_LINES } from '../../scripts/lib/n8n-lines';
import type { N8nRest, WorkflowBody } from '../../scripts/lib/rest';
import { nodeOutput } from '../../scripts/lib/rest';
import { secretForms } from '../../nodes/shared/secrets';
import type { RecordedRequest } from '../../stand-ins/base';
import { IncsServer } from '../../stand-ins/incs';
import { DEMO_TOOL_VALUES, FINAL_ANSWER } from '../../stand-ins/openai';
import { e2eState, loggedIn, n8nName, received, workflowByFile } from './helpers';

const state = e2eState();
let rest: N8nRest;

beforeAll(async () => {
	rest = await loggedIn(state);
});

const MODEL_PATHS = ['/v1/responses', '/v1/chat/completions'];

/** Remember what the stand-ins have seen, so a test reads only the requests of its own run. */
async function mark() {
	const servers = { kanfang123: state.standIns.kanfang123, aicc: state.standIns.aicc, incs: state.standIns.incs, openai: state.standIns.openai };
	const counts = Object.fromEntries(
		await Promise.all(Object.entries(servers).map(async ([name, url]) => [name, (await received(url)).length] as const)),
	) as Record<keyof typeof servers, number>;
	return async (server: keyof typeof servers, paths: string[]) =>
		(await received(servers[server])).slice(counts[server]).filter((r) => paths.includes(r.path));
}

/** The tool results a model request carries, parsed (either API). */
function toolResults(request: RecordedRequest): unknown[] {
	const body = request.json as { input?: Array<Record<string, unknown>>; messages?: Array<Record<string, unknown>> };
	const texts = request.path === '/v1/responses'
		? (body.input ?? []).filter((item) => item.type === 'function_call_output').map((item) => item.output)
		: (body.messages ?? []).filter((message) => message.role === 'tool').map((message) => message.content);
	return texts.map((text) => JSON.parse(String(text)) as unknown);
}

/** The names of the tools a model request offered (either API). */
function offeredTools(request: RecordedRequest): string[] {
	const tools = (request.json as { tools?: Array<{ name?: string; function?: { name: string } }> }).tools ?? [];
	return tools.map((tool) => tool.name ?? tool.function!.name).sort();
}

/** Run a saved workflow as the editor's "Execute workflow" button does; it must succeed. */
async function runSaved(id: string) {
	const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'));
	const error = execution.run.resultData.error;
	if (execution.status !== 'success') throw new Error(`the run ended "${execution.status}": ${error?.message ?? ''} ${error?.description ?? ''}`);
	return execution;
}

async function runWorkflow(workflow: WorkflowBody) {
	return await runSaved((await rest.createWorkflow(workflow)).id);
}

const example = JSON.parse(
	fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'agent-dispatch-three-vendors.json'), 'utf8'),
) as WorkflowBody;

/** Manual trigger → agent with the sandbox's model, and `tools` (name → node) connected as its tools. */
function agentWorkflow(name: string, tools: Array<Record<string, unknown>>): WorkflowBody {
	const pick = (nodeName: string) => example.nodes.find((node) => node.name === nodeName)!;
	const model = { ...pick('OpenAI Chat Model'), credentials: { openAiApi: { id: state.credentials.openAiApi.id, name: state.credentials.openAiApi.name } } };
	return {
		name,
		nodes: [pick('Run manually'), pick('Dispatch agent'), model, ...tools],
		connections: {
			'Run manually': { main: [[{ node: 'Dispatch agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'Dispatch agent', type: 'ai_languageModel', index: 0 }]] },
			...Object.fromEntries(tools.map((tool) => [tool.name, { ai_tool: [[{ node: 'Dispatch agent', type: 'ai_tool', index: 0 }]] }])),
		},
		settings: { executionOrder: 'v1' },
	};
}

describe(`our nodes as AI Agent tools in ${n8nName(state)}`, () => {
	test('one prompt dispatches across all three vendors (the example): the vendors got the model\'s values, the model got their answers', async () => {
		const since = await mark();
		const workflow = workflowByFile(state, 'agent-dispatch-three-vendors.json');
		const execution = await runSaved(workflow.id);
		expect(nodeOutput(execution.run, 'Dispatch agent')).toEqual([{ output: FINAL_ANSWER }]);

		const { photographer, houseName, customerHouseId, title, description, taskName, customerPhone, customerName } = DEMO_TOOL_VALUES;
		const vendorsGot = [
			['kanfang123', '/v2/houseTask/AssignNewCaptureHouseTask', 'form', { userName: photographer, houseName, customerHouseId, serviceId: 'vr-capture-standard' }],
			['aicc', '/service/AICC__Case/1.0.0/openapi/task', 'json', { taskInfo: { title, description, ownerId: 'agent-l1-007', priority: 'High' } }],
			['incs', '/external/tasks', 'json', { name: taskName, user_phone: customerPhone, user_name: customerName, assignee_username: 'agent.zhang' }],
		] as const;
		for (const [vendor, requestPath, body, expected] of vendorsGot) {
			const [request] = await since(vendor, [requestPath]);
			expect(request[body]).toMatchObject(expected);
		}

		const model = await since('openai', MODEL_PATHS);
		expect(model.map((r) => r.path)).toEqual(['/v1/responses', '/v1/responses']);
		expect(offeredTools(model[0])).toEqual(['Assign_capture_task', 'Open_AICC_work_order', 'Queue_customer_in_INCS']);
		expect(toolResults(model[0])).toEqual([]);
		const results = toolResults(model[1]) as Array<Array<Record<string, unknown>>>;
		expect(results).toHaveLength(3);
		const flat = results.flat();
		expect(flat).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ customerHouseId: DEMO_TOOL_VALUES.customerHouseId, packageId: expect.any(String) }),
				expect.objectContaining({ title: DEMO_TOOL_VALUES.title, taskId: expect.any(String) }),
				expect.objectContaining({ user_phone: DEMO_TOOL_VALUES.customerPhone, id: expect.any(Number) }),
			]),
		);
		// Simplify (on by default for tools): no empty fields reach the model.
		for (const item of flat) expect(Object.values(item).filter((value) => value === null || value === '')).toEqual([]);
	});

	test('with "Use Responses API" off, the model node speaks /v1/chat/completions and the tools work the same', async () => {
		const since = await mark();
		const tools = example.nodes.filter((node) => String(node.type).startsWith('n8n-nodes-task-dispatch.')).slice(1, 2);
		const workflow = agentWorkflow('Agent e2e: chat completions', tools.map((tool) => ({ ...tool, credentials: { aiccApi: { id: state.credentials.aiccApi.id, name: state.credentials.aiccApi.name } } })));
		const model = workflow.nodes.find((node) => node.name === 'OpenAI Chat Model')!;
		model.parameters = { ...(model.parameters as object), responsesApiEnabled: false };
		await runWorkflow(workflow);
		const requests = await since('openai', MODEL_PATHS);
		expect(requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
		expect(toolResults(requests[1])).toEqual([[expect.objectContaining({ title: DEMO_TOOL_VALUES.title, taskId: expect.any(String) })]]);
	});

	const retireTool = () => ({
		name: 'Retire house task',
		type: 'n8n-nodes-task-dispatch.kanfang123Tool',
		typeVersion: 1,
		position: [560, 460],
		onError: 'continueRegularOutput',
		parameters: {
			resource: 'houseTask',
			operation: 'retire',
			packageId: { __rl: true, mode: 'id', value: "={{ $fromAI('packageId', 'Package ID of the house task', 'string') }}" },
			additionalFields: {},
			options: {},
		},
		credentials: { kanfang123Api: { id: state.credentials.kanfang123Api.id, name: state.credentials.kanfang123Api.name } },
	});
	const REFUSAL =
		'Refused: the operation "retire" cannot be undone, and this tool is not allowed to run it for an AI agent. Nothing was sent. Ask a person to do it, or to turn on "Allow Irreversible Operations" in the tool.';

	test('an operation that cannot be undone is refused for the agent: nothing is sent, the model reads why', async () => {
		const since = await mark();
		await runWorkflow(agentWorkflow('Agent e2e: refused retire', [retireTool()]));
		expect(await since('kanfang123', ['/v2/houseTask/RetireHouseTask'])).toEqual([]);
		const requests = await since('openai', MODEL_PATHS);
		expect(toolResults(requests[requests.length - 1])).toEqual([[{ error: REFUSAL }]]);
	});

	const stops = N8N_LINES[state.line].toolErrorStopsWorkflow;
	test(`without "On Error: Continue" on the tool, a refusal ${stops ? 'stops the workflow (n8n 1.x)' : 'still reaches the agent (n8n 2.x)'}`, async () => {
		const since = await mark();
		const { onError: _continue, ...tool } = retireTool();
		const { id } = await rest.createWorkflow(agentWorkflow('Agent e2e: refused retire, On Error stop', [tool]));
		const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'));
		expect(await since('kanfang123', ['/v2/houseTask/RetireHouseTask'])).toEqual([]);
		const requests = await since('openai', MODEL_PATHS);
		if (stops) {
			expect(execution.status).toBe('error');
			expect(execution.run.resultData.error?.message).toBe(REFUSAL);
			expect(requests).toHaveLength(1);
		} else {
			expect(execution.status).toBe('success');
			expect(toolResults(requests[requests.length - 1])).toEqual([[{ error: REFUSAL }]]);
		}
	});

	describe('a vendor error page that echoes the token', () => {
		const token = 'incs-e2e-secret-token-7f3a9c';
		const incs = new IncsServer({ token });
		beforeAll(async () => {
			await incs.start();
		});
		afterAll(async () => {
			await incs.stop();
		});

		test('reaches the model as one short line of plain text, without the token in any encoding', async () => {
			const since = await mark();
			const credential = await rest.createCredential('INCS (error page e2e)', 'incsApi', { baseUrl: incs.baseUrl, apiToken: token });
			incs.inject({
				kind: 'reply',
				path: '/external/tasks',
				status: 500,
				headers: { 'Content-Type': 'text/html' },
				body: `<html><body><h1>Internal error</h1><p>request with Bearer ${token} (${Buffer.from(token).toString('base64')}) failed</p></body></html>`,
			});
			const queue = example.nodes.find((node) => node.name === 'Queue customer in INCS')!;
			const tool = { ...queue, credentials: { incsApi: { id: credential.id, name: credential.name } } };
			await runWorkflow(agentWorkflow('Agent e2e: error page', [tool]));
			expect(incs.requestsTo('/external/tasks')).toHaveLength(1);

			const requests = await since('openai', MODEL_PATHS);
			const [[result]] = toolResults(requests[requests.length - 1]) as Array<Array<{ error: string }>>;
			expect(result.error).toEqual(expect.any(String));
			expect(result.error).not.toMatch(/[<>\n]/);
			expect(result.error.length).toBeLessThanOrEqual(301);
			const everything = JSON.stringify(requests.map((r) => r.rawBody));
			for (const form of secretForms(token)) expect(everything).not.toContain(form);
		});
	});
});
