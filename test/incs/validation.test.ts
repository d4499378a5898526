import type { INodeParameters } from 'n8n-workflow';

import { useSetup } from '../harness/vendor';
import { params, setup } from './setup';

const ctx = useSetup(setup);

beforeEach(() => ctx.server.resetRecording());

describe('INCS › bad input is rejected before any request', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		['empty task name', { name: '  ' }, /"Task Name" is required but empty/],
		['task name over 256 characters', { name: 'n'.repeat(257) }, /"Task Name" is too long: 257 characters, at most 256/],
		[
			'description over 256 characters',
			{ additionalFields: { description: '描'.repeat(257) } },
			/"Description" is too long: 257 characters, at most 256/,
		],
		['auth ID 0 (the empty number field)', { authId: 0 }, /"Auth ID" is required/],
		['auth ID empty from an expression', { authId: '={{ "" }}' }, /"Auth ID" is required but empty/],
		['auth ID with decimals', { authId: 30058.5 }, /"Auth ID" must be a whole number, got "30058.5"/],
		['auth ID as non-digit text', { authId: '={{ "30058a" }}' }, /"Auth ID" must be a whole number, got "30058a"/],
		['negative auth ID', { authId: -3 }, /"Auth ID" must be a positive whole number/],
		['empty customer phone', { userPhone: '={{ "" }}' }, /"Customer Phone" is required but empty/],
		['customer phone with letters', { userPhone: '+62 815 ABC' }, /"Customer Phone" must contain only digits/],
		['customer phone too short', { userPhone: '12345' }, /"Customer Phone" must have 6–15 digits/],
		['national phone without country code', { userPhone: '0815-1234-1234' }, /"Customer Phone" must start with the country code/],
		['empty assignee', { assigneeUsername: '={{ "  " }}' }, /"Assignee Username" is required but empty/],
		[
			'task module that is not JSON',
			{ taskModuleInput: 'json', taskModuleJson: '{"module_id": ' },
			/"Task Module \(JSON\)" is not valid JSON/,
		],
		[
			'task module that is a JSON list',
			{ taskModuleInput: 'json', taskModuleJson: '[1, 2]' },
			/"Task Module \(JSON\)" must be a JSON object/,
		],
		['empty task module JSON', { taskModuleInput: 'json', taskModuleJson: '' }, /"Task Module \(JSON\)" is required/],
		['empty module ID in Fields mode', { taskModuleInput: 'fields', moduleId: '={{ "" }}' }, /"Module ID" is required but empty/],
		[
			'an order field that is not text',
			{ taskModuleInput: 'fields', orders: { order: [{ orderNumber: 'A1' }, { orderNumber: '={{ [1] }}' }] } },
			/"Orders › Order 2 › Order Number" must be text/,
		],
	];

	it.each(cases)('%s', async (_label, overrides, message) => {
		const result = await ctx.run(params(overrides));
		expect(result.error).toBeDefined();
		expect(result.error!.message).toMatch(message);
		expect(result.error!.message).toContain('item 1 (index 0)');
		expect(result.error!.name).toBe('NodeOperationError');
		expect(result.items).toEqual([]);
		expect(ctx.server.requests).toHaveLength(0);
	});

	it('names the failing item when a later item is bad', async () => {
		const result = await ctx.run(
			params({ userPhone: '={{ $json.phone }}', options: { concurrency: 1 } }),
			{ items: [
				{ phone: '6281599990001' },
				{ phone: '+62 815 12x4' },
			] },
		);
		expect(result.error?.message).toMatch(/"Customer Phone" .* item 2 \(index 1\)/);
		expect(result.error?.description).toContain('item 2 (index 1)');
		// Every item is checked before the first request: nothing reached INCS.
		expect(ctx.server.requests).toHaveLength(0);
	});

	it('checks every item before the first request: five rows, the third invalid, no task is created', async () => {
		const phones = ['6281599990001', '6281599990002', '0815-1234-1234', '6281599990004', '6281599990005'];
		const result = await ctx.run(
			params({ userPhone: '={{ $json.phone }}' }),
			{ items: phones.map((phone) => ({ phone })) },
		);
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/"Customer Phone" .* item 3 \(index 2\)/);
		expect(result.items).toEqual([]);
		expect(ctx.server.requests).toHaveLength(0);
		expect(ctx.server.tasks).toHaveLength(0);
	});

	it('with Continue On Fail the bad row becomes its error item and the others are sent', async () => {
		const phones = ['6281599990011', '6281599990012', 'not a phone', '6281599990014', '6281599990015'];
		const result = await ctx.run(params({ userPhone: '={{ $json.phone }}' }), { items: phones.map((phone) => ({ phone })), continueOnFail: true });
		expect(result.items).toHaveLength(5);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(result.items[2].json.error).toMatch(/"Customer Phone"/);
		expect(ctx.server.requests).toHaveLength(4);
	});
});
