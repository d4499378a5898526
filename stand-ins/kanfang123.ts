/**
 * A local stand-in for the 123kanfang web API (`/v2/...`), following the vendor docs in
 * shared/reference/123kanfang: form-encoded POSTs and query-string GETs, the token accepted
 * in the Authorization header, form body, query string or cookie, `GetAccessToken` for account
 * logins, and `{ state, payload }` envelopes. Tests can expire tokens, choose whether auth
 * failures come as HTTP 200 bodies or HTTP 401, and inject faults through StandInServer.
 */
import { randomBytes } from 'node:crypto';

import type { RecordedRequest, ReplyDescription } from './base';
import { StandInServer } from './base';

export interface Kanfang123Task {
	id: string;
	userId: string;
	userName: string;
	customerHouseId: string;
	houseId: string;
	packageId: string;
	serviceId: string;
	houseName: string;
	cityId?: string;
	houseType?: string;
	layout?: string;
	additionalData?: string;
	taskState: number;
	anjukeBianHao?: string;
	fangTianXia?: Record<string, string>;
	createTime: string;
	retired?: boolean;
	/** Last change, in the server's time (UTC+8, no offset), like GetPage's lastModifyTime. */
	lastModifyTime: string;
	/** Push result for your own endpoint (GetPage's NotifyResult). */
	notifyResult?: number;
	/** FinishHouseTask's comments. */
	comments?: string;
}

/** 123kanfang's times: China Standard Time (UTC+8) without an offset, e.g. 2026-01-01T08:00:00. */
export function serverTime(ms: number): string {
	return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
}

/** Where the token was found in a request, or undefined when it had none. */
export function tokenOf(request: RecordedRequest): { token: string; location: 'header' | 'body' | 'query' | 'cookie' } | undefined {
	const header = request.headers.authorization;
	if (typeof header === 'string' && header) return { token: header.replace(/^Bearer\s+/i, ''), location: 'header' };
	const form = request.form.Authorization;
	if (typeof form === 'string' && form) return { token: form, location: 'body' };
	const query = request.query.Authorization;
	if (typeof query === 'string' && query) return { token: query, location: 'query' };
	const cookie = request.cookies.Authorization;
	if (cookie) return { token: cookie, location: 'cookie' };
	return undefined;
}

const OPEN_STATES = new Set([9000, 10000, 20000, 30000, 40000, 45000]);
/** Uploaded and not yet finished: the states in which a model can be reported finished. */
const IN_PRODUCTION = new Set([20000, 30000, 40000, 45000]);

/** The stand-in's refusal of a second open task (the vendor documents the rule, not its message). */
export const OPEN_TASK_REFUSAL = 'InvalidCustomerHouseId: a task for this customerHouseId is not finished yet';

const ok = (payload: unknown): ReplyDescription => ({ body: { state: 200, payload } });
const rejected = (payload: string): ReplyDescription => ({ body: { state: 403, payload } });

/** The stand-in's demo account, which every Kanfang123StandIn accepts. */
export const DEMO_ACCOUNT = { username: 'demo', password: 'demo-password' } as const;

/** Data of a "123kanfang API" credential that logs in to a stand-in at `baseUrl` as the demo account. */
export function demoAccountCredential(baseUrl: string) {
	return { environment: 'custom', baseUrl, authentication: 'account', ...DEMO_ACCOUNT };
}

export class Kanfang123StandIn extends StandInServer {
	/** username → password accepted by GetAccessToken. */
	readonly accounts = new Map<string, string>([[DEMO_ACCOUNT.username, DEMO_ACCOUNT.password]]);

	/** Tokens accepted regardless of login (for "Access Token" credentials). */
	readonly staticTokens = new Set<string>(['static-token-123']);

	/** Issued tokens and their expiry (epoch ms). */
	readonly tokens = new Map<string, number>();

	/** Lifetime reported and enforced for new tokens, in seconds. */
	tokenLifetimeSeconds = 172800;

	/** How a refused token is answered: an HTTP 200 `{state:401}` body, or HTTP 401. */
	authFailure: 'body' | 'http' | 'body4011' = 'body';

	/** Expire every issued token after this many authenticated calls (undefined: never). */
	expireTokensAfterCalls?: number;

	/** Refuse every token, even one just issued (an account without API rights…). */
	refuseAllTokens = false;

	/** A login or renewal revokes every token issued before it (one session per account). */
	revokeOnLogin = false;

	/** Issued refresh tokens and their expiry (epoch ms); renewal is GET Authorization/RefreshToken. */
	readonly refreshTokens = new Map<string, number>();

	/** Lifetime reported and enforced for new refresh tokens, in seconds. */
	refreshTokenLifetimeSeconds = 2592000;

	private authenticatedCalls = 0;

	/** Requests that passed the token check and were handled (a refused token is not in here). */
	readonly handled: RecordedRequest[] = [];

	readonly tasks: Kanfang123Task[] = [];

	private sequence = 0;

	/**
	 * While a task of a Customer House ID is open, a new capture task for it is refused
	 * (GetWorkingTaskByCustomerHouseId.md) with state 403 and `OPEN_TASK_REFUSAL`; 'return'
	 * answers with the open task instead (AssignNewCaptureHouseTask.md's "the ID stays the same").
	 */
	openTaskPolicy: 'refuse' | 'return' = 'refuse';

	/** GetPage returns at most this many rows a page, whatever pageSize asks (undefined: no cap). */
	pageSizeCap?: number;

	/** Runs before GetPage answers, with how many GetPage calls came before (a test changes tasks between two pages). */
	beforePage?: (earlierCalls: number) => void;

	private pageCalls = 0;

	/** GetPage reports this instead of the real total (a server that lies about `total`). */
	reportedTotal?: (realTotal: number) => number;

	/** How far the server's clock is ahead of ours (negative: behind), in milliseconds. */
	clockOffsetMs = 0;

	/** The server's current time as it writes it. */
	now(): string {
		return serverTime(Date.now() + this.clockOffsetMs);
	}

	/** Change a task's state as 123kanfang would (its lastModifyTime moves to now). */
	setState(task: Kanfang123Task, taskState: number, at = this.now()) {
		task.taskState = taskState;
		task.lastModifyTime = at;
	}

	constructor() {
		super();
		this.route('GET', '/v2/Authorization/GetAccessToken', (r) => this.login(r));
		this.route('GET', '/v2/Authorization/RefreshToken', (r) => this.renew(r));
		const post = (path: string, handler: (r: RecordedRequest) => ReplyDescription) =>
			this.route('POST', path, (r) => this.authorized(r, handler));
		const get = (path: string, handler: (r: RecordedRequest) => ReplyDescription) =>
			this.route('GET', path, (r) => this.authorized(r, handler));
		post('/v2/houseTask/AssignNewCaptureHouseTask', (r) => this.assign(r));
		post('/v2/houseTask/putAnjukeBianHao', (r) => this.anjuke(r));
		get('/v2/houseTask/GetWorkingTaskByCustomerHouseId', (r) => this.working(r));
		post('/v2/houseTask/CancelCaptureHouseTask', (r) => this.cancel(r));
		get('/v2/houseTask/GetPage', (r) => this.page(r));
		post('/v2/houseTask/CustomerAssignReviewResult', (r) => this.review(r));
		post('/v2/houseTask/RetireHouseTask', (r) => this.retire(r));
		post('/v2/houseTask/UpdateCustomerHouseId', (r) => this.updateCustomerHouseId(r));
		post('/v2/houseTask/AssignToVrtours3d', (r) => this.delegate(r));
		post('/v2/houseTask/AddNewNotifyTaskByPackageID', (r) => this.push(r));
		post('/v2/houseTask/PutFangtianxiaInfo', (r) => this.fangTianXia(r));
		post('/v2/houseTask/FinishHouseTask', (r) => this.finish(r));
	}

	/** Make every issued token invalid now (as if they all expired). */
	expireAllTokens() {
		for (const token of this.tokens.keys()) this.tokens.set(token, 0);
	}

	loginRequests() {
		return this.requestsTo('/v2/Authorization/GetAccessToken');
	}

	refreshRequests() {
		return this.requestsTo('/v2/Authorization/RefreshToken');
	}

	/** Make every issued refresh token invalid now. */
	expireAllRefreshTokens() {
		for (const token of this.refreshTokens.keys()) this.refreshTokens.set(token, 0);
	}

	/** Add a task directly (e.g. one already captured and uploaded). */
	seedTask(partial: Partial<Kanfang123Task> & { customerHouseId: string }): Kanfang123Task {
		const n = ++this.sequence;
		const task: Kanfang123Task = {
			id: `task${String(n).padStart(4, '0')}${randomBytes(6).toString('hex')}`,
			userId: `user${n}`,
			userName: 'photographer',
			houseId: `house-${n}`,
			packageId: `pkg_${n}_${randomBytes(4).toString('hex')}`,
			serviceId: 'svc-1',
			houseName: `House ${n}`,
			taskState: 9000,
			createTime: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString().slice(0, 19),
			lastModifyTime: this.now(),
			...partial,
		};
		this.tasks.push(task);
		return task;
	}

	private field(r: RecordedRequest, name: string): string | undefined {
		const source = r.method === 'GET' ? r.query : r.form;
		const value = source[name];
		return Array.isArray(value) ? value[0] : value;
	}

	private refuse(message: string): ReplyDescription {
		const state = this.authFailure === 'body4011' ? 4011 : 401;
		return { status: this.authFailure === 'http' ? 401 : 200, body: { state, payload: message } };
	}

	private login(r: RecordedRequest): ReplyDescription {
		const user = this.field(r, 'authKey');
		const password = this.field(r, 'authValue');
		if (!user || !password || this.accounts.get(user) !== password) {
			return { body: { state: 401, payload: 'Invalid user name or password' } };
		}
		return this.issue();
	}

	/** A new token and refresh token (revoking the older ones when `revokeOnLogin`). */
	private issue(): ReplyDescription {
		if (this.revokeOnLogin) {
			this.expireAllTokens();
			this.expireAllRefreshTokens();
		}
		const token = `tok_${randomBytes(12).toString('hex')}`;
		this.tokens.set(token, Date.now() + this.tokenLifetimeSeconds * 1000);
		const refreshToken = `refresh_${randomBytes(8).toString('hex')}`;
		this.refreshTokens.set(refreshToken, Date.now() + this.refreshTokenLifetimeSeconds * 1000);
		return ok({
			token,
			tokenExpireIn: this.tokenLifetimeSeconds,
			refreshToken,
			refreshTokenExpireIn: this.refreshTokenLifetimeSeconds,
		});
	}

	/** RefreshToken.md: the refresh token as Authorization (header, query or cookie). */
	private renew(r: RecordedRequest): ReplyDescription {
		const found = tokenOf(r);
		const expiresAt = found ? this.refreshTokens.get(found.token) : undefined;
		if (!found || expiresAt === undefined || expiresAt <= Date.now()) {
			return { body: { state: 4011, payload: 'Invalid or expired refresh token' } };
		}
		// A refresh token is used once.
		this.refreshTokens.set(found.token, 0);
		return this.issue();
	}

	private authorized(r: RecordedRequest, handler: (r: RecordedRequest) => ReplyDescription): ReplyDescription {
		const found = tokenOf(r);
		if (!found) return this.refuse('Unauthorized');
		if (this.refuseAllTokens) return this.refuse('Unauthorized');
		if (!this.staticTokens.has(found.token)) {
			const expiresAt = this.tokens.get(found.token);
			if (expiresAt === undefined) return this.refuse('Unauthorized');
			if (expiresAt <= Date.now()) return this.refuse('Token expired');
		}
		this.authenticatedCalls++;
		if (this.expireTokensAfterCalls !== undefined && this.authenticatedCalls >= this.expireTokensAfterCalls) {
			this.expireTokensAfterCalls = undefined;
			this.expireAllTokens();
		}
		this.handled.push(r);
		return handler(r);
	}

	private check(r: RecordedRequest, rules: Array<[string, number, boolean]>): ReplyDescription | undefined {
		for (const [name, max, required] of rules) {
			const value = this.field(r, name);
			if (required && !value) return rejected(`Invalid${name[0].toUpperCase()}${name.slice(1)}: required`);
			if (value && [...value].length > max) return rejected(`Invalid${name[0].toUpperCase()}${name.slice(1)}: too long`);
		}
		return undefined;
	}

	private byPackage(packageId: string | undefined) {
		return this.tasks.find((t) => t.packageId === packageId && !t.retired);
	}

	private assign(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['userName', 32, true],
			['houseName', 128, true],
			['customerHouseId', 64, true],
			['serviceId', 32, true],
			['additionalData', 1024, false],
			['cityId', 32, false],
			['houseType', 32, false],
			['layout', 64, false],
		]);
		if (invalid) return invalid;
		const additionalData = this.field(r, 'additionalData');
		if (additionalData) {
			try {
				JSON.parse(additionalData);
			} catch {
				return rejected('InvalidAdditionalData: not JSON');
			}
		}
		const customerHouseId = this.field(r, 'customerHouseId')!;
		const open = this.tasks.find((t) => t.customerHouseId === customerHouseId && OPEN_STATES.has(t.taskState));
		if (open && this.openTaskPolicy === 'refuse') return rejected(OPEN_TASK_REFUSAL);
		const task =
			open ??
			this.seedTask({
				customerHouseId,
				userName: this.field(r, 'userName')!,
				houseName: this.field(r, 'houseName')!,
				serviceId: this.field(r, 'serviceId')!,
				cityId: this.field(r, 'cityId'),
				houseType: this.field(r, 'houseType'),
				layout: this.field(r, 'layout'),
				additionalData,
			});
		return ok(this.summary(task));
	}

	private summary(task: Kanfang123Task) {
		return {
			id: task.id,
			userId: task.userId,
			customerHouseId: task.customerHouseId,
			houseId: task.houseId,
			packageId: task.packageId,
			serviceId: task.serviceId,
			taskState: task.taskState,
			houseName: task.houseName,
		};
	}

	private anjuke(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['packageId', 128, true],
			['anjukeBianHao', 128, true],
		]);
		if (invalid) return invalid;
		const task = this.byPackage(this.field(r, 'packageId'));
		if (!task) return rejected('InvalidPackageId');
		task.anjukeBianHao = this.field(r, 'anjukeBianHao');
		return ok({ packageId: task.packageId, anjukeBianHao: task.anjukeBianHao });
	}

	private working(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [['customerHouseId', 64, true]]);
		if (invalid) return invalid;
		const id = this.field(r, 'customerHouseId');
		return ok(
			this.tasks
				.filter((t) => t.customerHouseId === id && OPEN_STATES.has(t.taskState))
				.map((t) => ({ id: t.id, customerHouseId: t.customerHouseId, packageId: t.packageId, taskState: t.taskState })),
		);
	}

	private cancel(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['userName', 32, true],
			['customerHouseId', 64, true],
		]);
		if (invalid) return invalid;
		const task = this.tasks.find(
			(t) =>
				t.customerHouseId === this.field(r, 'customerHouseId') &&
				t.userName === this.field(r, 'userName') &&
				OPEN_STATES.has(t.taskState),
		);
		if (!task) return rejected('InvalidTask: no open capture task for this house and photographer');
		this.setState(task, 51000);
		return ok(this.summary(task));
	}

	private page(r: RecordedRequest): ReplyDescription {
		this.beforePage?.(this.pageCalls++);
		const list = (name: string) => {
			const value = r.query[name];
			return value === undefined ? [] : Array.isArray(value) ? value : [value];
		};
		let rows = this.tasks.filter((t) => !t.retired);
		const customerHouseId = this.field(r, 'customerHouseId');
		if (customerHouseId) rows = rows.filter((t) => t.customerHouseId === customerHouseId);
		const userName = this.field(r, 'userName');
		if (userName) rows = rows.filter((t) => t.userName.includes(userName));
		// Documented: fuzzy match on the customer house ID and the house name.
		const searchKey = this.field(r, 'searchKey');
		if (searchKey) rows = rows.filter((t) => t.customerHouseId.includes(searchKey) || t.houseName.includes(searchKey));
		const statuses = list('status').map(Number);
		if (statuses.length) rows = rows.filter((t) => statuses.includes(t.taskState));
		const packageIds = list('packageId');
		if (packageIds.length) rows = rows.filter((t) => packageIds.includes(t.packageId));
		const except = list('exceptPackageIds');
		if (except.length) rows = rows.filter((t) => !except.includes(t.packageId));
		const stateStart = this.field(r, 'stateStart');
		if (stateStart) rows = rows.filter((t) => t.taskState >= Number(stateStart));
		const stateEnd = this.field(r, 'stateEnd');
		if (stateEnd) rows = rows.filter((t) => t.taskState <= Number(stateEnd));
		const modifyStart = this.field(r, 'modifyStart');
		if (modifyStart) rows = rows.filter((t) => t.lastModifyTime >= modifyStart.slice(0, 19));
		const modifyEnd = this.field(r, 'modifyEnd');
		if (modifyEnd) rows = rows.filter((t) => t.lastModifyTime <= modifyEnd.slice(0, 19));
		const fields = (this.field(r, 'fields') ?? '').split(',').filter(Boolean);
		// Documented: NotifyResult filters only when the NotifyResult field is selected.
		const notifyResult = this.field(r, 'NotifyResult');
		if (notifyResult !== undefined && notifyResult !== '' && fields.includes('NotifyResult')) {
			rows = rows.filter((t) => (t.notifyResult ?? 0) === Number(notifyResult));
		}
		const orderBy = this.field(r, 'orderBy');
		const sortKey = orderBy?.split(' ')[0];
		if (sortKey === 'LastModifyTime' || sortKey === 'CreateTime') {
			const key = sortKey === 'LastModifyTime' ? 'lastModifyTime' : 'createTime';
			const direction = /DESC$/i.test(orderBy!) ? -1 : 1;
			rows = [...rows].sort((a, b) => (a[key] < b[key] ? -direction : a[key] > b[key] ? direction : 0));
		}
		const page = Number(this.field(r, 'page') ?? 0);
		const asked = Number(this.field(r, 'pageSize') ?? 10);
		const pageSize = this.pageSizeCap !== undefined ? Math.min(asked, this.pageSizeCap) : asked;
		const shape = (t: Kanfang123Task) => {
			const full: Record<string, unknown> = {
				id: t.id,
				packageId: t.packageId,
				userId: t.userId,
				houseName: t.houseName,
				customerHouseId: t.customerHouseId,
				createTime: t.createTime,
				captureTime: t.createTime,
				uploadTime: t.createTime,
				taskState: t.taskState,
				userComments: null,
				floors: 1,
				rooms: 3,
				points: 12,
				bucket: 'vrhouse-test',
				serviceId: t.serviceId,
				cityId: t.cityId ?? null,
				userName: t.userName,
				lastModifyTime: t.lastModifyTime,
				notifyResult: t.notifyResult ?? 0,
				comments: t.comments ?? null,
			};
			if (!fields.length) {
				const { serviceId, cityId, userName: _u, lastModifyTime, notifyResult, comments, ...defaults } = full;
				return defaults;
			}
			const picked: Record<string, unknown> = {};
			for (const field of fields) {
				const key = field[0].toLowerCase() + field.slice(1);
				picked[key] = full[key] ?? null;
			}
			return picked;
		};
		const total = this.reportedTotal ? this.reportedTotal(rows.length) : rows.length;
		return ok({ total, rows: rows.slice(page * pageSize, (page + 1) * pageSize).map(shape) });
	}

	private review(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['packageId', 128, true],
			['reviewResult', 1, true],
			['comments', 128, false],
		]);
		if (invalid) return invalid;
		const result = Number(this.field(r, 'reviewResult'));
		if (![0, 1, 2, 3].includes(result)) return rejected('InvalidReviewResult');
		const task = this.byPackage(this.field(r, 'packageId'));
		if (!task) return rejected('InvalidPackageId');
		this.setState(task, [50000, 40000, 51000, 52000][result]);
		return ok({ packageId: task.packageId, taskState: task.taskState, houseId: task.houseId });
	}

	private retire(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [['packageId', 128, true]]);
		if (invalid) return invalid;
		const task = this.byPackage(this.field(r, 'packageId'));
		if (!task) return rejected('InvalidPackageId');
		task.retired = true;
		return ok('Success');
	}

	private findByIds(r: RecordedRequest) {
		const houseTaskId = this.field(r, 'houseTaskId');
		if (houseTaskId) return this.tasks.find((t) => t.id === houseTaskId && !t.retired);
		return this.byPackage(this.field(r, 'packageId'));
	}

	private updateCustomerHouseId(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [['customerHouseId', 64, true]]);
		if (invalid) return invalid;
		if (!this.field(r, 'houseTaskId') && !this.field(r, 'packageId')) return rejected('InvalidPackageId: packageId or houseTaskId required');
		const task = this.findByIds(r);
		if (!task) return rejected('InvalidPackageId');
		task.customerHouseId = this.field(r, 'customerHouseId')!;
		return ok({ packageId: task.packageId, customerHouseId: task.customerHouseId });
	}

	private delegate(r: RecordedRequest): ReplyDescription {
		if (!this.field(r, 'houseTaskId') && !this.field(r, 'packageId')) return rejected('InvalidHouse: houseTaskId or packageId required');
		const task = this.findByIds(r);
		if (!task) return rejected('InvalidHouse');
		return ok('OK');
	}

	private push(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['packageId', 128, true],
			['notifyconfigId', 32, true],
			['payload', 255, false],
		]);
		if (invalid) return invalid;
		const task = this.byPackage(this.field(r, 'packageId'));
		if (!task) return rejected('InvalidPackageId');
		return ok({
			id: `notify_${randomBytes(8).toString('hex')}`,
			notifyResult: 0,
			notifyConfigId: this.field(r, 'notifyconfigId'),
			houseTaskId: task.id,
		});
	}

	/** FinishHouseTask: a customer who makes the model reports it finished (or not makeable). */
	private finish(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['packageId', 128, true],
			['isFinished', 5, true],
			['comments', 255, false],
		]);
		if (invalid) return invalid;
		const isFinished = this.field(r, 'isFinished');
		if (isFinished !== 'true' && isFinished !== 'false') return rejected('InvalidIsFinished');
		const task = this.byPackage(this.field(r, 'packageId'));
		if (!task) return rejected('InvalidPackageId');
		if (!IN_PRODUCTION.has(task.taskState)) return rejected(`InvalidTaskState: ${task.taskState}`);
		task.comments = this.field(r, 'comments');
		this.setState(task, isFinished === 'true' ? 50000 : 52000);
		return ok({ id: task.id, taskState: task.taskState });
	}

	private fangTianXia(r: RecordedRequest): ReplyDescription {
		const invalid = this.check(r, [
			['packageId', 128, true],
			['communityName', 128, true],
		]);
		if (invalid) return invalid;
		const task = this.byPackage(this.field(r, 'packageId'));
		if (!task) return rejected('InvalidPackageId');
		const info: Record<string, string> = { communityName: this.field(r, 'communityName')! };
		const houseId = this.field(r, 'houseId');
		if (houseId) info.houseId = houseId;
		info.purposeType = this.field(r, 'purposeType') ?? 'House';
		task.fangTianXia = info;
		return ok({ AdditionalData: JSON.stringify(info) });
	}
}

export async function startKanfang123StandIn(port = 0): Promise<Kanfang123StandIn> {
	const server = new Kanfang123StandIn();
	await server.start(port);
	return server;
}
