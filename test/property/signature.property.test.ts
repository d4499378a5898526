/**
 * Property-based tests (fast-check, thousands of cases) of the 123kanfang Trigger's signature
 * rule and raw-body parsing:
 *
 * - the body parser agrees with an independent implementation of the WHATWG
 *   application/x-www-form-urlencoded parser on arbitrary bytes;
 * - round trip: whatever parameters a sender signs, however it encodes them (space as `+` or
 *   `%20`, upper or lower case hex, optional escapes, raw UTF-8, pairs of different names in
 *   any order, stray `&`), the callback verifies;
 * - any single-byte change of the body that changes what is signed (the values, ordered by
 *   name) fails; changes that do not (a name renamed without changing the order, `+` for a
 *   raw space, hex case) pass, by the vendor's rule, which signs values only;
 * - any single-character change of the timestamp or of the key fails; a change of the sign
 *   header fails unless it only changes the case of a hex digit.
 *
 * The sender side (encoder and signer) is written here from the documented rule, independently
 * of the node's module.
 */
import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';

import fc from 'fast-check';

import { Kanfang123WebhookApi } from '../../credentials/Kanfang123WebhookApi.credentials';
import { Kanfang123Trigger } from '../../nodes/Kanfang123/Kanfang123Trigger.node';
import { computeSignature, parseFormPairs, presenceReason, signaturesMatch } from '../../nodes/Kanfang123/helpers/signature';
import { Harness } from '../harness/run';
import { WebhookServer } from '../harness/webhook';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
const TOLERANCE = 300;

type Params = Array<[string, string]>;

// ---------------------------------------------------------------------------------------------
// Reference side: WHATWG form parsing on bytes, and the StrongValidation signer.

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function referenceDecode(latin1: string): string {
	const bytes = latin1.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return utf8.decode(Buffer.from(bytes, 'latin1'));
}

/** application/x-www-form-urlencoded parsing (WHATWG URL §5.1) of raw bytes. */
function referenceParse(body: Uint8Array): Params {
	return Buffer.from(body)
		.toString('latin1')
		.split('&')
		.filter((segment) => segment !== '')
		.map((segment) => {
			const index = segment.indexOf('=');
			const name = index < 0 ? segment : segment.slice(0, index);
			const value = index < 0 ? '' : segment.slice(index + 1);
			return [referenceDecode(name), referenceDecode(value)] as [string, string];
		});
}

/** What the signature covers: all values ordered by name (UTF-16 code units, stable). */
function signedContent(params: Params): string {
	return params
		.map((pair, index) => ({ pair, index }))
		.sort((a, b) => (a.pair[0] < b.pair[0] ? -1 : a.pair[0] > b.pair[0] ? 1 : a.index - b.index))
		.map(({ pair }) => pair[1])
		.join('');
}

function referenceSign(key: string, params: Params, timestamp: string): string {
	return createHash('md5').update(key + signedContent(params) + timestamp, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Sender side: a form encoder with every valid choice a sender may make.

/** A small deterministic PRNG (mulberry32) driving per-character encoding choices. */
function prng(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Mode = 'always' | 'never' | 'mixed';

interface Encoding {
	seed: number;
	/** `+` or `%20` for spaces. */
	plusForSpace: Mode;
	/** Upper-case hex digits in escapes. */
	upperHex: Mode;
	/** Escape characters that need no escaping (letters, digits, punctuation). */
	escapeSafe: Mode;
	/** Send non-ASCII characters as raw UTF-8 bytes instead of escapes. */
	rawUnicode: Mode;
	/** Leave `=` unescaped inside values (the parser splits at the first `=` only). */
	literalEqualsInValue: Mode;
	/** Omit `=` after a name whose value is empty. */
	omitEmptyEquals: Mode;
	/** Add empty segments (`&&`, leading or trailing `&`). */
	strayAmpersands: boolean;
	/** Seed of the order in which pairs of different names are sent. */
	orderSeed: number;
}

const modeArb = fc.constantFrom<Mode>('always', 'never', 'mixed');

const encodingArb: fc.Arbitrary<Encoding> = fc.record({
	seed: fc.integer(),
	plusForSpace: modeArb,
	upperHex: modeArb,
	escapeSafe: modeArb,
	rawUnicode: modeArb,
	literalEqualsInValue: modeArb,
	omitEmptyEquals: modeArb,
	strayAmpersands: fc.boolean(),
	orderSeed: fc.integer(),
});

function encodeComponent(text: string, encoding: Encoding, random: () => number, isValue: boolean): string {
	const pick = (mode: Mode) => mode === 'always' || (mode === 'mixed' && random() < 0.5);
	const escapeBytes = (bytes: Buffer) =>
		[...bytes]
			.map((byte) => {
				const hex = byte.toString(16).padStart(2, '0');
				return `%${pick(encoding.upperHex) ? hex.toUpperCase() : hex.toLowerCase()}`;
			})
			.join('');
	let out = '';
	for (const char of text) {
		const bytes = Buffer.from(char, 'utf8');
		if (char === ' ') out += pick(encoding.plusForSpace) ? '+' : escapeBytes(bytes);
		else if (char === '=' && isValue && pick(encoding.literalEqualsInValue)) out += '=';
		else if (char === '&' || char === '=' || char === '+' || char === '%') out += escapeBytes(bytes);
		else if (bytes.length > 1) out += pick(encoding.rawUnicode) ? char : escapeBytes(bytes);
		else out += pick(encoding.escapeSafe) ? escapeBytes(bytes) : char;
	}
	return out;
}

/** Pairs of different names shuffled; pairs of the same name keep their relative order. */
function sendingOrder(params: Params, seed: number): Params {
	const random = prng(seed);
	const shuffled = params.map((pair) => ({ pair, key: random() })).sort((a, b) => a.key - b.key).map(({ pair }) => pair);
	const queues = new Map<string, string[]>();
	for (const [name, value] of params) queues.set(name, [...(queues.get(name) ?? []), value]);
	return shuffled.map(([name]) => [name, queues.get(name)!.shift()!] as [string, string]);
}

function encodeBody(params: Params, encoding: Encoding): { body: Buffer; sent: Params } {
	const random = prng(encoding.seed);
	const sent = sendingOrder(params, encoding.orderSeed);
	const segments = sent.map(([name, value]) => {
		const encodedName = encodeComponent(name, encoding, random, false);
		const omitEquals =
			value === '' && name !== '' && (encoding.omitEmptyEquals === 'always' || (encoding.omitEmptyEquals === 'mixed' && random() < 0.5));
		return omitEquals ? encodedName : `${encodedName}=${encodeComponent(value, encoding, random, true)}`;
	});
	if (encoding.strayAmpersands) {
		const extra = 1 + Math.floor(random() * 3);
		for (let i = 0; i < extra; i++) segments.splice(Math.floor(random() * (segments.length + 1)), 0, '');
	}
	return { body: Buffer.from(segments.join('&'), 'utf8'), sent };
}

// ---------------------------------------------------------------------------------------------
// Generators.

const tricky = fc.constantFrom('&', '=', '+', '%', ' ', '%2', '%zz', '%41', '中文', '😀', '~', '*', "'", 'é', '\r\n', '#', '?', '\u0000', '\uFEFF', '\uFFFD');
const textArb = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 10 }),
	fc.string({ unit: 'grapheme', maxLength: 6 }),
	fc.string({ unit: 'binary-ascii', maxLength: 12 }),
	fc.array(tricky, { maxLength: 5 }).map((parts) => parts.join('')),
);
/** Names: usually from a small set (so names repeat), sometimes anything. */
const nameArb = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom('state', 'State', 'houseTaskId', 'userName', 'a', 'B', '_', '中') },
	{ weight: 2, arbitrary: textArb },
);
const paramsArb: fc.Arbitrary<Params> = fc.array(fc.tuple(nameArb, textArb), { maxLength: 8 });
const keyArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 32 });
const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const timestampArb = fc
	.tuple(fc.integer({ min: -(TOLERANCE - 1), max: TOLERANCE - 1 }), fc.boolean())
	.map(([offsetSeconds, millis]) => {
		const instant = NOW + offsetSeconds * 1000;
		return millis ? String(instant) : String(Math.floor(instant / 1000));
	});
const signFormArb = fc.constantFrom('lower', 'upper', 'padded');

function signHeader(digest: string, form: string) {
	if (form === 'upper') return digest.toUpperCase();
	if (form === 'padded') return ` ${digest}\t`;
	return digest;
}

/** The trigger's checks in its order: sign and timestamp first, then the signature over the body. */
const verify = (key: string, body: Uint8Array, sign: string | undefined, timestamp: string | undefined, tolerance = TOLERANCE) =>
	presenceReason(sign, timestamp, tolerance, NOW) ??
	(signaturesMatch(computeSignature(key, parseFormPairs(body), timestamp ?? ''), sign) ? undefined : 'Unauthorized: invalid signature');

const asPairs = (params: Params) => params.map(([name, value]) => ({ name, value }));

// ---------------------------------------------------------------------------------------------

describe('raw-body parsing (property)', () => {
	it('agrees with the WHATWG form parser on arbitrary bytes', () => {
		const byteArb = fc.oneof(
			fc.integer({ min: 0, max: 255 }),
			fc.constantFrom(...Buffer.from('&=+%%%2541aFz ', 'latin1')),
		);
		fc.assert(
			fc.property(fc.array(byteArb, { maxLength: 60 }), (bytes) => {
				const body = Uint8Array.from(bytes);
				expect(parseFormPairs(body)).toEqual(asPairs(referenceParse(body)));
				expect(parseFormPairs(Buffer.from(body))).toEqual(parseFormPairs(body));
			}),
			{ numRuns: RUNS },
		);
	});

	it('returns exactly the pairs a sender encoded, in the order sent, whatever encoding it chose', () => {
		fc.assert(
			fc.property(paramsArb, encodingArb, (params, encoding) => {
				const { body, sent } = encodeBody(params, encoding);
				expect(parseFormPairs(body)).toEqual(asPairs(sent));
			}),
			{ numRuns: RUNS },
		);
	});
});

describe('signature rule (property)', () => {
	it('round trip: anything a sender signs verifies, however it is encoded and ordered', () => {
		fc.assert(
			fc.property(keyArb, paramsArb, encodingArb, timestampArb, signFormArb, (key, params, encoding, timestamp, form) => {
				const { body } = encodeBody(params, encoding);
				const sign = signHeader(referenceSign(key, params, timestamp), form);
				expect(verify(key, body, sign, timestamp)).toBeUndefined();
			}),
			{ numRuns: RUNS },
		);
	});

	it('a single-byte change of the body fails exactly when it changes what is signed', () => {
		let rejected = 0;
		let equivalent = 0;
		fc.assert(
			fc.property(
				keyArb,
				paramsArb.filter((p) => p.length > 0),
				encodingArb,
				timestampArb,
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(key, params, encoding, timestamp, position, delta) => {
					const { body } = encodeBody(params, encoding);
					fc.pre(body.length > 0);
					const sign = referenceSign(key, params, timestamp);
					const tampered = Buffer.from(body);
					const at = position % tampered.length;
					tampered[at] = (tampered[at] + delta) % 256;
					const stillSame = signedContent(referenceParse(tampered)) === signedContent(params);
					const reason = verify(key, tampered, sign, timestamp);
					if (stillSame) {
						equivalent++;
						expect(reason).toBeUndefined();
					} else {
						rejected++;
						expect(reason).toBe('Unauthorized: invalid signature');
					}
				},
			),
			{ numRuns: RUNS },
		);
		// Most byte changes alter a value or the order; the rest only touch names or encoding.
		expect(rejected).toBeGreaterThan(equivalent);
	});

	it('a single-byte change inside any value fails', () => {
		fc.assert(
			fc.property(
				keyArb,
				fc.array(fc.tuple(fc.constantFrom('state', 'houseTaskId', 'userName'), textArb.filter((v) => v !== '')), { minLength: 1, maxLength: 5 }),
				timestampArb,
				fc.nat(),
				fc.nat(),
				fc.integer({ min: 1, max: 255 }),
				(key, params, timestamp, pairIndex, byteIndex, delta) => {
					// Every byte escaped: a change of any value byte changes that value.
					const segments = params.map(([name, value]) => ({
						name: encodeURIComponent(name),
						value: [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
					}));
					const target = pairIndex % segments.length;
					const prefix = segments.slice(0, target).map((s) => `${s.name}=${s.value}&`).join('') + `${segments[target].name}=`;
					const body = Buffer.from(segments.map((s) => `${s.name}=${s.value}`).join('&'), 'utf8');
					const at = prefix.length + (byteIndex % segments[target].value.length);
					const tampered = Buffer.from(body);
					tampered[at] = (tampered[at] + delta) % 256;
					fc.pre(signedContent(referenceParse(tampered)) !== signedContent(params));
					expect(verify(key, body, referenceSign(key, params, timestamp), timestamp)).toBeUndefined();
					expect(verify(key, tampered, referenceSign(key, params, timestamp), timestamp)).toBe('Unauthorized: invalid signature');
				},
			),
			{ numRuns: RUNS },
		);
	});

	/** For any key, params and timestamp (`body` their default encoding): `check` with one character of `charArb` at a position. */
	const forAnyCharChange = (
		charArb: fc.Arbitrary<string>,
		check: (key: string, params: Params, timestamp: string, body: Buffer, change: (text: string) => string) => void,
	) =>
		fc.assert(
			fc.property(keyArb, paramsArb, timestampArb, fc.nat(), charArb, (key, params, timestamp, position, char) => {
				// `text` with its character at `position` (modulo its length) replaced by `char`; no change skips the case.
				const change = (text: string) => {
					const chars = [...text];
					const at = position % chars.length;
					fc.pre(chars[at] !== char);
					chars[at] = char;
					return chars.join('');
				};
				check(key, params, timestamp, encodeBody(params, { ...defaultEncoding }).body, change);
			}),
			{ numRuns: RUNS },
		);
	const printable = (min: number) => fc.integer({ min, max: 0x7e }).map((c) => String.fromCharCode(c));

	it('any single-character change of the timestamp fails (with and without the freshness check)', () => {
		forAnyCharChange(printable(0x21), (key, params, timestamp, body, change) => {
			const tampered = change(timestamp);
			const sign = referenceSign(key, params, timestamp);
			expect(verify(key, body, sign, timestamp)).toBeUndefined();
			expect(verify(key, body, sign, tampered)).toMatch(/^Unauthorized: /);
			expect(verify(key, body, sign, tampered, 0)).toBe('Unauthorized: invalid signature');
		});
	});

	it('a single-character change of the sign header fails unless it only changes the case of a hex letter', () => {
		forAnyCharChange(printable(0x20), (key, params, timestamp, body, change) => {
			const sign = referenceSign(key, params, timestamp);
			const tampered = change(sign);
			const reason = verify(key, body, tampered, timestamp);
			if (tampered.toLowerCase() === sign) expect(reason).toBeUndefined();
			else expect(reason).toBe('Unauthorized: invalid signature');
		});
	});

	it('a single-character change of the sign key fails', () => {
		forAnyCharChange(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), (key, params, timestamp, body, change) => {
			expect(verify(change(key), body, referenceSign(key, params, timestamp), timestamp)).toBe('Unauthorized: invalid signature');
		});
	});

	it('without a sign or timestamp header nothing verifies', () => {
		fc.assert(
			fc.property(keyArb, paramsArb, timestampArb, (key, params, timestamp) => {
				const { body } = encodeBody(params, { ...defaultEncoding });
				const sign = referenceSign(key, params, timestamp);
				expect(verify(key, body, undefined, timestamp)).toBe('Unauthorized: missing sign header');
				expect(verify(key, body, sign, undefined)).toBe('Unauthorized: missing timestamp header');
			}),
			{ numRuns: 500 },
		);
	});
});

const defaultEncoding: Encoding = {
	seed: 1,
	plusForSpace: 'always',
	upperHex: 'always',
	escapeSafe: 'never',
	rawUnicode: 'never',
	literalEqualsInValue: 'never',
	omitEmptyEquals: 'never',
	strayAmpersands: false,
	orderSeed: 1,
};

describe('the trigger over HTTP (property, fewer runs)', () => {
	const KEY = 'property-sign-key-Zq81';
	const TYPE = 'CUSTOM.kanfang123Trigger';
	let server: WebhookServer;

	beforeAll(async () => {
		const harness = new Harness({
			nodes: [{ type: TYPE, node: new Kanfang123Trigger() }],
			credentialTypes: [new Kanfang123WebhookApi()],
		});
		const credential = harness.credentials.add('kanfang123WebhookApi', { signSecret: KEY });
		server = new WebhookServer(harness, {
			type: TYPE,
			parameters: { event: 'taskStateChanged', options: { timestampTolerance: 0 } },
			credentials: { kanfang123WebhookApi: credential },
		});
		await server.start();
	});
	afterAll(async () => {
		await server.stop();
	});

	async function post(body: Buffer, headers: Record<string, string>) {
		const response = await fetch(server.productionUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body,
		});
		return { status: response.status, json: (await response.json()) as unknown };
	}

	it('accepts every signed callback and refuses it after a single-byte change of what is signed', async () => {
		await fc.assert(
			fc.asyncProperty(paramsArb, encodingArb, fc.nat(), fc.integer({ min: 1, max: 255 }), async (params, encoding, position, delta) => {
				const timestamp = String(Date.now());
				const { body } = encodeBody(params, encoding);
				const sign = referenceSign(KEY, params, timestamp);
				// A new workflow each run: no sign remembered from an earlier run.
				server.reset();

				// The changed copy first: once the genuine callback is accepted, a copy with its
				// sign is a repeat (answered 200, no execution) and no longer reaches the check.
				if (body.length > 0) {
					const tampered = Buffer.from(body);
					tampered[position % body.length] = (tampered[position % body.length] + delta) % 256;
					if (signedContent(referenceParse(tampered)) !== signedContent(params)) {
						const bad = await post(tampered, { sign, timestamp });
						expect(bad).toEqual({ status: 401, json: { state: 401, payload: 'Unauthorized: invalid signature' } });
						await server.settled();
						expect(server.executions).toHaveLength(0);
					}
				}

				const good = await post(body, { sign, timestamp });
				expect(good).toEqual({ status: 200, json: { state: 200, payload: 'Success' } });
				await server.settled();
				expect(server.executions).toHaveLength(1);
			}),
			{ numRuns: 60 },
		);
	});
});
