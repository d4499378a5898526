import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { isResourceLocatorValue } from 'n8n-workflow';

import type { ItemResult, SendContext } from '../../../shared/runner';
import { checkBoolean, checkChoice, checkJsonText, checkString, fieldError } from '../../../shared/validation';
import { formEncode } from '../../helpers/form';
import { withStateNames } from '../../helpers/states';
import type { Kanfang123Transport } from '../../transport';
import type { FieldSpec, OperationSpec } from './spec';

/** A spec'd operation's call for one item: its spec and the checked form (or query). */
export interface SpecCall {
	spec: OperationSpec;
	form: IDataObject;
}

function readField(ctx: IExecuteFunctions, itemIndex: number, field: FieldSpec, source: IDataObject | undefined) {
	// A locator's ID, whichever mode (or a plain string saved before the field was a locator).
	const options = field.kind === 'locator' ? { extractValue: true } : undefined;
	let raw = source ? source[field.name] : ctx.getNodeParameter(field.name, itemIndex, field.default ?? '', options);
	// The editor keeps a value when the operation changes: a Customer House ID picked in a
	// locator (Cancel Capture Task) stays an object when the user switches to Assign Capture Task.
	if (isResourceLocatorValue(raw)) raw = raw.value;
	switch (field.kind) {
		case 'boolean':
			return checkBoolean(ctx, itemIndex, raw, field.displayName);
		case 'json':
			return checkJsonText(ctx, itemIndex, raw, { label: field.displayName, maxLength: field.maxLength });
		case 'options':
			if (raw === undefined || raw === null || raw === '') return undefined;
			return checkChoice(ctx, itemIndex, raw, {
				label: field.displayName,
				allowed: (field.options ?? []).map((o) => String(o.value)),
			});
		default:
			return checkString(ctx, itemIndex, raw, {
				label: field.displayName,
				required: field.required,
				maxLength: field.maxLength,
			});
	}
}

/** Read and check every field of an operation; returns the form body or query. */
export function buildForm(ctx: IExecuteFunctions, itemIndex: number, op: OperationSpec): IDataObject {
	const form: IDataObject = {};
	if (op.identifyBy) {
		const by = ctx.getNodeParameter('identifyBy', itemIndex, op.identifyBy[0].name) as string;
		const field = op.identifyBy.find((f) => f.name === by);
		if (!field) throw fieldError(ctx, itemIndex, 'Identify By', `has an unknown value "${by}"`);
		form[field.name] = readField(ctx, itemIndex, field, undefined);
	}
	const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	for (const field of op.fields) {
		const value = readField(ctx, itemIndex, field, field.required ? undefined : additional);
		if (value === undefined) {
			// Text fields report their own emptiness; a required choice left empty lands here.
			if (field.required) throw fieldError(ctx, itemIndex, field.displayName, 'is required but empty');
			continue;
		}
		form[field.name] = value;
	}
	return form;
}

function shapeOutput(op: OperationSpec, payload: unknown, sent: IDataObject): ItemResult {
	if (op.list) {
		const list = Array.isArray(payload) ? payload : payload === undefined || payload === null ? [] : [payload];
		return list.map((row) =>
			typeof row === 'object' && row !== null
				? withStateNames(row as IDataObject, ['taskState', 'state'])
				: { value: row as string },
		);
	}
	if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
		return withStateNames(payload as IDataObject);
	}
	// Calls whose payload is a plain "OK"/"Success": return it with the IDs that were sent.
	const ids: IDataObject = {};
	for (const key of ['packageId', 'houseTaskId', 'customerHouseId']) if (sent[key] !== undefined) ids[key] = sent[key];
	return { ...ids, result: payload as string };
}

/** Every spec'd operation's `execute`: send the form (GET: as the query) and shape the output. */
export async function execute(
	this: SendContext,
	transport: Kanfang123Transport,
	call: SpecCall,
	itemIndex: number,
): Promise<ItemResult> {
	const { spec, form } = call;
	const payload = await transport.request(
		spec.method === 'GET'
			? { method: 'GET', url: spec.path, qs: form, json: true }
			: {
					method: 'POST',
					url: spec.path,
					// Encoded here once: cheaper than letting axios encode an object per request.
					body: formEncode(form),
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					json: true,
				},
		{ itemIndex, idempotent: spec.idempotent },
	);
	return shapeOutput(spec, payload, form);
}
