/**
 * Every example workflow with action nodes, run in the real n8n the way the editor's "Execute
 * workflow" button runs it, against the stand-ins: it must succeed, put out what the API
 * answered, and the stand-in must have received what the vendor documents.
 */
import fs from 'node:fs';
import path from 'node:path';

import { nodeOutput, type N8nRest } from '../../scripts/lib/rest';
import { e2eState, loggedIn, n8nName, received, workflowByFile } from './helpers';

const state = e2eState();
let rest: N8nRest;

beforeAll(async () => {
	rest = await loggedIn(state);
});

/** Remember how many requests each stand-in had, so a test reads only those of its own run. */
async function mark() {
	const counts = {
		kanfang123: (await received(state.standIns.kanfang123)).length,
		aicc: (await received(state.standIns.aicc)).length,
		incs: (await received(state.standIns.incs)).length,
	};
	return async (server: keyof typeof counts, path: string) =>
		(await received(state.standIns[server])).slice(counts[server]).filter((r) => r.path === path);
}

async function runExample(file: string) {
	const workflow = workflowByFile(state, file);
	const executionId = await rest.runManually(workflow.id, 'Run manually');
	const execution = await rest.waitForExecution(executionId);
	const error = execution.run.resultData.error;
	if (execution.status !== 'success') {
		throw new Error(`${file} ended "${execution.status}": ${error?.message ?? ''} ${error?.description ?? ''}`);
	}
	return execution;
}

describe(`example workflows run in ${n8nName(state)}`, () => {
	test('examples import as they are into any n8n: credentials referenced by name resolve', async () => {
		const dir = path.join(__dirname, '..', '..', 'examples');
		const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
		expect(files.length).toBeGreaterThanOrEqual(4);
		for (const file of files) {
			const example = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			for (const node of example.nodes) {
				for (const ref of Object.values((node.credentials ?? {}) as Record<string, { id?: string }>)) {
					expect(ref.id).toBeUndefined();
				}
			}
			const copy = await rest.createWorkflow({ ...example, name: `${example.name} (imported as is)` });
			const stored = await rest.workflow(copy.id);
			for (const node of stored.nodes) {
				for (const [type, ref] of Object.entries((node.credentials ?? {}) as Record<string, { id: string }>)) {
					expect({ node: node.name, type, id: ref.id }).toEqual({
						node: node.name,
						type,
						id: state.credentials[type].id,
					});
				}
			}
		}
	});

	test('123kanfang: assign capture tasks from a list, then set the Anjuke number', async () => {
		const since = await mark();
		const execution = await runExample('kanfang123-assign-capture-tasks.json');
		const houses = nodeOutput(execution.run, 'One item per house');
		const assigned = nodeOutput(execution.run, 'Assign capture task');
		const anjuke = nodeOutput(execution.run, 'Set Anjuke number');
		expect(houses).toHaveLength(3);
		expect(assigned).toHaveLength(3);
		expect(anjuke).toHaveLength(3);
		assigned.forEach((task, i) => {
			expect(task).toMatchObject({ customerHouseId: houses[i].customerHouseId, taskState: 9000 });
			expect(task.packageId).toEqual(expect.any(String));
			// A house whose capture task is still open (the browser check may have run this example
			// already) is not assigned twice: 123kanfang refuses, and the node returns the open task.
			expect(typeof task.existingTask).toBe('boolean');
			if (task.existingTask === false) expect(task.houseName).toBe(houses[i].houseName);
			expect(anjuke[i]).toMatchObject({ packageId: task.packageId, anjukeBianHao: houses[i].anjukeNumber });
		});

		// The account login happened once (in this run, or earlier in the e2e run — the token is
		// stored in the credential and reused).
		const logins = await received(state.standIns.kanfang123, '/v2/Authorization/GetAccessToken');
		expect(logins.length).toBeGreaterThanOrEqual(1);
		expect(logins[0].query).toMatchObject({ authKey: 'demo', authValue: 'demo-password' });
		const assigns = await since('kanfang123', '/v2/houseTask/AssignNewCaptureHouseTask');
		expect(assigns.map((r) => r.form.customerHouseId).sort()).toEqual(['CRM-HOUSE-1001', 'CRM-HOUSE-1002', 'CRM-HOUSE-1003']);
		for (const request of assigns) {
			expect(request.method).toBe('POST');
			expect(request.contentType).toContain('application/x-www-form-urlencoded');
			expect(request.headers.authorization).toMatch(/^tok_/);
			expect(request.form).toMatchObject({ serviceId: 'vr-capture-standard' });
		}
		const puts = await since('kanfang123', '/v2/houseTask/putAnjukeBianHao');
		expect(puts.map((r) => r.form.anjukeBianHao).sort()).toEqual(['AJK-2026-88001', 'AJK-2026-88002', 'AJK-2026-88003']);

		// Run again: every house now has an open task, so each comes back as that same task,
		// saying nothing was created and why, and the run shows one hint.
		const rerun = (await runExample('kanfang123-assign-capture-tasks.json')).run;
		const again = nodeOutput(rerun, 'Assign capture task');
		expect(again.map((task) => [task.customerHouseId, task.packageId, task.created, task.existingTask])).toEqual(
			assigned.map((task) => [task.customerHouseId, task.packageId, false, true]),
		);
		for (const task of again) expect(task.reason).toMatch(/^No task was created: 123kanfang refused/);
		expect(rerun.resultData.runData['Assign capture task'][0].hints).toEqual([
			expect.objectContaining({ message: expect.stringContaining('created no capture task') }),
		]);
	});

	test('Huawei AICC: open a task and transfer it', async () => {
		const since = await mark();
		const execution = await runExample('aicc-open-and-transfer-task.json');
		const [opened] = nodeOutput(execution.run, 'Open task');
		const [transferred] = nodeOutput(execution.run, 'Transfer to second line');
		expect(opened).toMatchObject({
			title: 'Water leak reported in unit 502',
			ownerId: 'agent-l1-007',
			priority: 'High',
		});
		expect(opened.taskId).toEqual(expect.any(String));
		expect(transferred).toMatchObject({ taskId: opened.taskId, ownerId: 'agent-l2-042' });

		const tokens = await received(state.standIns.aicc, '/baas/auth/v1.0/oauth2/token');
		expect(tokens.length).toBeGreaterThanOrEqual(1);
		expect(tokens[0].form).toMatchObject({ grant_type: 'client_credentials', client_id: 'n8n-client' });
		const [create] = await since('aicc', '/service/AICC__Case/1.0.0/openapi/task');
		expect(create.headers['access-token']).toEqual(expect.any(String));
		expect(create.json).toMatchObject({ taskInfo: { title: 'Water leak reported in unit 502', creatorId: 'dispatcher-001' } });
		const [transfer] = await since('aicc', '/service/AICC__Case/1.0.0/openapi/task/transfer');
		expect(transfer.json).toEqual({ id: opened.taskId, ownerId: 'agent-l2-042', creatorId: 'dispatcher-001' });
	});

	test("INCS: put a customer into an agent's queue", async () => {
		const since = await mark();
		const execution = await runExample('incs-queue-customer-for-agent.json');
		const [task] = nodeOutput(execution.run, 'Queue customer for agent');
		expect(task).toMatchObject({
			assignee_username: 'agent.zhang',
			user_phone: '8613800138000',
			auth_id: 12,
			status: 0,
		});
		expect(task.id).toEqual(expect.any(Number));
		const requests = await since('incs', '/external/tasks');
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(request.headers.authorization).toBe(`Bearer ${state.credentials.incsApi.data.apiToken}`);
		expect(request.json).toMatchObject({
			name: 'Follow up: viewing request for Maple Court 2-1-502',
			auth_id: 12,
			user_phone: '8613800138000',
			assignee_username: 'agent.zhang',
			user_name: 'Chen Wei',
			type: 3,
		});
	});
});
