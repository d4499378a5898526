/**
 * The "Test" button of each credential dialog, through n8n's own endpoint
 * (POST /rest/credentials/test): passes with the stand-ins' secrets and fails with a wrong one.
 * (The 123kanfang Webhook API credential holds only a sign key, which 123kanfang cannot be asked
 * about: the trigger node's `credentialTest` (testedBy) checks that it is well-formed — here a
 * line break pasted with it; a wrong key is the rejected signature in trigger.e2e.ts.)
 */
import type { N8nRest } from '../../scripts/lib/rest';
import { e2eState, loggedIn, n8nName } from './helpers';

const state = e2eState();
let rest: N8nRest;

beforeAll(async () => {
	rest = await loggedIn(state);
});

function credentialTest(type: string, overrides: Record<string, unknown> = {}) {
	const stored = state.credentials[type];
	return rest.testCredential({
		id: stored.id,
		name: stored.name,
		type,
		data: { ...stored.data, ...overrides },
	});
}

const cases: Array<{ title: string; type: string; good: Record<string, unknown>; wrong: Record<string, unknown> }> = [
	{
		title: '123kanfang API, account login',
		type: 'kanfang123Api',
		good: {},
		wrong: { password: 'not-the-password' },
	},
	{
		title: '123kanfang API, access token',
		type: 'kanfang123Api',
		good: { authentication: 'accessToken', accessToken: 'static-token-123' },
		wrong: { authentication: 'accessToken', accessToken: 'static-token-999' },
	},
	{
		title: 'Huawei AICC API, client credentials',
		type: 'aiccApi',
		good: {},
		wrong: { clientSecret: 'not-the-secret' },
	},
	{
		title: 'INCS API',
		type: 'incsApi',
		good: {},
		wrong: { apiToken: 'incs-wrong-token' },
	},
	{
		title: '123kanfang Webhook API, sign key pasted with a line break',
		type: 'kanfang123WebhookApi',
		good: {},
		wrong: { signSecret: 'sandbox-sign-key-pasted\n' },
	},
];

describe(`credential tests in ${n8nName(state)}`, () => {
	test.each(cases)('$title: passes against the stand-in', async ({ type, good }) => {
		const result = await credentialTest(type, good);
		expect(result).toMatchObject({ status: 'OK' });
	});

	test.each(cases)('$title: fails with a wrong secret', async ({ type, wrong }) => {
		const result = await credentialTest(type, wrong);
		expect(result.status).toBe('Error');
		expect(result.message).toEqual(expect.any(String));
		const secrets = Object.entries(wrong).filter(([key]) => key !== 'authentication');
		for (const [, secret] of secrets) expect(result.message).not.toContain(String(secret));
	});
});
