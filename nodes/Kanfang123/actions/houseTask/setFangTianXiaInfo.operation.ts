import type { IExecuteFunctions } from 'n8n-workflow';

import type { SpecCall } from './common';
import { buildForm } from './common';
import type { OperationSpec } from './spec';
import { fieldProperties, packageIdField } from './spec';

export const spec: OperationSpec = {
	value: 'setFangTianXiaInfo',
	name: 'Set FangTianXia Info',
	action: 'Set the FangTianXia info of a package',
	description: 'Set the FangTianXia (房天下) listing data, required before pushing to FangTianXia (PutFangtianxiaInfo)',
	method: 'POST',
	path: '/v2/houseTask/PutFangtianxiaInfo',
	idempotent: true,
	fields: [
		packageIdField(),
		{
			name: 'communityName',
			displayName: 'Community Name',
			description: 'Name of the residential community (小区) on FangTianXia',
			kind: 'string',
			required: true,
			maxLength: 128,
		},
		{ name: 'houseId', displayName: 'FangTianXia House ID', description: 'The listing ID on FangTianXia', kind: 'string', maxLength: 64 },
		{
			name: 'purposeType',
			displayName: 'Purpose Type',
			description: 'Kind of property',
			kind: 'options',
			options: [
				{ name: 'House (住宅)', value: 'House' },
				{ name: 'Office (写字楼)', value: 'Office' },
				{ name: 'Shop (商铺)', value: 'Shop' },
				{ name: 'Villa (别墅)', value: 'Villa' },
			],
			default: 'House',
		},
	],
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

export { execute } from './common';
