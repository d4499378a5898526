/**
 * The 123kanfang Trigger's process-wide memories are bounded: sign keys (1,000 credentials),
 * replay memory (500 triggers, 1,000 signs each). Called through the helpers' functions with a
 * context that has only what they read (the node, the credential, the static data).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { readSignKey } from '../../nodes/Kanfang123/helpers/signKey';
import { alreadySeen, remember } from '../../nodes/Kanfang123/helpers/state';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;

describe('sign keys', () => {
	const reads: string[] = [];
	const webhookOf = (id: string) =>
		({
			getNode: () => ({ credentials: { kanfang123WebhookApi: { id, name: `account ${id}` } } }),
			getCredentials: async () => {
				reads.push(id);
				return { signSecret: `key of ${id}` };
			},
		}) as unknown as IWebhookFunctions;

	it('10,000 credentials: the keys of the 1,000 read last are kept, the others read again', async () => {
		for (let i = 0; i < 10_000; i++) await readSignKey(webhookOf(`cred-${i}`), NOW);
		reads.length = 0;
		expect(await readSignKey(webhookOf('cred-9000'), NOW)).toEqual({ key: 'key of cred-9000', cached: true });
		expect(await readSignKey(webhookOf('cred-9999'), NOW)).toEqual({ key: 'key of cred-9999', cached: true });
		expect(reads).toEqual([]);
		expect(await readSignKey(webhookOf('cred-8999'), NOW)).toEqual({ key: 'key of cred-8999', cached: false });
		expect(await readSignKey(webhookOf('cred-0'), NOW)).toEqual({ key: 'key of cred-0', cached: false });
		expect(reads).toEqual(['cred-8999', 'cred-0']);
	});
});

describe('replay memory of the process', () => {
	/** A production callback of trigger `workflowId` that finds `staticData` in n8n's database. */
	const callbackOf = (workflowId: string, staticData: IDataObject) =>
		({
			getMode: () => 'webhook',
			getNode: () => ({ id: 'trigger', name: 'Trigger' }),
			getWorkflow: () => ({ id: workflowId }),
			getWorkflowStaticData: () => staticData,
		}) as unknown as IWebhookFunctions;

	it('signs found in the static data: the process keeps the 1,000 seen last of a trigger', () => {
		const seen: Record<string, number> = {};
		for (let i = 0; i < 1500; i++) seen[`sign-${i}`] = NOW + HOUR;
		const stored = callbackOf('replays-only', { seen });
		for (let i = 0; i < 1500; i++) expect(alreadySeen(stored, `sign-${i}`, NOW)).toBe(true);

		// What the process memory alone still knows (the static data lost them, say).
		const memory = callbackOf('replays-only', {});
		expect(alreadySeen(memory, 'sign-1499', NOW)).toBe(true);
		expect(alreadySeen(memory, 'sign-500', NOW)).toBe(true);
		expect(alreadySeen(memory, 'sign-499', NOW)).toBe(false);
		expect(alreadySeen(memory, 'sign-0', NOW)).toBe(false);
	});

	it('10,000 triggers: the process keeps the memory of the 500 used last', () => {
		for (let i = 0; i < 10_000; i++) expect(remember(callbackOf(`workflow-${i}`, {}), 'sign', NOW + HOUR, NOW)).toBe(true);
		// Each asked with an empty static data: only the process memory can know the sign.
		expect(alreadySeen(callbackOf('workflow-9500', {}), 'sign', NOW)).toBe(true);
		expect(alreadySeen(callbackOf('workflow-9999', {}), 'sign', NOW)).toBe(true);
		expect(alreadySeen(callbackOf('workflow-9499', {}), 'sign', NOW)).toBe(false);
		expect(alreadySeen(callbackOf('workflow-0', {}), 'sign', NOW)).toBe(false);
	});

	it('a trigger receiving callbacks keeps its memory however many triggers come after it', () => {
		expect(remember(callbackOf('busy', {}), 'first', NOW + HOUR, NOW)).toBe(true);
		for (let i = 0; i < 10_000; i++) {
			remember(callbackOf(`later-${i}`, {}), 'sign', NOW + HOUR, NOW);
			if (i % 100 === 0) expect(alreadySeen(callbackOf('busy', {}), `callback-${i}`, NOW)).toBe(false);
		}
		expect(alreadySeen(callbackOf('busy', {}), 'first', NOW)).toBe(true);
	});
});
