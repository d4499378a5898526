/**
 * The output item of each 123kanfang callback: the documented fields of its page (always
 * present, `null` when not sent), any further fields 123kanfang was configured to send (as
 * text), names next to documented codes, then `event`, `timestamp` and `receivedAt`.
 * Numeric documented fields (state, notifyResult, status) become numbers; IDs stay text even
 * when they look numeric.
 */
import type { IDataObject } from 'n8n-workflow';

import { FANGTIANXIA_STATUSES, NOTIFY_RESULTS, taskStateName } from './states';
import type { FormPair } from './signature';

export type Kanfang123Event = 'taskStateChanged' | 'packageReady' | 'pushFailed' | 'fangTianXiaResult';

type FieldKind = 'text' | 'number';

interface FieldSpec {
	name: string;
	kind: FieldKind;
	/** Name of a companion field holding the meaning of the code, and how to look it up. */
	label?: { name: string; lookup: (code: number | string) => string | undefined };
}

function lookupIn(table: Readonly<Record<number, string>>) {
	return (code: number | string): string | undefined => {
		if (typeof code !== 'number') return undefined;
		return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
	};
}

const stateLabel = { name: 'stateName', lookup: taskStateName };

export const EVENT_FIELDS: Readonly<Record<Kanfang123Event, FieldSpec[]>> = {
	taskStateChanged: [
		{ name: 'state', kind: 'number', label: stateLabel },
		{ name: 'houseTaskId', kind: 'text' },
		{ name: 'houseId', kind: 'text' },
		{ name: 'packageId', kind: 'text' },
		{ name: 'userId', kind: 'text' },
		{ name: 'userName', kind: 'text' },
	],
	packageReady: [
		// Here `state` is the final production state as text: Finished, Cancel or Failed.
		{ name: 'state', kind: 'text' },
		{ name: 'panoramaPackage', kind: 'text' },
		{ name: 'fileHash', kind: 'text' },
		{ name: 'houseId', kind: 'text' },
		{ name: 'packageId', kind: 'text' },
		{ name: 'cityId', kind: 'text' },
		{ name: 'notifyId', kind: 'text' },
		{ name: 'comments', kind: 'text' },
	],
	pushFailed: [
		{ name: 'notifyId', kind: 'text' },
		{ name: 'notifyConfigId', kind: 'text' },
		{ name: 'notifyType', kind: 'text' },
		{
			name: 'notifyResult',
			kind: 'number',
			label: { name: 'notifyResultName', lookup: lookupIn(NOTIFY_RESULTS) },
		},
		{ name: 'param', kind: 'text' },
		{ name: 'response', kind: 'text' },
		{ name: 'cityId', kind: 'text' },
		{ name: 'packageId', kind: 'text' },
		{ name: 'houseId', kind: 'text' },
		{ name: 'state', kind: 'number', label: stateLabel },
	],
	fangTianXiaResult: [
		{ name: 'houseId', kind: 'text' },
		{ name: 'houseType', kind: 'text' },
		{ name: 'packageId', kind: 'text' },
		{
			name: 'status',
			kind: 'number',
			label: { name: 'statusName', lookup: lookupIn(FANGTIANXIA_STATUSES) },
		},
		{ name: 'payload', kind: 'text' },
	],
};

/** Integer text → number; empty → null; anything else is kept as received. */
export function toNumber(value: string): number | string | null {
	const text = value.trim();
	if (text === '') return null;
	return /^-?\d+$/.test(text) ? Number(text) : value;
}

/** Name → its values in order of appearance. */
function groupPairs(pairs: FormPair[]): Map<string, string[]> {
	const groups = new Map<string, string[]>();
	for (const { name, value } of pairs) {
		const values = groups.get(name);
		if (values) values.push(value);
		else groups.set(name, [value]);
	}
	return groups;
}

function single<T>(values: T[]): T | T[] {
	return values.length === 1 ? values[0] : values;
}

/** The timestamp header as a number when it is one, else as text (`null` when absent). */
export function timestampOutput(header: string | undefined): number | string | null {
	if (header === undefined) return null;
	return /^\d+$/.test(header.trim()) ? Number(header.trim()) : header;
}

export function buildItem(
	event: Kanfang123Event,
	pairs: FormPair[],
	timestamp: string | undefined,
	receivedAt: Date,
): IDataObject {
	const groups = groupPairs(pairs);
	const item: IDataObject = { event };
	const documented = new Set<string>();
	for (const spec of EVENT_FIELDS[event]) {
		documented.add(spec.name);
		const values = groups.get(spec.name);
		if (values === undefined) {
			item[spec.name] = null;
			if (spec.label) item[spec.label.name] = null;
			continue;
		}
		if (spec.kind === 'number') {
			const numbers = values.map(toNumber);
			item[spec.name] = single(numbers);
			if (spec.label) {
				const first = numbers[0];
				item[spec.label.name] = (first === null ? undefined : spec.label.lookup(first)) ?? null;
			}
		} else {
			item[spec.name] = single(values);
		}
	}
	for (const [name, values] of groups) {
		if (documented.has(name)) continue;
		// defineProperty, so that a field named e.g. `__proto__` stays a plain field.
		Object.defineProperty(item, name, {
			value: single(values),
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	item.event = event;
	item.timestamp = timestampOutput(timestamp);
	item.receivedAt = receivedAt.toISOString();
	return item;
}
