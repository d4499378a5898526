import { createHash } from 'node:crypto';
import { parse as parseQueryString } from 'node:querystring';

import fc from 'fast-check';

import {
	compareOrdinal,
	computeSignature,
	isTimestampFresh,
	parseFormPairs,
	parseTimestamp,
	presenceReason,
	signaturesMatch,
	sortedValues,
} from '../../nodes/Kanfang123/helpers/signature';
import { EVENT_FIELDS } from '../../nodes/Kanfang123/helpers/callback';
import {
	KANFANG123_TASK_STATE_CODES,
	KANFANG123_TASK_STATES,
	taskStateName,
} from '../../nodes/Kanfang123/helpers/states';
import { formBody, senderSign, type Params } from '../../stand-ins/callback';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const KEY = 'CdLvNRRQvy0xjORPNvuVaA';
/** One value as the body parser decodes it. */
const decodeFormComponent = (text: string) => parseFormPairs(`v=${text}`)[0].value;

describe('123kanfang signature rule', () => {
	it('gives the documented value for the StrongValidation example (B=2, A=1, C=3)', () => {
		const pairs = parseFormPairs('B=2&A=1&C=3');
		expect(sortedValues(pairs)).toBe('123');
		expect(computeSignature(KEY, pairs, '1532059200000')).toBe('d5680a902dd2de08cf2bf9df819ffb9d');
		// The doc's "transmitted" value is MD5("123456"), not a signature of the example.
		expect(computeSignature(KEY, pairs, '1532059200000')).not.toBe('e10adc3949ba59abbe56e057f20f883e');
	});

	it('decodes non-ASCII values as UTF-8 before signing', () => {
		const params: Params = [
			['userName', '张三 李四'],
			['houseId', 'bj-朝阳-001'],
			['comments', 'emoji 🏠 ok'],
		];
		const body = formBody(params);
		const pairs = parseFormPairs(Buffer.from(body, 'utf8'));
		expect(pairs).toEqual(params.map(([name, value]) => ({ name, value })));
		// comments < houseId < userName
		expect(computeSignature('k', pairs, '1')).toBe(md5('kemoji 🏠 okbj-朝阳-001张三 李四1'));
		expect(computeSignature('k', pairs, '1')).toBe(senderSign('k', params, '1'));
	});

	it('accepts raw (unencoded) UTF-8 bytes in the body as well', () => {
		const pairs = parseFormPairs(Buffer.from('userName=王五&a=1', 'utf8'));
		expect(pairs).toEqual([
			{ name: 'userName', value: '王五' },
			{ name: 'a', value: '1' },
		]);
	});

	it('signs empty values as empty strings and keeps names without "="', () => {
		const pairs = parseFormPairs('a=&b=2&c&d=4');
		expect(pairs).toEqual([
			{ name: 'a', value: '' },
			{ name: 'b', value: '2' },
			{ name: 'c', value: '' },
			{ name: 'd', value: '4' },
		]);
		expect(computeSignature('k', pairs, 't')).toBe(md5('k24t'));
	});

	it('ignores empty segments (a=1&&b=2, trailing &)', () => {
		expect(parseFormPairs('a=1&&b=2&')).toEqual([
			{ name: 'a', value: '1' },
			{ name: 'b', value: '2' },
		]);
		expect(parseFormPairs('')).toEqual([]);
	});

	it('treats "+" and "%20" both as a space, and "%2B" as a plus sign', () => {
		expect(decodeFormComponent('a+b')).toBe('a b');
		expect(decodeFormComponent('a%20b')).toBe('a b');
		expect(decodeFormComponent('a%2Bb')).toBe('a+b');
		const plus = parseFormPairs('name=John+Smith');
		const percent = parseFormPairs('name=John%20Smith');
		const literalPlus = parseFormPairs('name=John%2BSmith');
		expect(computeSignature('k', plus, '1')).toBe(md5('kJohn Smith1'));
		expect(computeSignature('k', percent, '1')).toBe(md5('kJohn Smith1'));
		expect(computeSignature('k', literalPlus, '1')).toBe(md5('kJohn+Smith1'));
	});

	it('splits only on literal "&" and the first "=": encoded ones stay inside the value', () => {
		const pairs = parseFormPairs('url=https%3A%2F%2Fx.test%2Fa%3Fb%3D1%26c%3D2&eq=a=b=c');
		expect(pairs).toEqual([
			{ name: 'url', value: 'https://x.test/a?b=1&c=2' },
			{ name: 'eq', value: 'a=b=c' },
		]);
	});

	it('leaves invalid percent escapes literal', () => {
		expect(decodeFormComponent('100%')).toBe('100%');
		expect(decodeFormComponent('%zz%4')).toBe('%zz%4');
		expect(decodeFormComponent('%e4%b8%ad')).toBe('中');
	});

	it('keeps the values of a repeated name together, in order of appearance', () => {
		const pairs = parseFormPairs('b=2&a=x&c=3&a=y&a=z');
		expect(sortedValues(pairs)).toBe('xyz23');
		expect(computeSignature('k', pairs, '9')).toBe(md5('kxyz239'));
		const swapped = parseFormPairs('b=2&a=y&c=3&a=x&a=z');
		expect(computeSignature('k', swapped, '9')).not.toBe(computeSignature('k', pairs, '9'));
	});

	it('orders mixed-case names ordinally: upper case before lower case ("B" < "a")', () => {
		const pairs = parseFormPairs('a=1&B=2&b=3&A=4&_=5&Z=6');
		// Ordinal (UTF-16 code units): A(65) B(66) Z(90) _(95) a(97) b(98)
		expect(sortedValues(pairs)).toBe('426513');
		expect(compareOrdinal('B', 'a')).toBeLessThan(0);
		expect(compareOrdinal('houseId', 'houseTaskId')).toBeLessThan(0);
		expect(compareOrdinal('x', 'x')).toBe(0);
	});

	it('orders by UTF-16 code units beyond ASCII too (like .NET ordinal)', () => {
		// U+FF5E (fullwidth tilde) is one code unit 0xFF5E; U+1F600 is the surrogate pair D83D DE00.
		// Ordinal UTF-16 puts the surrogate pair first (0xD83D < 0xFF5E); code-point order would not.
		const pairs = parseFormPairs(`${encodeURIComponent('～')}=1&${encodeURIComponent('😀')}=2`);
		expect(sortedValues(pairs)).toBe('21');
	});

	it('for every documented callback, ordinal and case-insensitive order agree', () => {
		for (const fields of Object.values(EVENT_FIELDS)) {
			const names = fields.map((f) => f.name);
			const ordinal = [...names].sort(compareOrdinal);
			const insensitive = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
			expect(ordinal).toEqual(insensitive);
		}
	});

	it('agrees with an independent sender for arbitrary forms (property test)', () => {
		const name = fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' });
		fc.assert(
			fc.property(
				fc.array(fc.tuple(name, fc.string({ maxLength: 12, unit: 'grapheme' })), { maxLength: 8 }),
				fc.boolean(),
				(params, spaceAsPlus) => {
					const body = formBody(params as Params, spaceAsPlus);
					const pairs = parseFormPairs(Buffer.from(body, 'utf8'));
					expect(pairs).toEqual(params.map(([n, v]) => ({ name: n, value: v })));
					expect(computeSignature('key', pairs, '1700000000')).toBe(
						senderSign('key', params as Params, '1700000000'),
					);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('reads the same values as n8n\'s own body parser (querystring) for well-formed bodies', () => {
		const body = 'state=50000&userName=%E5%BC%A0+%E4%B8%89&empty=&a=1&a=2';
		const parsed = parseQueryString(body);
		const pairs = parseFormPairs(body);
		expect(pairs.find((p) => p.name === 'userName')?.value).toBe(parsed.userName);
		expect(pairs.filter((p) => p.name === 'a').map((p) => p.value)).toEqual(parsed.a);
		expect(pairs.find((p) => p.name === 'empty')?.value).toBe(parsed.empty);
	});
});

describe('signature comparison', () => {
	const good = 'd5680a902dd2de08cf2bf9df819ffb9d';

	it('matches case-insensitively', () => {
		expect(signaturesMatch(good, good)).toBe(true);
		expect(signaturesMatch(good, good.toUpperCase())).toBe(true);
		expect(signaturesMatch(good, ` ${good} `)).toBe(true);
	});

	it('rejects different, shorter, longer and missing values', () => {
		expect(signaturesMatch(good, `${good.slice(0, 31)}0`)).toBe(false);
		expect(signaturesMatch(good, good.slice(0, 16))).toBe(false);
		expect(signaturesMatch(good, `${good}00`)).toBe(false);
		expect(signaturesMatch(good, '')).toBe(false);
		expect(signaturesMatch(good, undefined)).toBe(false);
		expect(signaturesMatch(good, 'e10adc3949ba59abbe56e057f20f883e')).toBe(false);
	});
});

describe('presenceReason (sign and timestamp, before the body is read)', () => {
	const pairs = parseFormPairs('B=2&A=1&C=3');
	const sign = 'd5680a902dd2de08cf2bf9df819ffb9d';
	const at = 1532059200000;

	it('passes the documented example at its own time, and with the check off at any time', () => {
		expect(presenceReason(sign, '1532059200000', 300, at + 299_000)).toBeUndefined();
		expect(presenceReason(sign, '1532059200000', 0, Date.now())).toBeUndefined();
		expect(signaturesMatch(computeSignature(KEY, pairs, '1532059200000'), sign)).toBe(true);
	});

	it('names the first problem: missing sign, missing timestamp, then time (no key or body needed)', () => {
		expect(presenceReason(undefined, undefined, 300, at)).toBe('Unauthorized: missing sign header');
		expect(presenceReason(sign, undefined, 300, at)).toBe('Unauthorized: missing timestamp header');
		expect(presenceReason(sign, '1532059200000', 300, at + 301_000)).toBe(
			'Unauthorized: timestamp outside the allowed tolerance of 300 seconds',
		);
		expect(presenceReason(sign, '15320592', 300, at)).toBe(
			'Unauthorized: timestamp header is neither Unix seconds (10 digits) nor milliseconds (13 digits)',
		);
	});

	it('without a timestamp, when that is allowed (Package Ready): passes, and the sign covers key + values alone', () => {
		const bare = createHash('md5').update(`${KEY}123`, 'utf8').digest('hex');
		expect(presenceReason(bare, undefined, 300, at, true)).toBeUndefined();
		expect(presenceReason(bare, undefined, 300, at)).toBe('Unauthorized: missing timestamp header');
		expect(signaturesMatch(computeSignature(KEY, pairs, ''), bare)).toBe(true);
		expect(signaturesMatch(computeSignature(KEY, pairs, ''), sign)).toBe(false);
	});

	it('never puts the sign in the reason', () => {
		const reasons = [presenceReason(sign, '1532059200000', 300, at + 301_000), presenceReason(sign, 'soon', 300, at)];
		for (const reason of reasons) {
			expect(reason).toBeDefined();
			expect(reason).not.toContain(sign);
		}
	});
});

describe('timestamp header', () => {
	it('reads 10 digits as seconds and 13 digits as milliseconds', () => {
		expect(parseTimestamp('1532059200')).toBe(1532059200000);
		expect(parseTimestamp('1532059200000')).toBe(1532059200000);
		expect(parseTimestamp(' 1532059200000 ')).toBe(1532059200000);
	});

	it('refuses anything else', () => {
		for (const text of ['', '153205920', '15320592000', '2018-07-20T12:00:00Z', '1532059200.5', '-1532059200', undefined]) {
			expect(parseTimestamp(text)).toBeUndefined();
		}
	});

	it('checks the tolerance both ways; 0 turns it off', () => {
		const now = 1_700_000_000_000;
		expect(isTimestampFresh(now - 300_000, now, 300)).toBe(true);
		expect(isTimestampFresh(now - 300_001, now, 300)).toBe(false);
		expect(isTimestampFresh(now + 300_001, now, 300)).toBe(false);
		expect(isTimestampFresh(now - 86_400_000, now, 0)).toBe(true);
	});
});

describe('task state names', () => {
	it('names every documented state in English and Chinese', () => {
		expect(KANFANG123_TASK_STATE_CODES).toEqual([
			-1, 0, 9000, 10000, 20000, 30000, 40000, 45000, 50000, 51000, 52000,
		]);
		expect(Object.keys(KANFANG123_TASK_STATES)).toHaveLength(11);
		expect(taskStateName(9000)).toBe('Waiting for capture (等待拍摄)');
		expect(taskStateName(50000)).toBe('Completed (已完成)');
		expect(taskStateName(-1)).toBe('Task does not exist (任务不存在)');
		expect(taskStateName('52000')).toBe('Production failed (制作失败)');
		expect(taskStateName(' 0 ')).toBe('Upload failed (上传失败)');
	});

	it('returns undefined for unknown or non-numeric states', () => {
		expect(taskStateName(12345)).toBeUndefined();
		expect(taskStateName('Finished')).toBeUndefined();
		expect(taskStateName('')).toBeUndefined();
		expect(taskStateName('toString')).toBeUndefined();
		expect(taskStateName(9000.5)).toBeUndefined();
	});
});
