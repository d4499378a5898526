/** Which n8n line `npm start` / the e2e run picks, and the profile of 2.x's background publication. */
import { N8N_LINES, selectedLine } from '../../scripts/lib/n8n-lines';
import type { N8nRest } from '../../scripts/lib/rest';
import { RestError } from '../../scripts/lib/rest';

describe('n8n lines', () => {
	test('2.x by default; --n8n=1 or N8N_LINE=1 picks 1.x; the flag wins', () => {
		expect(selectedLine([], {}).version).toMatch(/^2\.41\./);
		expect(selectedLine(['--n8n=1'], {}).version).toMatch(/^1\.123\./);
		expect(selectedLine([], { N8N_LINE: '1' }).id).toBe('1');
		expect(selectedLine(['--n8n=2'], { N8N_LINE: '1' }).id).toBe('2');
		expect(selectedLine(['--n8n=v1.123'], {}).id).toBe('1');
		expect(() => selectedLine(['--n8n=3'], {})).toThrow('--n8n: "3" is not an n8n line this project tests (use 1 or 2)');
		expect(() => selectedLine([], { N8N_LINE: 'latest' })).toThrow('N8N_LINE');
	});

	test('2.x runs on Node 24 with a broker port of its own; 1.x on the machine’s Node without one', () => {
		expect(N8N_LINES['2']).toMatchObject({ node: 'node-24', needsBrokerPort: true });
		expect(N8N_LINES['2'].environment({ brokerPort: 40123 })).toMatchObject({
			N8N_RUNNERS_BROKER_PORT: '40123',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		});
		expect(N8N_LINES['1']).toMatchObject({ node: 'system', needsBrokerPort: false });
		expect(N8N_LINES['1'].environment({ brokerPort: 0 })).not.toHaveProperty('N8N_RUNNERS_BROKER_PORT');
	});

	function fakeRest(statuses: Array<Record<string, unknown> | RestError>) {
		const calls: string[] = [];
		const rest = {
			workflow: async () => ({ versionId: 'v1' }),
			request: async (method: string, path: string) => {
				calls.push(`${method} ${path}`);
				if (method === 'POST') return {};
				const next = statuses.shift();
				if (next instanceof RestError) throw next;
				return next;
			},
		} as unknown as N8nRest;
		return { rest, calls };
	}

	test('2.x activation returns only once the publication is done', async () => {
		const { rest, calls } = fakeRest([{ status: 'in_progress' }, { status: 'in_progress' }, { status: 'published' }]);
		await N8N_LINES['2'].activate(rest, 'wf1');
		expect(calls).toEqual([
			'POST /rest/workflows/wf1/activate',
			...Array(3).fill('GET /rest/workflows/wf1/publication-status'),
		]);
	});

	test('2.x activation fails with the trigger’s own error when publishing fails', async () => {
		const { rest } = fakeRest([{ status: 'failed', triggers: [{ nodeId: 'n', status: 'failed', errorMessage: 'port in use' }] }]);
		await expect(N8N_LINES['2'].activate(rest, 'wf1')).rejects.toThrow('publishing workflow wf1 failed: port in use');
	});

	test('2.x with the publication service switched off activates synchronously', async () => {
		const { rest } = fakeRest([new RestError(404, 'not available', 'GET')]);
		await expect(N8N_LINES['2'].activate(rest, 'wf1')).resolves.toBeUndefined();
	});
});
