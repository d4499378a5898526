/**
 * Secrets that come back from a server in another form than they were sent (issue 11): a login
 * page echoing the request URL, a token endpoint echoing the form body, an API echoing the
 * cookie. Nothing of the secret may show in the error, the output items or the run data n8n
 * stores — raw, URL-encoded (%20 and +, either hex case, RFC 3986 strict), JSON-escaped or
 * base64 — and short secrets count too.
 */
import { AICC_TOKEN_PATH } from '../../stand-ins/aicc';
import type { RecordedRequest, RouteHandler, StandInServer } from '../../stand-ins/base';
import type { RunResult } from '../harness/run';
import { useSetup } from '../harness/vendor';
import { setup as aiccSetup } from '../aicc/setup';
import { assign, setup as kanfangSetup } from '../kanfang123/setup';

/** A stand-in's handler of a route (the stand-ins keep their table private), to restore it. */
function routeOf(server: StandInServer, method: string, path: string): RouteHandler {
	const routes = (server as unknown as { routes: Map<string, RouteHandler> }).routes;
	return routes.get(`${method} ${path.toLowerCase()}`)!;
}

const LOGIN = '/v2/Authorization/GetAccessToken';
const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';

/** The forms a secret can come back in, written out independently of the code under test. */
function forms(secret: string): string[] {
	const strict = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
	const plus = (text: string) => text.replace(/%20/g, '+');
	const base64 = Buffer.from(secret).toString('base64');
	const all = [
		secret,
		encodeURIComponent(secret),
		strict,
		lower(strict),
		plus(strict),
		plus(encodeURIComponent(secret)),
		lower(plus(encodeURIComponent(secret))),
		new URLSearchParams({ s: secret }).toString().slice(2),
		JSON.stringify(secret).slice(1, -1),
		base64,
		base64.replace(/=+$/, ''),
	];
	return [...new Set(all)];
}

/** Everything a run leaves: items, the error with its fields, and the stored run data. */
function everything(result: RunResult): string {
	const error = result.error as unknown as Record<string, unknown> | undefined;
	return JSON.stringify({
		items: result.items,
		error,
		message: error?.message,
		description: error?.description,
		stack: error?.stack,
		messages: error?.messages,
		run: result.run,
	});
}

function expectNoForm(result: RunResult, secret: string) {
	const text = everything(result);
	const found = forms(secret).filter((form) => text.includes(form));
	expect(found).toEqual([]);
}

/** A page that echoes what it received, in several forms, as careless servers do. */
function echo(r: RecordedRequest, secret: string) {
	const strict = encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return [
		`<html><body>Bad request: GET ${r.rawUrl}`,
		`normalized: authValue=${strict} (${strict.toLowerCase()})`,
		`query: ${JSON.stringify(r.query)}`,
		`body: ${r.rawBody}`,
		`cookie: ${String(r.headers.cookie ?? '')}`,
		`base64: ${Buffer.from(secret).toString('base64')}</body></html>`,
	].join('\n');
}

describe('123kanfang login page echoing the request URL', () => {
	const k = useSetup(kanfangSetup, { reset: true });

	it.each([
		['p@ss w0rd/+!&x', 400],
		['p@ss w0rd/+!&x', 200],
		['p@s1', 400], // shorter than the old 6-character redaction limit
		['a b', 200],
	] as const)('password %j (HTTP %i): no form of it in error, items or run data', async (password, status) => {
		k.server.accounts.set('demo', `${password}-not`);
		const original = routeOf(k.server, 'GET', LOGIN);
		k.server.route('GET', LOGIN, (r) => ({ status, body: echo(r, password) }));
		try {
			const credential = k.credential({ password });
			for (const continueOnFail of [false, true]) {
				const result = await k.run(assign, { credential, items: [{ house: 'E-1' }, { house: 'E-2' }], continueOnFail });
				if (continueOnFail) expect(String(result.items[0].json.error)).toMatch(/123kanfang login failed/);
				else expect(result.error?.message).toMatch(/123kanfang login failed/);
				expectNoForm(result, password);
			}
			// The echo really carried the password (the test would prove nothing otherwise).
			const [login] = k.server.loginRequests();
			expect(login.query.authValue).toBe(password);
		} finally {
			k.server.route('GET', LOGIN, original);
			k.server.accounts.set('demo', 'demo-password');
		}
	});

	it('a pasted token with + / = sent as a cookie and echoed back: no form of it anywhere', async () => {
		const token = 'kf+pasted/token==Zq9';
		const credential = k.credential({ authentication: 'accessToken', accessToken: token, authorizationLocation: 'cookie' });
		const original = routeOf(k.server, 'POST', ASSIGN);
		k.server.route('POST', ASSIGN, (r) => ({ status: 200, body: { state: 401, payload: echo(r, token) } }));
		try {
			const result = await k.run(assign, { credential, items: [{ house: 'C-1' }] });
			expect(result.error?.message).toMatch(/123kanfang refused the token/);
			expect(k.server.requestsTo(ASSIGN)[0].headers.cookie).toContain('Authorization=kf%2Bpasted%2Ftoken%3D%3DZq9');
			expectNoForm(result, token);
		} finally {
			k.server.route('POST', ASSIGN, original);
		}
	});
});

describe('Huawei AICC token endpoint echoing the form body', () => {
	const a = useSetup(aiccSetup, { reset: true });

	it.each(['s3cr3t/+= !x&y', 'Ab1!'])('client secret %j: no form of it in error, items or run data', async (secret) => {
		const original = routeOf(a.server, 'POST', AICC_TOKEN_PATH);
		a.server.route('POST', AICC_TOKEN_PATH, (r) => ({
			status: 401,
			body: { error: 'invalid_client', error_description: `rejected: ${r.rawBody} | ${echo(r, secret)}` },
		}));
		try {
			const credential = a.clientCredentials({ clientSecret: secret });
			for (const continueOnFail of [false, true]) {
				const result = await a.run(
					{ operation: 'create', title: 'T', ownerId: 'o', creatorId: 'c' },
					{ credential, continueOnFail },
				);
				const message = continueOnFail ? String(result.items[0].json.error) : result.error?.message;
				expect(message).toMatch(/Huawei AICC did not issue a token \(HTTP 401: invalid_client/);
				expectNoForm(result, secret);
			}
			expect(a.server.requestsTo(AICC_TOKEN_PATH)[0].form.client_secret).toBe(secret);
		} finally {
			a.server.route('POST', AICC_TOKEN_PATH, original);
		}
	});
});
