import type { INodeProperties } from 'n8n-workflow';

import { operationProperty } from '../../../shared/description';
import * as assignCapture from './assignCapture.operation';
import * as cancelCapture from './cancelCapture.operation';
import * as delegate from './delegate.operation';
import * as downloadPackage from './downloadPackage.operation';
import * as finish from './finish.operation';
import * as getMany from './getMany.operation';
import * as getWorking from './getWorking.operation';
import * as push from './push.operation';
import * as retire from './retire.operation';
import * as review from './review.operation';
import * as setAnjukeNumber from './setAnjukeNumber.operation';
import * as setFangTianXiaInfo from './setFangTianXiaInfo.operation';
import * as updateCustomerHouseId from './updateCustomerHouseId.operation';

/** The spec'd operations (one checked form each), in the order their fields are listed. */
const specOperations = [
	assignCapture,
	setAnjukeNumber,
	getWorking,
	cancelCapture,
	review,
	retire,
	updateCustomerHouseId,
	delegate,
	finish,
	push,
	setFangTianXiaInfo,
];

export const specs = specOperations.map((operation) => operation.spec);

export const operations = {
	...Object.fromEntries(specOperations.map((operation) => [operation.spec.value, operation])),
	getMany,
	downloadPackage,
};

const downloadPackageOption = {
	name: 'Download Package',
	value: 'downloadPackage',
	action: 'Download a finished data package',
	description: 'Download the package a Package Ready notice names, checking its MD5 (no 123kanfang call)',
};

const getManyOption = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many house tasks',
	description: 'List house tasks with filters and field selection (GetPage)',
};

/** Operation value → its name, for the node's subtitle. */
export const operationNames: Record<string, string> = Object.fromEntries(
	[...specs, getManyOption, downloadPackageOption].map(({ value, name }) => [value, name]),
);

export const description: INodeProperties[] = [
	operationProperty(
		'houseTask',
		[
			...specs.map(({ name, value, action, description }) => ({ name, value, action, description })),
			getManyOption,
			downloadPackageOption,
		],
		'assignCapture',
	),
	...specOperations.flatMap((operation) => operation.description),
	...getMany.description,
	...downloadPackage.description,
];
