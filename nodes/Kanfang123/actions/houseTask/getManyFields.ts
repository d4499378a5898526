import type { INodeProperties } from 'n8n-workflow';

import { KANFANG123_TASK_STATE_CODES, KANFANG123_TASK_STATES, NOTIFY_RESULTS } from '../../helpers/states';

/** The parameters of Get Many (GetPage): Return All, Limit, Filters and Fields. */

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
/** The columns GetPage returns when `fields` is not sent (marked "默认" in GetPage.md). */
export const DEFAULT_FIELDS = SELECT_FIELDS.slice(0, 14);
const SLOW_FIELDS = new Set(['Comments', 'NotifyResult', 'UserName']);

/** The Notify Result filter's codes: -1 (no capture task) and those of NOTIFY_RESULTS. */
export const NOTIFY_RESULT_CODES = ['-1', ...Object.keys(NOTIFY_RESULTS)];

/** Text filters: API name, label, length limit, description. */
export const TEXT_FILTERS: Array<[string, string, number, string]> = [
	['billOwnerId', 'Bill Owner ID', 32, 'Exact match'],
	['customerHouseId', 'Customer House ID', 32, 'Exact match'],
	['houseName', 'House Name', 32, 'Fuzzy match (slow at 123kanfang)'],
	['path', 'User Path', 64, "Houses of users whose path starts with this"],
	['searchKey', 'Search Key', 32, 'Fuzzy match on Customer House ID and house name (slow)'],
	['serviceId', 'Service ID', 32, 'Exact match'],
	['showNotifyType', 'Notify Type', 32, 'Which push result Notify Result refers to (default: your own). The node adds the NotifyResult column it needs to Fields.'],
	['userId', 'Photographer User ID', 32, 'Exact match'],
	['userName', 'Photographer User Name', 32, 'Fuzzy match'],
];

export const description: INodeProperties[] = [
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
				description: 'Only tasks created at or after this time (createStart). In 123kanfang\'s own time (China, UTC+8): a picked time is sent as picked, one with an offset is converted.',
			},
			{
				displayName: 'Created Before',
				name: 'createEnd',
				type: 'dateTime',
				default: '',
				description: 'Only tasks created at or before this time (createEnd). In 123kanfang\'s own time (China, UTC+8): a picked time is sent as picked, one with an offset is converted.',
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
				description: 'Only tasks last modified at or after this time (modifyStart). In 123kanfang\'s own time (China, UTC+8): a picked time is sent as picked, one with an offset is converted.',
			},
			{
				displayName: 'Modified Before',
				name: 'modifyEnd',
				type: 'dateTime',
				default: '',
				description: 'Only tasks last modified at or before this time (modifyEnd). In 123kanfang\'s own time (China, UTC+8): a picked time is sent as picked, one with an offset is converted.',
			},
			{
				displayName: 'Notify Result',
				name: 'notifyResult',
				type: 'options',
				default: '',
				description:
					'Push result. 123kanfang applies it only with the NotifyResult column selected, so the node adds NotifyResult to Fields (and to the default columns when none are picked).',
				options: [
					{ name: 'Any', value: '' },
					...NOTIFY_RESULT_CODES.map((code) => ({
						name: code === '-1' ? 'No Capture Task (-1)' : `${NOTIFY_RESULTS[Number(code)]} (${code})`,
						value: code,
					})),
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
