import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, houseTaskIdField, packageIdField } from './spec';

export const spec: OperationSpec = {
	value: 'delegate',
	name: 'Delegate to 123',
	action: 'Delegate making a house to 123kanfang',
	description: 'Hand a house you would have made yourself to 123kanfang to make (AssignToVrtours3d)',
	method: 'POST',
	path: '/v2/houseTask/AssignToVrtours3d',
	idempotent: false,
	// A house you would make yourself, uploaded and not yet made (HouseTask/README.md: 上传后).
	pickable: { stateStart: 20000, stateEnd: 45000 },
	identifyBy: [
		houseTaskIdField(),
		packageIdField(64),
	],
	fields: [],
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
