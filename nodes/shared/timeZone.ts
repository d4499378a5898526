/**
 * Wall-clock time of an instant in an IANA time zone, with only `Intl` (no runtime dependency).
 * Used by AICC's due dates and the 123kanfang polling trigger's server times.
 */
import { BoundedMap } from './boundedMap';

export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/**
 * One formatter per zone text (building one is slow). The text may come from an expression,
 * so only texts Intl accepts are kept (it throws for the others), 64 at most.
 */
const formatters = new BoundedMap<string, Intl.DateTimeFormat>(64);

function formatter(zone: string): Intl.DateTimeFormat {
	let result = formatters.get(zone);
	if (!result) {
		result = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			era: 'short',
		});
		formatters.set(zone, result);
	}
	return result;
}

/** Whether `zone` is an IANA time zone name this Node.js knows. */
export function isValidTimeZone(zone: string): boolean {
	try {
		formatter(zone);
		return true;
	} catch {
		return false;
	}
}

export function wallClockAt(instant: number, zone: string): WallClock {
	const parts: Record<string, string> = {};
	for (const part of formatter(zone).formatToParts(new Date(instant))) parts[part.type] = part.value;
	const year = Number(parts.year);
	return {
		year: parts.era === 'BC' || parts.era === 'B' ? 1 - year : year,
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour) % 24,
		minute: Number(parts.minute),
		second: Number(parts.second),
	};
}
