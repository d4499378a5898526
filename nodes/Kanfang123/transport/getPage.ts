import type { IDataObject } from 'n8n-workflow';

import { shiftServerTime, toServerTime } from '../helpers/pollTime';

export const GET_PAGE_PATH = '/v2/houseTask/GetPage';

/** The largest page GetPage is asked for (the docs name a default of 10 and no maximum). */
export const MAX_PAGE_SIZE = 100;

/** One GetPage call with the given query (page and pageSize included); returns the payload. */
export type PageReader = (qs: IDataObject) => Promise<unknown>;

/**
 * GetPage through `page` / `pageSize` until `limit` rows, the reported `total`, or an empty
 * page. The server may return fewer rows than asked (a page-size cap): the page size it really
 * returns is then used to count pages, so no row is skipped whichever way it counts.
 *
 * Rows are told apart by their `id` only (the caller makes sure GetPage returns it): rows
 * without one are never taken for duplicates, since two tasks may share every other column.
 * A server that reports a wrong total still ends: an empty page, or a page whose ids were all
 * seen already, stops the walk (rows seen twice are returned once).
 */
export async function readAllPages(read: PageReader, qs: IDataObject, limit = Infinity): Promise<IDataObject[]> {
	let pageSize = Math.min(MAX_PAGE_SIZE, limit);
	const rows: IDataObject[] = [];
	const seenIds = new Set<string>();
	let received = 0;
	let page = 0;
	while (rows.length < limit) {
		const payload = (await read({ ...qs, page, pageSize })) as IDataObject | undefined;
		const pageRows = Array.isArray(payload?.rows) ? (payload.rows as IDataObject[]) : [];
		let added = 0;
		for (const row of pageRows) {
			const id = typeof row.id === 'string' && row.id !== '' ? row.id : undefined;
			if (id !== undefined) {
				if (seenIds.has(id)) continue;
				seenIds.add(id);
			}
			rows.push(row);
			added++;
		}
		received += pageRows.length;
		const total = Number(payload?.total);
		if (added === 0 || (Number.isFinite(total) && rows.length >= total)) break;
		// A short page while rows remain: the server caps the page size; count pages in its size.
		if (pageRows.length < pageSize) pageSize = pageRows.length;
		// Pages count in the server's list, duplicates included.
		page = Math.floor(received / pageSize);
	}
	return limit === Infinity ? rows : rows.slice(0, limit);
}

/** Reads one poll makes at most; the rows beyond are read by the next poll (from the newest time read). */
const MAX_POLL_READS = 200;

/**
 * The rows modified since `start` (naive server time), ascending by LastModifyTime, for the
 * polling trigger. Each next page starts again at the newest time read (less a second, so it
 * makes no difference whether GetPage's `modifyStart` counts as "from" or "after"), not at the
 * next page number: a task modified during the walk moves to the end of the order and is read
 * there, and no unread row can slip back onto a page already read. Page numbers still count
 * within one second (more than a page of rows with the same time). A row is one task at one
 * time: a task read twice with two times is returned twice.
 */
export async function readModifiedSince(
	read: PageReader,
	qs: IDataObject,
	start: string,
	timeZone: string,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	const seen = new Set<string>();
	let page = 0;
	/** Rows the reads from this `start` brought (`total` counts from it too). */
	let readFromStart = 0;
	for (let reads = 0; reads < MAX_POLL_READS; reads++) {
		const payload = (await read({ ...qs, orderBy: 'LastModifyTime ASC', modifyStart: start, page, pageSize: MAX_PAGE_SIZE })) as
			| IDataObject
			| undefined;
		const pageRows = Array.isArray(payload?.rows) ? (payload.rows as IDataObject[]) : [];
		for (const row of pageRows) {
			const key = JSON.stringify([row.id, row.lastModifyTime]);
			if (seen.has(key)) continue;
			seen.add(key);
			rows.push(row);
		}
		const total = Number(payload?.total);
		readFromStart += pageRows.length;
		if (pageRows.length === 0 || (Number.isFinite(total) && readFromStart >= total)) break;
		const newest = toServerTime(pageRows[pageRows.length - 1].lastModifyTime, timeZone);
		const next = newest === undefined ? undefined : shiftServerTime(newest, -1000);
		if (next !== undefined && next > start) {
			start = next;
			page = 0;
			readFromStart = 0;
		} else {
			page++;
		}
	}
	return rows;
}
