import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * One form field of a 123kanfang call: how it looks in the node and how it is checked and
 * sent. `name` is the API's form field name and the node parameter name.
 */
export interface FieldSpec {
	name: string;
	displayName: string;
	description: string;
	kind: 'string' | 'json' | 'boolean' | 'options';
	required?: boolean;
	maxLength?: number;
	options?: INodePropertyOptions[];
	default?: string | boolean | number;
	placeholder?: string;
}

export interface OperationSpec {
	value: string;
	name: string;
	action: string;
	description: string;
	method: 'GET' | 'POST';
	path: string;
	/** Safe to send twice (the vendor documents the same result for a repeat). */
	idempotent: boolean;
	fields: FieldSpec[];
	/** List calls: the payload is an array and becomes one item per element. */
	list?: boolean;
	/** Alternative identifiers: the user picks one ("Identify By"). */
	identifyBy?: FieldSpec[];
}

export const packageIdField = (maxLength = 128, description = 'ID of the data package'): FieldSpec => ({
	name: 'packageId',
	displayName: 'Package ID',
	description,
	kind: 'string',
	required: true,
	maxLength,
});

export const REVIEW_RESULTS: INodePropertyOptions[] = [
	{ name: 'Approve (0)', value: '0', description: 'The model is accepted' },
	{ name: 'Redo (1)', value: '1', description: 'Send it back to be made again' },
	{ name: 'Cancel Production (2)', value: '2', description: 'Stop making it' },
	{ name: 'Cannot Be Made, Reshoot (3)', value: '3', description: 'Needs another capture' },
];

export const operations: OperationSpec[] = [
	{
		value: 'assignCapture',
		name: 'Assign Capture Task',
		action: 'Assign a capture task to a photographer',
		description:
			'Create a capture task for one of your photographers (AssignNewCaptureHouseTask). While a task for the same Customer House ID is open, 123kanfang returns that same task.',
		method: 'POST',
		path: '/v2/houseTask/AssignNewCaptureHouseTask',
		idempotent: true,
		fields: [
			{
				name: 'userName',
				displayName: 'Photographer User Name',
				description:
					"The photographer's unique ID in your organisation (staff number, phone or email). 123kanfang creates the account on first use.",
				kind: 'string',
				required: true,
				maxLength: 32,
			},
			{ name: 'houseName', displayName: 'House Name', description: 'Name of the listing', kind: 'string', required: true, maxLength: 128 },
			{
				name: 'customerHouseId',
				displayName: 'Customer House ID',
				description: 'Your own ID of the listing',
				kind: 'string',
				required: true,
				maxLength: 64,
			},
			{ name: 'serviceId', displayName: 'Service ID', description: 'Your service ID at 123kanfang', kind: 'string', required: true, maxLength: 32 },
			{
				name: 'additionalData',
				displayName: 'Additional Data (JSON)',
				description: 'Non-standard extra data, as JSON (at most 1024 characters)',
				kind: 'json',
				maxLength: 1024,
			},
			{ name: 'cityId', displayName: 'City ID', description: 'Your city ID', kind: 'string', maxLength: 32 },
			{ name: 'houseType', displayName: 'House Type', description: 'Your listing type', kind: 'string', maxLength: 32 },
			{ name: 'layout', displayName: 'Layout', description: 'Room layout, e.g. 3室2厅1卫', kind: 'string', maxLength: 64 },
		],
	},
	{
		value: 'setAnjukeNumber',
		name: 'Set Anjuke Number',
		action: 'Set the Anjuke store number of a package',
		description:
			'Set the number of the listing in the Anjuke online store, required before pushing the panorama package to Anjuke (putAnjukeBianHao)',
		method: 'POST',
		path: '/v2/houseTask/putAnjukeBianHao',
		idempotent: true,
		fields: [
			packageIdField(),
			{
				name: 'anjukeBianHao',
				displayName: 'Anjuke Number',
				description: 'The listing number (编号) in the Anjuke online store',
				kind: 'string',
				required: true,
				maxLength: 128,
			},
		],
	},
	{
		value: 'getWorking',
		name: 'Get Working Tasks',
		action: 'Get the open tasks of a customer house ID',
		description:
			'List the unfinished tasks of a Customer House ID (GetWorkingTaskByCustomerHouseId). Use it before assigning: no new capture task can be created while one is open.',
		method: 'GET',
		path: '/v2/houseTask/GetWorkingTaskByCustomerHouseId',
		idempotent: true,
		list: true,
		fields: [
			{
				name: 'customerHouseId',
				displayName: 'Customer House ID',
				description: 'Your own ID of the listing',
				kind: 'string',
				required: true,
				maxLength: 64,
			},
		],
	},
	{
		value: 'cancelCapture',
		name: 'Cancel Capture Task',
		action: 'Cancel a capture task',
		description: 'Cancel a capture task assigned to one of your photographers (CancelCaptureHouseTask)',
		method: 'POST',
		path: '/v2/houseTask/CancelCaptureHouseTask',
		idempotent: false,
		fields: [
			{
				name: 'userName',
				displayName: 'Photographer User Name',
				description: "The photographer's unique ID in your organisation",
				kind: 'string',
				required: true,
				maxLength: 32,
			},
			{
				name: 'customerHouseId',
				displayName: 'Customer House ID',
				description: 'Your own ID of the listing',
				kind: 'string',
				required: true,
				maxLength: 64,
			},
		],
	},
	{
		value: 'review',
		name: 'Review',
		action: 'Review a finished house',
		description: 'Give your review result for a house that 123kanfang has finished (CustomerAssignReviewResult)',
		method: 'POST',
		path: '/v2/houseTask/CustomerAssignReviewResult',
		idempotent: false,
		fields: [
			packageIdField(),
			{
				name: 'reviewResult',
				displayName: 'Review Result',
				description: 'Your decision',
				kind: 'options',
				required: true,
				options: REVIEW_RESULTS,
				default: '0',
			},
			{ name: 'comments', displayName: 'Comments', description: 'A remark (at most 128 characters)', kind: 'string', maxLength: 128 },
		],
	},
	{
		value: 'retire',
		name: 'Retire',
		action: 'Retire a house task',
		description:
			'Retire (discard) a finished, unmakeable or abnormal house. This cannot be undone (RetireHouseTask).',
		method: 'POST',
		path: '/v2/houseTask/RetireHouseTask',
		idempotent: false,
		fields: [
			packageIdField(128, 'The packageId of the model data package'),
			{ name: 'comment', displayName: 'Comment', description: 'Why it is retired', kind: 'string', maxLength: 1024 },
		],
	},
	{
		value: 'updateCustomerHouseId',
		name: 'Update Customer House ID',
		action: 'Update the customer house ID of a package',
		description: 'Bind a package to a new Customer House ID (UpdateCustomerHouseId)',
		method: 'POST',
		path: '/v2/houseTask/UpdateCustomerHouseId',
		idempotent: true,
		identifyBy: [
			{ name: 'packageId', displayName: 'Package ID', description: 'ID of the data package', kind: 'string', required: true, maxLength: 128 },
			{ name: 'houseTaskId', displayName: 'House Task ID', description: 'ID of the house task', kind: 'string', required: true, maxLength: 32 },
		],
		fields: [
			{
				name: 'customerHouseId',
				displayName: 'New Customer House ID',
				description: 'The Customer House ID to bind',
				kind: 'string',
				required: true,
				maxLength: 64,
			},
		],
	},
	{
		value: 'delegate',
		name: 'Delegate to 123',
		action: 'Delegate making a house to 123kanfang',
		description: 'Hand a house you would have made yourself to 123kanfang to make (AssignToVrtours3d)',
		method: 'POST',
		path: '/v2/houseTask/AssignToVrtours3d',
		idempotent: false,
		identifyBy: [
			{ name: 'houseTaskId', displayName: 'House Task ID', description: 'ID of the house task', kind: 'string', required: true, maxLength: 32 },
			{ name: 'packageId', displayName: 'Package ID', description: 'ID of the data package', kind: 'string', required: true, maxLength: 64 },
		],
		fields: [],
	},
	{
		value: 'push',
		name: 'Push Package',
		action: 'Push a package to a platform',
		description:
			'Request a push of the data package to Anjuke, your own ERP or another platform configured at 123kanfang (AddNewNotifyTaskByPackageID)',
		method: 'POST',
		path: '/v2/houseTask/AddNewNotifyTaskByPackageID',
		idempotent: false,
		fields: [
			packageIdField(),
			{
				name: 'notifyconfigId',
				displayName: 'Notify Config ID',
				description: 'The push configuration ID (ask 123kanfang for it)',
				kind: 'string',
				required: true,
				maxLength: 32,
			},
			{
				name: 'forcePush',
				displayName: 'Force Push',
				description:
					'Whether to push again a package that was already pushed. Only for real re-pushes: 123kanfang may block accounts that overuse it.',
				kind: 'boolean',
				default: false,
			},
			{
				name: 'payload',
				displayName: 'Payload',
				description: 'Extra data for the push task, usually JSON (at most 255 characters)',
				kind: 'string',
				maxLength: 255,
			},
		],
	},
	{
		value: 'setFangTianXiaInfo',
		name: 'Set FangTianXia Info',
		action: 'Set the FangTianXia info of a package',
		description: 'Set the FangTianXia (房天下) listing data, required before pushing to FangTianXia (PutFangtianxiaInfo)',
		method: 'POST',
		path: '/v2/houseTask/PutFangtianxiaInfo',
		idempotent: true,
		fields: [
			packageIdField(),
			{
				name: 'communityName',
				displayName: 'Community Name',
				description: 'Name of the residential community (小区) on FangTianXia',
				kind: 'string',
				required: true,
				maxLength: 128,
			},
			{ name: 'houseId', displayName: 'FangTianXia House ID', description: 'The listing ID on FangTianXia', kind: 'string', maxLength: 64 },
			{
				name: 'purposeType',
				displayName: 'Purpose Type',
				description: 'Kind of property',
				kind: 'options',
				options: [
					{ name: 'House (住宅)', value: 'House' },
					{ name: 'Office (写字楼)', value: 'Office' },
					{ name: 'Shop (商铺)', value: 'Shop' },
					{ name: 'Villa (别墅)', value: 'Villa' },
				],
				default: 'House',
			},
		],
	},
];

export const operationByValue = new Map(operations.map((op) => [op.value, op]));

/** Build the node parameters of a spec'd operation: required fields, Identify By, Additional Fields. */
export function fieldProperties(op: OperationSpec): INodeProperties[] {
	const show = { show: { resource: ['houseTask'], operation: [op.value] } };
	const properties: INodeProperties[] = [];
	const toProperty = (field: FieldSpec, extraShow?: Record<string, string[]>): INodeProperties => {
		const base = {
			displayName: field.displayName,
			name: field.name,
			description: field.description,
			placeholder: field.placeholder,
			default: '',
		};
		const displayOptions = extraShow ? { show: { ...show.show, ...extraShow } } : show;
		switch (field.kind) {
			case 'boolean':
				return { ...base, type: 'boolean', default: field.default ?? false, displayOptions };
			case 'options':
				return { ...base, type: 'options', options: field.options ?? [], default: field.default ?? '', displayOptions };
			case 'json':
				return { ...base, type: 'json', default: '', displayOptions };
			default:
				return { ...base, type: 'string', default: '', required: field.required, displayOptions };
		}
	};

	if (op.identifyBy) {
		const firstChoice = op.identifyBy[0].name;
		properties.push({
			displayName: 'Identify By',
			name: 'identifyBy',
			type: 'options',
			noDataExpression: true,
			options: op.identifyBy.map((f) => ({ name: f.displayName, value: f.name })),
			default: firstChoice,
			description: 'Which ID to give; 123kanfang accepts either',
			displayOptions: show,
		});
		for (const field of op.identifyBy) properties.push(toProperty(field, { identifyBy: [field.name] }));
	}
	const required = op.fields.filter((f) => f.required);
	const optional = op.fields.filter((f) => !f.required);
	for (const field of required) properties.push(toProperty(field));
	if (optional.length) {
		properties.push({
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: show,
			options: optional
				.map((field) => {
					const property = toProperty(field);
					delete property.displayOptions;
					delete property.required;
					return property;
				})
				.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		});
	}
	return properties;
}
