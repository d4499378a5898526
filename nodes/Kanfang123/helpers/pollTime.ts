import { wallClockAt } from '../../shared/timeZone';

/**
 * 123kanfang writes times without an offset (`2020-03-18T03:27:27`), in its own time zone. The
 * polling trigger keeps its window in those server times ("naive" text, compared as text and
 * shifted as if UTC), so only "now" needs the zone.
 */

/** 123kanfang's own time zone (its times carry no offset): the default wherever one is needed. */
export const KANFANG123_TIME_ZONE = 'Asia/Shanghai';

/** `YYYY-MM-DDTHH:mm:ss` of an instant in a time zone. */
export function formatInZone(ms: number, timeZone: string): string {
	const clock = wallClockAt(ms, timeZone);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${String(clock.year).padStart(4, '0')}-${two(clock.month)}-${two(clock.day)}T${two(clock.hour)}:${two(clock.minute)}:${two(clock.second)}`;
}

/** Whether a time written as text carries its offset (`Z`, `+08:00`, `-0500`). */
export const hasOffset = (text: string) => /(Z|[+-]\d\d:?\d\d)$/i.test(text);

/** A time as GetPage returns it → naive server time (`undefined` when it is not a time). */
export function toServerTime(value: unknown, timeZone: string): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim().replace(' ', 'T');
	if (hasOffset(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : formatInZone(ms, timeZone);
	}
	const naive = text.slice(0, 19);
	return Number.isNaN(Date.parse(`${naive}Z`)) ? undefined : naive;
}

/** Shift a naive server time by some milliseconds. */
export function shiftServerTime(naive: string, deltaMs: number): string {
	return new Date(Date.parse(`${naive}Z`) + deltaMs).toISOString().slice(0, 19);
}
