/**
 * The 123kanfang Trigger in a real n8n: the example workflow is active, so its production
 * webhook URL is live. 123kanfang posts a form and signs it (header `sign`); n8n must answer
 * exactly what 123kanfang expects, start the workflow only for good signatures and the
 * "Completed" state, and the workflow must push the package.
 */
import fs from 'node:fs';
import path from 'node:path';

import { nodeOutput, type N8nRest } from '../../scripts/lib/rest';
import { SEEDED_COMPLETED_TASK } from '../../scripts/lib/stand-ins';
import { e2eState, loggedIn, n8nName, received, signCallback, until, workflowByFile } from './helpers';

const FILE = 'kanfang123-push-completed-package.json';
const state = e2eState();
const signKey = String(state.credentials.kanfang123WebhookApi.data.signSecret);
let rest: N8nRest;
let workflowId: string;
let webhookUrl: string;

beforeAll(async () => {
	rest = await loggedIn(state);
	const workflow = workflowByFile(state, FILE);
	workflowId = workflow.id;
	const example = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', FILE), 'utf8'));
	const trigger = example.nodes.find((n: { type: string }) => n.type.endsWith('.kanfang123Trigger'));
	webhookUrl = `${state.url}/webhook/${trigger.webhookId}/webhook`;
});

function completedCallback(): Record<string, string> {
	return {
		state: '50000',
		houseTaskId: 'task-e2e-0042',
		houseId: 'house-e2e-0042',
		packageId: SEEDED_COMPLETED_TASK.packageId,
		userId: 'user-e2e-7',
		userName: SEEDED_COMPLETED_TASK.userName,
	};
}

async function post(fields: Record<string, string>, headers: Record<string, string>) {
	const response = await fetch(webhookUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(fields).toString(),
	});
	const text = await response.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		// keep the text
	}
	return { status: response.status, body };
}

function signed(fields: Record<string, string>, key = signKey) {
	const timestamp = String(Date.now());
	return { sign: signCallback(key, fields, timestamp), timestamp };
}

describe(`123kanfang Trigger in ${n8nName(state)}: signed callbacks at the production webhook URL`, () => {
	test('our signer follows the vendor rule (its worked example)', () => {
		// StrongValidation.md: MD5("CdLvNRRQvy0xjORPNvuVaA" + "123" + "1532059200000").
		expect(signCallback('CdLvNRRQvy0xjORPNvuVaA', { id: '123' }, '1532059200000')).toBe(
			'd5680a902dd2de08cf2bf9df819ffb9d',
		);
	});

	test('the example workflow is active', async () => {
		expect(await rest.isActive(workflowId)).toBe(true);
	});

	test('rejected callbacks get 401 and start nothing; a signed "Completed" callback runs the workflow once', async () => {
		const before = (await rest.executions(workflowId)).length;

		const unsigned = await post(completedCallback(), { timestamp: String(Date.now()) });
		expect(unsigned.status).toBe(401);
		expect(unsigned.body).toMatchObject({ state: 401 });

		const fields = completedCallback();
		const headers = signed(fields);
		const tampered = await post({ ...fields, packageId: 'pkg_someone_elses' }, headers);
		expect(tampered.status).toBe(401);
		expect(tampered.body).toMatchObject({ state: 401 });

		const wrongKey = await post(fields, signed(fields, `${signKey}-wrong`));
		expect(wrongKey.status).toBe(401);

		// Correctly signed, but a state the workflow does not listen to: success, no execution.
		const uploaded = { ...completedCallback(), state: '20000' };
		const notWanted = await post(uploaded, signed(uploaded));
		expect(notWanted).toEqual({ status: 200, body: { state: 200, payload: 'Success' } });

		const accepted = await post(fields, headers);
		expect(accepted).toEqual({ status: 200, body: { state: 200, payload: 'Success' } });

		const executions = await until('the execution of the accepted callback', async () => {
			const list = await rest.executions(workflowId);
			return list.length > before && list.every((e) => e.stoppedAt || e.finished) ? list : undefined;
		});
		// Give any wrongly started execution time to show up, then count again.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const after = await rest.executions(workflowId);
		expect(after.length).toBe(before + 1);
		expect(executions[0].mode).toBe('webhook');

		const execution = await rest.waitForExecution(after[0].id);
		expect(execution.status).toBe('success');
		const [item] = nodeOutput(execution.run, 'Task completed');
		expect(item).toMatchObject({
			event: 'taskStateChanged',
			state: 50000,
			stateName: 'Completed (已完成)',
			houseTaskId: 'task-e2e-0042',
			houseId: 'house-e2e-0042',
			packageId: SEEDED_COMPLETED_TASK.packageId,
			userId: 'user-e2e-7',
			userName: SEEDED_COMPLETED_TASK.userName,
			timestamp: Number(headers.timestamp),
		});
		const [pushed] = nodeOutput(execution.run, 'Push the package');
		expect(pushed).toMatchObject({ notifyConfigId: 'crm-push-config-01', notifyResult: 0 });
		expect(pushed.id).toEqual(expect.stringMatching(/^notify_/));

		const pushes = await received(state.standIns.kanfang123, '/v2/houseTask/AddNewNotifyTaskByPackageID');
		expect(pushes).toHaveLength(1);
		expect(pushes[0].form).toMatchObject({
			packageId: SEEDED_COMPLETED_TASK.packageId,
			notifyconfigId: 'crm-push-config-01',
		});
		expect(JSON.parse(String(pushes[0].form.payload))).toMatchObject({ houseTaskId: 'task-e2e-0042' });
	});
});
