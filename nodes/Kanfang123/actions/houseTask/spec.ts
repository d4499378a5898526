import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { TaskIdKind } from './locator';
import { taskLocator } from './locator';

/**
 * Most 123kanfang calls are one form (or query) of checked fields: each such operation is a
 * spec — its fields, path and method — from which its node parameters are built here and its
 * form is read in `common.ts`.
 */

/**
 * One form field of a 123kanfang call: how it looks in the node and how it is checked and
 * sent. `name` is the API's form field name and the node parameter name.
 */
export interface FieldSpec {
	name: string;
	displayName: string;
	description: string;
	/** 'locator': an ID of an existing task, picked "From List" or given "By ID" (a resource locator). */
	kind: 'string' | 'json' | 'boolean' | 'options' | 'locator';
	/** Locators: which ID of the task the field holds. */
	locator?: TaskIdKind;
	required?: boolean;
	maxLength?: number;
	options?: INodePropertyOptions[];
	default?: string | boolean | number;
	placeholder?: string;
	/** Shown under the field in the editor. */
	hint?: string;
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
	/**
	 * GetPage filters for the tasks this operation can act on, where the vendor docs say so:
	 * what its "From List" offers. Without it the list offers every task.
	 */
	pickable?: IDataObject;
}

export const packageIdField = (maxLength = 128, description = 'ID of the data package'): FieldSpec => ({
	name: 'packageId',
	displayName: 'Package ID',
	description,
	kind: 'locator',
	locator: 'packageId',
	required: true,
	maxLength,
});

/** A required text field with a length limit (most 123kanfang fields). */
export const requiredText = (name: string, displayName: string, description: string, maxLength: number): FieldSpec => ({
	name,
	displayName,
	description,
	kind: 'string',
	required: true,
	maxLength,
});

export const customerHouseIdField = (displayName = 'Customer House ID', description = 'Your own ID of the listing') =>
	requiredText('customerHouseId', displayName, description, 64);

/** The Customer House ID of an existing task (a locator; new tasks take `customerHouseIdField`). */
export const customerHouseIdLocator = (): FieldSpec => ({
	...customerHouseIdField('Customer House ID', 'Your own ID of the listing whose task this is'),
	kind: 'locator',
	locator: 'customerHouseId',
});

export const photographerField = (description: string) =>
	requiredText('userName', 'Photographer User Name', description, 32);

export const houseTaskIdField = (): FieldSpec => ({
	...requiredText('houseTaskId', 'House Task ID', 'ID of the house task', 32),
	kind: 'locator',
	locator: 'houseTaskId',
});

export const REVIEW_RESULTS: INodePropertyOptions[] = [
	{ name: 'Approve (0)', value: '0', description: 'The model is accepted' },
	{ name: 'Redo (1)', value: '1', description: 'Send it back to be made again' },
	{ name: 'Cancel Production (2)', value: '2', description: 'Stop making it' },
	{ name: 'Cannot Be Made, Reshoot (3)', value: '3', description: 'Needs another capture' },
];

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
			hint: field.hint,
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
			case 'locator':
				return { ...base, ...taskLocator(field.locator!, field.displayName, field.maxLength!), displayOptions };
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
