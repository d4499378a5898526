import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ApiClient } from '../../../shared/client';
import { NOTIFY_RESULTS, taskStateName } from '../../helpers/states';
import type { ItemResult } from '../../../shared/runner';
import { checkJsonText, checkString, fieldError, preview } from '../../../shared/validation';
import type { FieldSpec, OperationSpec } from './fields';
import { operationByValue } from './fields';
import { buildGetPageQuery, getMany } from './getMany';

/** Put readable names next to numeric task states (and push results). */
export function withStateNames(value: IDataObject, stateKeys: string[] = ['taskState']): IDataObject {
	const result: IDataObject = { ...value };
	for (const key of stateKeys) {
		if (result[key] === undefined || result[key] === null || result[key] === '') continue;
		const name = taskStateName(result[key] as number | string);
		if (name) result.taskStateName = name;
	}
	if (typeof result.notifyResult === 'number' && NOTIFY_RESULTS[result.notifyResult]) {
		result.notifyResultName = NOTIFY_RESULTS[result.notifyResult];
	}
	return result;
}

function readField(ctx: IExecuteFunctions, itemIndex: number, field: FieldSpec, source: IDataObject | undefined) {
	const raw = source ? source[field.name] : ctx.getNodeParameter(field.name, itemIndex, field.default ?? '');
	switch (field.kind) {
		case 'boolean':
			return raw === undefined ? undefined : raw === true || raw === 'true';
		case 'json':
			return checkJsonText(ctx, itemIndex, raw, { label: field.displayName, maxLength: field.maxLength });
		case 'options': {
			if (raw === undefined || raw === null || raw === '') return undefined;
			const allowed = (field.options ?? []).map((o) => String(o.value));
			const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
			if (value === undefined || (allowed.length && !allowed.includes(value))) {
				throw fieldError(ctx, itemIndex, field.displayName, `must be one of ${allowed.join(', ')}, got "${preview(raw)}"`);
			}
			return value;
		}
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

/** `application/x-www-form-urlencoded` text of the form fields (booleans as true/false). */
export function formEncode(form: IDataObject): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(form)) {
		if (value !== undefined && value !== null) params.append(key, String(value));
	}
	return params.toString();
}

/** One item's call, read and checked before anything is sent. */
export type PreparedHouseTask =
	| { kind: 'getMany'; query: IDataObject }
	| { kind: 'call'; op: OperationSpec; form: IDataObject };

export function prepareHouseTask(ctx: IExecuteFunctions, operation: string, itemIndex: number): PreparedHouseTask {
	if (operation === 'getMany') return { kind: 'getMany', query: buildGetPageQuery(ctx, itemIndex) };
	const op = operationByValue.get(operation);
	if (!op) throw fieldError(ctx, itemIndex, 'Operation', `"${operation}" is not supported`);
	return { kind: 'call', op, form: buildForm(ctx, itemIndex, op) };
}

export async function sendHouseTask(
	ctx: IExecuteFunctions,
	prepared: PreparedHouseTask,
	itemIndex: number,
	client: ApiClient,
): Promise<ItemResult> {
	if (prepared.kind === 'getMany') {
		const rows = await getMany(ctx, itemIndex, client, prepared.query);
		return rows.map((row) => withStateNames(row));
	}
	const { op, form } = prepared;
	const payload = await client.send(
		op.method === 'GET'
			? { method: 'GET', url: op.path, qs: form, json: true }
			: {
					method: 'POST',
					url: op.path,
					// Encoded here once: cheaper than letting axios encode an object per request.
					body: formEncode(form),
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					json: true,
				},
		{ itemIndex, idempotent: op.idempotent },
	);
	return shapeOutput(op, payload, form);
}
