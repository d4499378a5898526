import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, packageIdField } from './spec';

export const spec: OperationSpec = {
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
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
