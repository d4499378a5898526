import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkChoice, checkString, fieldError } from '../../shared/validation';
import { DueDateProblem, isValidTimeZone, toAiccDateTime } from './dueDate';

/**
 * Field checks for AICC bodies. The API documents its limits as "长度(字节)" — length in
 * bytes — so text limits are counted in UTF-8 bytes (a Chinese character counts 3).
 */
export interface TextRule {
	label: string;
	required?: boolean;
	maxBytes?: number;
}

export function checkText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	rule: TextRule,
): string | undefined {
	const text = checkString(ctx, itemIndex, value, { label: rule.label, required: rule.required });
	if (text === undefined || rule.maxBytes === undefined) return text;
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > rule.maxBytes) {
		const characters = [...text].length;
		throw fieldError(
			ctx,
			itemIndex,
			rule.label,
			`is too long: ${bytes} bytes${characters !== bytes ? ` (${characters} characters)` : ''} in UTF-8, at most ${rule.maxBytes} allowed`,
		);
	}
	return text;
}

export function textParam(ctx: IExecuteFunctions, name: string, itemIndex: number, rule: TextRule) {
	return checkText(ctx, itemIndex, ctx.getNodeParameter(name, itemIndex, ''), rule);
}

export const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;
export const TASK_TYPES = ['Case'] as const;
export const STATUSES = ['Completed', 'Pending', 'Processing'] as const;

export const ID_MAX_BYTES = 20;

/** The time zone `dueDate` is written in: the option, or the workflow's. */
export function dueDateZones(ctx: IExecuteFunctions, itemIndex: number) {
	const workflowZone = ctx.getTimezone();
	const chosen = checkString(ctx, itemIndex, ctx.getNodeParameter('options.dueDateTimeZone', itemIndex, ''), {
		label: 'Due Date Time Zone',
	});
	if (chosen !== undefined && !isValidTimeZone(chosen)) {
		throw fieldError(
			ctx,
			itemIndex,
			'Due Date Time Zone',
			`is not a time zone name n8n knows: "${chosen.slice(0, 60)}" (use an IANA name such as Asia/Shanghai)`,
		);
	}
	if (!isValidTimeZone(workflowZone)) {
		throw fieldError(ctx, itemIndex, 'Due Date Time Zone', `cannot default to the workflow's time zone "${workflowZone}"`);
	}
	return { sourceZone: workflowZone, targetZone: chosen ?? workflowZone };
}

export function checkDueDate(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const zones = dueDateZones(ctx, itemIndex);
	try {
		return toAiccDateTime(value, zones);
	} catch (error) {
		const problem =
			error instanceof DueDateProblem ? error.message : `could not be converted: ${(error as Error).message}`;
		throw fieldError(ctx, itemIndex, 'Due Date', problem);
	}
}

/**
 * The optional TaskInfo fields shared by Create's "Additional Fields" and Update's "Update
 * Fields", checked and in the order the API documents them.
 */
export function optionalTaskInfo(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: IDataObject,
	handledElsewhere: string[] = [],
): IDataObject {
	const known = new Set([
		'description',
		'type',
		'relateId',
		'contactId',
		'priority',
		'dueDate',
		'attachment',
		...handledElsewhere,
	]);
	const info: IDataObject = {};
	const description = checkText(ctx, itemIndex, fields.description, { label: 'Description', maxBytes: 20000 });
	if (description !== undefined) info.description = description;
	const type = checkChoice(ctx, itemIndex, fields.type, { label: 'Related Object Type', allowed: TASK_TYPES });
	if (type !== undefined) info.type = type;
	const relateId = checkText(ctx, itemIndex, fields.relateId, { label: 'Related Object ID', maxBytes: ID_MAX_BYTES });
	if (type !== undefined && relateId === undefined) {
		throw fieldError(ctx, itemIndex, 'Related Object ID', 'is required when "Related Object Type" is set');
	}
	if (relateId !== undefined) info.relateId = relateId;
	const contactId = checkText(ctx, itemIndex, fields.contactId, { label: 'Contact ID', maxBytes: ID_MAX_BYTES });
	if (contactId !== undefined) info.contactId = contactId;
	const priority = checkChoice(ctx, itemIndex, fields.priority, { label: 'Priority', allowed: PRIORITIES });
	if (priority !== undefined) info.priority = priority;
	const dueDate = checkDueDate(ctx, itemIndex, fields.dueDate);
	if (dueDate !== undefined) info.dueDate = dueDate;
	const attachment = checkText(ctx, itemIndex, fields.attachment, { label: 'Attachment', maxBytes: 255 });
	if (attachment !== undefined) info.attachment = attachment;
	for (const key of Object.keys(fields)) {
		if (!known.has(key)) {
			throw fieldError(ctx, itemIndex, key, 'is not a field this operation knows');
		}
	}
	return info;
}
