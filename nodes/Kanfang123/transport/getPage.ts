import type { IDataObject } from 'n8n-workflow';

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
