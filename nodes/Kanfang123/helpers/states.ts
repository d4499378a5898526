import type { IDataObject } from 'n8n-workflow';

/**
 * The 123kanfang codes this package names: house-task states, push results and FangTianXia
 * results, each defined once here for the action node, the trigger and the README.
 *
 * 123kanfang house-task states, as documented in the vendor's `Agreement/TaskState.md`
 * (task-state codes with Chinese names; the English is a faithful translation). Used by the
 * trigger (state names next to state codes, the Task State filter) and the action node.
 */
export const KANFANG123_TASK_STATES: Readonly<Record<number, string>> = Object.freeze({
	[-1]: 'Task does not exist (任务不存在)',
	0: 'Upload failed (上传失败)',
	9000: 'Waiting for capture (等待拍摄)',
	10000: 'App uploading data package (APP上传数据包)',
	20000: 'House uploaded (房源已上传)',
	30000: 'AI build completed (AI构建已经完成)',
	40000: 'Manual stitching in progress (人工拼接中)',
	45000: 'Customer review in progress (客户审核中)',
	50000: 'Completed (已完成)',
	51000: 'Cancelled (已取消)',
	52000: 'Production failed (制作失败)',
});

/** The documented states in lifecycle order (as TaskState.md lists them). */
export const KANFANG123_TASK_STATE_CODES: readonly number[] = Object.freeze([
	-1, 0, 9000, 10000, 20000, 30000, 40000, 45000, 50000, 51000, 52000,
]);

/**
 * English + Chinese name of a documented task state; `undefined` for anything else.
 * Accepts the code as a number or as decimal text (surrounding whitespace allowed), e.g.
 * `taskStateName('50000')` → `'Completed (已完成)'`.
 */
export function taskStateName(state: number | string): string | undefined {
	let code: number;
	if (typeof state === 'number') {
		code = state;
	} else {
		const text = String(state).trim();
		if (!/^-?\d+$/.test(text)) return undefined;
		code = Number(text);
	}
	if (!Number.isInteger(code)) return undefined;
	return Object.prototype.hasOwnProperty.call(KANFANG123_TASK_STATES, code)
		? KANFANG123_TASK_STATES[code]
		: undefined;
}

/** NotifyResult.md / CustomerReceiveNotifyFailedNotify.md: result of a push. */
export const NOTIFY_RESULTS: Readonly<Record<number, string>> = Object.freeze({
	0: 'Not notified (未通知)',
	1: 'Notified successfully (通知成功)',
	2: 'Rejected by the customer endpoint (客户接口拒绝)',
	3: 'Error while pushing (推送时发生错误)',
});

/** FangTianXiaNotifyCallback.md: `status`. */
export const FANGTIANXIA_STATUSES: Readonly<Record<number, string>> = Object.freeze({
	1: 'Notified successfully (通知成功)',
	2: 'Notification failed (通知失败)',
	3: 'Error while notifying (通知时发生错误)',
});

/** Put readable names next to numeric task states (and push results). */
export function withStateNames(value: IDataObject, stateKeys: string[] = ['taskState']): IDataObject {
	const result: IDataObject = { ...value };
	for (const key of stateKeys) {
		if (result[key] === undefined || result[key] === null || result[key] === '') continue;
		const name = taskStateName(result[key] as number | string);
		if (name) result.taskStateName = name;
	}
	if (typeof result.notifyResult === 'number' && NOTIFY_RESULTS[result.notifyResult]) {
		result.notifyResultName = NOTIFY_RESULTS[result.notifyResult];
	}
	return result;
}
