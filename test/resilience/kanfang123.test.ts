/**
 * 123kanfang node under injected faults, through n8n's real WorkflowExecute and HTTP helpers
 * against the stand-in: how often each request was sent (counted at the server), and that every
 * input item yields exactly one output item — nothing dropped, nothing duplicated.
 *
 * Assign Capture Task is idempotent for the user (123kanfang refuses a second open task of a
 * Customer House ID, and the node then returns the open one), so it is retried after resets and time-outs; Push Package
 * is not, so it is retried only when the server certainly did not take the request.
 */
import type { IDataObject, INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import type { RunResult } from '../harness/run';
import type { Fault } from '../../stand-ins/base';
import { Kanfang123StandIn } from '../../stand-ins/kanfang123';
import { holdAnswers, pendingWaits, until, useFakeClock, useRealClock } from '../harness/hold';
import { expectOnePerInput, houses, processThenStall, randomLatency, tally, TYPES, useStandIn } from './setup';

const ASSIGN = '/v2/houseTask/AssignNewCaptureHouseTask';
const PUSH = '/v2/houseTask/AddNewNotifyTaskByPackageID';

const server = new Kanfang123StandIn();

const t = useStandIn(server);

function accountCredential(baseUrl = server.baseUrl): INodeCredentialsDetails {
	return t.harness.credentials.add('kanfang123Api', {
		environment: 'custom',
		baseUrl,
		authentication: 'account',
		username: 'demo',
		password: 'demo-password',
	});
}

let runCounter = 0;

/** Assign one capture task per input item (`house` → Customer House ID), unique per run. */
async function assign(
	items: IDataObject[],
	options: IDataObject = {},
	extra: { continueOnFail?: boolean; credential?: INodeCredentialsDetails } = {},
): Promise<RunResult> {
	return await t.harness.run({
		type: TYPES.kanfang123,
		parameters: {
			resource: 'houseTask',
			operation: 'assignCapture',
			userName: 'photographer-1',
			houseName: 'House',
			customerHouseId: '={{ $json.house }}',
			serviceId: 'svc-1',
			options: { retryDelay: 1, timeout: 2000, ...options },
		},
		credentials: { kanfang123Api: extra.credential ?? accountCredential() },
		items,
		continueOnFail: extra.continueOnFail ?? true,
	});
}

/** Input items with Customer House IDs not used by any earlier run of this file. */
function freshHouses(count: number): IDataObject[] {
	return houses(count, `R${++runCounter}`);
}

async function push(packages: string[], options: IDataObject = {}, continueOnFail = true): Promise<RunResult> {
	return await t.harness.run({
		type: TYPES.kanfang123,
		parameters: {
			resource: 'houseTask',
			operation: 'push',
			packageId: '={{ $json.packageId }}',
			notifyconfigId: 'notify-1',
			options: { retryDelay: 1, timeout: 2000, ...options },
		} as INodeParameters,
		credentials: { kanfang123Api: accountCredential() },
		items: packages.map((packageId) => ({ packageId })),
		continueOnFail,
	});
}

const assignRequests = () => server.requestsTo(ASSIGN);

/**
 * The node got its answer and now sleeps before a retry: the one wait on the fake clock. The
 * fake-clock tests give requests a 30 s Timeout, so pendingWaits() does not count the requests'
 * own time limits (n8n-core 2.x puts them on the clock).
 */
const waitingToRetry = async () => await until(() => pendingWaits() > 0);

afterEach(() => {
	useRealClock();
});
const sentPerHouse = () => tally(assignRequests(), (r) => r.form.customerHouseId);
const tasksPerHouse = (items: IDataObject[]) =>
	Object.fromEntries(items.map(({ house }) => [house, server.tasks.filter((t) => t.customerHouseId === house).length]));

interface FaultCase {
	name: string;
	fault: Fault;
	/** Requests the faulted item causes: 2 when retried once, 1 when not retried. */
	sent: number;
	/** The error message of the faulted item, when it is not retried (or retried to no avail). */
	error?: RegExp;
	options?: IDataObject;
}

/** Each fault hits the first request of the run (item 1; Parallel Requests = 1 keeps order). */
const assignCases: FaultCase[] = [
	{ name: 'HTTP 500 with the vendor envelope', fault: { kind: 'reply', status: 500, body: { state: 500, payload: 'InnerServerError' } }, sent: 1, error: /^123kanfang error \(state 500\): InnerServerError$/ },
	{ name: 'HTTP 429 with Retry-After: 0', fault: { kind: 'reply', status: 429, headers: { 'Retry-After': '0' }, body: 'Too Many Requests' }, sent: 2 },
	{ name: 'HTTP 503', fault: { kind: 'reply', status: 503, body: 'Service Unavailable' }, sent: 2 },
	{ name: 'HTTP 502 HTML error page from a gateway', fault: { kind: 'html', status: 502 }, sent: 2 },
	{ name: 'HTTP 504 from a gateway', fault: { kind: 'reply', status: 504, body: 'Gateway Timeout' }, sent: 2 },
	{ name: 'HTTP 503 with an empty body', fault: { kind: 'empty', status: 503 }, sent: 2 },
	{ name: 'connection reset', fault: { kind: 'reset' }, sent: 2 },
	{ name: 'a hang past the timeout', fault: { kind: 'hang', ms: 10_000 }, sent: 2, options: { timeout: 1000 } },
	{ name: 'an HTML page with HTTP 200', fault: { kind: 'html', status: 200 }, sent: 1, error: /^123kanfang sent a response that is not its JSON envelope: <html>/ },
	{ name: 'malformed JSON', fault: { kind: 'malformedJson' }, sent: 1, error: /^123kanfang sent a response that is not its JSON envelope: \{"state": 200, "payload": \{$/ },
	{ name: 'an empty HTTP 200 body', fault: { kind: 'empty', status: 200 }, sent: 1, error: /^123kanfang sent a response that is not its JSON envelope \(empty body\)$/ },
];

describe('123kanfang Assign Capture Task (idempotent) under each injected fault', () => {
	it.each(assignCases)('$name: sent $sent time(s) for the faulted item, one output item per input', async ({ fault, sent, error, options }) => {
		const items = freshHouses(3);
		server.inject({ ...fault, path: ASSIGN } as Fault);
		const result = await assign(items, { concurrency: 1, ...options });

		expect(result.error).toBeUndefined();
		expectOnePerInput(result.items, 3);
		const [first, second, third] = items.map((i) => i.house as string);
		expect(sentPerHouse()).toEqual({ [first]: sent, [second]: 1, [third]: 1 });
		if (error) {
			expect(result.items[0].json.error).toMatch(error);
			expect(tasksPerHouse(items)).toEqual({ [first]: 0, [second]: 1, [third]: 1 });
		} else {
			expect(result.items[0].json.error).toBeUndefined();
			expect(result.items[0].json.customerHouseId).toBe(first);
			expect(tasksPerHouse(items)).toEqual({ [first]: 1, [second]: 1, [third]: 1 });
		}
		expect(result.items.slice(1).map((i) => i.json.customerHouseId)).toEqual([second, third]);
		// One login for the run, whatever happened to the calls.
		expect(server.loginRequests()).toHaveLength(1);
	});

	it.each(assignCases.filter((c) => c.error))(
		'$name without Continue On Fail stops the node with that error, sent $sent time(s)',
		async ({ fault, sent, error }) => {
			const items = freshHouses(1);
			server.inject({ ...fault, path: ASSIGN } as Fault);
			const result = await assign(items, {}, { continueOnFail: false });
			expect(result.items).toHaveLength(0);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toMatch(error!);
			expect(assignRequests()).toHaveLength(sent);
		},
	);

	it('a reply lost after 123kanfang created the task (time-out): the retry gets the same task, no second one', async () => {
		const items = freshHouses(2);
		const restore = processThenStall(server, 'POST', ASSIGN, 3000);
		try {
			const result = await assign(items, { concurrency: 1, timeout: 1000 });
			expectOnePerInput(result.items, 2);
			const house = items[0].house as string;
			expect(sentPerHouse()[house]).toBe(2);
			expect(tasksPerHouse(items)).toEqual({ [house]: 1, [items[1].house as string]: 1 });
			const task = server.tasks.find((t) => t.customerHouseId === house)!;
			expect(result.items[0].json.id).toBe(task.id);
		} finally {
			restore();
		}
	});

	it('retries are bounded by Max Retries, with growing waits, then report "Gave up after N retries"', async () => {
		useFakeClock();
		const items = freshHouses(1);
		server.inject(...Array.from({ length: 6 }, () => ({ kind: 'reply', path: ASSIGN, status: 503, body: 'busy' }) as Fault));
		const running = assign(items, { maxRetries: 3, retryDelay: 40, timeout: 30_000 });
		// Exponential backoff with jitter: retry n comes after half to all of 40·2ⁿ ms, never sooner.
		for (const [retry, ceiling] of [[1, 40], [2, 80], [3, 160]]) {
			await waitingToRetry();
			await jest.advanceTimersByTimeAsync(ceiling / 2 - 1);
			expect(pendingWaits()).toBe(1);
			expect(assignRequests()).toHaveLength(retry);
			await jest.advanceTimersByTimeAsync(ceiling / 2 + 1);
			expect(pendingWaits()).toBe(0);
			await until(() => assignRequests().length === retry + 1);
		}
		const result = await running;
		expectOnePerInput(result.items, 1);
		expect(result.items[0].json).toEqual({
			error: '123kanfang answered HTTP 503: busy',
			description: 'Gave up after 3 retries.',
			httpCode: '503',
		});
		expect(assignRequests()).toHaveLength(4);
		server.clearFaults();
	});

	it('Max Retries 0 sends once', async () => {
		const items = freshHouses(1);
		server.inject({ kind: 'reply', path: ASSIGN, status: 503, body: 'busy' });
		const result = await assign(items, { maxRetries: 0 });
		expect(result.items[0].json.error).toBe('123kanfang answered HTTP 503: busy');
		expect(result.items[0].json.description).toBeUndefined();
		expect(assignRequests()).toHaveLength(1);
	});

	it.each([
		['seconds', 1000, () => '1'],
		// Two seconds ahead of the fake clock, which stands still on a whole second.
		['an HTTP date', 2000, () => new Date(Date.now() + 2000).toUTCString()],
	])('honours Retry-After given as %s: the retry comes when it says, not sooner', async (_form, wait, retryAfter) => {
		useFakeClock();
		jest.setSystemTime(Math.floor(Date.now() / 1000) * 1000);
		const items = freshHouses(1);
		server.inject({ kind: 'reply', path: ASSIGN, status: 429, headers: { 'Retry-After': retryAfter() }, body: 'slow down' });
		const running = assign(items, { retryDelay: 1, timeout: 30_000 });
		await waitingToRetry();
		await jest.advanceTimersByTimeAsync(wait - 1);
		expect(pendingWaits()).toBe(1);
		await jest.advanceTimersByTimeAsync(1);
		expect(pendingWaits()).toBe(0);
		const result = await running;
		expect(result.items[0].json.customerHouseId).toBe(items[0].house);
		expect(assignRequests()).toHaveLength(2);
	});

	it('a mix of retryable faults across 20 parallel items: every house gets exactly one task, output in input order', async () => {
		const items = freshHouses(20);
		randomLatency(server, 0, 15);
		const faults: Fault[] = [
			{ kind: 'reply', path: ASSIGN, status: 503, body: 'busy' },
			{ kind: 'reply', path: ASSIGN, status: 429, headers: { 'Retry-After': '0' }, body: 'later' },
			{ kind: 'reset', path: ASSIGN },
			{ kind: 'hang', path: ASSIGN, ms: 10_000 },
			{ kind: 'html', path: ASSIGN, status: 502 },
			{ kind: 'empty', path: ASSIGN, status: 503 },
			{ kind: 'reset', path: ASSIGN },
			{ kind: 'reply', path: ASSIGN, status: 504, body: 'gateway timeout' },
		];
		server.inject(...faults);
		// Faults go to requests in arrival order, so one item's quick retries can meet several in
		// a row (on a busy machine, all of them): Max Retries covers that, whatever the order.
		const result = await assign(items, { concurrency: 5, timeout: 1500, maxRetries: faults.length });
		expect(result.error).toBeUndefined();
		expectOnePerInput(result.items, 20);
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(items.map((i) => i.house));
		expect(result.items.every((i) => i.json.error === undefined)).toBe(true);
		expect(Object.values(tasksPerHouse(items))).toEqual(Array(20).fill(1));
		expect(assignRequests()).toHaveLength(20 + faults.length);
		expect(new Set(result.items.map((i) => i.json.id)).size).toBe(20);
	});
});

const pushCases: FaultCase[] = [
	{ name: 'HTTP 500', fault: { kind: 'reply', status: 500, body: { state: 500, payload: 'InnerServerError' } }, sent: 1, error: /^123kanfang error \(state 500\): InnerServerError$/ },
	{ name: 'HTTP 429 with Retry-After: 0', fault: { kind: 'reply', status: 429, headers: { 'Retry-After': '0' }, body: 'Too Many Requests' }, sent: 2 },
	{ name: 'HTTP 503 (a proxy may have forwarded it: the origin may have pushed)', fault: { kind: 'reply', status: 503, body: 'Service Unavailable' }, sent: 1, error: /^123kanfang answered HTTP 503: Service Unavailable$/ },
	{ name: 'HTTP 502 HTML error page (the origin may have pushed)', fault: { kind: 'html', status: 502 }, sent: 1, error: /^123kanfang answered HTTP 502: <html>/ },
	{ name: 'HTTP 504 (the origin may have pushed)', fault: { kind: 'reply', status: 504, body: 'Gateway Timeout' }, sent: 1, error: /^123kanfang answered HTTP 504: Gateway Timeout$/ },
	{ name: 'connection reset', fault: { kind: 'reset' }, sent: 1, error: /connection to the server was closed unexpectedly/ },
	{ name: 'a hang past the timeout', fault: { kind: 'hang', ms: 10_000 }, sent: 1, error: /connection was aborted/, options: { timeout: 1000 } },
	{ name: 'malformed JSON', fault: { kind: 'malformedJson' }, sent: 1, error: /not its JSON envelope/ },
	{ name: 'an empty HTTP 200 body', fault: { kind: 'empty', status: 200 }, sent: 1, error: /not its JSON envelope \(empty body\)/ },
];

describe('123kanfang Push Package (not idempotent) under each injected fault', () => {
	let packages: string[] = [];
	beforeEach(() => {
		packages = [1, 2, 3].map((n) => server.seedTask({ customerHouseId: `push-${++runCounter}-${n}` }).packageId);
	});

	it.each(pushCases)('$name: sent $sent time(s), one output item per input', async ({ fault, sent, error, options }) => {
		server.inject({ ...fault, path: PUSH } as Fault);
		const result = await push(packages, { concurrency: 1, ...options });
		expect(result.error).toBeUndefined();
		expectOnePerInput(result.items, 3);
		expect(tally(server.requestsTo(PUSH), (r) => r.form.packageId)).toEqual({
			[packages[0]]: sent,
			[packages[1]]: 1,
			[packages[2]]: 1,
		});
		if (error) {
			expect(result.items[0].json.error).toMatch(error);
		} else {
			expect(result.items[0].json.id).toMatch(/^notify_/);
		}
		for (const item of result.items.slice(1)) expect(item.json.id).toMatch(/^notify_/);
	});

	it('a reply lost after the push was accepted is not sent again (one push request, one error item)', async () => {
		const restore = processThenStall(server, 'POST', PUSH, 3000);
		try {
			const result = await push(packages.slice(0, 1), { timeout: 1000 });
			expectOnePerInput(result.items, 1);
			expect(result.items[0].json.error).toMatch(/connection was aborted/);
			expect(server.requestsTo(PUSH)).toHaveLength(1);
		} finally {
			restore();
		}
	});

	it('a refused connection (nothing was sent) is retried even for Push, login included', async () => {
		// A server that is down when the run starts and comes back shortly after.
		const late = new Kanfang123StandIn();
		await late.start();
		const port = Number(new URL(late.baseUrl).port);
		const baseUrl = late.baseUrl;
		await late.stop();
		const credential = accountCredential(baseUrl);
		useFakeClock();
		try {
			const running = t.harness.run({
				type: TYPES.kanfang123,
				parameters: {
					resource: 'houseTask',
					operation: 'assignCapture',
					userName: 'p',
					houseName: 'House',
					customerHouseId: 'late-1',
					serviceId: 'svc',
					options: { retryDelay: 100, maxRetries: 4 },
				},
				credentials: { kanfang123Api: credential },
				items: [{}],
			});
			// The login was refused; the node waits to retry (at most 100 ms), and the server
			// comes back meanwhile.
			await waitingToRetry();
			await late.start(port);
			await jest.advanceTimersByTimeAsync(100);
			const result = await running;
			useRealClock();
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.customerHouseId).toBe('late-1');
			expect(late.loginRequests()).toHaveLength(1);
			expect(late.requestsTo(ASSIGN)).toHaveLength(1);

			// And a Push against a server that is down for good: retried, then one error item.
			await late.stop();
			const task = late.seedTask({ customerHouseId: 'late-2' });
			const down = await t.harness.run({
				type: TYPES.kanfang123,
				parameters: {
					resource: 'houseTask',
					operation: 'push',
					packageId: task.packageId,
					notifyconfigId: 'n',
					options: { retryDelay: 1, maxRetries: 2 },
				},
				credentials: { kanfang123Api: credential },
				items: [{}, {}],
				continueOnFail: true,
			});
			expectOnePerInput(down.items, 2);
			for (const item of down.items) {
				expect(item.json.error).toBe('The service refused the connection - perhaps it is offline');
				expect(item.json.description).toBe('Gave up after 2 retries.');
			}
		} finally {
			await late.stop();
		}
	});
});

describe('123kanfang: parallel items, token and order', () => {
	it('10 parallel items on a cold account credential cause one login; all calls carry that token', async () => {
		const items = freshHouses(10);
		randomLatency(server, 5, 20);
		const credential = accountCredential();
		const result = await assign(items, { concurrency: 10 }, { credential });
		expectOnePerInput(result.items, 10);
		expect(server.loginRequests()).toHaveLength(1);
		const token = t.harness.credentials.stored(credential.id!).sessionToken as string;
		expect(token).toMatch(/^tok_/);
		expect(new Set(assignRequests().map((r) => r.headers.authorization))).toEqual(new Set([token]));
		expect(t.harness.credentials.updates.get(credential.id!)).toBe(1);
	});

	it('a token that expires mid-run is refreshed once for all parallel items', async () => {
		const items = freshHouses(30);
		randomLatency(server, 1, 10);
		const credential = accountCredential();
		server.expireTokensAfterCalls = 8;
		const result = await assign(items, { concurrency: 10 }, { credential });
		expectOnePerInput(result.items, 30);
		expect(result.items.every((i) => i.json.error === undefined)).toBe(true);
		// One login at the start, one renewal (with the refresh token) when the token expired.
		expect(server.loginRequests()).toHaveLength(1);
		expect(server.refreshRequests()).toHaveLength(1);
		expect(Object.values(tasksPerHouse(items))).toEqual(Array(30).fill(1));
	});

	it('a login that fails (wrong password) is tried once, not once per item', async () => {
		const items = freshHouses(10);
		const credential = t.harness.credentials.add('kanfang123Api', {
			environment: 'custom',
			baseUrl: server.baseUrl,
			authentication: 'account',
			username: 'demo',
			password: 'not-the-password',
		});
		const result = await assign(items, { concurrency: 10 }, { credential });
		expectOnePerInput(result.items, 10);
		for (const item of result.items) expect(item.json.error).toMatch(/login failed/);
		expect(server.loginRequests()).toHaveLength(1);
		expect(assignRequests()).toHaveLength(0);
	});

	it('output order is input order with Parallel Requests 10, although answers come back newest first', async () => {
		const items = freshHouses(60);
		const held = holdAnswers(server, 'POST', ASSIGN);
		// A fixed token (no login, no first call alone on a new token), and a Timeout far above
		// how long the answers are held, so that no request is sent twice.
		const credential = t.harness.credentials.add('kanfang123Api', {
			environment: 'custom',
			baseUrl: server.baseUrl,
			authentication: 'accessToken',
			accessToken: 'static-token-123',
		});
		const running = assign(items, { concurrency: 10, timeout: 60_000 }, { credential });
		// Each round: wait until 10 requests are in flight, then answer them newest first.
		for (let arrived = 10; arrived <= 60; arrived += 10) {
			await held.arrivals(arrived);
			await until(() => held.waiting === 10);
			held.release();
		}
		held.restore();
		const result = await running;
		expect(result.items.map((i) => i.json.customerHouseId)).toEqual(items.map((i) => i.house));
		expectOnePerInput(result.items, 60);
		expect(held.arrived).toHaveLength(60);
		expect(new Set(held.arrived.map((r) => r.form.customerHouseId)).size).toBe(60);
		expect(held.mostWaiting).toBe(10);
	});

	it('Parallel Requests 1 sends strictly in input order', async () => {
		const items = freshHouses(8);
		randomLatency(server, 0, 5);
		const result = await assign(items, { concurrency: 1 });
		expectOnePerInput(result.items, 8);
		expect(assignRequests().map((r) => r.form.customerHouseId)).toEqual(items.map((i) => i.house));
	});
});
