/**
 * Local stand-in for INCS's task API (`POST /external/tasks`), built from the vendor's one
 * public page (reference/seeds/incs-CreateAndAssignTask.md):
 *
 * - `Authorization: Bearer <token>` is checked; a missing or wrong token gets an error
 *   envelope with code 401 (the token reply is not documented; the envelope shape is INCS's).
 * - The JSON body is validated as documented: `name` (string ≤256, required), `description`
 *   (string ≤256), `type` (int, must be 3), `auth_id` (int, required), `user_phone` (required,
 *   digits only), `user_name` (string), `assignee_username` (string, required),
 *   `task_module_info` (object). Field errors answer code 422, other bad requests code 400.
 * - A phone number that already has an open task gets the documented
 *   `code 400, "User is in an incomplete task."`; `completeTask` closes a task.
 * - INCS does not document the HTTP status of its failures: `errorStatus` chooses whether the
 *   envelopes come as HTTP 200 (`'http200'`) or with the code as HTTP status (`'httpCode'`).
 * - Success is the documented envelope with incrementing ids.
 *
 * No test-framework imports: the sandbox also runs this on a fixed port (`node`/`ts-node`).
 */
import type { RecordedRequest, ReplyDescription } from './base';
import { StandInServer } from './base';

export const INCS_TOKEN = 'incs-test-token-a06b3b2d7f762';

export const INCOMPLETE_TASK_MESSAGE = 'User is in an incomplete task.';

export type IncsErrorStatus = 'http200' | 'httpCode';

export interface IncsTask {
	id: number;
	creation_id: number;
	auth_id: number;
	name: string;
	description: string | null;
	type: number;
	user_name: string | null;
	user_phone: string;
	assignee_username: string;
	conversation_id: number;
	/** 0 = open (as in INCS's example), 1 = completed in this stand-in. */
	status: number;
	created_at: string;
	updated_at: string;
	logs: unknown[];
	/** Kept for assertions; not part of INCS's documented reply. */
	task_module_info?: unknown;
}

export interface IncsServerOptions {
	token?: string;
	errorStatus?: IncsErrorStatus;
}

function pad(n: number) {
	return String(n).padStart(2, '0');
}

function timestamp(date = new Date()) {
	return (
		`${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
		`${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
	);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function length(text: string) {
	return [...text].length;
}

export class IncsServer extends StandInServer {
	token: string;

	errorStatus: IncsErrorStatus;

	readonly tasks: IncsTask[] = [];

	private nextId = 239;

	private nextCreationId = 106;

	private nextConversationId = 1023;

	constructor(options: IncsServerOptions = {}) {
		super();
		this.token = options.token ?? INCS_TOKEN;
		this.errorStatus = options.errorStatus ?? 'http200';
		this.route('POST', '/external/tasks', (request) => this.createTask(request));
	}

	/** Mark a task done, so its phone number may get a new task. */
	completeTask(id: number) {
		const task = this.tasks.find((t) => t.id === id);
		if (!task) throw new Error(`No INCS task ${id}`);
		task.status = 1;
		task.updated_at = timestamp();
	}

	openTaskFor(phone: string): IncsTask | undefined {
		return this.tasks.find((t) => t.user_phone === phone && t.status === 0);
	}

	/** An INCS failure envelope, with the HTTP status `errorStatus` asks for. */
	errorReply(code: number, message: string): ReplyDescription {
		return {
			status: this.errorStatus === 'httpCode' ? code : 200,
			body: { status: 'error', code, message, data: {}, error: {} },
		};
	}

	private createTask(request: RecordedRequest): ReplyDescription {
		const auth = String(request.headers.authorization ?? '');
		if (auth !== `Bearer ${this.token}`) return this.errorReply(401, 'Unauthorized.');

		const body = request.json;
		if (!request.contentType.includes('application/json') || !isObject(body)) {
			return this.errorReply(400, 'The request body must be a JSON object.');
		}
		const problem = this.validate(body);
		if (problem) return this.errorReply(422, problem);

		const phone = body.user_phone as string;
		if (this.openTaskFor(phone)) return this.errorReply(400, INCOMPLETE_TASK_MESSAGE);

		const now = timestamp();
		const task: IncsTask = {
			id: this.nextId++,
			creation_id: this.nextCreationId++,
			auth_id: body.auth_id as number,
			name: body.name as string,
			description: (body.description as string | undefined) ?? null,
			type: body.type as number,
			user_name: (body.user_name as string | undefined) ?? null,
			user_phone: phone,
			assignee_username: body.assignee_username as string,
			conversation_id: this.nextConversationId++,
			status: 0,
			created_at: now,
			updated_at: now,
			logs: [],
		};
		this.tasks.push({ ...task, task_module_info: body.task_module_info });
		return {
			status: 200,
			body: { status: 'success', code: 200, message: '', data: task, error: {} },
		};
	}

	/** The first documented rule the body breaks, as a message; undefined when valid. */
	private validate(body: Record<string, unknown>): string | undefined {
		const text = (key: string, required: boolean, max?: number): string | undefined => {
			const value = body[key];
			if (value === undefined || value === null || value === '') {
				return required ? `The ${key} field is required.` : undefined;
			}
			if (typeof value !== 'string') return `The ${key} must be a string.`;
			if (max !== undefined && length(value) > max) {
				return `The ${key} may not be greater than ${max} characters.`;
			}
			return undefined;
		};
		const integer = (key: string): string | undefined => {
			const value = body[key];
			if (value === undefined || value === null || value === '') return `The ${key} field is required.`;
			if (typeof value !== 'number' || !Number.isInteger(value)) return `The ${key} must be an integer.`;
			return undefined;
		};
		return (
			text('name', true, 256) ??
			text('description', false, 256) ??
			integer('type') ??
			(body.type !== 3 ? 'The selected type is invalid.' : undefined) ??
			integer('auth_id') ??
			text('user_phone', true) ??
			(!/^\d+$/.test(body.user_phone as string) ? 'The user_phone must contain only digits.' : undefined) ??
			text('user_name', false) ??
			text('assignee_username', true) ??
			(body.task_module_info !== undefined && !isObject(body.task_module_info)
				? 'The task_module_info must be an object.'
				: undefined)
		);
	}
}

export function createIncsServer(options: IncsServerOptions = {}): IncsServer {
	return new IncsServer(options);
}

/** `npx ts-node stand-ins/incs.ts [port]` runs the stand-in on a fixed port. */
if (require.main === module) {
	const server = createIncsServer();
	void server.start(Number(process.argv[2] ?? 0)).then((url) => {
		process.stdout.write(`INCS stand-in on ${url} (token ${server.token})\n`);
	});
}
