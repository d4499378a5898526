/**
 * Our nodes called by an AI Agent as tools (`<node>Tool`), through the shared runner: an
 * operation that cannot be undone is refused unless the user allowed it, the reply is
 * simplified unless the user turned that off, and errors are one short line of plain text
 * without secrets.
 */
import { secretForms } from '../../nodes/shared/secrets';
import { MAX_ITEMS_FOR_MODEL } from '../../nodes/shared/toolMode';
import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { Aicc } from '../../nodes/Aicc/Aicc.node';
import { Incs } from '../../nodes/Incs/Incs.node';
import { setup as aiccSetup } from '../aicc/setup';
import { params as incsParams, setup as incsSetup } from '../incs/setup';
import { useSetup } from '../harness/vendor';
import { assign, setup as kanfangSetup } from '../kanfang123/setup';

const IRREVERSIBLE = ['cancelCapture', 'finish', 'push', 'retire', 'review'];

describe('tool mode: 123kanfang', () => {
	const k = useSetup(kanfangSetup, { reset: true });

	const retire = (packageId: string, extra = {}) => ({ operation: 'retire', packageId, ...extra });

	it('shows "Allow Irreversible Operations" only to tools, for exactly the operations that cannot be undone', () => {
		const property = new Kanfang123().description.properties.find((p) => p.name === 'allowIrreversible');
		expect(property?.displayOptions?.show).toEqual({ '@tool': [true], operation: IRREVERSIBLE });
		expect(property?.default).toBe(false);
		for (const node of [new Aicc(), new Incs()]) {
			expect(node.description.properties.find((p) => p.name === 'allowIrreversible')).toBeUndefined();
			expect(node.description.properties.find((p) => p.name === 'simplify')?.displayOptions?.show).toEqual({ '@tool': [true] });
		}
	});

	it.each(IRREVERSIBLE)('refuses "%s" for an agent: nothing is sent, the model reads why', async (operation) => {
		const task = k.server.seedTask({ customerHouseId: `R-${operation}`, taskState: 45000 });
		const result = await k.run(
			{ operation, packageId: task.packageId, notifyconfigId: 'cfg', customerHouseId: task.customerHouseId, userName: 'p1' },
			{ tool: true },
		);
		expect(result.error?.message).toBe(
			`Refused: the operation "${operation}" cannot be undone, and this tool is not allowed to run it for an AI agent. Nothing was sent. Ask a person to do it, or to turn on "Allow Irreversible Operations" in the tool.`,
		);
		expect(k.server.requests).toHaveLength(0);
	});

	it('with Continue On Fail (what n8n 1.x needs to hand tool errors to the agent), one refusal item per item', async () => {
		const task = k.server.seedTask({ customerHouseId: 'R-cof', taskState: 50000 });
		const result = await k.run(retire(task.packageId), { tool: true, continueOnFail: true, items: [{}, {}] });
		expect(result.items.map((item) => [Object.keys(item.json), item.pairedItem])).toEqual([
			[['error'], { item: 0 }],
			[['error'], { item: 1 }],
		]);
		expect(result.items[0].json.error).toMatch(/^Refused: the operation "retire" cannot be undone/);
		expect(k.server.requests).toHaveLength(0);
	});

	it('runs it when the user turned on "Allow Irreversible Operations"', async () => {
		const task = k.server.seedTask({ customerHouseId: 'R-allowed', taskState: 50000 });
		const result = await k.run(retire(task.packageId, { allowIrreversible: true }), { tool: true });
		expect(result.error).toBeUndefined();
		expect(k.server.requestsTo('/v2/houseTask/RetireHouseTask').map((r) => r.form.packageId)).toEqual([task.packageId]);
	});

	it('as a plain node (not a tool) the same operation needs no such switch', async () => {
		const task = k.server.seedTask({ customerHouseId: 'R-node', taskState: 50000 });
		const result = await k.run(retire(task.packageId));
		expect(result.error).toBeUndefined();
		expect(k.server.requestsTo('/v2/houseTask/RetireHouseTask')).toHaveLength(1);
	});

	it('operations that can be undone run for an agent', async () => {
		const result = await k.run(assign, { tool: true, items: [{ house: 'T-assign' }] });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ customerHouseId: 'T-assign', existingTask: false });
	});

	it('Simplify (on for tools): empty fields left out, long texts cut; off: the full reply', async () => {
		const long = 'x'.repeat(2000);
		k.server.seedTask({ customerHouseId: 'T-simple', houseName: long });
		const parameters = { operation: 'getMany', returnAll: true, filters: { customerHouseId: 'T-simple' } };

		const simple = (await k.run(parameters, { tool: true })).items[0].json;
		expect(simple.houseName).toBe(`${'x'.repeat(500)}…`);
		expect(simple).toMatchObject({ customerHouseId: 'T-simple', taskState: 9000 });
		expect(Object.values(simple)).not.toContain(null);

		const full = (await k.run({ ...parameters, simplify: false }, { tool: true })).items[0].json;
		expect(full.houseName).toBe(long);
		expect(full.userComments).toBeNull();
		const plain = (await k.run(parameters)).items[0].json;
		expect(plain).toEqual(full);
	});

	it(`Simplify returns at most ${MAX_ITEMS_FOR_MODEL} results and says how many more there are`, async () => {
		for (let i = 0; i < MAX_ITEMS_FOR_MODEL + 7; i++) k.server.seedTask({ customerHouseId: `MANY-${i}`, userName: 'many.photographer' });
		const parameters = { operation: 'getMany', returnAll: true, filters: { userName: 'many.photographer' } };
		const result = await k.run(parameters, { tool: true });
		expect(result.items).toHaveLength(MAX_ITEMS_FOR_MODEL + 1);
		expect(result.items[MAX_ITEMS_FOR_MODEL].json).toEqual({
			note: '7 more results not shown. Narrow the search, or ask a person to turn off "Simplify" in the tool.',
		});
		expect((await k.run({ ...parameters, simplify: false }, { tool: true })).items).toHaveLength(MAX_ITEMS_FOR_MODEL + 7);
	});

	it('an HTML error page reaches the model as one short line of plain text', async () => {
		k.server.inject({ kind: 'html', status: 502 }, { kind: 'html', status: 502 }, { kind: 'html', status: 502 }, { kind: 'html', status: 502 });
		const result = await k.run({ operation: 'getWorking', customerHouseId: 'T-html', options: { retryDelay: 1, maxRetries: 0 } }, { tool: true });
		const message = result.error!.message;
		expect(message).toMatch(/bad gateway/i);
		expect(message).not.toMatch(/[<>\n]/);
		expect(message.length).toBeLessThanOrEqual(301);
		expect(result.error!.description ?? undefined).toBeUndefined();
	});
});

describe('tool mode: Huawei AICC', () => {
	const a = useSetup(aiccSetup, { reset: true });

	it('a created task comes back simplified, without empty fields', async () => {
		const result = await a.run({ operation: 'create', title: 'Leak', ownerId: 'agent01', creatorId: 'sup01' }, { tool: true });
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({ title: 'Leak', ownerId: 'agent01' });
		expect(Object.values(json).filter((value) => value === '' || value === null)).toEqual([]);
	});
});

describe('tool mode: INCS', () => {
	const i = useSetup(() => incsSetup(), { reset: true });

	it('a vendor error that echoes the token reaches the model without it, in any encoding', async () => {
		const token = i.server.token;
		i.server.inject({
			kind: 'reply',
			path: '/external/tasks',
			status: 401,
			body: { code: 401, message: `Token ${token} (${Buffer.from(token).toString('base64')}) is not valid <br/>` },
		});
		const result = await i.run(incsParams(), { tool: true, continueOnFail: true });
		const [item] = result.items;
		expect(item.json).toEqual({ error: expect.stringContaining('not valid'), httpCode: '401', vendorCode: 401 });
		const text = JSON.stringify(item.json);
		for (const form of secretForms(token)) expect(text).not.toContain(form);
		expect(item.json.error).not.toMatch(/[<>]/);
	});
});
