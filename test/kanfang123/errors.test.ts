import type { INodeParameters } from 'n8n-workflow';

import { useSetup } from '../harness/vendor';
import { assign, everything, setup } from './setup';

describe('123kanfang node: bad input is stopped before any request', () => {
	const k = useSetup(setup, { reset: true });

	it.each([
		['an empty required field', { houseName: '   ' }, '"House Name" is required but empty — item 2 (index 1)'],
		['an over-long value', { serviceId: 'x'.repeat(33) }, '"Service ID" is too long: 33 characters, at most 32 allowed — item 2 (index 1)'],
		[
			'invalid JSON',
			{ additionalFields: { additionalData: '{"floor": 12' } },
			'"Additional Data (JSON)" is not valid JSON',
		],
		[
			'JSON over its limit',
			{ additionalFields: { additionalData: JSON.stringify({ notes: 'n'.repeat(1100) }) } },
			'"Additional Data (JSON)" is too long',
		],
	])('%s names the field and the item, and sends nothing for it', async (_label, override, message) => {
		// Only the second item is bad: an expression makes it so.
		const parameters: INodeParameters = { ...assign };
		for (const [key, value] of Object.entries(override)) {
			parameters[key] =
				typeof value === 'string'
					? `={{ $json.house === 'H-2' ? ${JSON.stringify(value)} : ${JSON.stringify(String(assign[key as keyof typeof assign] ?? 'ok'))} }}`
					: value;
		}
		if ('additionalFields' in override) {
			const json = (override.additionalFields as { additionalData: string }).additionalData;
			parameters.additionalFields = { additionalData: `={{ $json.house === 'H-2' ? ${JSON.stringify(json)} : '{}' }}` };
		}
		const result = await k.run(parameters, { items: [{ house: 'H-1' }, { house: 'H-2' }], continueOnFail: false, credential: k.credential({ authentication: 'accessToken', accessToken: 'static-token-123', }) });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain(message);
		expect(result.error?.message).toContain('item 2 (index 1)');
		// Every item is checked before the first request: nothing was sent.
		expect(k.server.requests).toHaveLength(0);

		// The same with Continue On Fail: one error item in place of item 2, item 1 done.
		k.server.resetRecording();
		const continued = await k.run(parameters, {
			items: [{ house: 'H-1' }, { house: 'H-2' }],
			continueOnFail: true,
			credential: k.credential({ authentication: 'accessToken', accessToken: 'static-token-123' }),
		});
		expect(continued.error).toBeUndefined();
		expect(continued.items).toHaveLength(2);
		expect(continued.items[0].json.customerHouseId).toBe('H-1');
		expect(String(continued.items[1].json.error)).toContain(message);
		expect(continued.items[1].pairedItem).toEqual({ item: 1 });
		expect(k.server.requests.map((r) => r.form.customerHouseId)).toEqual(['H-1']);
	});

	it('a required option field left empty is a field error, and nothing is sent', async () => {
		const task = k.server.seedTask({ customerHouseId: 'RV-0', taskState: 45000 });
		const result = await k.run({ operation: 'review', packageId: task.packageId, reviewResult: '' });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('"Review Result" is required but empty — item 1 (index 0)');
		expect(k.server.requestsTo('/v2/houseTask/CustomerAssignReviewResult')).toHaveLength(0);
	});

	it('an option field given a value outside its list is a field error, not a crash', async () => {
		const task = k.server.seedTask({ customerHouseId: 'RV-1', taskState: 45000 });
		const result = await k.run({ operation: 'review', packageId: task.packageId, reviewResult: '={{ 7 }}' });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('"Review Result" must be one of 0, 1, 2, 3, got "7"');
		expect(k.server.requestsTo('/v2/houseTask/CustomerAssignReviewResult')).toHaveLength(0);
	});

	it('a Custom URL credential with an empty Base URL fails saying so, and with Continue On Fail once per item', async () => {
		const credential = k.credential({ baseUrl: '   ' });
		const result = await k.run({ ...assign }, { items: [{ house: 'H-1' }], credential });
		expect(result.error?.message).toContain("The 123kanfang credential's Base URL is empty");
		const continued = await k.run({ ...assign }, { items: [{ house: 'H-1' }, { house: 'H-2' }], continueOnFail: true, credential });
		expect(continued.items.map((i) => [String(i.json.error), i.pairedItem])).toEqual([
			[expect.stringContaining('Base URL is empty'), { item: 0 }],
			[expect.stringContaining('Base URL is empty'), { item: 1 }],
		]);
		expect(k.server.requests).toHaveLength(0);
	});

	it('without Continue On Fail a bad item stops the node before any item is sent', async () => {
		const result = await k.run(
			{ ...assign, houseName: "={{ $json.house === 'H-2' ? '' : 'House' }}", options: { concurrency: 1 } },
			{ items: [{ house: 'H-1' }, { house: 'H-2' }, { house: 'H-3' }] },
		);
		expect(result.error?.message).toContain('"House Name" is required but empty — item 2 (index 1)');
		expect(k.server.requestsTo('/v2/houseTask/AssignNewCaptureHouseTask')).toHaveLength(0);
	});

	it('with Continue On Fail each bad item yields one error item, the good ones their result', async () => {
		const result = await k.run(
			{ ...assign, serviceId: "={{ $json.house === 'H-2' ? 'x'.repeat(40) : 'svc' }}" },
			{ items: [{ house: 'H-1' }, { house: 'H-2' }, { house: 'H-3' }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.customerHouseId).toBe('H-1');
		expect(result.items[1].json.error).toBe('"Service ID" is too long: 40 characters, at most 32 allowed — item 2 (index 1)');
		expect(result.items[2].json.customerHouseId).toBe('H-3');
		expect(k.server.requestsTo('/v2/houseTask/AssignNewCaptureHouseTask')).toHaveLength(2);
	});
});

describe('123kanfang node: API error states', () => {
	const k = useSetup(setup, { reset: true });
	const path = '/v2/houseTask/AssignNewCaptureHouseTask';

	it.each([
		[403, 'InvalidXXXXXX'],
		[500, 'InnerServerError -> detail xxxxxx'],
	])('state %s in an HTTP 200 body becomes an API error with the vendor message', async (state, payload) => {
		k.server.inject({ kind: 'reply', path, body: { state, payload } });
		const result = await k.run(assign, { items: [{ house: 'E-1' }] });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(`123kanfang error (state ${state}): ${payload}`);
		expect(k.server.requestsTo(path)).toHaveLength(1);
	});

	it.each([
		[403, 'InvalidXXXXXX'],
		[500, 'InnerServerError -> detail xxxxxx'],
	])('state %s as an HTTP error status carries the vendor message too', async (state, payload) => {
		k.server.inject({ kind: 'reply', path, status: state, body: { state, payload } });
		const result = await k.run(assign, { items: [{ house: 'E-2' }] });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe(`123kanfang error (state ${state}): ${payload}`);
		expect((result.error as unknown as { httpCode?: string }).httpCode).toBe(String(state));
		expect((result.error as unknown as { context: Record<string, unknown> }).context.vendorCode).toBe(state);
	});

	it('a server-side rejection (state 403) is one error item with Continue On Fail; the other items go through', async () => {
		k.server.inject({ kind: 'reply', path, body: { state: 403, payload: 'InvalidServiceId' } });
		const result = await k.run(
			{ ...assign, options: { concurrency: 1 } },
			{ items: [{ house: 'Z-1' }, { house: 'Z-2' }], continueOnFail: true },
		);
		expect(result.items).toHaveLength(2);
		expect(result.items[0]).toEqual({
			json: { error: '123kanfang error (state 403): InvalidServiceId', httpCode: '200', vendorCode: 403 },
			pairedItem: { item: 0 },
		});
		expect(result.items[1].json.customerHouseId).toBe('Z-2');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
	});

	it('an answer that is not the JSON envelope is an API error, not a crash', async () => {
		k.server.inject({ kind: 'html', path, status: 200 });
		const result = await k.run(assign, { items: [{ house: 'H-html' }] });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toContain('not its JSON envelope');
	});

	it('error output never carries the token or password', async () => {
		const credential = k.credential({ password: 'demo-password' });
		k.server.inject({ kind: 'reply', path, status: 500, body: { state: 500, payload: 'boom' } });
		const result = await k.run(assign, { items: [{ house: 'S-1' }], credential, continueOnFail: true });
		const token = String(k.harness.credentials.stored(credential.id!).sessionToken);
		expect(token).toMatch(/^tok_/);
		expect(everything(result)).not.toContain(token);
		expect(everything(result)).not.toContain('demo-password');
	});
});
