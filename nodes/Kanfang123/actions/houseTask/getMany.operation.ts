import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SendContext } from '../../../shared/runner';
import { checkChoice, checkInteger, checkString, fieldError, preview, splitList } from '../../../shared/validation';
import { formatInZone, hasOffset, KANFANG123_TIME_ZONE } from '../../helpers/pollTime';
import { withStateNames } from '../../helpers/states';
import { stateCodes } from '../../helpers/taskStateFilter';
import type { Kanfang123Transport } from '../../transport';
import { GET_PAGE_PATH, readAllPages } from '../../transport/getPage';
import { DEFAULT_FIELDS, description, NOTIFY_RESULT_CODES, SELECT_FIELDS, TEXT_FILTERS } from './getManyFields';

export { description };

function splitIds(ctx: IExecuteFunctions, itemIndex: number, value: unknown, label: string, maxLength: number) {
	const text = checkString(ctx, itemIndex, value, { label });
	if (!text) return [];
	const ids = text.split(',').map((id) => id.trim()).filter(Boolean);
	for (const id of ids) {
		if (id.length > maxLength) {
			throw fieldError(ctx, itemIndex, label, `contains an ID longer than ${maxLength} characters ("${id.slice(0, 20)}…")`);
		}
	}
	return ids;
}

/** The picked Fields: an expression may give a list or "PackageId, HouseName" (any letter case). */
function fieldsParam(ctx: IExecuteFunctions, itemIndex: number): string[] {
	return splitList(ctx.getNodeParameter('fields', itemIndex, [])).map(
		(field) => checkChoice(ctx, itemIndex, field, { label: 'Fields', allowed: SELECT_FIELDS })!,
	);
}

/**
 * A date filter as 123kanfang reads it: its own wall-clock time (China, UTC+8), without an
 * offset. An instant (`{{ $now }}`, a Date, text with an offset) is converted to that time; text
 * without an offset (the date picker's) is sent as written. Undefined when it is not a time.
 */
function serverTimeOf(value: unknown): string | undefined {
	const millis = (value as { toMillis?: () => number } | null)?.toMillis;
	if (typeof millis === 'function') return formatInZone(millis.call(value), KANFANG123_TIME_ZONE);
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : formatInZone(value.getTime(), KANFANG123_TIME_ZONE);
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) return undefined;
	return hasOffset(text) ? formatInZone(ms, KANFANG123_TIME_ZONE) : text;
}

/** Build the GetPage query for one item from its filters and picked Fields (checked, before any request). */
export function buildGetPageQuery(ctx: IExecuteFunctions, itemIndex: number, picked: string[]): IDataObject {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const [name, label, maxLength] of TEXT_FILTERS) {
		const value = checkString(ctx, itemIndex, filters[name], { label, maxLength });
		if (value !== undefined) qs[name] = value;
	}
	const packageIds = splitIds(ctx, itemIndex, filters.packageIds, 'Package IDs', 64);
	if (packageIds.length) qs.packageId = packageIds;
	const except = splitIds(ctx, itemIndex, filters.exceptPackageIds, 'Exclude Package IDs', 128);
	if (except.length) qs.exceptPackageIds = except;
	const states = stateCodes(filters.status, (bad) => fieldError(ctx, itemIndex, 'States', `must be task state codes, got "${preview(bad)}"`));
	if (states.length) qs.status = states;
	for (const [name, label] of [
		['stateStart', 'State From'],
		['stateEnd', 'State To'],
	] as const) {
		const value = checkInteger(ctx, itemIndex, filters[name], { label });
		if (value !== undefined) qs[name] = value;
	}
	if (qs.stateStart !== undefined && qs.stateEnd !== undefined && (qs.stateStart as number) > (qs.stateEnd as number)) {
		throw fieldError(ctx, itemIndex, 'State From', 'is after "State To"');
	}
	const notifyResult = checkChoice(ctx, itemIndex, filters.notifyResult, { label: 'Notify Result', allowed: NOTIFY_RESULT_CODES });
	if (notifyResult !== undefined) qs.NotifyResult = Number(notifyResult);
	for (const [name, label] of [
		['createStart', 'Created After'],
		['createEnd', 'Created Before'],
		['modifyStart', 'Modified After'],
		['modifyEnd', 'Modified Before'],
	] as const) {
		const value = filters[name];
		if (value === undefined || value === '' || value === null) continue;
		const text = serverTimeOf(value);
		if (text === undefined) throw fieldError(ctx, itemIndex, label, `is not a date and time ("${preview(value)}")`);
		qs[name] = text;
	}
	if (filters.taskDemand === true) qs.taskDemand = true;
	if (filters.mappingToUserKey === true) qs.mappingToUserKey = true;
	if (filters.orderBy) qs.orderBy = filters.orderBy;
	const fields = [...picked];
	// GetPage applies NotifyResult (and showNotifyType) only when the NotifyResult column is
	// selected: add it, so the filter is never silently ignored. With no column picked, the
	// default columns are kept and NotifyResult added to them.
	if ((notifyResult !== undefined || qs.showNotifyType !== undefined) && !fields.includes('NotifyResult')) {
		if (!fields.length) fields.push(...DEFAULT_FIELDS);
		fields.push('NotifyResult');
	}
	if (fields.length) {
		// Once Fields is given, GetPage returns only those columns: Id tells rows apart.
		if (!fields.includes('Id')) fields.push('Id');
		const joined = fields.join(',');
		if (joined.length > 256) throw fieldError(ctx, itemIndex, 'Fields', 'selects more than fits in 256 characters');
		qs.fields = joined;
	}
	return qs;
}

/** One item's Get Many: the GetPage query, how many rows, and whether the user sees `id`. */
export interface GetManyCall {
	qs: IDataObject;
	limit: number;
	/** Id was added for paging only (the user picked Fields without it): drop it from the output. */
	hideId: boolean;
}

/** Reads and checks one item's parameters: the GetPage query and the limit. */
export function prepare(this: IExecuteFunctions, itemIndex: number): GetManyCall {
	const picked = fieldsParam(this, itemIndex);
	const qs = buildGetPageQuery(this, itemIndex, picked);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: (checkInteger(this, itemIndex, this.getNodeParameter('limit', itemIndex, 50), { label: 'Limit', min: 1 }) ?? 50);
	return { qs, limit, hideId: picked.length > 0 && !picked.includes('Id') };
}

/**
 * GetPage through `page`/`pageSize` until the limit, the total or an empty page is reached
 * (whatever page size the server really returns); one output item per house task, with state
 * names.
 */
export async function execute(
	this: SendContext,
	transport: Kanfang123Transport,
	call: GetManyCall,
	itemIndex: number,
): Promise<IDataObject[]> {
	const read = async (pageQs: IDataObject) =>
		await transport.request(
			{ method: 'GET', url: GET_PAGE_PATH, qs: pageQs, arrayFormat: 'repeat', json: true },
			{ itemIndex, idempotent: true },
		);
	const rows = await readAllPages(read, call.qs, call.limit);
	return rows.map((row) => {
		if (!call.hideId) return withStateNames(row);
		const { id: _paging, ...selected } = row;
		return withStateNames(selected);
	});
}
