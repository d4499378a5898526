/**
 * 123kanfang Get Many in a real n8n, where issue 18 saw it lose rows: 45 tasks that share every
 * selected column (TaskState alone, HouseName alone) must all come back, with Return All and
 * with a Limit, and GetPage must have been asked for Id as well (left out of the output).
 */
import { randomUUID } from 'node:crypto';

import { PACKAGE_NAME } from '../../scripts/lib/examples';
import { nodeOutput, type N8nRest } from '../../scripts/lib/rest';
import { chain, workflowNode } from '../../scripts/lib/workflow';
import { e2eState, loggedIn, n8nName, received } from './helpers';

const state = e2eState();
let rest: N8nRest;

beforeAll(async () => {
	rest = await loggedIn(state);
});

const node = workflowNode;

describe(`123kanfang Get Many returns every row whatever Fields selects, in ${n8nName(state)}`, () => {
	test('45 tasks with one state and two house names: TaskState alone, HouseName alone, Limit', async () => {
		const photographer = `fields-${randomUUID().slice(0, 8)}`;
		const houses = Array.from({ length: 45 }, (_, i) => ({ house: `${photographer}-${i}`, name: i % 2 ? 'Twin A' : 'Twin B' }));
		const kanfang = { credentials: { kanfang123Api: state.credentials.kanfang123Api } };
		const getMany = (name: string, parameters: Record<string, unknown>) =>
			node(name, `${PACKAGE_NAME}.kanfang123`, 1, { resource: 'houseTask', operation: 'getMany', filters: { userName: photographer }, ...parameters }, { ...kanfang, executeOnce: true });
		const { id } = await rest.createWorkflow({
			name: `Get Many fields ${photographer}`,
			nodes: [
				node('Run manually', 'n8n-nodes-base.manualTrigger', 1, {}),
				node('Houses', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ houses }), options: {} }),
				node('One item per house', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'houses', options: {} }),
				node(
					'Assign',
					`${PACKAGE_NAME}.kanfang123`,
					1,
					{ resource: 'houseTask', operation: 'assignCapture', userName: photographer, houseName: '={{ $json.name }}', customerHouseId: '={{ $json.house }}', serviceId: 'svc' },
					kanfang,
				),
				getMany('TaskState', { returnAll: true, fields: ['TaskState'] }),
				getMany('HouseName', { returnAll: true, fields: ['HouseName'] }),
				getMany('Limit 30', { returnAll: false, limit: 30, fields: ['TaskState'] }),
			],
			connections: chain('Run manually', 'Houses', 'One item per house', 'Assign', 'TaskState', 'HouseName', 'Limit 30'),
			settings: {},
		});
		const before = (await received(state.standIns.kanfang123, '/v2/houseTask/GetPage')).length;
		const execution = await rest.waitForExecution(await rest.runManually(id, 'Run manually'));
		expect(execution.status).toBe('success');

		expect(nodeOutput(execution.run, 'Assign')).toHaveLength(45);
		const byState = nodeOutput(execution.run, 'TaskState');
		expect(byState).toHaveLength(45);
		expect(byState.every((row) => row.taskState === 9000 && !('id' in row))).toBe(true);
		// Assign sends 5 at a time, so the tasks were created in any order: compare as sets.
		const houseNames = nodeOutput(execution.run, 'HouseName').map((row) => String(row.houseName));
		expect(houseNames.sort()).toEqual(houses.map((h) => h.name).sort());
		expect(nodeOutput(execution.run, 'Limit 30')).toHaveLength(30);

		const pages = (await received(state.standIns.kanfang123, '/v2/houseTask/GetPage')).slice(before);
		expect(pages.map((r) => r.query.fields)).toEqual(['TaskState,Id', 'HouseName,Id', 'TaskState,Id']);
		expect(pages.map((r) => r.query.userName)).toEqual([photographer, photographer, photographer]);
	});
});
