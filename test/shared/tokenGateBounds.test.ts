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

function login(id: string, token: string) {
	const { gate, data } = gateFor(id);
	gate.begin(data);
	data.sessionToken = token;
	gate.end(data);
}

/** The token a new execution of credential `id` sends when n8n loaded `loaded` for it. */
function tokenSent(id: string, loaded = ''): unknown {
	const { gate, data } = gateFor(id, loaded);
	gate.adoptNewest(data);
	return data.sessionToken;
}

describe('token gate bounds', () => {
	it('10,000 credentials: the process remembers the newest token of the 1,000 most recently used', () => {
		for (let i = 0; i < 10_000; i++) login(`cred-${i}`, `token-${i}`);
		// The ones kept first (reading a state makes it recent; a dropped one comes back empty).
		expect(tokenSent('cred-9000')).toBe('token-9000');
		expect(tokenSent('cred-9999')).toBe('token-9999');
		expect(tokenSent('cred-8999')).toBe('');
		expect(tokenSent('cred-0')).toBe('');
	});

	it('a credential with a login in flight is never dropped: its waiters still wait for that one login', async () => {
		const first = gateFor('busy');
		first.gate.begin(first.data);
		for (let i = 0; i < 10_000; i++) gateFor(`other-${i}`);

		const waiter = gateFor('busy');
		expect(waiter.gate.refreshing).toBeDefined();
		const waited = waiter.gate.waitForLogin(waiter.data);
		first.data.sessionToken = 'fresh';
		first.gate.end(first.data);
		await waited;
		expect(waiter.data.sessionToken).toBe('fresh');
	});

	it('remembers the 32 newest replaced tokens of a credential', () => {
		for (let i = 0; i <= 40; i++) login('rotating', `token-${i}`);
		// token-0 … token-39 were replaced; a loaded one among the newest 32 is swapped for the newest.
		expect(tokenSent('rotating', 'token-39')).toBe('token-40');
		expect(tokenSent('rotating', 'token-8')).toBe('token-40');
		// Older ones are forgotten: sent as loaded (if refused, sent again with the newest).
		expect(tokenSent('rotating', 'token-7')).toBe('token-7');
		expect(tokenSent('rotating', 'token-0')).toBe('token-0');
	});
});
