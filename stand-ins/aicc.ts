/**
 * Local stand-in for Huawei Cloud AICC (CEC work-order tasks) and its Astro Zero token
 * endpoint, as documented in /work/shared/reference/aicc.md:
 *
 * - `POST /baas/auth/v1.0/oauth2/token` (form body, client credentials) → `{access_token,
 *   expires_in, token_type}`; wrong client → HTTP 401 `{error, error_description}`.
 * - `POST /service/AICC__Case/1.0.0/openapi/task[/process|/status/update|/transfer|/modify]`
 *   with JSON bodies, answering the `{resCode, resMsg, result}` envelope. Bodies are checked as
 *   documented (required fields, lengths in UTF-8 bytes, enum values, `dueDate` format);
 *   invalid bodies and unknown task ids get a non-"0" resCode with HTTP 200.
 * - Calls without a valid `access-token` header get HTTP 401.
 *
 * The error codes and texts of failures are this stand-in's own (the docs show only "0").
 * No jest imports: the sandbox runs this file on fixed ports too.
 */
import { randomBytes } from 'node:crypto';

import type { RecordedRequest, ReplyDescription } from './base';
import { StandInServer } from './base';

export const AICC_TASK_PATH = '/service/AICC__Case/1.0.0/openapi';
export const AICC_TOKEN_PATH = '/baas/auth/v1.0/oauth2/token';

export const AICC_CODES = {
	invalidParameter: 'AICC.100001',
	taskNotFound: 'AICC.100002',
	badRequest: 'AICC.100000',
} as const;

export interface AiccServerOptions {
	clientId?: string;
	clientSecret?: string;
	/** Lifetime of issued tokens, seconds (what `expires_in` says and what is enforced). */
	expiresIn?: number;
}

export interface AiccTask {
	id: string;
	title: string;
	description?: string;
	type?: string;
	relateId?: string;
	ownerId: string;
	contactId?: string;
	creatorId: string;
	priority?: string;
	dueDate?: string;
	attachment?: string;
	status: string;
	records: Array<{ creatorId: string; type: string; title: string; description: string; attachment?: string }>;
	history: Array<{ action: string; creatorId: string }>;
}

type Body = Record<string, unknown>;

class Invalid extends Error {}

function bytes(text: string) {
	return Buffer.byteLength(text, 'utf8');
}

/** A string field check; returns the value (or undefined when absent and optional). */
function str(body: Body, key: string, rule: { required?: boolean; maxBytes?: number }, where = ''): string | undefined {
	const value = body[key];
	if (value === undefined || value === null || value === '') {
		if (rule.required) throw new Invalid(`${where}${key} is required`);
		return undefined;
	}
	if (typeof value !== 'string') throw new Invalid(`${where}${key} must be a string`);
	if (rule.maxBytes !== undefined && bytes(value) > rule.maxBytes) {
		throw new Invalid(`${where}${key} exceeds ${rule.maxBytes} bytes`);
	}
	return value;
}

function oneOf(value: string | undefined, allowed: string[], name: string) {
	if (value !== undefined && !allowed.includes(value)) {
		throw new Invalid(`${name} must be one of ${allowed.join('/')}`);
	}
}

function onlyKeys(body: Body, allowed: string[], where = '') {
	for (const key of Object.keys(body)) {
		if (!allowed.includes(key)) throw new Invalid(`${where}${key} is not a known field`);
	}
}

function checkDueDate(value: string | undefined) {
	if (value === undefined) return;
	const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
	if (!match) throw new Invalid('dueDate must be formatted YYYY-MM-DD HH:mm:ss');
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day ||
		hour > 23 ||
		minute > 59 ||
		second > 59
	) {
		throw new Invalid('dueDate is not a valid date-time');
	}
}

const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'];
const STATUSES = ['Completed', 'Pending', 'Processing'];
const TASK_FIELDS = [
	'title',
	'description',
	'type',
	'relateId',
	'ownerId',
	'contactId',
	'creatorId',
	'priority',
	'dueDate',
	'attachment',
];

export class AiccServer extends StandInServer {
	clientId: string;

	clientSecret: string;

	expiresIn: number;

	/** Token requests received (successful or not). */
	tokenRequests = 0;

	/** Task calls that reached a route with a valid token. */
	apiCalls = 0;

	/** Tasks created so far, by id. */
	readonly tasks = new Map<string, AiccTask>();

	/** Valid tokens → expiry (epoch ms). */
	private readonly tokens = new Map<string, number>();

	private expireAfterCalls?: number;

	private taskCounter = 0;

	constructor(options: AiccServerOptions = {}) {
		super();
		this.clientId = options.clientId ?? 'n8n-client';
		this.clientSecret = options.clientSecret ?? 'S3cr3t-client-secret!';
		this.expiresIn = options.expiresIn ?? 3600;
		this.route('POST', AICC_TOKEN_PATH, (request) => this.token(request));
		this.route('POST', `${AICC_TASK_PATH}/task`, (request) => this.api(request, (body) => this.create(body)));
		this.route('POST', `${AICC_TASK_PATH}/task/process`, (request) =>
			this.api(request, (body) => this.process(body)),
		);
		this.route('POST', `${AICC_TASK_PATH}/task/status/update`, (request) =>
			this.api(request, (body) => this.updateStatus(body)),
		);
		this.route('POST', `${AICC_TASK_PATH}/task/transfer`, (request) =>
			this.api(request, (body) => this.transfer(body)),
		);
		this.route('POST', `${AICC_TASK_PATH}/task/modify`, (request) => this.api(request, (body) => this.modify(body)));
	}

	/** Issue a token directly (for the "Access Token" mode, where a user pastes one). */
	issueToken(lifetimeSeconds = this.expiresIn): string {
		const token = randomBytes(24).toString('base64url');
		this.tokens.set(token, Date.now() + lifetimeSeconds * 1000);
		return token;
	}

	/** Every token issued so far stops working (HTTP 401 from now on). */
	expireAllTokens() {
		this.tokens.clear();
	}

	/** After `calls` more successful task calls, every token issued so far stops working. */
	expireTokensAfter(calls: number) {
		this.expireAfterCalls = calls;
	}

	/** Add a task as if it had been created earlier. */
	seedTask(task: Partial<AiccTask> & { id?: string } = {}): AiccTask {
		const id = task.id ?? this.nextTaskId();
		const record: AiccTask = {
			id,
			title: 'Seeded task',
			ownerId: 'owner0000000000001',
			creatorId: 'creator00000000001',
			status: 'Pending',
			records: [],
			history: [],
			...task,
		};
		this.tasks.set(id, record);
		return record;
	}

	private nextTaskId() {
		this.taskCounter++;
		return `task${String(this.taskCounter).padStart(16, '0')}`;
	}

	private token(request: RecordedRequest): ReplyDescription {
		this.tokenRequests++;
		if (!request.contentType.includes('application/x-www-form-urlencoded')) {
			return { status: 400, body: { error: 'invalid_request', error_description: 'form body expected' } };
		}
		const { grant_type: grantType, client_id: clientId, client_secret: clientSecret } = request.form;
		if (grantType !== 'client_credentials') {
			return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' } };
		}
		if (clientId !== this.clientId || clientSecret !== this.clientSecret) {
			return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
		}
		return {
			status: 200,
			body: { access_token: this.issueToken(), expires_in: this.expiresIn, token_type: 'Bearer' },
		};
	}

	private tokenValid(token: string | undefined): boolean {
		if (!token) return false;
		const expiresAt = this.tokens.get(token);
		if (expiresAt === undefined) return false;
		if (Date.now() >= expiresAt) {
			this.tokens.delete(token);
			return false;
		}
		return true;
	}

	private api(request: RecordedRequest, handler: (body: Body) => unknown): ReplyDescription {
		const header = request.headers['access-token'];
		const token = Array.isArray(header) ? header[0] : header;
		if (!this.tokenValid(token)) {
			return { status: 401, body: { resCode: '401', resMsg: 'access-token is invalid or expired' } };
		}
		this.apiCalls++;
		if (this.expireAfterCalls !== undefined && --this.expireAfterCalls <= 0) {
			this.expireAfterCalls = undefined;
			this.expireAllTokens();
		}
		if (!request.contentType.includes('application/json')) {
			return this.fail(AICC_CODES.badRequest, 'Content-Type must be application/json');
		}
		const body = request.json;
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			return this.fail(AICC_CODES.badRequest, 'request body must be a JSON object');
		}
		try {
			const result = handler(body as Body);
			return { status: 200, body: { resCode: '0', resMsg: '成功', ...(result === undefined ? {} : { result }) } };
		} catch (error) {
			if (error instanceof Invalid) {
				const code = error.message.startsWith('task ') ? AICC_CODES.taskNotFound : AICC_CODES.invalidParameter;
				return this.fail(code, error.message);
			}
			throw error;
		}
	}

	private fail(resCode: string, resMsg: string): ReplyDescription {
		return { status: 200, body: { resCode, resMsg } };
	}

	private task(id: string): AiccTask {
		const task = this.tasks.get(id);
		if (!task) throw new Invalid(`task ${id} does not exist`);
		return task;
	}

	private create(body: Body) {
		onlyKeys(body, ['taskInfo']);
		const info = body.taskInfo as Body | undefined;
		if (!info || typeof info !== 'object' || Array.isArray(info)) throw new Invalid('taskInfo is required');
		onlyKeys(info, TASK_FIELDS, 'taskInfo.');
		const title = str(info, 'title', { required: true, maxBytes: 128 }, 'taskInfo.')!;
		const description = str(info, 'description', { maxBytes: 20000 }, 'taskInfo.');
		const type = str(info, 'type', {}, 'taskInfo.');
		oneOf(type, ['Case'], 'taskInfo.type');
		const relateId = str(info, 'relateId', { maxBytes: 20, required: type !== undefined }, 'taskInfo.');
		const ownerId = str(info, 'ownerId', { required: true, maxBytes: 20 }, 'taskInfo.')!;
		const contactId = str(info, 'contactId', { maxBytes: 20 }, 'taskInfo.');
		const creatorId = str(info, 'creatorId', { required: true, maxBytes: 20 }, 'taskInfo.')!;
		const priority = str(info, 'priority', { maxBytes: 128 }, 'taskInfo.');
		oneOf(priority, PRIORITIES, 'taskInfo.priority');
		const dueDate = str(info, 'dueDate', {}, 'taskInfo.');
		checkDueDate(dueDate);
		const attachment = str(info, 'attachment', { maxBytes: 255 }, 'taskInfo.');
		const id = this.nextTaskId();
		this.tasks.set(id, {
			id,
			title,
			description,
			type,
			relateId,
			ownerId,
			contactId,
			creatorId,
			priority,
			dueDate,
			attachment,
			status: 'Pending',
			records: [],
			history: [{ action: 'create', creatorId }],
		});
		return { taskId: id };
	}

	private process(body: Body) {
		onlyKeys(body, ['taskId', 'creatorId', 'processInfo']);
		const taskId = str(body, 'taskId', { required: true })!;
		const creatorId = str(body, 'creatorId', { required: true, maxBytes: 20 })!;
		const info = body.processInfo as Body | undefined;
		if (!info || typeof info !== 'object' || Array.isArray(info)) throw new Invalid('processInfo is required');
		onlyKeys(info, ['type', 'title', 'description', 'attachment'], 'processInfo.');
		const type = str(info, 'type', { required: true }, 'processInfo.')!;
		oneOf(type, ['Iternal'], 'processInfo.type');
		const title = str(info, 'title', { required: true, maxBytes: 128 }, 'processInfo.')!;
		const description = str(info, 'description', { required: true, maxBytes: 20000 }, 'processInfo.')!;
		const attachment = str(info, 'attachment', { maxBytes: 255 }, 'processInfo.');
		const task = this.task(taskId);
		task.records.push({ creatorId, type, title, description, ...(attachment ? { attachment } : {}) });
		task.history.push({ action: 'process', creatorId });
		return undefined;
	}

	private updateStatus(body: Body) {
		onlyKeys(body, ['id', 'status', 'creatorId']);
		const id = str(body, 'id', { required: true })!;
		const status = str(body, 'status', { required: true })!;
		oneOf(status, STATUSES, 'status');
		const creatorId = str(body, 'creatorId', { required: true, maxBytes: 20 })!;
		const task = this.task(id);
		task.status = status;
		task.history.push({ action: `status:${status}`, creatorId });
		return undefined;
	}

	private transfer(body: Body) {
		onlyKeys(body, ['id', 'ownerId', 'creatorId']);
		const id = str(body, 'id', { required: true })!;
		const ownerId = str(body, 'ownerId', { required: true, maxBytes: 20 })!;
		const creatorId = str(body, 'creatorId', { required: true, maxBytes: 20 })!;
		const task = this.task(id);
		task.ownerId = ownerId;
		task.history.push({ action: `transfer:${ownerId}`, creatorId });
		return undefined;
	}

	private modify(body: Body) {
		onlyKeys(body, ['taskInfo']);
		const info = body.taskInfo as Body | undefined;
		if (!info || typeof info !== 'object' || Array.isArray(info)) throw new Invalid('taskInfo is required');
		onlyKeys(info, ['id', ...TASK_FIELDS], 'taskInfo.');
		const id = str(info, 'id', { required: true }, 'taskInfo.')!;
		const creatorId = str(info, 'creatorId', { required: true, maxBytes: 20 }, 'taskInfo.')!;
		const changes: Partial<AiccTask> = {};
		const title = str(info, 'title', { maxBytes: 128 }, 'taskInfo.');
		if (title !== undefined) changes.title = title;
		const description = str(info, 'description', { maxBytes: 20000 }, 'taskInfo.');
		if (description !== undefined) changes.description = description;
		const type = str(info, 'type', {}, 'taskInfo.');
		oneOf(type, ['Case'], 'taskInfo.type');
		const relateId = str(info, 'relateId', { maxBytes: 20, required: type !== undefined }, 'taskInfo.');
		if (type !== undefined) changes.type = type;
		if (relateId !== undefined) changes.relateId = relateId;
		const ownerId = str(info, 'ownerId', { maxBytes: 20 }, 'taskInfo.');
		if (ownerId !== undefined) changes.ownerId = ownerId;
		const contactId = str(info, 'contactId', { maxBytes: 20 }, 'taskInfo.');
		if (contactId !== undefined) changes.contactId = contactId;
		const priority = str(info, 'priority', { maxBytes: 128 }, 'taskInfo.');
		oneOf(priority, PRIORITIES, 'taskInfo.priority');
		if (priority !== undefined) changes.priority = priority;
		const dueDate = str(info, 'dueDate', {}, 'taskInfo.');
		checkDueDate(dueDate);
		if (dueDate !== undefined) changes.dueDate = dueDate;
		const attachment = str(info, 'attachment', { maxBytes: 255 }, 'taskInfo.');
		if (attachment !== undefined) changes.attachment = attachment;
		const task = this.task(id);
		Object.assign(task, changes);
		task.history.push({ action: 'modify', creatorId });
		return undefined;
	}
}

export function createAiccServer(options?: AiccServerOptions): AiccServer {
	return new AiccServer(options);
}
