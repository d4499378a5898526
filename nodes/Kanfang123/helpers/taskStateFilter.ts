import type { INodePropertyOptions } from 'n8n-workflow';

import { KANFANG123_TASK_STATE_CODES, KANFANG123_TASK_STATES } from './states';

/** The Task States filter's options, in lifecycle order (as TaskState.md lists them). */
export const taskStateFilterOptions: INodePropertyOptions[] = KANFANG123_TASK_STATE_CODES.map((code) => ({
	name: KANFANG123_TASK_STATES[code],
	value: code,
	description: `State code ${code}`,
}));

/** Whether a task state passes the Task States filter (empty passes all). */
export function stateWanted(wanted: Array<number | string>, state: unknown): boolean {
	return wanted.length === 0 || wanted.map(String).includes(String(state));
}
