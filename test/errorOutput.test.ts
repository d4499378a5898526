/**
 * Settings → On Error → "Continue (using error output)": n8n puts a failed item on the node's
 * error output only when its JSON holds nothing but `error` (or `error` and `message`), and then
 * adds the input item's fields. So there our error fields (description, httpCode, vendorCode)
 * sit inside `error`. For every node: a field error and a vendor error go to the error output,
 * paired with their input and with its fields; the good item stays on the success output.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { setup as aiccSetup } from './aicc/setup';
import { useSetup } from './harness/vendor';
import { params as incsParams, setup as incsSetup } from './incs/setup';
import { assign, setup as kanfang123Setup } from './kanfang123/setup';

const fromItem = '={{ $json.v }}';

describe('Continue (using error output)', () => {
	describe('123kanfang', () => {
		const k = useSetup(kanfang123Setup, { reset: true });
		it('a field error goes to the error output, paired; the created task to the success output', async () => {
			const result = await k.run({ ...assign, customerHouseId: fromItem }, { items: [{ v: 'EO-1' }, { v: '' }], errorOutput: true });
			expect(result.outputs).toHaveLength(2);
			expect(result.outputs[0].map((i) => [i.json.customerHouseId, i.pairedItem])).toEqual([['EO-1', { item: 0 }]]);
			expect(result.outputs[1].map((i) => [i.json, i.pairedItem])).toEqual([
				[{ v: '', error: { message: '"Customer House ID" is required but empty — item 2 (index 1)', description: expect.any(String) } }, { item: 1 }],
			]);
		});
	});

	describe('Huawei AICC', () => {
		const a = useSetup(aiccSetup, { reset: true });
		it('a vendor error keeps its fields (httpCode, vendorCode) on the error output', async () => {
			const parameters: INodeParameters = { operation: 'updateStatus', taskId: fromItem, status: 'Completed', creatorId: 'c1' };
			const created = await a.run({ operation: 'create', title: 'T', ownerId: 'o1', creatorId: 'c1' });
			const taskId = created.items[0].json.taskId as string;
			const items: IDataObject[] = [{ v: taskId }, { v: 'nope' }, { v: '' }];
			const result = await a.run(parameters, { items, errorOutput: true });
			expect(result.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
			expect(result.outputs[1].map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			expect(result.outputs[1][0].json).toEqual({
				v: 'nope',
				error: { message: 'task nope does not exist', description: expect.any(String), httpCode: '200', vendorCode: 'AICC.100002' },
			});
			expect((result.outputs[1][1].json.error as IDataObject).message).toContain('"Task ID" is required but empty — item 3 (index 2)');
		});
	});

	describe('INCS', () => {
		const i = useSetup(() => incsSetup(), { reset: true });
		it('a field error goes to the error output, paired', async () => {
			const result = await i.run(incsParams({ userPhone: fromItem }), { items: [{ v: '6281512345678' }, { v: 'call me' }], errorOutput: true });
			expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(result.outputs[1].map((item) => [item.json, item.pairedItem])).toEqual([
				[{ v: 'call me', error: expect.objectContaining({ message: expect.stringContaining('"Customer Phone"') }) }, { item: 1 }],
			]);
		});
	});
});
