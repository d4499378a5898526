import type { IDataObject } from 'n8n-workflow';

import type { IncsErrorStatus } from '../../stand-ins/incs';
import { INCOMPLETE_TASK_MESSAGE, INCS_TOKEN } from '../../stand-ins/incs';
import { useSetup } from '../harness/vendor';
import { dump, params, setup } from './setup';

const HINT = /already has an open INCS task\. Finish or close that task in INCS/;

describe.each<[IncsErrorStatus, string]>([
	['http200', 'errors as HTTP 200 with status "error"'],
	['httpCode', 'errors with the code as HTTP status'],
])('INCS › error envelopes (%s: %s)', (errorStatus) => {
	const ctx = useSetup(async () => await setup({ errorStatus }), { per: 'test' });

	it('a second task for a customer with an open task fails with INCS\'s message and the hint; after completion it works', async () => {
		const first = await ctx.run(params({ userPhone: '+62 815 1234 0001' }));
		expect(first.error).toBeUndefined();

		const second = await ctx.run(params({ userPhone: '6281512340001' }));
		expect(ctx.server.requests).toHaveLength(2);
		expect(ctx.server.tasks).toHaveLength(1);
		expect(second.error?.name).toBe('NodeApiError');
		expect(second.error?.message).toBe(INCOMPLETE_TASK_MESSAGE);
		expect(second.error?.description).toMatch(HINT);
		// httpCode is the HTTP status, vendorCode the envelope's code.
		expect((second.error as { httpCode?: string }).httpCode).toBe(errorStatus === 'http200' ? '200' : '400');
		expect((second.error as { context?: Record<string, unknown> }).context?.vendorCode).toBe(400);

		// Another customer is not affected.
		const other = await ctx.run(params({ userPhone: '6281512340002' }));
		expect(other.error).toBeUndefined();

		ctx.server.completeTask(first.items[0].json.id as number);
		const again = await ctx.run(params({ userPhone: '6281512340001' }));
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ user_phone: '6281512340001', status: 0 });
	});

	it('a wrong token fails with "INCS rejected the API token" and INCS\'s message', async () => {
		const credential = ctx.harness.credentials.add('incsApi', {
			baseUrl: ctx.server.baseUrl,
			apiToken: 'not-the-token-XYZ',
		});
		const result = await ctx.run(params(), { credential });
		expect(ctx.server.requests[0].headers.authorization).toBe('Bearer not-the-token-XYZ');
		expect(ctx.server.requests).toHaveLength(1);
		expect(result.error?.message).toBe('INCS rejected the API token: Unauthorized.');
		expect(result.error?.description).toMatch(/Check the API token in the "INCS API" credential/);
		expect((result.error as { httpCode?: string }).httpCode).toBe(errorStatus === 'http200' ? '200' : '401');
		expect((result.error as { context?: Record<string, unknown> }).context?.vendorCode).toBe(401);
		expect(dump(result)).not.toContain('not-the-token-XYZ');
	});

	it('a validation envelope from INCS becomes an API error with INCS\'s message', async () => {
		ctx.server.inject({
			kind: 'reply',
			status: errorStatus === 'http200' ? 200 : 422,
			body: {
				status: 'error',
				code: 422,
				message: 'The assignee username is invalid.',
				data: {},
				error: { assignee_username: ['The selected assignee username is invalid.'] },
			},
		});
		const result = await ctx.run(params());
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('The assignee username is invalid.');
		expect(result.error?.description).toBe(
			'Details: {"assignee_username":["The selected assignee username is invalid."]}',
		);
		expect((result.error as { httpCode?: string }).httpCode).toBe(errorStatus === 'http200' ? '200' : '422');
		expect((result.error as { context?: Record<string, unknown> }).context?.vendorCode).toBe(422);
	});
});

describe('INCS › other failures', () => {
	const ctx = useSetup(setup, { per: 'test' });

	it('HTTP 400 carrying the documented envelope', async () => {
		ctx.server.inject({
			kind: 'reply',
			status: 400,
			body: { status: 'error', code: 400, message: 'Assignee does not exist.', data: {}, error: {} },
		});
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('Assignee does not exist.');
		expect((result.error as { httpCode?: string }).httpCode).toBe('400');
		expect(ctx.server.requests).toHaveLength(1);
	});

	it('HTTP 200 with status "success" but a non-200 code is an error', async () => {
		ctx.server.inject({
			kind: 'reply',
			status: 200,
			body: { status: 'success', code: 500, message: 'Task could not be assigned.', data: {}, error: {} },
		});
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('Task could not be assigned.');
		expect((result.error as { httpCode?: string }).httpCode).toBe('200');
		expect((result.error as { context?: Record<string, unknown> }).context?.vendorCode).toBe(500);
	});

	it('HTTP 200 with status "error" and no message falls back to the code', async () => {
		ctx.server.inject({ kind: 'reply', status: 200, body: { status: 'error', code: 400, message: '', data: {} } });
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('INCS reported an error (code 400)');
	});

	it('HTTP 401 without a body still says the token was rejected', async () => {
		ctx.server.inject({ kind: 'empty', status: 401 });
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('INCS rejected the API token');
	});

	it('HTTP 500 with an HTML page: HTTP status text, not retried (creating a task is not idempotent)', async () => {
		ctx.server.inject({ kind: 'html', status: 500 });
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('INCS answered HTTP 500 Internal Server Error');
		expect((result.error as { httpCode?: string }).httpCode).toBe('500');
		expect(ctx.server.requests).toHaveLength(1);
		expect(ctx.server.tasks).toHaveLength(0);
	});

	it('a broken JSON reply with HTTP 200 is an error, not an empty success', async () => {
		ctx.server.inject({ kind: 'malformedJson' });
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('INCS answered HTTP 200 OK without its usual JSON reply');
	});

	it('a connection reset after sending is not retried: the task may exist already', async () => {
		ctx.server.inject({ kind: 'reset' });
		const result = await ctx.run(params());
		expect(result.error?.message).toMatch(/connection to the server was closed unexpectedly/);
		expect(ctx.server.requests).toHaveLength(1);
	});

	it('HTTP 503 is not retried: a proxy may answer 503 after forwarding the create', async () => {
		ctx.server.inject({ kind: 'html', status: 503 });
		const result = await ctx.run(params());
		expect(result.error?.message).toBe('INCS answered HTTP 503 Service Unavailable');
		expect(ctx.server.requests).toHaveLength(1);
	});

	it('HTTP 429 is retried (INCS did not take the request) and then succeeds once', async () => {
		ctx.server.inject({ kind: 'reply', status: 429, headers: { 'Retry-After': '0' }, body: 'Too Many Requests' });
		const result = await ctx.run(params());
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests).toHaveLength(2);
		expect(ctx.server.tasks).toHaveLength(1);
		expect(result.items[0].json.id).toBe(239);
	});
});

describe('INCS › Continue On Fail', () => {
	const ctx = useSetup(async () => await setup({ errorStatus: 'httpCode' }));

	it('yields exactly one output per input, in order, each paired with its input', async () => {
		const items: IDataObject[] = [
			{ phone: '6281577770001' },
			{ phone: 'not a phone' },
			{ phone: '6281577770001' }, // same customer again: incomplete task
			{ phone: '6281577770002' },
		];
		const result = await ctx.run(
			params({ userPhone: '={{ $json.phone }}', options: { concurrency: 1, retryDelay: 1 } }),
			{ items: items, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(4);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.items[0].json).toMatchObject({ id: 239, user_phone: '6281577770001' });
		expect(result.items[1].json.error).toMatch(/"Customer Phone" must contain only digits.*item 2 \(index 1\)/);
		expect(result.items[2].json).toEqual({
			error: INCOMPLETE_TASK_MESSAGE,
			description: expect.stringMatching(HINT),
			httpCode: '400',
			vendorCode: 400,
		});
		expect(result.items[3].json).toMatchObject({ id: 240, user_phone: '6281577770002' });
		expect(ctx.server.requests).toHaveLength(3);
	});
});

describe('INCS › the API token never shows up in errors or output', () => {
	const ctx = useSetup(async () => await setup({ errorStatus: 'httpCode' }));

	it('in any of the failure modes, with and without Continue On Fail', async () => {
		const outputs: string[] = [];
		const faults = [
			{ kind: 'html' as const, status: 500 },
			{ kind: 'malformedJson' as const },
			{ kind: 'reset' as const },
			{ kind: 'reply' as const, status: 400, body: { status: 'error', code: 400, message: 'Bad', data: {} } },
		];
		for (const fault of faults) {
			for (const continueOnFail of [false, true]) {
				ctx.server.inject(fault);
				outputs.push(dump(await ctx.run(params(), { items: [{}], continueOnFail: continueOnFail })));
			}
		}
		outputs.push(dump(await ctx.run(params({ userPhone: 'abc' }), { items: [{}], continueOnFail: true })));
		outputs.push(dump(await ctx.run(params({ userPhone: '6281588880001' }))));
		outputs.push(dump(await ctx.run(params({ userPhone: '6281588880001' }))));
		expect(outputs.filter((o) => o.includes('"error"'))).not.toHaveLength(0);
		for (const output of outputs) {
			expect(output).not.toContain(INCS_TOKEN);
			expect(output).not.toContain(INCS_TOKEN.slice(5, 20));
		}
		// The token did reach the server, so the check above is meaningful.
		expect(ctx.server.requests.some((r) => r.headers.authorization === `Bearer ${INCS_TOKEN}`)).toBe(true);
	});
});
