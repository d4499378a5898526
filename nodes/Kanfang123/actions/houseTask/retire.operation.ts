import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, packageIdField } from './spec';

export const spec: OperationSpec = {
	value: 'retire',
	name: 'Retire',
	action: 'Retire a house task',
	description:
		'Retire (discard) a finished, unmakeable or abnormal house. This cannot be undone (RetireHouseTask).',
	method: 'POST',
	path: '/v2/houseTask/RetireHouseTask',
	idempotent: false,
	fields: [
		packageIdField(128, 'The packageId of the model data package'),
		{ name: 'comment', displayName: 'Comment', description: 'Why it is retired', kind: 'string', maxLength: 1024 },
	],
};

/** Retired houses cannot be restored (RetireHouseTask.md). */
export const irreversible = true;

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
