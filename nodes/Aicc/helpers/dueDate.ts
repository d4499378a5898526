/**
 * AICC wants `dueDate` as `YYYY-MM-DD HH:mm:ss`, a wall-clock time without a zone. This turns
 * whatever an n8n date-time field can hold into that text, in a chosen IANA time zone, using
 * only `Intl` (no runtime dependency).
 *
 * Rules (see README):
 * - a date only (`2024-05-01`) is that calendar day at 00:00:00 in the target zone;
 * - a date-time without offset (`2024-05-01T09:30`, what n8n's date picker stores) is read in
 *   the workflow's time zone, like everywhere in n8n, and written in the target zone — with no
 *   separate target zone it is sent as written;
 * - a date-time with an offset (`…Z`, `…+08:00`), a JavaScript Date, a Luxon DateTime (what
 *   `{{ $now }}` gives) or a Unix timestamp (milliseconds; seconds below 10^11) is an exact
 *   instant, written in the target zone; a timestamp before 2000 is refused (see fromTimestamp).
 */

import { isValidTimeZone, wallClockAt, type WallClock } from '../../shared/timeZone';

export { isValidTimeZone };

export class DueDateProblem extends Error {}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function wallClockAsUtc(clock: WallClock): number {
	const date = new Date(0);
	date.setUTCFullYear(clock.year, clock.month - 1, clock.day);
	date.setUTCHours(clock.hour, clock.minute, clock.second, 0);
	return date.getTime();
}

/** Offset of `zone` at `instant`, in ms (local minus UTC). */
function offsetAt(instant: number, zone: string): number {
	const whole = Math.floor(instant / 1000) * 1000;
	return wallClockAsUtc(wallClockAt(whole, zone)) - whole;
}

const DAY_MS = 86_400_000;

/**
 * The instant at which the clocks in `zone` show `clock`. A time skipped by a daylight-saving
 * change (a gap) moves forward by the gap (02:30 becomes 03:30); a time that happens twice (an
 * overlap) is the earlier of the two instants. Unlike Luxon, whose choice depends on today's
 * date, this never changes with the season the workflow runs in.
 */
export function instantOf(clock: WallClock, zone: string): number {
	const local = wallClockAsUtc(clock);
	const before = offsetAt(local - DAY_MS, zone);
	const offsets = new Set([before, offsetAt(local, zone), offsetAt(local + DAY_MS, zone)]);
	const instants = [...offsets].filter((offset) => offsetAt(local - offset, zone) === offset).map((o) => local - o);
	if (instants.length > 0) return Math.min(...instants);
	return local - before;
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

function format(clock: WallClock): string {
	return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
}

function checkCalendar(clock: WallClock, original: string) {
	const utc = new Date(wallClockAsUtc(clock));
	const valid =
		clock.month >= 1 &&
		clock.month <= 12 &&
		clock.hour <= 23 &&
		clock.minute <= 59 &&
		clock.second <= 59 &&
		utc.getUTCDate() === clock.day &&
		utc.getUTCMonth() === clock.month - 1;
	if (!valid) throw new DueDateProblem(`is not a valid date-time: "${original}"`);
}

function fromInstant(instant: number, targetZone: string, original: string): string {
	if (!Number.isFinite(instant)) throw new DueDateProblem(`is not a valid date-time: "${original}"`);
	// Beyond JavaScript's date range (±8.64e15 ms) Intl throws a RangeError; years 1000–9999
	// lie well inside it.
	if (Math.abs(instant) > 8.64e15) {
		throw new DueDateProblem(`is out of range (years 1000 to 9999): "${original}"`);
	}
	const clock = wallClockAt(instant, targetZone);
	if (clock.year < 1000 || clock.year > 9999) {
		throw new DueDateProblem(`is out of range (years 1000 to 9999): "${original}"`);
	}
	return format(clock);
}

function offsetMs(text: string): number {
	if (text.toUpperCase() === 'Z') return 0;
	const sign = text.startsWith('-') ? -1 : 1;
	const digits = text.slice(1).replace(':', '');
	const hours = Number(digits.slice(0, 2));
	const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
	if (hours > 23 || minutes > 59) throw new DueDateProblem(`has an invalid UTC offset: "${text}"`);
	return sign * (hours * 60 + minutes) * 60_000;
}

/** 2000-01-01T00:00:00Z: a due date given as a Unix timestamp is never before it. */
const EARLIEST_TIMESTAMP_MS = 946_684_800_000;

function fromTimestamp(value: number, targetZone: string, original: string): string {
	const ms = Math.abs(value) < 1e11 ? value * 1000 : value;
	// Digits that land in the 1970s are almost always something else: a compact date
	// (20240501), a spreadsheet serial day (45413), a duration.
	if (ms < EARLIEST_TIMESTAMP_MS) {
		throw new DueDateProblem(
			`is read as a Unix timestamp, and "${original.slice(0, 20)}" would be before the year 2000: write a date as 2024-05-01 (or 2024-05-01T09:30:00), a timestamp in seconds or milliseconds since 1970`,
		);
	}
	return fromInstant(ms, targetZone, original);
}

interface LuxonLike {
	toMillis: () => number;
	isValid?: boolean;
}

function isLuxonLike(value: unknown): value is LuxonLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as LuxonLike).toMillis === 'function' &&
		'isValid' in value
	);
}

/**
 * Converts an n8n date-time value to AICC's `YYYY-MM-DD HH:mm:ss`.
 * Returns undefined for an empty value; throws DueDateProblem (a sentence fragment that
 * follows the field name) for anything it cannot read.
 */
export function toAiccDateTime(
	value: unknown,
	zones: { sourceZone: string; targetZone: string },
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (value instanceof Date) {
		return fromInstant(value.getTime(), zones.targetZone, String(value));
	}
	if (isLuxonLike(value)) {
		if (value.isValid === false) throw new DueDateProblem('is an invalid DateTime');
		return fromInstant(value.toMillis(), zones.targetZone, String(value));
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new DueDateProblem(`is not a valid timestamp: ${value}`);
		return fromTimestamp(value, zones.targetZone, String(value));
	}
	if (typeof value !== 'string') {
		throw new DueDateProblem(`must be a date-time, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	const text = value.trim();
	if (text === '') return undefined;

	if (/^-?\d+$/.test(text)) return fromTimestamp(Number(text), zones.targetZone, text);

	const dateOnly = DATE_ONLY.exec(text);
	if (dateOnly) {
		const clock = {
			year: Number(dateOnly[1]),
			month: Number(dateOnly[2]),
			day: Number(dateOnly[3]),
			hour: 0,
			minute: 0,
			second: 0,
		};
		checkCalendar(clock, text);
		return format(clock);
	}

	const match = DATE_TIME.exec(text);
	if (!match) {
		throw new DueDateProblem(
			`is not a date-time n8n can read: "${text.slice(0, 60)}" (use e.g. 2024-05-01, 2024-05-01T09:30:00 or 2024-05-01T09:30:00+08:00)`,
		);
	}
	const clock = {
		year: Number(match[1]),
		month: Number(match[2]),
		day: Number(match[3]),
		hour: Number(match[4]),
		minute: Number(match[5]),
		second: match[6] === undefined ? 0 : Number(match[6]),
	};
	checkCalendar(clock, text);
	if (match[7] !== undefined) {
		return fromInstant(wallClockAsUtc(clock) - offsetMs(match[7]), zones.targetZone, text);
	}
	if (zones.sourceZone === zones.targetZone) return format(clock);
	return fromInstant(instantOf(clock, zones.sourceZone), zones.targetZone, text);
}
