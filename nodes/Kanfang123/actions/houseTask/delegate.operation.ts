import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties } from './spec';

export const spec: OperationSpec = {
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
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
