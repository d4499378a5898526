/**
 * Check before send, for every operation of every node: two items, a bad value on the LAST
 * one. The node must fail naming the field and item 2 before it sends anything — so every
 * parameter is read in `prepare`, none in `execute`. A new operation must be added to the
 * table (the first test compares it with the nodes' operation tables).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { operations as aiccOperations } from '../nodes/Aicc/actions/task';
import { operations as incsOperations } from '../nodes/Incs/actions/task';
import { operations as kanfang123Operations } from '../nodes/Kanfang123/actions/houseTask';
import { setup as aiccSetup } from './aicc/setup';
import { useSetup } from './harness/vendor';
import { params as incsParams, setup as incsSetup } from './incs/setup';
import { setup as kanfang123Setup } from './kanfang123/setup';

/** Operation → its valid parameters with one field read from `$json.v`, the field's label, and a good and a bad `v`. */
interface Case {
	parameters: INodeParameters;
	field: string;
	good: IDataObject[string];
	bad: IDataObject[string];
}

const fromItem = '={{ $json.v }}';
const required = (field: string, good = 'x1'): Pick<Case, 'field' | 'good' | 'bad'> => ({ field, good, bad: '' });

const kanfang123: Record<string, Case> = {
	assignCapture: {
		parameters: { userName: 'p1', houseName: 'House', customerHouseId: fromItem, serviceId: 'svc' },
		...required('Customer House ID', 'H-1'),
	},
	cancelCapture: { parameters: { userName: fromItem, customerHouseId: 'H-1' }, ...required('Photographer User Name') },
	delegate: { parameters: { identifyBy: 'houseTaskId', houseTaskId: fromItem }, ...required('House Task ID') },
	// Sent to no 123kanfang host: item 1's URL would fail to connect (port 9) if it were fetched first.
	downloadPackage: {
		parameters: { downloadUrl: fromItem, packageId: 'pkg', mode: 'zip' },
		field: 'Download URL',
		good: 'http://127.0.0.1:9/pkg.zip',
		bad: 'ftp://127.0.0.1/pkg.zip',
	},
	finish: { parameters: { packageId: fromItem, isFinished: true }, ...required('Package ID') },
	getMany: { parameters: { returnAll: false, limit: fromItem }, field: 'Limit', good: 5, bad: 0 },
	getWorking: { parameters: { customerHouseId: fromItem }, ...required('Customer House ID') },
	push: { parameters: { packageId: 'pkg', notifyconfigId: fromItem }, ...required('Notify Config ID') },
	retire: { parameters: { packageId: fromItem }, ...required('Package ID') },
	review: { parameters: { packageId: 'pkg', reviewResult: fromItem }, field: 'Review Result', good: '0', bad: '7' },
	setAnjukeNumber: { parameters: { packageId: 'pkg', anjukeBianHao: fromItem }, ...required('Anjuke Number') },
	setFangTianXiaInfo: { parameters: { packageId: 'pkg', communityName: fromItem }, ...required('Community Name') },
	updateCustomerHouseId: {
		parameters: { identifyBy: 'packageId', packageId: 'pkg', customerHouseId: fromItem },
		...required('New Customer House ID'),
	},
};

const creator = { creatorId: '10gg00000148QvgpaLAm' };
const aicc: Record<string, Case> = {
	create: { parameters: { title: fromItem, ownerId: 'owner', ...creator }, ...required('Title') },
	process: { parameters: { taskId: 't1', title: 'T', description: fromItem, ...creator }, ...required('Description') },
	transfer: { parameters: { taskId: 't1', ownerId: fromItem, ...creator }, ...required('New Owner ID') },
	update: { parameters: { taskId: 't1', updateFields: { title: fromItem }, ...creator }, field: 'Title', good: 'T', bad: 'x'.repeat(200) },
	updateStatus: { parameters: { taskId: 't1', status: fromItem, ...creator }, field: 'Status', good: 'Completed', bad: 'Done' },
};

const incs: Record<string, Case> = {
	create: { parameters: incsParams({ userPhone: fromItem }), field: 'Customer Phone', good: '6281512345678', bad: 'call me' },
};

it('the table lists every operation of every node', () => {
	expect(Object.keys(kanfang123).sort()).toEqual(Object.keys(kanfang123Operations).sort());
	expect(Object.keys(aicc).sort()).toEqual(Object.keys(aiccOperations).sort());
	expect(Object.keys(incs).sort()).toEqual(Object.keys(incsOperations).sort());
});

describe.each([
	['123kanfang', kanfang123Setup, kanfang123],
	['Huawei AICC', aiccSetup, aicc],
	['INCS', incsSetup, incs],
] as const)('%s: a bad value on the last item stops the node before any request', (_vendor, start, table) => {
	const vendor = useSetup(start as () => ReturnType<typeof kanfang123Setup>, { reset: true });

	it.each(Object.entries(table))('%s', async (operation, { parameters, field, good, bad }) => {
		const result = await vendor.run({ ...parameters, operation }, { items: [{ v: good }, { v: bad }] });
		expect(result.error?.message).toContain(`"${field}"`);
		expect(result.error?.message).toContain('item 2 (index 1)');
		expect(vendor.server.requests).toEqual([]);
	});
});
