import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, packageIdField } from './spec';

export const spec: OperationSpec = {
	value: 'push',
	name: 'Push Package',
	action: 'Push a package to a platform',
	description:
		'Request a push of the data package to Anjuke, your own ERP or another platform configured at 123kanfang (AddNewNotifyTaskByPackageID)',
	method: 'POST',
	path: '/v2/houseTask/AddNewNotifyTaskByPackageID',
	idempotent: false,
	fields: [
		packageIdField(),
		{
			name: 'notifyconfigId',
			displayName: 'Notify Config ID',
			description: 'The push configuration ID (ask 123kanfang for it)',
			kind: 'string',
			required: true,
			maxLength: 32,
		},
		{
			name: 'forcePush',
			displayName: 'Force Push',
			description:
				'Whether to push again a package that was already pushed. Only for real re-pushes: 123kanfang may block accounts that overuse it.',
			kind: 'boolean',
			default: false,
			hint: '123kanfang may block accounts that push too often: turn this on only to push a package again on purpose',
		},
		{
			name: 'payload',
			displayName: 'Payload',
			description: 'Extra data for the push task, usually JSON (at most 255 characters)',
			kind: 'string',
			maxLength: 255,
		},
	],
};

/** A push hands the package to another platform; no API call withdraws it. */
export const irreversible = true;

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
