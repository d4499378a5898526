/**
 * The trigger is of type version 2 (issue 14): n8n no longer evaluates the version-1
 * `$parameter["options"]["binaryData"]` expression for every call — an expression isolate per
 * callback in n8n 2.x — but from version 2 on n8n reads and parses the body before calling the
 * node only for the content types it parses (form, JSON, text, XML). For any other content
 * type, or none, the node reads the raw body itself, after the cheap checks, and only when the
 * declared Content-Length is within Max Body Size.
 */
import { post, sendCallback } from '../../stand-ins/callback';
import { Kanfang123Trigger } from '../../nodes/Kanfang123/Kanfang123Trigger.node';
import { KEY, SUCCESS, taskParams, useTrigger } from './triggerSetup';

const t = useTrigger();

describe('type version and body reading', () => {
	it('is a node of type version 2, which the harness serves like n8n does', () => {
		expect(new Kanfang123Trigger().description.version).toBe(2);
	});

	it.each([
		['no Content-Type', null],
		['application/octet-stream', 'application/octet-stream'],
		['a vendor type', 'text/x-123kanfang'],
	])('accepts a signed callback sent with %s (the node reads the body n8n left unread)', async (_label, contentType) => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), contentType });
		expect(reply.json).toEqual(SUCCESS);
		const executions = await t.settle();
		expect(executions).toHaveLength(1);
		expect(executions[0].triggerItems[0].json).toMatchObject({ state: 50000, houseId: '000123' });
		expect(t.server.handled[0].bodyRead).toBe(true);
	});

	it('refuses a tampered callback with no Content-Type (401), the body read and checked', async () => {
		const reply = await sendCallback(t.server.productionUrl, {
			key: KEY,
			params: taskParams(),
			contentType: null,
			body: 'state=50000&houseId=000999',
		});
		expect(reply.status).toBe(401);
		expect(await t.settle()).toHaveLength(0);
	});

	it('refuses a body declared over Max Body Size with 413 without reading it', async () => {
		const reply = await post(t.server.productionUrl, 'a&'.repeat(500_000), {
			'content-type': 'application/octet-stream',
			timestamp: String(Date.now()),
			sign: '0'.repeat(32),
		});
		expect(reply.status).toBe(413);
		expect(reply.json).toEqual({ state: 413, payload: 'Payload Too Large: the body is over 65536 bytes' });
		expect(t.server.handled[0].bodyRead).toBe(false);
		expect(await t.settle()).toHaveLength(0);
	});

	it('does not read the body of an unsigned callback at all', async () => {
		const reply = await sendCallback(t.server.productionUrl, { key: KEY, params: taskParams(), contentType: null, omit: ['sign'] });
		expect(reply.status).toBe(401);
		expect(t.server.handled[0].bodyRead).toBe(false);
	});
});
