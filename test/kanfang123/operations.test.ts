import { tokenOf } from '../../stand-ins/kanfang123';
import { NOTIFY_RESULTS, withStateNames } from '../../nodes/Kanfang123/helpers/states';
import { useSetup } from '../harness/vendor';
import { setup } from './setup';

describe('123kanfang node: every operation as the API receives it', () => {
	const k = useSetup(setup, { reset: true });

	/** The API calls (not the login), each checked for the token in its default place. */
	const onlyApiCalls = () => {
		const calls = k.server.requests.filter((r) => !r.path.includes('GetAccessToken'));
		for (const call of calls) {
			expect(tokenOf(call)?.location).toBe('header');
			if (call.method === 'POST') expect(call.contentType).toContain('application/x-www-form-urlencoded');
			else expect(call.contentType).toBe('');
		}
		return calls;
	};

	it('Assign Capture Task posts the documented form and returns the task with its state name', async () => {
		const result = await k.run({
			operation: 'assignCapture',
			userName: 'photographer-007',
			houseName: '少女心粉色ins大学城',
			customerHouseId: 'HN1137521',
			serviceId: 'svc-88',
			additionalFields: { cityId: 'sh', houseType: 'apartment', layout: '3室2厅1卫', additionalData: '{"floor": 12}' },
		});
		expect(result.error).toBeUndefined();
		const [request] = onlyApiCalls();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v2/houseTask/AssignNewCaptureHouseTask');
		expect(request.contentType).toContain('application/x-www-form-urlencoded');
		expect(request.form).toEqual({
			userName: 'photographer-007',
			houseName: '少女心粉色ins大学城',
			customerHouseId: 'HN1137521',
			serviceId: 'svc-88',
			cityId: 'sh',
			houseType: 'apartment',
			layout: '3室2厅1卫',
			additionalData: '{"floor":12}',
		});
		expect(tokenOf(request)?.location).toBe('header');
		expect(result.items).toHaveLength(1);
		const task = k.server.tasks.find((t) => t.customerHouseId === 'HN1137521')!;
		expect(result.items[0].json).toEqual({
			id: task.id,
			userId: task.userId,
			customerHouseId: 'HN1137521',
			houseId: task.houseId,
			packageId: task.packageId,
			serviceId: 'svc-88',
			taskState: 9000,
			taskStateName: 'Waiting for capture (等待拍摄)',
			houseName: '少女心粉色ins大学城',
			created: true,
			existingTask: false,
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('Set Anjuke Number posts packageId and anjukeBianHao', async () => {
		const task = k.server.seedTask({ customerHouseId: 'A-1', taskState: 50000 });
		const result = await k.run({ operation: 'setAnjukeNumber', packageId: task.packageId, anjukeBianHao: '00000000010101' });
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/putAnjukeBianHao']);
		expect(request.contentType).toContain('application/x-www-form-urlencoded');
		expect(request.form).toEqual({ packageId: task.packageId, anjukeBianHao: '00000000010101' });
		expect(result.items.map((i) => i.json)).toEqual([{ packageId: task.packageId, anjukeBianHao: '00000000010101' }]);
		expect(k.server.tasks.find((t) => t.id === task.id)?.anjukeBianHao).toBe('00000000010101');
	});

	it('Get Working Tasks sends a GET with the query and returns one item per open task', async () => {
		const a = k.server.seedTask({ customerHouseId: 'W-1', taskState: 20000 });
		k.server.seedTask({ customerHouseId: 'W-1', taskState: 50000 });
		const result = await k.run({ operation: 'getWorking', customerHouseId: 'W-1' });
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['GET', '/v2/houseTask/GetWorkingTaskByCustomerHouseId']);
		expect(request.query).toEqual({ customerHouseId: 'W-1' });
		expect(request.rawBody).toBe('');
		expect(result.items.map((i) => i.json)).toEqual([
			{ id: a.id, customerHouseId: 'W-1', packageId: a.packageId, taskState: 20000, taskStateName: 'House uploaded (房源已上传)' },
		]);
	});

	it('Get Working Tasks: an input whose house has no open task yields no item; the others stay paired to their input', async () => {
		const a = k.server.seedTask({ customerHouseId: 'WN-1', taskState: 20000 });
		const c = k.server.seedTask({ customerHouseId: 'WN-3', taskState: 20000 });
		const result = await k.run(
			{ operation: 'getWorking', customerHouseId: '={{ $json.house }}' },
			{ items: [{ house: 'WN-1' }, { house: 'WN-2' }, { house: 'WN-3' }], continueOnFail: true },
		);
		expect(result.items.map((i) => [i.json.id, i.pairedItem])).toEqual([
			[a.id, { item: 0 }],
			[c.id, { item: 2 }],
		]);
	});

	it('Cancel Capture Task posts userName and customerHouseId and returns the cancelled task', async () => {
		const task = k.server.seedTask({ customerHouseId: 'C-1', userName: 'p1' });
		const result = await k.run({ operation: 'cancelCapture', userName: 'p1', customerHouseId: 'C-1' });
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/CancelCaptureHouseTask']);
		expect(request.form).toEqual({ userName: 'p1', customerHouseId: 'C-1' });
		expect(result.items[0].json).toMatchObject({ id: task.id, taskState: 51000, taskStateName: 'Cancelled (已取消)' });
	});

	it('Review posts the review result code and comments', async () => {
		const task = k.server.seedTask({ customerHouseId: 'R-1', taskState: 45000 });
		const result = await k.run({
			operation: 'review',
			packageId: task.packageId,
			reviewResult: '1',
			additionalFields: { comments: 'stitching is off in the kitchen' },
		});
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/CustomerAssignReviewResult']);
		expect(request.form).toEqual({ packageId: task.packageId, reviewResult: '1', comments: 'stitching is off in the kitchen' });
		expect(result.items[0].json).toMatchObject({ packageId: task.packageId, taskState: 40000, taskStateName: 'Manual stitching in progress (人工拼接中)' });
	});

	it('Retire posts packageId and comment and returns the result with the package ID', async () => {
		const task = k.server.seedTask({ customerHouseId: 'X-1', taskState: 52000 });
		const result = await k.run({ operation: 'retire', packageId: task.packageId, additionalFields: { comment: 'duplicate' } });
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/RetireHouseTask']);
		expect(request.form).toEqual({ packageId: task.packageId, comment: 'duplicate' });
		expect(result.items[0].json).toEqual({ packageId: task.packageId, result: 'Success' });
	});

	it('Update Customer House ID identifies the package by package ID or house task ID', async () => {
		const task = k.server.seedTask({ customerHouseId: 'OLD-1' });
		const byPackage = await k.run({ operation: 'updateCustomerHouseId', identifyBy: 'packageId', packageId: task.packageId, customerHouseId: 'NEW-1' });
		const byTask = await k.run({ operation: 'updateCustomerHouseId', identifyBy: 'houseTaskId', houseTaskId: task.id, customerHouseId: 'NEW-2' });
		const [first, second] = onlyApiCalls();
		expect(first.path).toBe('/v2/houseTask/UpdateCustomerHouseId');
		expect(first.form).toEqual({ packageId: task.packageId, customerHouseId: 'NEW-1' });
		expect(second.form).toEqual({ houseTaskId: task.id, customerHouseId: 'NEW-2' });
		expect(byPackage.items[0].json).toEqual({ packageId: task.packageId, customerHouseId: 'NEW-1' });
		expect(byTask.items[0].json).toEqual({ packageId: task.packageId, customerHouseId: 'NEW-2' });
	});

	it('Delegate to 123 posts the house task ID', async () => {
		const task = k.server.seedTask({ customerHouseId: 'D-1', taskState: 20000 });
		const result = await k.run({ operation: 'delegate', identifyBy: 'houseTaskId', houseTaskId: task.id });
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/AssignToVrtours3d']);
		expect(request.form).toEqual({ houseTaskId: task.id });
		expect(result.items[0].json).toEqual({ houseTaskId: task.id, result: 'OK' });
	});

	it('Push Package posts packageId, notifyconfigId, forcePush and payload', async () => {
		const task = k.server.seedTask({ customerHouseId: 'P-1', taskState: 50000 });
		const result = await k.run({
			operation: 'push',
			packageId: task.packageId,
			notifyconfigId: 'anjuke-cfg',
			additionalFields: { forcePush: true, payload: '{"channel":"anjuke"}' },
		});
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/AddNewNotifyTaskByPackageID']);
		expect(request.form).toEqual({ packageId: task.packageId, notifyconfigId: 'anjuke-cfg', forcePush: 'true', payload: '{"channel":"anjuke"}' });
		expect(result.items[0].json).toMatchObject({
			notifyResult: 0,
			notifyResultName: 'Not notified (未通知)',
			notifyConfigId: 'anjuke-cfg',
			houseTaskId: task.id,
		});
	});

	it('Set FangTianXia Info posts the community, house ID and purpose type', async () => {
		const task = k.server.seedTask({ customerHouseId: 'F-1', taskState: 50000 });
		const result = await k.run({
			operation: 'setFangTianXiaInfo',
			packageId: task.packageId,
			communityName: '九龙仓时代上院',
			additionalFields: { houseId: 'FY-20-26133', purposeType: 'Villa' },
		});
		const [request] = onlyApiCalls();
		expect([request.method, request.path]).toEqual(['POST', '/v2/houseTask/PutFangtianxiaInfo']);
		expect(request.form).toEqual({ packageId: task.packageId, communityName: '九龙仓时代上院', houseId: 'FY-20-26133', purposeType: 'Villa' });
		expect(result.items[0].json).toEqual({
			AdditionalData: JSON.stringify({ communityName: '九龙仓时代上院', houseId: 'FY-20-26133', purposeType: 'Villa' }),
		});
	});

	it('an options field set by an expression follows the one rule of every node: letter case does not matter, the list\'s spelling is sent', async () => {
		const task = k.server.seedTask({ customerHouseId: 'F-2', taskState: 50000 });
		await k.run({
			operation: 'setFangTianXiaInfo',
			packageId: task.packageId,
			communityName: 'C',
			additionalFields: { purposeType: "={{ ' villa ' }}" },
		});
		expect(onlyApiCalls()[0].form.purposeType).toBe('Villa');
	});
});

describe('123kanfang push-result names', () => {
	it('the action node and the trigger name push results from one table (NotifyResult.md)', () => {
		expect(withStateNames({ notifyResult: 1 }).notifyResultName).toBe('Notified successfully (通知成功)');
		expect(withStateNames({ notifyResult: 2 }).notifyResultName).toBe(NOTIFY_RESULTS[2]);
		expect(Object.keys(NOTIFY_RESULTS)).toEqual(['0', '1', '2', '3']);
	});
});
