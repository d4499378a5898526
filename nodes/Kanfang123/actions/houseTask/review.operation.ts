import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, packageIdField, REVIEW_RESULTS } from './spec';

export const spec: OperationSpec = {
	value: 'review',
	name: 'Review',
	action: 'Review a finished house',
	description: 'Give your review result for a house that 123kanfang has finished (CustomerAssignReviewResult)',
	method: 'POST',
	path: '/v2/houseTask/CustomerAssignReviewResult',
	idempotent: false,
	// The customer reviews a house in "Customer review in progress" (客户审核中).
	pickable: { status: [45000] },
	fields: [
		packageIdField(),
		{
			name: 'reviewResult',
			displayName: 'Review Result',
			description: 'Your decision',
			kind: 'options',
			required: true,
			options: REVIEW_RESULTS,
			default: '0',
		},
		{ name: 'comments', displayName: 'Comments', description: 'A remark (at most 128 characters)', kind: 'string', maxLength: 128 },
	],
};

/** No API call withdraws a review decision (approve, redo, cancel production). */
export const irreversible = true;

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
