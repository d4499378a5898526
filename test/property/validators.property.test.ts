/**
 * Property-based tests of the input validators: whatever a field holds (expressions can return
 * any value — text of any length, numbers, lists, objects without prototype, dates, cycles…),
 * a validator returns a checked value or throws a NodeOperationError that names the field and
 * the item in a short sentence. Never a TypeError, never a message that swallows the input.
 *
 * The validators are pure: they get a minimal fake context with `getNode()` (and, for the
 * per-node builders, `getNodeParameter()` / `getTimezone()` serving generated values).
 */
import fc from 'fast-check';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operations as aiccOperations } from '../../nodes/Aicc/actions/task';
import { checkDueDate, checkText } from '../../nodes/Aicc/helpers/fields';
import { checkChoice } from '../../nodes/shared/validation';
import { buildBody as buildIncsBody } from '../../nodes/Incs/actions/task/create.operation';
import { normalizePhone } from '../../nodes/Incs/helpers/phone';
import { specs as kanfangOperations } from '../../nodes/Kanfang123/actions/houseTask';
import { buildForm } from '../../nodes/Kanfang123/actions/houseTask/common';
import {
	checkInteger,
	checkJsonObject,
	checkJsonText,
	checkString,
	itemLabel,
	stringParam,
} from '../../nodes/shared/validation';
import { testNode } from '../harness/nodeTypes';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);

const node = testNode('CUSTOM.test', {}, { name: 'Node Under Test' });

function fakeContext(parameters: Record<string, unknown> = {}, timezone = 'Asia/Shanghai'): IExecuteFunctions {
	return {
		getNode: () => node,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getTimezone: () => timezone,
	} as unknown as IExecuteFunctions;
}

/** A cyclic object, as an expression could build one. */
function cyclic(): IDataObject {
	const value: IDataObject = { a: 1 };
	value.self = value;
	return value;
}

/** Anything a parameter could hold after expression evaluation, and some things it should not. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 400, maxLength: 700 }) },
	{ weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('1', '0', ' ', '-', '+', '(', ')', '.', 'x', '{', '}', '"', ':', '[', ']'), maxLength: 25 }) },
	{ weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 2 ** 53)) },
	{ weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false, '', '   ', '{}', '[]', 'null', '{"a":1}', '00', '+62 815-1234-1234') },
	{ weight: 1, arbitrary: fc.json() },
	{
		weight: 2,
		arbitrary: fc.anything({
			withBigInt: true,
			withBoxedValues: true,
			withDate: true,
			withMap: true,
			withSet: true,
			withNullPrototype: true,
			withObjectString: true,
			withSparseArray: true,
			withTypedArray: true,
			maxDepth: 2,
		}),
	},
	{ weight: 1, arbitrary: fc.constantFrom<unknown>(Symbol('s'), () => 'fn', cyclic(), Object.create(null), new Date(NaN), [cyclic()]) },
);

const kanfangValue = anyValue;
const aiccValue = anyValue;

const ruleArb = fc.record(
	{
		label: fc.constantFrom('House Name', 'Customer Phone', 'Task Module (JSON)', 'Title'),
		required: fc.boolean(),
		maxLength: fc.integer({ min: 0, max: 300 }),
	},
	{ requiredKeys: ['label'] },
);
const itemIndexArb = fc.integer({ min: 0, max: 100_000 });

/**
 * Runs `call`; when it throws, the error must be a NodeOperationError naming the item (and the
 * field, when one is given) in a message of reasonable length, with a description.
 */
function expectOnlyNodeErrors<T>(call: () => T, itemIndex: number, label?: string, maxMessage = 400): T | undefined {
	try {
		return call();
	} catch (error) {
		if (!(error instanceof NodeOperationError)) {
			throw new Error(`Expected a NodeOperationError, got ${String((error as Error)?.name)}: ${String((error as Error)?.message)}`);
		}
		expect(error.message).toContain(itemLabel(itemIndex));
		if (label !== undefined) expect(error.message.startsWith(`"${label}" `)).toBe(true);
		if (error.message.length >= maxMessage) {
			throw new Error(`Message too long (${error.message.length}): ${error.message.slice(0, 300)}`);
		}
		expect(error.description).toEqual(expect.any(String));
		expect(error.context.itemIndex).toBe(itemIndex);
		return undefined;
	}
}

describe('shared validators (validation.ts) never throw anything but a clear node error', () => {
	it('checkString: text that is trimmed and within the limit, or a node error', () => {
		fc.assert(
			fc.property(anyValue, ruleArb, itemIndexArb, (value, rule, itemIndex) => {
				const result = expectOnlyNodeErrors(() => checkString(fakeContext(), itemIndex, value, rule), itemIndex, rule.label);
				if (result !== undefined) {
					expect(typeof result).toBe('string');
					expect(result).toBe(result.trim());
					expect(result).not.toBe('');
					if (rule.maxLength !== undefined) expect([...result].length).toBeLessThanOrEqual(rule.maxLength);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('stringParam reads the parameter and checks it the same way', () => {
		fc.assert(
			fc.property(anyValue, ruleArb, itemIndexArb, (value, rule, itemIndex) => {
				const ctx = fakeContext({ field: value });
				expectOnlyNodeErrors(() => stringParam(ctx, 'field', itemIndex, rule), itemIndex, rule.label);
			}),
			{ numRuns: RUNS },
		);
	});

	it('checkJsonText: compact JSON text that parses (an object when asked), or a node error', () => {
		fc.assert(
			fc.property(anyValue, ruleArb, fc.boolean(), itemIndexArb, (value, rule, objectOnly, itemIndex) => {
				const result = expectOnlyNodeErrors(
					() => checkJsonText(fakeContext(), itemIndex, value, { ...rule, objectOnly }),
					itemIndex,
					rule.label,
				);
				if (result !== undefined) {
					expect(typeof result).toBe('string');
					const parsed = JSON.parse(result) as unknown;
					if (objectOnly) expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)).toBe(true);
					if (rule.maxLength !== undefined) expect([...result].length).toBeLessThanOrEqual(rule.maxLength);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('checkJsonText accepts every JSON text and every JSON value (round trip)', () => {
		fc.assert(
			fc.property(fc.jsonValue(), fc.boolean(), (value, asText) => {
				fc.pre(value !== null);
				// A string is always read as JSON text (n8n's JSON fields give text or an object).
				const input = asText || typeof value === 'string' ? JSON.stringify(value) : value;
				const result = checkJsonText(fakeContext(), 0, input, { label: 'JSON' });
				expect(JSON.parse(result!)).toEqual(JSON.parse(JSON.stringify(value)));
			}),
			{ numRuns: RUNS },
		);
	});

	it('checkJsonObject: a plain object, or a node error', () => {
		fc.assert(
			fc.property(anyValue, ruleArb, itemIndexArb, (value, rule, itemIndex) => {
				const result = expectOnlyNodeErrors(() => checkJsonObject(fakeContext(), itemIndex, value, rule), itemIndex, rule.label);
				if (result !== undefined) expect(Object.prototype.toString.call(result)).toBe('[object Object]');
			}),
			{ numRuns: RUNS },
		);
	});

	it('checkInteger: a whole number within bounds, or a node error', () => {
		fc.assert(
			fc.property(
				anyValue,
				ruleArb,
				fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }),
				fc.option(fc.integer({ min: -1000, max: 1000 }), { nil: undefined }),
				itemIndexArb,
				(value, rule, min, max, itemIndex) => {
					const result = expectOnlyNodeErrors(
						() => checkInteger(fakeContext(), itemIndex, value, { ...rule, min, max }),
						itemIndex,
						rule.label,
					);
					if (result !== undefined) {
						expect(Number.isInteger(result)).toBe(true);
						if (min !== undefined) expect(result).toBeGreaterThanOrEqual(min);
						if (max !== undefined) expect(result).toBeLessThanOrEqual(max);
					}
				},
			),
			{ numRuns: RUNS },
		);
	});
});

describe('node-specific checks never throw anything but a clear node error', () => {
	it('INCS phone rule: digits only, 6–15 of them, no leading 0 — or a problem sentence', () => {
		fc.assert(
			fc.property(anyValue, (value) => {
				const result = normalizePhone(value);
				if (result.ok) {
					expect(result.digits).toMatch(/^[1-9]\d{5,14}$/);
				} else {
					expect(result.problem).toEqual(expect.any(String));
					expect(result.problem.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('INCS phone rule: any number written with spaces, dashes, dots, parentheses, + or 00 normalises to its digits', () => {
		const separator = fc.constantFrom('', ' ', '-', '.', ' - ', '  ', '\u2013', '\u200e');
		fc.assert(
			fc.property(
				// Not 620…: Indonesia's national 0 after its country code is refused (phone.ts).
				fc.stringMatching(/^[1-9]\d{5,14}$/).filter((digits) => !digits.startsWith('620')),
				fc.array(separator, { minLength: 15, maxLength: 15 }),
				fc.constantFrom('', '+', '00'),
				fc.boolean(),
				(digits, separators, prefix, parentheses) => {
					let written = [...digits].map((d, i) => (i === 0 ? d : separators[i] + d)).join('');
					if (parentheses && digits.length > 4) written = `(${written.slice(0, 2)})${written.slice(2)}`;
					const result = normalizePhone(`${prefix}${written}`);
					expect(result).toEqual({ ok: true, digits });
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('INCS Create and Assign: any field values give the documented body or a node error naming the field', () => {
		const fieldNames = ['name', 'authId', 'userPhone', 'assigneeUsername', 'taskModuleJson', 'moduleId', 'totalAmount'];
		fc.assert(
			fc.property(
				fc.record(Object.fromEntries(fieldNames.map((n) => [n, anyValue]))),
				fc.record({ description: anyValue, userName: anyValue }, { requiredKeys: [] }),
				fc.constantFrom('none', 'json', 'fields'),
				fc.array(fc.record({ orderNumber: anyValue, loanAmount: anyValue, phoneNumber: anyValue }, { requiredKeys: [] }), { maxLength: 2 }),
				itemIndexArb,
				(fields, additionalFields, taskModuleInput, orders, itemIndex) => {
					const ctx = fakeContext({ ...fields, additionalFields, taskModuleInput, orders: { order: orders } });
					// No length cap: the phone rule quotes the whole input (reported).
					const body = expectOnlyNodeErrors(() => buildIncsBody(ctx, itemIndex), itemIndex, undefined, Infinity);
					if (body) {
						expect(body.type).toBe(3);
						expect(body.user_phone).toMatch(/^[1-9]\d{5,14}$/);
						expect(Number.isInteger(body.auth_id)).toBe(true);
						expect([...(body.name as string)].length).toBeLessThanOrEqual(256);
						expect(() => JSON.stringify(body)).not.toThrow();
					}
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('123kanfang: any field values of every operation give a checked form or a node error naming the field', () => {
		const ops = kanfangOperations;
		const names = [...new Set(ops.flatMap((op) => [...op.fields, ...(op.identifyBy ?? [])].map((f) => f.name)))];
		fc.assert(
			fc.property(
				fc.constantFrom(...ops),
				fc.record(Object.fromEntries(names.map((n) => [n, kanfangValue]))),
				fc.dictionary(fc.constantFrom(...names), kanfangValue, { maxKeys: 4 }),
				itemIndexArb,
				(op, values, additionalFields, itemIndex) => {
					const identifyBy = op.identifyBy?.[0]?.name;
					const ctx = fakeContext({ ...values, additionalFields, ...(identifyBy ? { identifyBy } : {}) });
					const form = expectOnlyNodeErrors(() => buildForm(ctx, itemIndex, op), itemIndex, undefined, 400);
					if (form) {
						for (const field of [...op.fields, ...(op.identifyBy ?? [])]) {
							const value = form[field.name];
							if (value === undefined) continue;
							if (field.maxLength !== undefined && typeof value === 'string') {
								expect([...value].length).toBeLessThanOrEqual(field.maxLength);
							}
							if (field.kind === 'json') expect(() => JSON.parse(value as string)).not.toThrow();
						}
						expect(() => JSON.stringify(form)).not.toThrow();
					}
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('Huawei AICC: any field values of every operation give a prepared call or a node error naming the field', () => {
		const names = ['title', 'ownerId', 'creatorId', 'taskId', 'status', 'processType', 'processTitle', 'description'];
		const optional = ['description', 'type', 'relateId', 'contactId', 'priority', 'dueDate', 'attachment', 'title', 'ownerId', 'status'];
		fc.assert(
			fc.property(
				fc.constantFrom(...(Object.keys(aiccOperations) as Array<keyof typeof aiccOperations>)),
				fc.record(Object.fromEntries(names.map((n) => [n, aiccValue]))),
				fc.dictionary(fc.constantFrom(...optional), aiccValue, { maxKeys: 4 }),
				fc.option(aiccValue, { nil: undefined }),
				fc.constantFrom('Asia/Shanghai', 'UTC', 'America/New_York'),
				itemIndexArb,
				(operation, values, extra, dueDateTimeZone, timezone, itemIndex) => {
					const ctx = fakeContext(
						{
							...values,
							additionalFields: extra,
							updateFields: extra,
							...(dueDateTimeZone === undefined ? {} : { 'options.dueDateTimeZone': dueDateTimeZone }),
						},
						timezone,
					);
					const call = expectOnlyNodeErrors(
						() => aiccOperations[operation].prepare.call(ctx, itemIndex),
						itemIndex,
						undefined,
						400,
					);
					if (call) {
						expect(typeof call.path).toBe('string');
						expect(() => JSON.stringify(call.body)).not.toThrow();
					}
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('Huawei AICC field checks (bytes, choices, due date) never throw anything but a node error', () => {
		fc.assert(
			fc.property(aiccValue, fc.integer({ min: 0, max: 64 }), fc.boolean(), itemIndexArb, (value, maxBytes, required, itemIndex) => {
				const ctx = fakeContext();
				const text = expectOnlyNodeErrors(
					() => checkText(ctx, itemIndex, value, { label: 'Title', maxBytes, required }),
					itemIndex,
					'Title',
					400,
				);
				if (text !== undefined) expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(maxBytes);
				const choice = expectOnlyNodeErrors(
					() => checkChoice(ctx, itemIndex, value, { label: 'Priority', allowed: ['Critical', 'High', 'Medium', 'Low'], required }),
					itemIndex,
					'Priority',
					400,
				);
				if (choice !== undefined) expect(['Critical', 'High', 'Medium', 'Low']).toContain(choice);
				const due = expectOnlyNodeErrors(() => checkDueDate(ctx, itemIndex, value), itemIndex, 'Due Date', 400);
				if (due !== undefined) expect(due).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			}),
			{ numRuns: RUNS },
		);
	});
});

