/**
 * The 123kanfang Trigger's process-wide memories are bounded: sign keys (1,000 credentials),
 * replay memory (500 triggers, 1,000 signs each). Called through the helpers' functions with a
 * context that has only what they read (the node, the credential, the static data).
 */
import { createHash } from 'node:crypto';

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { readSignKey } from '../../nodes/Kanfang123/helpers/signKey';
import type { TriggerState } from '../../nodes/Kanfang123/helpers/state';
import { alreadySeen, remember, replayKey, storedSigns } from '../../nodes/Kanfang123/helpers/state';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 60 * 60 * 1000;
/** A sign as 123kanfang sends it: an MD5 in hex. */
const sign = (name: string | number) => createHash('md5').update(String(name)).digest('hex');

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

/** A production callback of trigger `workflowId` that finds `staticData` in n8n's database. */
const callbackOf = (workflowId: string, staticData: IDataObject) =>
	({
		getMode: () => 'webhook',
		getNode: () => ({ id: 'trigger', name: 'Trigger' }),
		getWorkflow: () => ({ id: workflowId }),
		getWorkflowStaticData: () => staticData,
	}) as unknown as IWebhookFunctions;

describe('replay memory of the process', () => {
	it('signs found in the static data: the process keeps the 1,000 seen last of a trigger', () => {
		// 1,500 signs stored by other processes (as `seen` keeps them: per expiry second).
		const keys = Array.from({ length: 1500 }, (_, i) => replayKey(sign(i))).join('');
		const stored = callbackOf('replays-only', { seen: { [String((NOW + HOUR) / 1000)]: keys } });
		for (let i = 0; i < 1500; i++) expect(alreadySeen(stored, sign(i), NOW)).toBe(true);

		// What the process memory alone still knows (the static data lost them, say).
		const memory = callbackOf('replays-only', {});
		expect(alreadySeen(memory, sign(1499), NOW)).toBe(true);
		expect(alreadySeen(memory, sign(500), NOW)).toBe(true);
		expect(alreadySeen(memory, sign(499), NOW)).toBe(false);
		expect(alreadySeen(memory, sign(0), NOW)).toBe(false);
	});

	it('10,000 triggers: the process keeps the memory of the 500 used last', () => {
		const one = sign('one');
		for (let i = 0; i < 10_000; i++) expect(remember(callbackOf(`workflow-${i}`, {}), one, NOW + HOUR, NOW)).toBe(true);
		// Each asked with an empty static data: only the process memory can know the sign.
		expect(alreadySeen(callbackOf('workflow-9500', {}), one, NOW)).toBe(true);
		expect(alreadySeen(callbackOf('workflow-9999', {}), one, NOW)).toBe(true);
		expect(alreadySeen(callbackOf('workflow-9499', {}), one, NOW)).toBe(false);
		expect(alreadySeen(callbackOf('workflow-0', {}), one, NOW)).toBe(false);
	});

	it('a trigger receiving callbacks keeps its memory however many triggers come after it', () => {
		expect(remember(callbackOf('busy', {}), sign('first'), NOW + HOUR, NOW)).toBe(true);
		for (let i = 0; i < 10_000; i++) {
			remember(callbackOf(`later-${i}`, {}), sign('later'), NOW + HOUR, NOW);
			if (i % 100 === 0) expect(alreadySeen(callbackOf('busy', {}), sign(`callback-${i}`), NOW)).toBe(false);
		}
		expect(alreadySeen(callbackOf('busy', {}), sign('first'), NOW)).toBe(true);
	});
});

describe('replay memory in the static data', () => {
	it('keeps at most 1,000 signs: beyond that, the ones that expire soonest go first', () => {
		const staticData: IDataObject = {};
		// Expiring in reverse order of arrival: the first ones remembered live longest.
		for (let i = 0; i < 1500; i++) remember(callbackOf('capped', staticData), sign(`capped-${i}`), NOW + HOUR - i * 1000, NOW);
		const kept = storedSigns(staticData as TriggerState, NOW);
		expect(kept.size).toBe(1000);
		expect([...kept.keys()].sort()).toEqual(Array.from({ length: 1000 }, (_, i) => replayKey(sign(`capped-${i}`))).sort());
	});

	it('1,000 signs of a burst take 11 bytes each (n8n loads and saves them for every callback)', () => {
		const staticData: IDataObject = {};
		for (let i = 0; i < 1000; i++) remember(callbackOf('burst', staticData), sign(`burst-${i}`), NOW + 300_000, NOW);
		expect(storedSigns(staticData as TriggerState, NOW).size).toBe(1000);
		// One expiry second: `{"<seconds>":"<11,000 characters>"}`.
		expect(JSON.stringify(staticData.seen).length).toBeLessThanOrEqual(1000 * 11 + 20);
	});

	it('a sign that is not an MD5 in hex is never a repeat and never remembered', () => {
		const staticData: IDataObject = {};
		for (const odd of ['', 'not-a-sign', 'abc', `${sign('x')}0`, sign('x').slice(1)]) {
			expect(remember(callbackOf('odd', staticData), odd, NOW + HOUR, NOW)).toBe(true);
			expect(alreadySeen(callbackOf('odd', staticData), odd, NOW)).toBe(false);
		}
		expect(staticData.seen).toBeUndefined();
	});

	it('signs differing only in case, or in surrounding spaces, are one sign', () => {
		const staticData: IDataObject = {};
		remember(callbackOf('case', staticData), sign('case'), NOW + HOUR, NOW);
		expect(alreadySeen(callbackOf('case-elsewhere', staticData), ` ${sign('case').toUpperCase()} `, NOW)).toBe(true);
	});
});
