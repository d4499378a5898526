/**
 * 123kanfang "strong validation" (加固接口的签名验证, Agreement/StrongValidation.md):
 *
 *     sign = lowercase hex MD5( signKey + values of all form parameters, ordered by name + timestamp )
 *
 * with `sign` and `timestamp` sent as HTTP headers (or in the query string, as the doc's worked
 * example `A?timestamp=…&sign=…` does). These functions are pure so that the rule can
 * be tested on its own; the trigger node feeds them the raw request body.
 *
 * Decisions (documented in the README):
 * - The form is read from the raw body bytes: split on `&`, each pair split at the first `=`,
 *   then decoded with form rules (`+` is a space, `%XX` are bytes, decoded as UTF-8). A segment
 *   without `=` is a name with an empty value; empty segments (`a=1&&b=2`) are ignored. An
 *   invalid `%` sequence stays literal (as .NET's form reader leaves it).
 * - Names are ordered ordinally by UTF-16 code units (like .NET `StringComparer.Ordinal`), so
 *   upper case sorts before lower case: `B` < `a`. (For every field set 123kanfang documents,
 *   ordinal and case-insensitive order agree.)
 * - A repeated name contributes all its values, in the order they appear in the body, kept
 *   next to each other (the sort is stable) and concatenated without a separator.
 */
import { createHash, timingSafeEqual } from 'crypto';

/** Default of the Timestamp Tolerance option, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface FormPair {
	name: string;
	value: string;
}

const PLUS = 0x2b;
const SPACE = 0x20;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const EQUALS = 0x3d;

function hexValue(byte: number | undefined): number {
	if (byte === undefined) return -1;
	if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
	if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
	if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
	return -1;
}

/**
 * Decode one form-urlencoded component given as bytes: `+` → space, `%XX` → byte, then the
 * bytes as UTF-8. A `%` that does not start a valid escape stays literal.
 */
export function decodeFormBytes(bytes: Uint8Array): string {
	const out = Buffer.alloc(bytes.length);
	let length = 0;
	for (let i = 0; i < bytes.length; i++) {
		const byte = bytes[i];
		if (byte === PLUS) {
			out[length++] = SPACE;
		} else if (byte === PERCENT && hexValue(bytes[i + 1]) >= 0 && hexValue(bytes[i + 2]) >= 0) {
			out[length++] = hexValue(bytes[i + 1]) * 16 + hexValue(bytes[i + 2]);
			i += 2;
		} else {
			out[length++] = byte;
		}
	}
	return out.subarray(0, length).toString('utf8');
}

/**
 * Parse a form-urlencoded body (the raw bytes as received, or text) into its pairs, in order of
 * appearance, duplicates kept. Splitting happens on the bytes before any decoding, so an
 * encoded `%26` or `%3D` inside a value never splits it.
 */
export function parseFormPairs(body: string | Uint8Array): FormPair[] {
	const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
	const pairs: FormPair[] = [];
	let start = 0;
	while (start <= bytes.length) {
		let end = bytes.indexOf(AMPERSAND, start);
		if (end < 0) end = bytes.length;
		if (end > start) {
			const segment = bytes.subarray(start, end);
			const index = segment.indexOf(EQUALS);
			const name = index < 0 ? segment : segment.subarray(0, index);
			const value = index < 0 ? Buffer.alloc(0) : segment.subarray(index + 1);
			pairs.push({ name: decodeFormBytes(name), value: decodeFormBytes(value) });
		}
		start = end + 1;
	}
	return pairs;
}

/**
 * How many pairs `parseFormPairs` would return, counting no further than `limit + 1`: a scan for
 * `&` that allocates nothing, so a body of millions of fields is judged in the time of `limit`
 * fields.
 */
export function countFormFields(bytes: Uint8Array, limit: number): number {
	const body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let count = 0;
	let start = 0;
	while (start <= body.length && count <= limit) {
		let end = body.indexOf(AMPERSAND, start);
		if (end < 0) end = body.length;
		if (end > start) count++;
		start = end + 1;
	}
	return count;
}

/** Ordinal comparison by UTF-16 code units (.NET `string.CompareOrdinal`). */
export function compareOrdinal(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}

/** The values of all pairs ordered by name (ordinal, stable), concatenated. */
export function sortedValues(pairs: FormPair[]): string {
	return pairs
		.map((pair, index) => ({ pair, index }))
		.sort((x, y) => compareOrdinal(x.pair.name, y.pair.name) || x.index - y.index)
		.map(({ pair }) => pair.value)
		.join('');
}

/** `MD5(signKey + sorted values + timestamp)` as lowercase hex. The timestamp is used as sent. */
export function computeSignature(signKey: string, pairs: FormPair[], timestamp: string): string {
	return createHash('md5')
		.update(`${signKey}${sortedValues(pairs)}${timestamp}`, 'utf8')
		.digest('hex');
}

/**
 * Constant-time, case-insensitive comparison of the computed signature (lowercase hex) with the
 * `sign` header. Whatever the header holds, the same amount of work is done.
 */
export function signaturesMatch(computed: string, provided: string | undefined): boolean {
	const expected = Buffer.from(computed.toLowerCase(), 'utf8');
	const candidateText = (provided ?? '').trim().toLowerCase();
	const candidate = Buffer.from(candidateText, 'utf8');
	const sameLength = candidate.length === expected.length;
	// timingSafeEqual needs equal lengths: compare against the expected value itself when the
	// lengths differ, so the comparison still runs, and report a mismatch.
	const equal = timingSafeEqual(expected, sameLength ? candidate : expected);
	return sameLength && equal;
}

/**
 * Read the `timestamp` header: 10 digits are Unix seconds, 13 digits Unix milliseconds (the
 * docs say "decimal unix timestamp" but their example is in milliseconds). Returns the instant
 * in milliseconds, or `undefined` when the header is neither.
 */
export function parseTimestamp(header: string | undefined): number | undefined {
	const text = (header ?? '').trim();
	if (/^\d{10}$/.test(text)) return Number(text) * 1000;
	if (/^\d{13}$/.test(text)) return Number(text);
	return undefined;
}

/** Whether `timestampMs` lies within ±`toleranceSeconds` of `nowMs`; a tolerance of 0 accepts any. */
export function isTimestampFresh(timestampMs: number, nowMs: number, toleranceSeconds: number): boolean {
	if (!toleranceSeconds || toleranceSeconds <= 0) return true;
	return Math.abs(nowMs - timestampMs) <= toleranceSeconds * 1000;
}

/**
 * Why the `sign` / `timestamp` pair is refused before the body is touched, or `undefined`:
 * presence first, then (tolerance > 0) the timestamp's form and window. `timestampOptional`
 * lets a notice without any timestamp through (the Package Ready notice documents only `sign`);
 * such a notice is signed over the key and the values alone.
 */
export function presenceReason(
	sign: string | undefined,
	timestamp: string | undefined,
	toleranceSeconds: number,
	nowMs: number,
	timestampOptional = false,
): string | undefined {
	if (sign === undefined) return 'Unauthorized: missing sign header';
	if (timestamp === undefined) {
		return timestampOptional ? undefined : 'Unauthorized: missing timestamp header';
	}
	if (toleranceSeconds > 0) {
		const instant = parseTimestamp(timestamp);
		if (instant === undefined) {
			return 'Unauthorized: timestamp header is neither Unix seconds (10 digits) nor milliseconds (13 digits)';
		}
		if (!isTimestampFresh(instant, nowMs, toleranceSeconds)) {
			return `Unauthorized: timestamp outside the allowed tolerance of ${toleranceSeconds} seconds`;
		}
	}
	return undefined;
}
