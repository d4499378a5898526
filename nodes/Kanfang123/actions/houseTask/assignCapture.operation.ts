import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError, vendorCodeOf } from '../../../shared/errors';
import type { ItemResult, SendContext } from '../../../shared/runner';
import { withStateNames } from '../../helpers/states';
import type { Kanfang123Transport } from '../../transport';
import type { SpecCall } from './common';
import { buildForm, execute as send } from './common';
import { spec as getWorking } from './getWorking.operation';
import type { OperationSpec } from './spec';
import { customerHouseIdField, fieldProperties, photographerField } from './spec';

export const spec: OperationSpec = {
	value: 'assignCapture',
	name: 'Assign Capture Task',
	action: 'Assign a capture task to a photographer',
	description:
		'Create a capture task for one of your photographers (AssignNewCaptureHouseTask). While a task for the same Customer House ID is open, nothing is created: the node returns that task, marked created: false and existingTask: true, with the reason.',
	method: 'POST',
	path: '/v2/houseTask/AssignNewCaptureHouseTask',
	idempotent: true,
	fields: [
		photographerField(
			"The photographer's unique ID in your organisation (staff number, phone or email). 123kanfang creates the account on first use.",
		),
		{ name: 'houseName', displayName: 'House Name', description: 'Name of the listing', kind: 'string', required: true, maxLength: 128 },
		customerHouseIdField(),
		{ name: 'serviceId', displayName: 'Service ID', description: 'Your service ID at 123kanfang', kind: 'string', required: true, maxLength: 32 },
		{
			name: 'additionalData',
			displayName: 'Additional Data (JSON)',
			description: 'Non-standard extra data, as JSON (at most 1024 characters)',
			kind: 'json',
			maxLength: 1024,
		},
		{ name: 'cityId', displayName: 'City ID', description: 'Your city ID', kind: 'string', maxLength: 32 },
		{ name: 'houseType', displayName: 'House Type', description: 'Your listing type', kind: 'string', maxLength: 32 },
		{ name: 'layout', displayName: 'Layout', description: 'Room layout, e.g. 3室2厅1卫', kind: 'string', maxLength: 64 },
	],
};

export const description = fieldProperties(spec);

export function prepare(this: IExecuteFunctions, itemIndex: number): SpecCall {
	return { spec, form: buildForm(this, itemIndex, spec) };
}

/**
 * Executions that already carry the open-task hint: one hint per run, not one per item. Weak:
 * an entry goes with its execution context, so this holds nothing once the run is over.
 */
const hinted = new WeakSet<object>();

/**
 * 123kanfang refuses a new capture task while another of the same Customer House ID is open
 * (GetWorkingTaskByCustomerHouseId.md). So a retry after a lost answer — the first call created
 * the task — would fail. On that refusal (state 403 inside 123kanfang's own JSON envelope; an
 * HTTP 403 page of a proxy or firewall is not one) the open task is looked up and returned,
 * marked `created: false`, `existingTask: true` with the refusal as `reason`, and an execution
 * hint says so. A new task is marked `created: true`, `existingTask: false`. With no open task
 * the refusal is the error.
 */
export async function execute(
	this: SendContext,
	transport: Kanfang123Transport,
	call: SpecCall,
	itemIndex: number,
): Promise<ItemResult> {
	let refusal: NodeApiError;
	try {
		const created = (await send.call(this, transport, call, itemIndex)) as IDataObject;
		return { ...created, created: true, existingTask: false };
	} catch (error) {
		if (!(error instanceof NodeApiError) || vendorCodeOf(error) !== 403) throw asNodeError(this.getNode(), error, itemIndex);
		refusal = error;
	}
	const open = await transport.request(
		{ method: 'GET', url: getWorking.path, qs: { customerHouseId: call.form.customerHouseId }, json: true },
		{ itemIndex, idempotent: true },
	);
	const task = Array.isArray(open) ? (open as IDataObject[]).find((row) => row && typeof row === 'object') : undefined;
	if (!task) throw refusal;
	if (!hinted.has(this)) {
		hinted.add(this);
		this.addExecutionHints({
			message:
				'Some items created no capture task: their Customer House ID already has an open task, which is returned instead (created: false, existingTask: true, see "reason"). It may belong to another photographer.',
			location: 'outputPane',
		});
	}
	return {
		...withStateNames(task, ['taskState', 'state']),
		created: false,
		existingTask: true,
		reason: `No task was created: 123kanfang refused a new capture task because this Customer House ID already has an open task (returned here; it may be another photographer's, or one an earlier attempt created). ${refusal.message}`,
	};
}
