/**
 * Queue mode: n8n saves a trigger's whole static data after each webhook call, from the copy it
 * loaded when the call began, so a burst of *different* callbacks handled together overwrites
 * each other's entry. Seen in a real cluster (test/queue): after 1,000 callbacks 50 at a time,
 * 196 of 200 replays to a new webhook processor ran again. Each save now carries the process's
 * live memory, so the last save of a burst holds every sign that process accepted.
 */
import { sendCallback, senderSign } from '../../stand-ins/callback';
import { replayKey } from '../../nodes/Kanfang123/helpers/state';
import { KEY, rememberedSigns, SUCCESS, taskParams, useTrigger } from './triggerSetup';

const t = useTrigger();

it('a burst of 20 different callbacks: every sign reaches the stored static data, and a new process refuses all 20 replays', async () => {
	// Every request starts from the static data saved before it (n8n loads it from its database).
	t.server.configure({ loadDelayMs: 20 });
	await t.server.activate();
	const timestamp = String(Date.now());
	const callbacks = Array.from({ length: 20 }, (_, i) => taskParams('50000', `house-${i}`));
	const replies = await Promise.all(
		callbacks.map((params) => sendCallback(t.server.productionUrl, { key: KEY, params, timestamp })),
	);
	expect(replies.every((r) => r.status === 200)).toBe(true);
	expect(await t.settle()).toHaveLength(20);
	const stored = [...rememberedSigns(t.server.nodeStaticData).keys()];
	expect(stored.sort()).toEqual(callbacks.map((params) => replayKey(senderSign(KEY, params, timestamp))).sort());

	// Another process: only the static data remembers.
	t.anotherProcess();
	const replays = await Promise.all(
		callbacks.map((params) => sendCallback(t.server.productionUrl, { key: KEY, params, timestamp })),
	);
	expect(replays.map((r) => r.json)).toEqual(callbacks.map(() => SUCCESS));
	expect(await t.settle()).toHaveLength(20);
});
