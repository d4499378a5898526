import { preview } from '../../shared/validation';

/**
 * INCS wants the customer's phone as digits only, starting with the country code
 * (`6281512341234`). People paste numbers in many shapes, so the node normalises first:
 *
 * 1. invisible marks are dropped (a number copied from WhatsApp or a contact card carries
 *    direction marks and zero-width spaces); a "(0)" after the country code is dropped — the
 *    written convention for "omit this trunk 0 when dialling from abroad" (`+44 (0)20 7946 0958`
 *    is `442079460958`); then spaces (any white space), dashes of any kind, dots and
 *    parentheses are removed;
 * 2. one leading `+` is removed — or, instead, a leading `00` (the international call prefix
 *    used in most countries: `0062 815…` is the same number as `+62 815…`);
 * 3. what is left must be 6–15 digits (15 is the E.164 maximum) and must not start with `0`:
 *    no country code starts with 0, so such a number is a national number without its
 *    country code (e.g. Indonesian `0815…`), which INCS cannot route. It is rejected instead
 *    of guessing the country. Nor may Indonesia's country code be followed by its national 0
 *    (`+62 0815…`): that would be a different, wrong number.
 */
export const PHONE_MIN_DIGITS = 6;
export const PHONE_MAX_DIGITS = 15;

export type PhoneResult = { ok: true; digits: string } | { ok: false; problem: string };

export function normalizePhone(value: unknown): PhoneResult {
	if (typeof value === 'number') {
		if (!Number.isSafeInteger(value) || value < 0) {
			return { ok: false, problem: 'must be a phone number made of digits' };
		}
		value = String(value);
	}
	if (typeof value !== 'string') {
		return { ok: false, problem: 'must be a phone number given as text' };
	}
	const trimmed = value.replace(/\p{Cf}/gu, '').trim();
	if (trimmed === '') return { ok: false, problem: 'is required but empty' };
	// Quote at most 40 characters of what was pasted in error messages.
	const shown = preview(trimmed);

	let digits = trimmed.replace(/(\d[\s\p{Pd}.)]*)\(\s*0\s*\)/gu, '$1').replace(/[\s\p{Pd}.()]/gu, '');
	if (digits.startsWith('+')) {
		digits = digits.slice(1);
	} else if (digits.startsWith('00')) {
		digits = digits.slice(2);
	}
	if (digits === '') return { ok: false, problem: `contains no digits, got "${shown}"` };
	if (!/^\d+$/.test(digits)) {
		return {
			ok: false,
			problem: `must contain only digits, spaces, dashes, dots, parentheses and one leading "+", got "${shown}"`,
		};
	}
	if (digits.startsWith('0')) {
		return {
			ok: false,
			problem: `must start with the country code (e.g. 62 for Indonesia), got "${shown}" — a leading 0 is a national prefix`,
		};
	}
	if (digits.startsWith('620')) {
		return {
			ok: false,
			problem: `has Indonesia's national 0 after the country code 62, got "${shown}" — write 62 815…, not 62 0815…`,
		};
	}
	if (digits.length < PHONE_MIN_DIGITS || digits.length > PHONE_MAX_DIGITS) {
		return {
			ok: false,
			problem: `must have ${PHONE_MIN_DIGITS}–${PHONE_MAX_DIGITS} digits including the country code, got ${digits.length} in "${shown}"`,
		};
	}
	return { ok: true, digits };
}
