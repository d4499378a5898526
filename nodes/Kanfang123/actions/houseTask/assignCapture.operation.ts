import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { customerHouseIdField, fieldProperties, photographerField } from './spec';

export const spec: OperationSpec = {
	value: 'assignCapture',
	name: 'Assign Capture Task',
	action: 'Assign a capture task to a photographer',
	description:
		'Create a capture task for one of your photographers (AssignNewCaptureHouseTask). While a task for the same Customer House ID is open, 123kanfang returns that same task.',
	method: 'POST',
	path: '/v2/houseTask/AssignNewCaptureHouseTask',
	idempotent: true,
	fields: [
		photographerField(
			"The photographer's unique ID in your organisation (staff number, phone or email). 123kanfang creates the account on first use.",
		),
		{ name: 'houseName', displayName: 'House Name', description: 'Name of the listing', kind: 'string', required: true, maxLength: 128 },
		customerHouseIdField(),
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
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
