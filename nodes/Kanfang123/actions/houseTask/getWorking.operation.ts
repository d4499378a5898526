import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { customerHouseIdLocator, fieldProperties } from './spec';

export const spec: OperationSpec = {
	value: 'getWorking',
	name: 'Get Working Tasks',
	action: 'Get the open tasks of a customer house ID',
	description:
		'List the unfinished tasks of a Customer House ID (GetWorkingTaskByCustomerHouseId). Use it before assigning: no new capture task can be created while one is open.',
	method: 'GET',
	path: '/v2/houseTask/GetWorkingTaskByCustomerHouseId',
	idempotent: true,
	list: true,
	// Unfinished tasks (未完结): from Waiting for capture to Customer review in progress.
	pickable: { stateStart: 9000, stateEnd: 45000 },
	fields: [
		customerHouseIdLocator(),
	],
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
