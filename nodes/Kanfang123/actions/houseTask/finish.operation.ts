import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, packageIdField } from './spec';

/**
 * FinishHouseTask: for customers who make the 3D model themselves (HouseTask/README.md,
 * "提交房源制作完成 [可选]"): report a package's model finished, or that it cannot be made.
 *
 * Not retried after a time-out or reset once sent (idempotent: false): it moves the task to a
 * final state, and 123kanfang documents no answer for a second report on a finished task.
 */
export const spec: OperationSpec = {
	value: 'finish',
	name: 'Finish House Task',
	action: 'Report a house model as finished',
	description:
		'For customers who make the 3D model themselves: report that the model of a package is finished, or that it cannot be made (FinishHouseTask)',
	method: 'POST',
	path: '/v2/houseTask/FinishHouseTask',
	idempotent: false,
	// After upload and before the model is done (HouseTask/README.md: 上传后).
	pickable: { stateStart: 20000, stateEnd: 45000 },
	fields: [
		packageIdField(128, 'ID of the data package whose model you made'),
		{
			name: 'isFinished',
			displayName: 'Finished',
			description: 'Whether the model is finished (on) or cannot be made (off)',
			kind: 'boolean',
			required: true,
			default: true,
		},
		{
			name: 'comments',
			displayName: 'Comments',
			description: 'Why the model cannot be made (when Finished is off)',
			kind: 'string',
		},
	],
};

/** The task moves to a final state (Completed or Production failed); no API call reopens it. */
export const irreversible = true;

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
