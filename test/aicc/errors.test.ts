/**
 * Failures: vendor resCode errors, HTTP errors, retries as the idempotency decision says, and
 * bad input rejected before any request, naming field and item.
 */
import type { INodeParameters } from 'n8n-workflow';

import { AICC_CODES } from '../../stand-ins/aicc';
import { useSetup } from '../harness/vendor';
import { paths, setup } from './setup';

const ctx = useSetup(setup);

/** The least a Create needs. */
const minimalCreate = { operation: 'create', title: 'x', ownerId: 'a', creatorId: 'b' };
/** An Update Status run (default credential, one empty item). */
const updateStatus = async (taskId: string, status: string, creatorId = 'b') =>
	await ctx.run({ operation: 'updateStatus', taskId, status, creatorId });
beforeEach(() => {
	ctx.server.resetRecording();
	ctx.server.clearFaults();
});

describe('Huawei AICC node: API errors', () => {
	it('a resCode other than "0" stops the node with a NodeApiError carrying resMsg', async () => {
		const result = await updateStatus('doesNotExist', 'Completed', 'sup01');
		expect(result.error).toBeDefined();
		expect(result.error!.name).toBe('NodeApiError');
		expect(result.error!.message).toBe('task doesNotExist does not exist');
		expect(result.error!.description).toBe(`Huawei AICC resCode: ${AICC_CODES.taskNotFound}`);
		expect(ctx.server.requestsTo(paths.status)).toHaveLength(1);
		expect(result.items).toEqual([]);
	});

	it.each([
		['process', { title: 't', description: 'd' }, paths.process],
		['transfer', { ownerId: 'agent02' }, paths.transfer],
		['update', { updateFields: { title: 'x' } }, paths.modify],
	])('%s of an unknown task id is a resCode error', async (operation, fields, path) => {
		const result = await ctx.run({
			operation,
			taskId: 'ghost',
			creatorId: 'sup01',
			...fields,
		});
		expect(result.error!.message).toBe('task ghost does not exist');
		expect(ctx.server.requestsTo(path)).toHaveLength(1);
	});

	it('with Continue On Fail a resCode error becomes that item\'s error and the others go on', async () => {
		const good = ctx.server.seedTask();
		const result = await ctx.run(
			{ operation: 'transfer', taskId: '={{ $json.id }}', ownerId: 'agent02', creatorId: 'sup01' },
			{ items: [{ id: good.id }, { id: 'ghost' }, { id: good.id }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: { success: true, taskId: good.id, ownerId: 'agent02', creatorId: 'sup01' }, pairedItem: { item: 0 } },
			{
				json: {
					error: 'task ghost does not exist',
					description: `Huawei AICC resCode: ${AICC_CODES.taskNotFound}`,
					httpCode: '200',
					vendorCode: AICC_CODES.taskNotFound,
				},
				pairedItem: { item: 1 },
			},
			{ json: { success: true, taskId: good.id, ownerId: 'agent02', creatorId: 'sup01' }, pairedItem: { item: 2 } },
		]);
		expect(ctx.server.requestsTo(paths.transfer)).toHaveLength(3);
	});

	it('a resCode error reported with HTTP 200 for a create is not retried', async () => {
		ctx.server.inject({ kind: 'reply', path: paths.create, status: 200, body: { resCode: 'AICC.999', resMsg: '系统繁忙' } });
		const result = await ctx.run(minimalCreate);
		expect(result.error!.message).toBe('系统繁忙');
		expect(result.error!.description).toBe('Huawei AICC resCode: AICC.999');
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(1);
	});

	it('a Create answered "success" without a taskId is an error, not an output without id', async () => {
		ctx.server.inject({ kind: 'reply', path: paths.create, body: { resCode: '0', resMsg: '成功', result: {} } });
		const result = await ctx.run(minimalCreate);
		expect(result.error!.name).toBe('NodeApiError');
		expect(result.error!.message).toBe('Huawei AICC reported success but sent no taskId');
	});

	it('a result AICC sends for a call documented without one is kept in the output', async () => {
		ctx.server.inject({ kind: 'reply', path: paths.transfer, body: { resCode: 0, resMsg: 'ok', result: { flowId: 'f1' } } });
		const result = await ctx.run({
			operation: 'transfer',
			taskId: 't1',
			ownerId: 'a2',
			creatorId: 'b',
		});
		expect(result.items[0].json).toEqual({ success: true, taskId: 't1', ownerId: 'a2', creatorId: 'b', result: { flowId: 'f1' } });
	});

	it('HTTP 500 is an API error with the vendor message and HTTP code, sent once', async () => {
		ctx.server.inject({
			kind: 'reply',
			path: paths.create,
			status: 500,
			body: { resCode: '500', resMsg: 'internal error' },
		});
		const result = await ctx.run(minimalCreate);
		expect(result.error!.name).toBe('NodeApiError');
		expect(result.error!.message).toBe('Huawei AICC error (HTTP 500): internal error');
		expect((result.error as unknown as { httpCode: string }).httpCode).toBe('500');
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(1);
	});

	it('HTTP 500 with Continue On Fail yields an error item with httpCode', async () => {
		ctx.server.inject({ kind: 'html', path: paths.create, status: 500 });
		const result = await ctx.run(
			{ operation: 'create', title: 'x', ownerId: 'a', creatorId: 'b' },
			{ items: [{}], continueOnFail: true },
		);
		expect(result.items).toEqual([
			{ json: { error: 'Huawei AICC answered HTTP 500', httpCode: '500' }, pairedItem: { item: 0 } },
		]);
	});

	it('a 200 answer that is not the envelope is an error, not a silent success', async () => {
		ctx.server.inject({ kind: 'reply', path: paths.status, status: 200, body: 'OK' });
		const task = ctx.server.seedTask();
		const result = await updateStatus(task.id, 'Pending');
		expect(result.error!.message).toBe('Huawei AICC sent an answer that is not the expected JSON envelope');
	});

	it('Update Status is retried after 503 and 502; the third try succeeds', async () => {
		const task = ctx.server.seedTask();
		ctx.server.inject(
			{ kind: 'reply', path: paths.status, status: 503, body: 'busy' },
			{ kind: 'html', path: paths.status, status: 502 },
		);
		const result = await updateStatus(task.id, 'Completed');
		expect(result.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.status)).toHaveLength(3);
		expect(ctx.server.tasks.get(task.id)!.status).toBe('Completed');
	});

	it('Update Status and Transfer (idempotent: absolute values) are resent after a reset', async () => {
		const task = ctx.server.seedTask();
		ctx.server.inject({ kind: 'reset', path: paths.status }, { kind: 'reset', path: paths.transfer });
		const status = await updateStatus(task.id, 'Processing');
		const transfer = await ctx.run({
			operation: 'transfer',
			taskId: task.id,
			ownerId: 'agent07',
			creatorId: 'b',
		});
		expect(status.error).toBeUndefined();
		expect(transfer.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.status)).toHaveLength(2);
		expect(ctx.server.requestsTo(paths.transfer)).toHaveLength(2);
		expect(ctx.server.tasks.get(task.id)).toMatchObject({ status: 'Processing', ownerId: 'agent07' });
	});

	it('Update (idempotent) is resent after HTTP 504 from a gateway', async () => {
		const task = ctx.server.seedTask();
		ctx.server.inject({ kind: 'html', path: paths.modify, status: 504 });
		const result = await ctx.run({
			operation: 'update',
			taskId: task.id,
			creatorId: 'b',
			updateFields: { priority: 'Low' },
		});
		expect(result.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.modify)).toHaveLength(2);
	});

	it('Create (not idempotent) is not resent after HTTP 502: the task may exist already', async () => {
		ctx.server.inject({ kind: 'html', path: paths.create, status: 502 });
		const result = await ctx.run(minimalCreate);
		expect(result.error!.message).toBe('Huawei AICC answered HTTP 502');
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(1);
	});

	it('Create is not resent after a time-out', async () => {
		ctx.server.inject({ kind: 'hang', path: paths.create, ms: 10_000 });
		const result = await ctx.run({
			operation: 'create',
			title: 'x',
			ownerId: 'a',
			creatorId: 'b',
			options: { timeout: 1000 },
		});
		expect(result.error).toBeDefined();
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(1);
	});

	it('Create (not idempotent) is not resent after a reset, which might have created the task', async () => {
		ctx.server.inject({ kind: 'reset', path: paths.create });
		const result = await ctx.run(minimalCreate);
		expect(result.error).toBeDefined();
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(1);
	});

	it('Process (not idempotent) is not resent after a reset either', async () => {
		const task = ctx.server.seedTask();
		ctx.server.inject({ kind: 'reset', path: paths.process });
		const result = await ctx.run({
			operation: 'process',
			taskId: task.id,
			creatorId: 'b',
			title: 't',
			description: 'd',
		});
		expect(result.error).toBeDefined();
		expect(ctx.server.requestsTo(paths.process)).toHaveLength(1);
	});

	it('Create is retried after 429 (refused before processing), honouring Retry-After', async () => {
		ctx.server.inject({ kind: 'reply', path: paths.create, status: 429, headers: { 'Retry-After': '0' }, body: '' });
		const result = await ctx.run(minimalCreate);
		expect(result.error).toBeUndefined();
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(2);
		expect(result.items[0].json.taskId).toEqual(expect.any(String));
	});
});

describe('Huawei AICC node: bad input is rejected before any request', () => {
	const long = (n: number) => 'x'.repeat(n);
	const create = { operation: 'create', title: 'T', ownerId: 'agent01', creatorId: 'sup01' };
	const cases: Array<[string, Record<string, unknown>, string]> = [
		['empty Title (from an expression)', { ...create, title: '={{ $json.missing }}' }, '"Title" is required but empty'],
		['Title over 128 bytes', { ...create, title: long(129) }, '"Title" is too long: 129 bytes in UTF-8, at most 128 allowed'],
		[
			'Title of 43 Chinese characters (129 bytes)',
			{ ...create, title: '任'.repeat(43) },
			'"Title" is too long: 129 bytes (43 characters) in UTF-8, at most 128 allowed',
		],
		['Owner ID over 20 bytes', { ...create, ownerId: long(21) }, '"Owner ID" is too long: 21 bytes'],
		['Creator ID empty', { ...create, creatorId: '={{ "  " }}' }, '"Creator ID" is required but empty'],
		['Title as an object', { ...create, title: '={{ { a: 1 } }}' }, '"Title" must be text, got object'],
		[
			'Description over 20000 bytes',
			{ ...create, additionalFields: { description: long(20001) } },
			'"Description" is too long: 20001 bytes',
		],
		[
			'Related Object Type without Related Object ID',
			{ ...create, additionalFields: { type: 'Case' } },
			'"Related Object ID" is required when "Related Object Type" is set',
		],
		[
			'Related Object Type not documented',
			{ ...create, additionalFields: { type: '={{ "Order" }}', relateId: 'r1' } },
			'"Related Object Type" must be one of Case, got "Order"',
		],
		['Contact ID over 20 bytes', { ...create, additionalFields: { contactId: long(21) } }, '"Contact ID" is too long'],
		[
			'Priority not in the list',
			{ ...create, additionalFields: { priority: '={{ "Urgent" }}' } },
			'"Priority" must be one of Critical, High, Medium, Low, got "Urgent"',
		],
		['Attachment over 255 bytes', { ...create, additionalFields: { attachment: long(256) } }, '"Attachment" is too long: 256 bytes'],
		['Due Date unreadable', { ...create, additionalFields: { dueDate: 'next Tuesday' } }, '"Due Date" is not a date-time n8n can read'],
		['Due Date impossible', { ...create, additionalFields: { dueDate: '2024-02-30T10:00:00' } }, '"Due Date" is not a valid date-time'],
		[
			'Due Date Time Zone unknown',
			{ ...create, additionalFields: { dueDate: '2024-05-01' }, options: { dueDateTimeZone: 'Mars/Olympus' } },
			'"Due Date Time Zone" is not a time zone name n8n knows: "Mars/Olympus"',
		],
		[
			'Status not in the list',
			{ operation: 'updateStatus', taskId: 't1', status: '={{ "Closed" }}', creatorId: 'sup01' },
			'"Status" must be one of Completed, Pending, Processing, got "Closed"',
		],
		[
			'Task ID empty',
			{ operation: 'transfer', taskId: '={{ "" }}', ownerId: 'a', creatorId: 'b' },
			'"Task ID" is required but empty',
		],
		[
			'New Owner ID over 20 bytes',
			{ operation: 'transfer', taskId: 't1', ownerId: long(21), creatorId: 'b' },
			'"New Owner ID" is too long',
		],
		[
			'Process Description empty',
			{ operation: 'process', taskId: 't1', creatorId: 'b', title: 't', description: '={{ "" }}' },
			'"Description" is required but empty',
		],
		[
			'Process Title over 128 bytes',
			{ operation: 'process', taskId: 't1', creatorId: 'b', title: long(129), description: 'd' },
			'"Title" is too long',
		],
		[
			'Update without any field',
			{ operation: 'update', taskId: 't1', creatorId: 'b', updateFields: {} },
			'"Update Fields" is empty: add at least one field to change',
		],
		[
			'Update with Related Object Type but no ID',
			{ operation: 'update', taskId: 't1', creatorId: 'b', updateFields: { type: 'Case' } },
			'"Related Object ID" is required when "Related Object Type" is set',
		],
	];

	it.each(cases)('%s → NodeOperationError naming the field and item, nothing sent', async (_name, parameters, expected) => {
		// Expression cases are bad only for item 3 of 3 (the two good items must not be sent
		// either); fixed bad values are bad for every item, so item 1 is reported.
		const result = await ctx.run(onlyThirdItemBad(parameters), { items: [{}, {}, { bad: true }] });
		expect(result.error).toBeDefined();
		expect(result.error!.name).toBe('NodeOperationError');
		expect(result.error!.message).toContain(expected);
		if (Object.values(parameters).some(isExpression)) {
			expect(result.error!.message).toContain('item 3 (index 2)');
		} else {
			expect(result.error!.message).toContain('item 1 (index 0)');
		}
		expect(ctx.server.requests).toHaveLength(0);
	});

	it('with Continue On Fail the bad item gets its error and the good ones are sent', async () => {
		const result = await ctx.run(
			{ ...create, title: '={{ $json.title }}' },
			{ items: [{ title: 'one' }, { title: '' }, { title: 'three' }], continueOnFail: true },
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.title).toBe('one');
		expect(result.items[1].json).toEqual({
			error: '"Title" is required but empty — item 2 (index 1)',
			description: 'Fix the "Title" field for item 2 (index 1) and run again.',
		});
		expect(result.items[2].json.title).toBe('three');
		expect(ctx.server.requestsTo(paths.create).map((r) => (r.json as { taskInfo: { title: string } }).taskInfo.title)).toEqual([
			'one',
			'three',
		]);
	});
});

function isExpression(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith('={{');
}

/** Turns each expression `={{ x }}` into `={{ $json.bad ? (x) : <a valid value> }}`. */
function onlyThirdItemBad(parameters: Record<string, unknown>): INodeParameters {
	const result: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(parameters)) {
		result[key] = isExpression(value)
			? `={{ $json.bad ? (${value.slice(3, -2)}) : ${JSON.stringify(goodValue(key, parameters))} }}`
			: value;
	}
	return result as INodeParameters;
}

/** A valid value for the field an expression case replaces, for the good items. */
function goodValue(key: string, parameters: Record<string, unknown>): string {
	const good: Record<string, string> = { title: 'T', creatorId: 'sup01', taskId: 't1', status: 'Pending', description: 'd' };
	if (key in good) return good[key];
	throw new Error(`no good value for ${key} in ${JSON.stringify(parameters)}`);
}
