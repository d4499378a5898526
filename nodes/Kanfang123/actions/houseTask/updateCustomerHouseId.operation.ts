import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { customerHouseIdField, fieldProperties, houseTaskIdField, packageIdField } from './spec';

export const spec: OperationSpec = {
	value: 'updateCustomerHouseId',
	name: 'Update Customer House ID',
	action: 'Update the customer house ID of a package',
	description: 'Bind a package to a new Customer House ID (UpdateCustomerHouseId)',
	method: 'POST',
	path: '/v2/houseTask/UpdateCustomerHouseId',
	idempotent: true,
	identifyBy: [
		packageIdField(),
		houseTaskIdField(),
	],
	fields: [
		customerHouseIdField('New Customer House ID', 'The Customer House ID to bind'),
	],
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
