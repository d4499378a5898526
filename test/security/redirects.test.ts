/**
 * No request of ours follows a redirect (issue 11): each vendor's API call and token request
 * answered with HTTP 307 to ANOTHER local server. That server must receive nothing — no
 * 123kanfang Authorization (header, form, query or cookie), no login with the password, no
 * refresh token, no AICC access-token or token request with client_secret, no INCS Bearer — and
 * the node must fail with an error naming only the target's origin.
 */
import { StandInServer } from '../../stand-ins/base';
import { AICC_TOKEN_PATH } from '../../stand-ins/aicc';
import { dump, params as incsParams, setup as incsSetup } from '../incs/setup';
import { setup as aiccSetup } from '../aicc/setup';
import { assign, setup as kanfangSetup } from '../kanfang123/setup';
import { useSetup } from '../harness/vendor';

const elsewhere = new StandInServer();
beforeAll(async () => {
	await elsewhere.start();
});
afterAll(async () => {
	await elsewhere.stop();
});
beforeEach(() => elsewhere.resetRecording());

/** A 307 to the other server, with a path and query that must not show in the error. */
const redirect = (path: string) => ({
	kind: 'reply' as const,
	path,
	status: 307,
	headers: { Location: `${elsewhere.baseUrl}/collect?from=${encodeURIComponent(path)}` },
	body: '',
});

function expectRedirectError(message: string | undefined) {
	expect(message).toMatch(
		new RegExp(`answered with a redirect to ${elsewhere.baseUrl.replace(/[.:/]/g, '\\$&')} \\(HTTP 307\\)`),
	);
	expect(message).not.toContain('/collect');
}

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';
const LOGIN = '/v2/Authorization/GetAccessToken';
const REFRESH = '/v2/Authorization/RefreshToken';

describe('123kanfang: no redirect followed', () => {
	const k = useSetup(kanfangSetup, { reset: true });

	it.each(['header', 'body', 'cookie'])('an API call with the token in the %s: the other host gets nothing', async (location) => {
		const credential = k.credential({ authorizationLocation: location });
		k.server.inject(redirect(ASSIGN));
		const result = await k.run(assign, { credential, items: [{ house: `redirect-${location}` }] });
		expectRedirectError(result.error?.message);
		expect(result.error?.name).toBe('NodeApiError');
		expect(k.server.requestsTo(ASSIGN)).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it('a GET with the token in the query string: the other host gets nothing', async () => {
		const credential = k.credential({ authorizationLocation: 'body' });
		k.server.inject(redirect('/v2/houseTask/GetWorkingTaskByCustomerHouseId'));
		const result = await k.run({ operation: 'getWorking', customerHouseId: 'R-1' }, { credential });
		expectRedirectError(result.error?.message);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it('a pasted Access Token: the other host gets nothing', async () => {
		const credential = k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' });
		k.server.inject(redirect(ASSIGN));
		const result = await k.run(assign, { credential, items: [{ house: 'redirect-static' }] });
		expectRedirectError(result.error?.message);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it('the login (password in the query): the other host gets nothing, the node fails', async () => {
		k.server.inject(redirect(LOGIN));
		const result = await k.run(assign, { items: [{ house: 'redirect-login' }] });
		expectRedirectError(result.error?.message);
		expect(result.error?.message).toMatch(/123kanfang login endpoint/);
		expect(k.server.loginRequests()).toHaveLength(1);
		expect(k.server.requestsTo(ASSIGN)).toHaveLength(0);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it('the renewal with the refresh token: the other host gets nothing, a login follows', async () => {
		const credential = k.credential();
		await k.run(assign, { credential, items: [{ house: 'redirect-refresh-1' }] });
		k.harness.credentials.patch(credential.id!, { tokenExpiresAt: Date.now() - 1000 });
		k.server.resetRecording();
		k.server.inject(redirect(REFRESH));
		const result = await k.run(assign, { credential, items: [{ house: 'redirect-refresh-2' }] });
		expect(result.error).toBeUndefined();
		expect(k.server.refreshRequests()).toHaveLength(1);
		expect(k.server.loginRequests()).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
	});
});

describe('Huawei AICC: no redirect followed', () => {
	const a = useSetup(aiccSetup, { reset: true });
	const create = { operation: 'create', title: 'T', ownerId: 'agent01', creatorId: 'sup01' };

	it('the token request (client_secret in the form): the other host gets nothing, the node fails', async () => {
		a.server.inject(redirect(AICC_TOKEN_PATH));
		const result = await a.run(create);
		expectRedirectError(result.error?.message);
		expect(result.error?.message).toMatch(/Huawei AICC token endpoint/);
		expect(a.server.requestsTo(AICC_TOKEN_PATH)).toHaveLength(1);
		expect(a.taskRequests()).toHaveLength(0);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it.each(['clientCredentials', 'accessToken'])('an API call (%s, access-token header): the other host gets nothing', async (mode) => {
		const credential = mode === 'accessToken' ? a.accessToken() : a.clientCredentials();
		a.server.inject(redirect(`${'/service/AICC__Case/1.0.0/openapi'}/task`));
		const result = await a.run(create, { credential });
		expectRedirectError(result.error?.message);
		expect(result.error?.name).toBe('NodeApiError');
		expect(a.taskRequests()).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
	});
});

describe('INCS: no redirect followed', () => {
	const i = useSetup(async () => await incsSetup(), { reset: true });

	it('an API call (Bearer token): the other host gets nothing, the node fails', async () => {
		i.server.inject(redirect('/external/tasks'));
		const result = await i.run(incsParams());
		expectRedirectError(result.error?.message);
		expect(dump(result.error)).not.toContain('/collect');
		expect(i.server.requests).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
	});

	it('a 301 (permanent) is not followed either', async () => {
		i.server.inject({ ...redirect('/external/tasks'), status: 301 });
		const result = await i.run(incsParams());
		expect(result.error?.message).toMatch(/redirect to .* \(HTTP 301\)/);
		expect(elsewhere.requests).toHaveLength(0);
	});
});
