import type { INode, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { preview, splitList } from '../../shared/validation';

import { KANFANG123_TASK_STATE_CODES, KANFANG123_TASK_STATES } from './states';

/** The Task States filter's options, in lifecycle order (as TaskState.md lists them). */
export const taskStateFilterOptions: INodePropertyOptions[] = KANFANG123_TASK_STATE_CODES.map((code) => ({
	name: KANFANG123_TASK_STATES[code],
	value: code,
	description: `State code ${code}`,
}));

/**
 * A state filter as state codes. An expression may give a list, "50000, 52000" or one number;
 * anything else throws `fail(value)` (a filter that can never match would silently pass nothing).
 */
export function stateCodes(value: unknown, fail: (bad: string) => Error): string[] {
	const states = splitList(value);
	const bad = states.find((state) => !/^-?\d+$/.test(state));
	if (bad !== undefined) throw fail(bad);
	return states;
}

/** The triggers' Task States as state codes (see `stateCodes`); refused naming the field. */
export function taskStatesParam(node: INode, value: unknown): string[] {
	return stateCodes(
		value,
		(bad) =>
			new NodeOperationError(node, `"Task States" must be task state codes, got "${preview(bad)}"`, {
				description: 'Pick the states from the list, or give codes such as 50000 (an expression may give a list or "50000, 52000").',
			}),
	);
}

/** Whether a task state passes the Task States filter (empty passes all). */
export function stateWanted(wanted: string[], state: unknown): boolean {
	return wanted.length === 0 || wanted.includes(String(state));
}
