/**
 * n8n loaded the package the way users install it (npm pack → community package): our four
 * node types and four credential types are listed, with their icons served.
 */
import { CREDENTIAL_TYPES, NODE_TYPES } from '../../scripts/sandbox';
import type { N8nRest } from '../../scripts/lib/rest';
import { e2eState, loggedIn, n8nName } from './helpers';

const state = e2eState();
let rest: N8nRest;

beforeAll(async () => {
	rest = await loggedIn(state);
});

describe(`${n8nName(state)} lists our types`, () => {
	test(`all ${NODE_TYPES.length} node types (and the AI-tool variants of the action nodes), with icons`, async () => {
		const types = await rest.nodeTypes();
		const all = types.filter((t) => t.name.startsWith('n8n-nodes-task-dispatch.'));
		const tools = NODE_TYPES.filter((t) => !t.endsWith('Trigger')).map((t) => `${t}Tool`);
		expect(all.map((t) => t.name).sort()).toEqual([...NODE_TYPES, ...tools].sort());
		const ours = all.filter((t) => !t.name.endsWith('Tool'));
		const byName = Object.fromEntries(ours.map((t) => [t.name.split('.')[1], t as typeof t & { iconUrl?: string }]));
		expect(byName.kanfang123.displayName).toBe('123kanfang');
		expect(byName.kanfang123Trigger.displayName).toBe('123kanfang Trigger');
		expect(byName.kanfang123PollTrigger.displayName).toBe('123kanfang Polling Trigger');
		expect(byName.aicc.displayName).toEqual(expect.stringContaining('AICC'));
		expect(byName.incs.displayName).toBe('INCS');
		for (const type of ours) {
			// Themed icons: n8n lists `iconUrl` as { light, dark }, each served as an SVG.
			const { iconUrl } = type as typeof type & { iconUrl?: { light: string; dark: string } };
			expect(iconUrl).toEqual({ light: expect.stringMatching(/\.svg$/), dark: expect.stringMatching(/\.dark\.svg$/) });
			for (const url of [iconUrl!.light, iconUrl!.dark]) {
				const icon = await fetch(`${state.url}/${url}`);
				expect({ type: type.name, url, status: icon.status }).toEqual({ type: type.name, url, status: 200 });
				expect(icon.headers.get('content-type')).toContain('svg');
				expect(await icon.text()).toContain('<svg');
			}
		}
	});

	test('all 4 credential types', async () => {
		const types = await rest.credentialTypes();
		const names = types.map((t) => t.name);
		for (const name of CREDENTIAL_TYPES) expect(names).toContain(name);
	});

	test('n8n did not report any of ours as missing when the sandbox started', () => {
		expect(state.missing).toEqual({ nodes: [], credentials: [] });
	});
});
