import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { DEFAULT_RETRY } from '../../shared/retry';
import { specs } from '../actions/houseTask';
import type { TaskIdKind } from '../actions/houseTask/locator';
import { taskStateName } from '../helpers/states';
import { createTransport } from '../transport';
import { GET_PAGE_PATH } from '../transport/getPage';

/** Entries per page of a "From List" search (GetPage documents no maximum). */
export const SEARCH_PAGE_SIZE = 50;

/** GetPage's `searchKey` is String(32). */
const SEARCH_KEY_MAX = 32;

/** The columns an entry needs (fewer than GetPage's defaults, none of its slow ones). */
const ENTRY_FIELDS = 'Id,PackageId,HouseName,CustomerHouseId,TaskState';

const ID_COLUMN: Record<TaskIdKind, string> = {
	packageId: 'packageId',
	houseTaskId: 'id',
	customerHouseId: 'customerHouseId',
};

function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * One page of the account's house tasks for a locator's "From List", newest first: `filter`
 * goes to GetPage's `searchKey` (customer house ID or house name), the page number travels in
 * n8n's `paginationToken`, and an operation with a `pickable` filter (e.g. Review: tasks in
 * customer review) only lists the tasks it can act on.
 */
async function searchTasks(
	ctx: ILoadOptionsFunctions,
	kind: TaskIdKind,
	filter?: string,
	paginationToken?: unknown,
): Promise<INodeListSearchResult> {
	const operation = ctx.getCurrentNodeParameter('operation');
	const pickable = specs.find((spec) => spec.value === operation)?.pickable ?? {};
	const page = Math.max(0, Math.floor(Number(paginationToken ?? 0)) || 0);
	const qs: IDataObject = {
		...pickable,
		fields: ENTRY_FIELDS,
		orderBy: 'CreateTime DESC',
		page,
		pageSize: SEARCH_PAGE_SIZE,
	};
	const searchKey = filter?.trim().slice(0, SEARCH_KEY_MAX);
	if (searchKey) qs.searchKey = searchKey;

	const transport = createTransport(ctx, DEFAULT_RETRY);
	const payload = (await transport.request(
		{ method: 'GET', url: GET_PAGE_PATH, qs, arrayFormat: 'repeat', json: true },
		{ itemIndex: 0, idempotent: true },
	)) as IDataObject | undefined;
	const rows = Array.isArray(payload?.rows) ? (payload.rows as IDataObject[]) : [];

	const results = rows
		.filter((row) => text(row[ID_COLUMN[kind]]) !== '')
		.map((row) => {
			// The English name only: the list is narrow (the output items carry both names).
			const state = taskStateName(text(row.taskState))?.replace(/ \(.*\)$/, '') ?? `state ${text(row.taskState)}`;
			return {
				name: [text(row.houseName) || '(no house name)', text(row.customerHouseId) || '(no customer house ID)', state].join(' · '),
				value: text(row[ID_COLUMN[kind]]),
			};
		});
	const total = Number(payload?.total);
	const more = rows.length === SEARCH_PAGE_SIZE && !(Number.isFinite(total) && (page + 1) * SEARCH_PAGE_SIZE >= total);
	return { results, paginationToken: more ? String(page + 1) : undefined };
}

export async function searchPackages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchTasks(this, 'packageId', filter, paginationToken);
}

export async function searchHouseTasks(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchTasks(this, 'houseTaskId', filter, paginationToken);
}

export async function searchCustomerHouseIds(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
	return await searchTasks(this, 'customerHouseId', filter, paginationToken);
}
