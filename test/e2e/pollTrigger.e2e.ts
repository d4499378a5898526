/**
 * The 123kanfang Polling Trigger in a real n8n, against the 123kanfang stand-in:
 * - production path: n8n polls once right away on every activation (ActiveWorkflows'
 *   activatePolling) and emits through a `trigger`-mode execution; a task created while the
 *   workflow was inactive is emitted once at re-activation, and never again;
 * - "Fetch Test Event": a manual run of the trigger returns the latest tasks.
 * Its own workflow (filter "Waiting for capture", no push) keeps the other cases' push counts.
 */
import type { N8nRest } from '../../scripts/lib/rest';
import { nodeOutput } from '../../scripts/lib/rest';
import { e2eState, loggedIn, received, until } from './helpers';

const state = e2eState();
const TRIGGER = 'Task waiting (polling)';
let rest: N8nRest;
let workflowId: string;

async function assignViaApi(customerHouseId: string) {
	const response = await fetch(`${state.standIns.kanfang123}/v2/houseTask/AssignNewCaptureHouseTask`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'static-token-123' },
		body: new URLSearchParams({ userName: 'e2e.poller', houseName: 'Poll House', customerHouseId, serviceId: 'svc' }).toString(),
	});
	return ((await response.json()) as { payload: Record<string, unknown> }).payload;
}

beforeAll(async () => {
	rest = await loggedIn(state);
	const created = await rest.createWorkflow({
		name: '123kanfang polling trigger (e2e)',
		nodes: [
			{
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, taskStates: [9000], options: {} },
				id: 'b8a1f0d2-7c7e-4f3a-9a55-000000000001',
				name: TRIGGER,
				type: 'n8n-nodes-task-dispatch.kanfang123PollTrigger',
				typeVersion: 1,
				position: [0, 0],
				credentials: { kanfang123Api: { id: state.credentials.kanfang123Api.id, name: state.credentials.kanfang123Api.name } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	} as never);
	workflowId = created.id;
});

afterAll(async () => {
	await rest.deactivateWorkflow(workflowId).catch(() => undefined);
});

describe('123kanfang Polling Trigger in a real n8n', () => {
	test('activation polls from now (no history), a task made while inactive is emitted once at re-activation', async () => {
		await rest.activateWorkflow(workflowId);
		const pagesAtStart = (await received(state.standIns.kanfang123, '/v2/houseTask/GetPage')).length;
		await rest.deactivateWorkflow(workflowId);
		expect(await rest.executions(workflowId)).toHaveLength(0);

		const house = `POLL-E2E-${Date.now()}`;
		const task = await assignViaApi(house);
		expect(task.taskState).toBe(9000);

		await rest.activateWorkflow(workflowId);
		const [execution] = await until('the execution of the polled change', async () => {
			const list = await rest.executions(workflowId);
			return list.length > 0 && list.every((e) => e.stoppedAt || e.finished) ? list : undefined;
		});
		expect(execution.mode).toBe('trigger');
		const run = (await rest.waitForExecution(execution.id)).run;
		const items = nodeOutput(run, TRIGGER);
		expect(items).toEqual([
			expect.objectContaining({
				event: 'taskStateChanged',
				state: 9000,
				stateName: 'Waiting for capture (等待拍摄)',
				houseTaskId: task.id,
				houseId: house,
				packageId: task.packageId,
				timestamp: null,
			}),
		]);
		const page = (await received(state.standIns.kanfang123, '/v2/houseTask/GetPage')).slice(pagesAtStart).at(-1)!;
		expect(page.query).toMatchObject({ orderBy: 'LastModifyTime ASC', modifyStart: expect.any(String) });

		// Re-activating (as after a restart) polls again: the same change is not emitted twice.
		await rest.deactivateWorkflow(workflowId);
		await rest.activateWorkflow(workflowId);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(await rest.executions(workflowId)).toHaveLength(1);
		await rest.deactivateWorkflow(workflowId);
	});

	test('Fetch Test Event (a manual run of the trigger) returns the latest tasks, newest first', async () => {
		const house = `POLL-E2E-TEST-${Date.now()}`;
		const task = await assignViaApi(house);
		const executionId = await rest.runManually(workflowId, TRIGGER);
		const execution = await rest.waitForExecution(executionId);
		expect(execution.status).toBe('success');
		const items = nodeOutput(execution.run, TRIGGER);
		expect(items.length).toBeGreaterThanOrEqual(1);
		expect(items.length).toBeLessThanOrEqual(5);
		expect(items[0]).toMatchObject({ event: 'taskStateChanged', state: 9000, houseTaskId: task.id, houseId: house });
	});
});
