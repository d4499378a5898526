/**
 * The stand-in's own rules, checked over plain HTTP: it has to refuse what INCS documents as
 * invalid, or the node tests against it would prove little.
 */
import { createIncsServer, INCOMPLETE_TASK_MESSAGE, INCS_TOKEN, IncsServer } from '../../stand-ins/incs';

const valid = {
	name: 'by api',
	type: 3,
	auth_id: 30058,
	description: '123',
	user_name: 'A',
	user_phone: '6281512345678',
	assignee_username: 'incs_1',
};

describe.each(['http200', 'httpCode'] as const)('INCS stand-in (errors as %s)', (errorStatus) => {
	let server: IncsServer;

	beforeAll(async () => {
		server = createIncsServer({ errorStatus });
		await server.start();
	});

	afterAll(async () => {
		await server.stop();
	});

	const post = async (body: unknown, token = INCS_TOKEN, contentType = 'application/json') => {
		const response = await fetch(`${server.baseUrl}/external/tasks`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	};

	const expectError = (reply: { status: number; body: Record<string, unknown> }, code: number, message: string) => {
		expect(reply.status).toBe(errorStatus === 'http200' ? 200 : code);
		expect(reply.body).toEqual({ status: 'error', code, message, data: {}, error: {} });
	};

	it.each<[string, Record<string, unknown>, string]>([
		['missing name', { name: undefined }, 'The name field is required.'],
		['name over 256 characters', { name: 'x'.repeat(257) }, 'The name may not be greater than 256 characters.'],
		['description over 256 characters', { description: '描'.repeat(257) }, 'The description may not be greater than 256 characters.'],
		['missing type', { type: undefined }, 'The type field is required.'],
		['type other than 3', { type: 1 }, 'The selected type is invalid.'],
		['auth_id as text', { auth_id: '30058' }, 'The auth_id must be an integer.'],
		['missing auth_id', { auth_id: undefined }, 'The auth_id field is required.'],
		['user_phone with a plus', { user_phone: '+6281512345678' }, 'The user_phone must contain only digits.'],
		['user_phone as a number', { user_phone: 6281512345678 }, 'The user_phone must be a string.'],
		['missing assignee_username', { assignee_username: '' }, 'The assignee_username field is required.'],
		['task_module_info as a list', { task_module_info: [] }, 'The task_module_info must be an object.'],
	])('refuses %s with code 422', async (_label, change, message) => {
		expectError(await post({ ...valid, ...change }), 422, message);
	});

	it('refuses a body that is not JSON with code 400', async () => {
		expectError(await post('name=x', INCS_TOKEN, 'application/x-www-form-urlencoded'), 400, 'The request body must be a JSON object.');
	});

	it('refuses a wrong token with code 401', async () => {
		expectError(await post(valid, 'wrong'), 401, 'Unauthorized.');
	});

	it('creates a task with the documented success envelope, then refuses a second one for the same phone', async () => {
		const phone = errorStatus === 'http200' ? '6281500000101' : '6281500000102';
		const created = await post({ ...valid, user_phone: phone });
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ status: 'success', code: 200, message: '', error: {} });
		expect(created.body.data).toMatchObject({
			creation_id: expect.any(Number),
			conversation_id: expect.any(Number),
			user_phone: phone,
			type: 3,
			status: 0,
			logs: [],
		});
		expect((created.body.data as { created_at: string }).created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
		expectError(await post({ ...valid, user_phone: phone }), 400, INCOMPLETE_TASK_MESSAGE);
	});
});
