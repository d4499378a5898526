/**
 * The token gate's process-wide state is bounded: at most 1,000 credentials (least recently
 * used dropped first, never one with a login in flight) and the 32 newest replaced tokens of
 * each. Observed through the gate's own methods.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { sessionToken, TokenGate } from '../../nodes/shared/tokenGate';

const config = sessionToken(
	() => true,
	(data) => [String(data.url)],
);

/** A gate of a new execution, attached to credential `id`, with the token n8n loaded for it. */
function gateFor(id: string, token = ''): { gate: TokenGate; data: ICredentialDataDecryptedObject } {
	const gate = new TokenGate(config);
	const data: ICredentialDataDecryptedObject = { url: 'https://vendor.example', sessionToken: token };
	gate.attach('testApi', id, data);
	return { gate, data };
}

/**
 * A login in a new execution of credential `id` that obtains `token`. When the process holds a
 * token for it already, the API refuses that one first (as when it expired), so the next round
 * logs in.
 */
async function login(id: string, token: string) {
	const { gate, data } = gateFor(id);
	let taken = await gate.take(false);
	if (!taken.carriesLogin) {
		await gate.refused(taken.token, () => new Error('not a fresh refusal'), async () => ({}));
		taken = await gate.take(false);
	}
	expect(taken.carriesLogin).toBe(true);
	data.sessionToken = token;
	gate.loginDone();
}

/** The token a new execution of credential `id` sends when n8n loaded `loaded` for it. */
async function tokenSent(id: string, loaded = ''): Promise<unknown> {
	const { gate } = gateFor(id, loaded);
	const { token, carriesLogin } = await gate.take(false);
	// Nothing known for an empty token: this request would log in (not in this test).
	if (carriesLogin) gate.loginDone(new Error('no login in this test'));
	return token;
}

describe('token gate bounds', () => {
	it('10,000 credentials: the process remembers the newest token of the 1,000 most recently used', async () => {
		for (let i = 0; i < 10_000; i++) await login(`cred-${i}`, `token-${i}`);
		// The ones kept first (reading a state makes it recent; a dropped one comes back empty).
		expect(await tokenSent('cred-9000')).toBe('token-9000');
		expect(await tokenSent('cred-9999')).toBe('token-9999');
		expect(await tokenSent('cred-8999')).toBe('');
		expect(await tokenSent('cred-0')).toBe('');
	});

	it('a credential with a login in flight is never dropped: its waiters still wait for that one login', async () => {
		const first = gateFor('busy');
		expect((await first.gate.take(false)).carriesLogin).toBe(true);
		for (let i = 0; i < 10_000; i++) gateFor(`other-${i}`);

		// Had the state been dropped, this execution would carry a login of its own.
		const waited = gateFor('busy').gate.take(false);
		first.data.sessionToken = 'fresh';
		first.gate.loginDone();
		expect(await waited).toEqual({ token: 'fresh', carriesLogin: false });
	});

	it('remembers the 32 newest replaced tokens of a credential', async () => {
		for (let i = 0; i <= 40; i++) await login('rotating', `token-${i}`);
		// token-0 … token-39 were replaced; a loaded one among the newest 32 is swapped for the newest.
		expect(await tokenSent('rotating', 'token-39')).toBe('token-40');
		expect(await tokenSent('rotating', 'token-8')).toBe('token-40');
		// Older ones are forgotten: sent as loaded (if refused, sent again with the newest).
		expect(await tokenSent('rotating', 'token-7')).toBe('token-7');
		expect(await tokenSent('rotating', 'token-0')).toBe('token-0');
	});
});
