import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { customerHouseIdLocator, fieldProperties, photographerField } from './spec';

export const spec: OperationSpec = {
	value: 'cancelCapture',
	name: 'Cancel Capture Task',
	action: 'Cancel a capture task',
	description: 'Cancel a capture task assigned to one of your photographers (CancelCaptureHouseTask)',
	method: 'POST',
	path: '/v2/houseTask/CancelCaptureHouseTask',
	idempotent: false,
	// A capture task is cancelled before it is captured (HouseTask/README.md: 拍摄前).
	pickable: { status: [9000] },
	fields: [
		photographerField("The photographer's unique ID in your organisation"),
		customerHouseIdLocator(),
	],
};

/** No API call restores a cancelled capture task (a new capture needs a new task). */
export const irreversible = true;

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
