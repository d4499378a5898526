import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Input checks that run before any request. Every failure is a NodeOperationError that names
 * the field (as the user sees it in the form) and the item, so a user with 10,000 rows can
 * find the bad one.
 */
export interface FieldRule {
	/** The label shown in the node's form. */
	label: string;
	required?: boolean;
	maxLength?: number;
}

export function itemLabel(itemIndex: number) {
	return `item ${itemIndex + 1} (index ${itemIndex})`;
}

export function fieldError(ctx: IExecuteFunctions, itemIndex: number, label: string, problem: string) {
	return new NodeOperationError(ctx.getNode(), `"${label}" ${problem} — ${itemLabel(itemIndex)}`, {
		itemIndex,
		description: `Fix the "${label}" field for ${itemLabel(itemIndex)} and run again.`,
	});
}

/** `String(value)`, also for values without a string form (objects without prototype, symbols…). */
function asText(value: unknown): string {
	try {
		return typeof value === 'string' ? value : String(value);
	} catch {
		return Array.isArray(value) ? 'a list' : typeof value;
	}
}

/** A short, safe rendering of a value for an error message: at most 40 characters. */
export function preview(value: unknown): string {
	const text = asText(value);
	const characters = [...text];
	return characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : text;
}

/**
 * Normalises a string field: numbers are accepted and turned into text, surrounding white
 * space is trimmed. Returns undefined for an empty optional value.
 */
export function checkString(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	rule: FieldRule,
): string | undefined {
	if (value === undefined || value === null) value = '';
	if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
	if (typeof value !== 'string') {
		throw fieldError(ctx, itemIndex, rule.label, `must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	const text = value.trim();
	if (text === '') {
		if (rule.required) throw fieldError(ctx, itemIndex, rule.label, 'is required but empty');
		return undefined;
	}
	if (rule.maxLength !== undefined && [...text].length > rule.maxLength) {
		throw fieldError(
			ctx,
			itemIndex,
			rule.label,
			`is too long: ${[...text].length} characters, at most ${rule.maxLength} allowed`,
		);
	}
	return text;
}

/**
 * A value from a fixed list: options fields can still receive anything through an expression.
 * The one rule of every node: letter case does not matter, and the list's own spelling is what
 * gets sent (`processing` → `Processing`).
 */
export function checkChoice(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	rule: { label: string; required?: boolean; allowed: readonly string[] },
): string | undefined {
	const text = checkString(ctx, itemIndex, value, { label: rule.label, required: rule.required });
	if (text === undefined) return undefined;
	const match = rule.allowed.find((allowed) => allowed.toLowerCase() === text.toLowerCase());
	if (match === undefined) {
		throw fieldError(ctx, itemIndex, rule.label, `must be one of ${rule.allowed.join(', ')}, got "${preview(text)}"`);
	}
	return match;
}

/**
 * A list parameter as trimmed texts: the form gives a list, an expression may give one as well,
 * or text with commas ("50000, 52000"), or a single number.
 */
export function splitList(value: unknown): string[] {
	const values = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : String(value).split(',');
	return values.map((entry) => asText(entry).trim()).filter(Boolean);
}

/**
 * A yes/no field: an expression may give true/false, "true"/"false" in any letter case, or 1/0.
 * Anything else is refused: a "yes" read as false could send an irreversible answer.
 */
export function checkBoolean(ctx: IExecuteFunctions, itemIndex: number, value: unknown, label: string): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'boolean') return value;
	const text = asText(value).trim().toLowerCase();
	if (text === 'true' || text === '1') return true;
	if (text === 'false' || text === '0') return false;
	throw fieldError(ctx, itemIndex, label, `must be true or false, got "${preview(value)}"`);
}

/** Reads a string parameter and checks it with `rule`. */
export function stringParam(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	rule: FieldRule,
	fallback: unknown = '',
): string | undefined {
	return checkString(ctx, itemIndex, ctx.getNodeParameter(name, itemIndex, fallback), rule);
}

/**
 * Accepts a JSON value typed as text or already an object (n8n's JSON fields give either) and
 * returns the compact JSON text; rejects text that does not parse.
 */
export function checkJsonText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	rule: FieldRule & { objectOnly?: boolean },
): string | undefined {
	if (value === undefined || value === null || value === '') {
		if (rule.required) throw fieldError(ctx, itemIndex, rule.label, 'is required but empty');
		return undefined;
	}
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return checkJsonText(ctx, itemIndex, undefined, rule);
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw fieldError(ctx, itemIndex, rule.label, `is not valid JSON (${(error as Error).message})`);
		}
	}
	if (rule.objectOnly && (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))) {
		throw fieldError(ctx, itemIndex, rule.label, 'must be a JSON object such as {"key": "value"}');
	}
	let text: string | undefined;
	try {
		text = JSON.stringify(parsed);
	} catch (error) {
		// Cycles and BigInts have no JSON form.
		throw fieldError(ctx, itemIndex, rule.label, `cannot be turned into JSON (${(error as Error).message.split('\n')[0]})`);
	}
	if (text === undefined) {
		throw fieldError(ctx, itemIndex, rule.label, `must be JSON text or an object, got ${typeof parsed}`);
	}
	if (rule.objectOnly && !text.startsWith('{')) {
		// Objects with a JSON form of their own (a Date becomes a string).
		throw fieldError(ctx, itemIndex, rule.label, 'must be a JSON object such as {"key": "value"}');
	}
	if (rule.maxLength !== undefined && [...text].length > rule.maxLength) {
		throw fieldError(
			ctx,
			itemIndex,
			rule.label,
			`is too long: ${[...text].length} characters as JSON, at most ${rule.maxLength} allowed`,
		);
	}
	return text;
}

/** Parses a JSON object parameter (text or object) into an object. */
export function checkJsonObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	rule: FieldRule,
): IDataObject | undefined {
	const text = checkJsonText(ctx, itemIndex, value, { ...rule, objectOnly: true });
	return text === undefined ? undefined : (JSON.parse(text) as IDataObject);
}

/** Accepts an integer typed as number or digits. */
export function checkInteger(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	rule: FieldRule & { min?: number; max?: number },
): number | undefined {
	if (value === undefined || value === null || value === '') {
		if (rule.required) throw fieldError(ctx, itemIndex, rule.label, 'is required but empty');
		return undefined;
	}
	const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number)) {
		throw fieldError(ctx, itemIndex, rule.label, `must be a whole number, got "${preview(value)}"`);
	}
	if (rule.min !== undefined && number < rule.min) {
		throw fieldError(ctx, itemIndex, rule.label, `must be at least ${rule.min}`);
	}
	if (rule.max !== undefined && number > rule.max) {
		throw fieldError(ctx, itemIndex, rule.label, `must be at most ${rule.max}`);
	}
	return number;
}
