import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties } from './spec';

export const spec: OperationSpec = {
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
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
