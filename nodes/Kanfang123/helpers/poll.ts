import type { IDataObject } from 'n8n-workflow';

import { buildItem } from './callback';
import type { FormPair } from './signature';
import { shiftServerTime, toServerTime } from './pollTime';
import { stateWanted } from './taskStateFilter';

/**
 * The polling trigger's memory, in the workflow's static data (node scope). n8n saves it to
 * its database when a poll emits items and when the workflow is activated, so it survives
 * restarts; a poll that emits nothing keeps its progress in memory only (a restart then reads
 * that window again, and `last` keeps it from emitting anything twice).
 *
 * - `cursor`: the newest lastModifyTime seen (server time). The next poll reads GetPage from
 *   `cursor - overlap` on, ordered by LastModifyTime ascending. It moves with the server's own
 *   times, so a clock difference between n8n and 123kanfang does not lose changes; the overlap
 *   catches rows written late with an earlier time.
 * - `last`: task ID → [task state, lastModifyTime] of the newest row seen per task. A row is
 *   emitted only when its state differs from the one remembered (a new task counts as a
 *   change), so re-reading the overlap emits nothing twice. At most MAX_REMEMBERED tasks are
 *   kept, never dropping one modified inside the overlap.
 * - `floor`: the start of the first window (activation time, or N hours before it). The overlap
 *   reaches behind it; rows older than it are remembered, not emitted (no history at start).
 */
export interface PollState extends IDataObject {
	cursor?: string;
	/** Where the first window started: older rows are remembered but never emitted. */
	floor?: string;
	last?: Record<string, [number | string, string]>;
}

export const MAX_REMEMBERED = 5000;

/** The GetPage columns the trigger asks for: what the item needs, and the time it orders by. */
export const POLL_FIELDS = ['Id', 'PackageId', 'UserId', 'UserName', 'CustomerHouseId', 'HouseName', 'TaskState', 'LastModifyTime'];

/**
 * A GetPage row as the webhook trigger's task-state item (CustomerReceiveTaskStateChangeNotify:
 * state, houseTaskId, houseId = your Customer House ID, packageId), with userId, userName,
 * houseName and lastModifyTime as further fields.
 */
export function taskStateItem(row: IDataObject, polledAt: Date): IDataObject {
	const pairs: FormPair[] = [];
	const add = (name: string, value: unknown) => {
		if (value !== undefined && value !== null) pairs.push({ name, value: String(value) });
	};
	add('state', row.taskState);
	add('houseTaskId', row.id);
	add('houseId', row.customerHouseId);
	add('packageId', row.packageId);
	add('userId', row.userId);
	add('userName', row.userName);
	add('houseName', row.houseName);
	add('lastModifyTime', row.lastModifyTime);
	return buildItem('taskStateChanged', pairs, undefined, polledAt);
}

export interface PollSettings {
	wanted: string[];
	overlapMs: number;
	timeZone: string;
}

/** Where the next GetPage starts (server time). */
export function windowStart(state: PollState, overlapMs: number): string {
	return shiftServerTime(state.cursor!, -overlapMs);
}

/**
 * Takes the rows of one poll (ascending by lastModifyTime), updates the state and returns the
 * rows whose task changed state and pass the Task States filter.
 */
export function changedRows(state: PollState, rows: IDataObject[], settings: PollSettings): IDataObject[] {
	const last = { ...(state.last ?? {}) };
	let cursor = state.cursor!;
	const changed: IDataObject[] = [];
	for (const row of rows) {
		const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : undefined;
		const modified = toServerTime(row.lastModifyTime, settings.timeZone);
		if (id === undefined || modified === undefined) continue;
		if (modified > cursor) cursor = modified;
		const taskState = row.taskState as number | string;
		const previous = last[id];
		if (previous && previous[1] > modified) continue; // an older row than the one we know
		last[id] = [taskState, modified];
		if (previous && String(previous[0]) === String(taskState)) continue;
		if (state.floor !== undefined && modified < state.floor) continue;
		if (stateWanted(settings.wanted, taskState)) changed.push(row);
	}
	const keys = Object.keys(last);
	if (keys.length > MAX_REMEMBERED) {
		const edge = shiftServerTime(cursor, -settings.overlapMs);
		keys.sort((a, b) => (last[a][1] < last[b][1] ? -1 : 1));
		for (const key of keys.slice(0, keys.length - MAX_REMEMBERED)) if (last[key][1] < edge) delete last[key];
	}
	state.cursor = cursor;
	state.last = last;
	return changed;
}
