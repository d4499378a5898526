import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/client';
import { KANFANG123_TASK_STATE_CODES, KANFANG123_TASK_STATES, NOTIFY_RESULTS } from '../../helpers/states';
import { checkInteger, checkString, fieldError, preview } from '../../../shared/validation';

const show = { show: { resource: ['houseTask'], operation: ['getMany'] } };

const stateOptions = KANFANG123_TASK_STATE_CODES.map((code) => ({
	name: KANFANG123_TASK_STATES[code],
	value: code,
}));

/** The selectable columns of GetPage (`fields`); the first 14 are returned by default. */
export const SELECT_FIELDS = [
	'Id', 'PackageId', 'UserId', 'HouseName', 'CustomerHouseId', 'CreateTime', 'CaptureTime',
	'UploadTime', 'TaskState', 'UserComments', 'Floors', 'Rooms', 'Points', 'Bucket',
	'BillOwnerId', 'Path', 'ServiceId', 'AdditionalData', 'LastModifyTime', 'Area', 'HouseLayout',
	'LockedBy', 'LockUntil', 'LastHistoryId', 'CityId', 'HouseType', 'PackageVersion', 'Domain',
	'WaitingSignal', 'Comments', 'NotifyResult', 'UserName',
];
const SLOW_FIELDS = new Set(['Comments', 'NotifyResult', 'UserName']);

/** Text filters: API name, label, length limit, description. */
const TEXT_FILTERS: Array<[string, string, number, string]> = [
	['billOwnerId', 'Bill Owner ID', 32, 'Exact match'],
	['customerHouseId', 'Customer House ID', 32, 'Exact match'],
	['houseName', 'House Name', 32, 'Fuzzy match (slow at 123kanfang)'],
	['path', 'User Path', 64, "Houses of users whose path starts with this"],
	['searchKey', 'Search Key', 32, 'Fuzzy match on Customer House ID and house name (slow)'],
	['serviceId', 'Service ID', 32, 'Exact match'],
	['showNotifyType', 'Notify Type', 32, 'Which push result Notify Result refers to (default: your own). Needs the NotifyResult field selected.'],
	['userId', 'Photographer User ID', 32, 'Exact match'],
	['userName', 'Photographer User Name', 32, 'Fuzzy match'],
];

export const getManyProperties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show.show, returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show,
		options: [
			...TEXT_FILTERS.map(
				([name, displayName, , description]): INodeProperties => ({
					displayName,
					name,
					type: 'string',
					default: '',
					description,
				}),
			),
			{
				displayName: 'Created After',
				name: 'createStart',
				type: 'dateTime',
				default: '',
				description: 'Only tasks created at or after this time (createStart)',
			},
			{
				displayName: 'Created Before',
				name: 'createEnd',
				type: 'dateTime',
				default: '',
				description: 'Only tasks created at or before this time (createEnd)',
			},
			{
				displayName: 'Exclude Package IDs',
				name: 'exceptPackageIds',
				type: 'string',
				default: '',
				description: 'Comma-separated package IDs to leave out',
			},
			{
				displayName: 'Map to Your City and House Type',
				name: 'mappingToUserKey',
				type: 'boolean',
				default: false,
				description: 'Whether cityId and houseType are returned as your own values (mappingToUserKey)',
			},
			{
				displayName: 'Modified After',
				name: 'modifyStart',
				type: 'dateTime',
				default: '',
				description: 'Only tasks last modified at or after this time (modifyStart)',
			},
			{
				displayName: 'Modified Before',
				name: 'modifyEnd',
				type: 'dateTime',
				default: '',
				description: 'Only tasks last modified at or before this time (modifyEnd)',
			},
			{
				displayName: 'Notify Result',
				name: 'notifyResult',
				type: 'options',
				default: '',
				description: 'Push result (needs the NotifyResult field selected)',
				options: [
					{ name: 'Any', value: '' },
					{ name: 'No Capture Task (-1)', value: '-1' },
					...Object.entries(NOTIFY_RESULTS).map(([code, name]) => ({ name: `${name} (${code})`, value: code })),
				].sort((a, b) => a.name.localeCompare(b.name)),
			},
			{
				displayName: 'Order By',
				name: 'orderBy',
				type: 'options',
				default: '',
				options: [
					{ name: 'Created (Newest First)', value: 'CreateTime DESC' },
					{ name: 'Created (Oldest First)', value: 'CreateTime ASC' },
					{ name: 'Default', value: '' },
					{ name: 'Modified (Newest First)', value: 'LastModifyTime DESC' },
					{ name: 'Modified (Oldest First)', value: 'LastModifyTime ASC' },
					{ name: 'Uploaded (Newest First)', value: 'UploadTime DESC' },
					{ name: 'Uploaded (Oldest First)', value: 'UploadTime ASC' },
				],
			},
			{
				displayName: 'Package IDs',
				name: 'packageIds',
				type: 'string',
				default: '',
				description: 'Comma-separated package IDs (each sent as its own packageId parameter)',
			},
			{
				displayName: 'State From',
				name: 'stateStart',
				type: 'options',
				default: '',
				options: [{ name: 'Any', value: '' }, ...stateOptions],
				description: 'Lowest task state to include (stateStart)',
			},
			{
				displayName: 'State To',
				name: 'stateEnd',
				type: 'options',
				default: '',
				options: [{ name: 'Any', value: '' }, ...stateOptions],
				description: 'Highest task state to include (stateEnd)',
			},
			{
				displayName: 'States',
				name: 'status',
				type: 'multiOptions',
				default: [],
				options: stateOptions,
				description: 'Only tasks in one of these states',
			},
			{
				displayName: 'With Task Demand',
				name: 'taskDemand',
				type: 'boolean',
				default: false,
				description: 'Whether to also query the task demand (taskDemand)',
			},
		],
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'multiOptions',
		default: [],
		description:
			'Columns to return. Empty returns 123kanfang\'s default columns; once you pick any, only those are returned. Comments, NotifyResult and UserName are slow.',
		options: SELECT_FIELDS.map((field) => ({
			name: SLOW_FIELDS.has(field) ? `${field} (Slow)` : field,
			value: field,
		})),
		displayOptions: show,
	},
];

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

/** Build the GetPage query for one item from its filters (checked, before any request). */
export function buildGetPageQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
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
	// A list from the form; an expression may give "50000, 9000" or a single number instead.
	const rawStates = filters.status;
	const states = (Array.isArray(rawStates) ? rawStates : rawStates === undefined || rawStates === '' ? [] : String(rawStates).split(','))
		.map((state) => String(state).trim())
		.filter(Boolean);
	for (const state of states) {
		if (!/^-?\d+$/.test(state)) throw fieldError(ctx, itemIndex, 'States', `must be task state codes, got "${preview(state)}"`);
	}
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
	if (filters.notifyResult !== undefined && filters.notifyResult !== '') qs.NotifyResult = Number(filters.notifyResult);
	for (const [name, label] of [
		['createStart', 'Created After'],
		['createEnd', 'Created Before'],
		['modifyStart', 'Modified After'],
		['modifyEnd', 'Modified Before'],
	] as const) {
		const value = filters[name];
		if (value === undefined || value === '' || value === null) continue;
		const text = typeof value === 'object' && 'toISO' in (value as object) ? String((value as { toISO: () => string }).toISO()) : String(value);
		if (Number.isNaN(Date.parse(text))) throw fieldError(ctx, itemIndex, label, `is not a date and time ("${text}")`);
		qs[name] = text;
	}
	if (filters.taskDemand === true) qs.taskDemand = true;
	if (filters.mappingToUserKey === true) qs.mappingToUserKey = true;
	if (filters.orderBy) qs.orderBy = filters.orderBy;
	const fields = (ctx.getNodeParameter('fields', itemIndex, []) as string[]) ?? [];
	if (fields.length) {
		const joined = fields.join(',');
		if (joined.length > 256) throw fieldError(ctx, itemIndex, 'Fields', 'selects more than fits in 256 characters');
		qs.fields = joined;
	}
	return qs;
}

const MAX_PAGE_SIZE = 100;

/** GetPage through `page`/`pageSize` until the limit, the total or an empty page is reached. */
export async function getMany(
	ctx: IExecuteFunctions,
	itemIndex: number,
	client: ApiClient,
	qs: IDataObject = buildGetPageQuery(ctx, itemIndex),
): Promise<IDataObject[]> {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: (checkInteger(ctx, itemIndex, ctx.getNodeParameter('limit', itemIndex, 50), { label: 'Limit', min: 1 }) ?? 50);
	const pageSize = Math.min(MAX_PAGE_SIZE, limit);
	const rows: IDataObject[] = [];
	for (let page = 0; rows.length < limit; page++) {
		const payload = (await client.send(
			{
				method: 'GET',
				url: '/v2/houseTask/GetPage',
				qs: { ...qs, page, pageSize },
				arrayFormat: 'repeat',
				json: true,
			},
			{ itemIndex, idempotent: true },
		)) as IDataObject | undefined;
		const pageRows = (payload?.rows as IDataObject[] | undefined) ?? [];
		rows.push(...pageRows);
		const total = Number(payload?.total ?? 0);
		if (pageRows.length === 0 || pageRows.length < pageSize || rows.length >= total) break;
	}
	return rows.slice(0, limit === Infinity ? undefined : limit);
}
