import type { IDataObject } from 'n8n-workflow';

export const GET_PAGE_PATH = '/v2/houseTask/GetPage';

/** The largest page GetPage is asked for (the docs name a default of 10 and no maximum). */
export const MAX_PAGE_SIZE = 100;

/** One GetPage call with the given query (page and pageSize included); returns the payload. */
export type PageReader = (qs: IDataObject) => Promise<unknown>;

function rowKey(row: IDataObject): string {
	return typeof row.id === 'string' && row.id !== '' ? `id:${row.id}` : JSON.stringify(row);
}

/**
 * GetPage through `page` / `pageSize` until `limit` rows, the reported `total`, or an empty
 * page. The server may return fewer rows than asked (a page-size cap): the page size it really
 * returns is then used to count pages, so no row is skipped whichever way it counts. A server
 * that reports a wrong total still ends: a page that is empty or brings no row not seen yet
 * stops the walk (rows seen twice are returned once).
 */
export async function readAllPages(read: PageReader, qs: IDataObject, limit = Infinity): Promise<IDataObject[]> {
	let pageSize = Math.min(MAX_PAGE_SIZE, limit);
	const rows: IDataObject[] = [];
	const seen = new Set<string>();
	let page = 0;
	while (rows.length < limit) {
		const payload = (await read({ ...qs, page, pageSize })) as IDataObject | undefined;
		const pageRows = Array.isArray(payload?.rows) ? (payload.rows as IDataObject[]) : [];
		let added = 0;
		for (const row of pageRows) {
			const key = rowKey(row);
			if (seen.has(key)) continue;
			seen.add(key);
			rows.push(row);
			added++;
		}
		const total = Number(payload?.total);
		if (added === 0 || (Number.isFinite(total) && rows.length >= total)) break;
		// A short page while rows remain: the server caps the page size; count pages in its size.
		if (pageRows.length < pageSize) pageSize = pageRows.length;
		page = Math.floor(rows.length / pageSize);
	}
	return limit === Infinity ? rows : rows.slice(0, limit);
}
