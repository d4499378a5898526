import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { normalizePhone } from '../../nodes/Incs/helpers/phone';
import { useSetup } from '../harness/vendor';
import { params, setup } from './setup';

const ctx = useSetup(setup);

beforeEach(() => ctx.server.resetRecording());

const phoneFromItem = params({ userPhone: '={{ $json.phone }}', options: { concurrency: 1, retryDelay: 1 } });

describe('INCS › customer phone normalisation (sent to the stand-in)', () => {
	const accepted: Array<[unknown, string]> = [
		['+62 815-1234-1234', '6281512341234'],
		['6281512341235', '6281512341235'],
		['(+62) 815.1234.1236', '6281512341236'],
		['0062 815 1234 1237', '6281512341237'],
		[' +1 (415) 555-0100 ', '14155550100'],
		['+44 (0)20 7946 0958', '442079460958'],
		['(+44) (0) 20-7946-0959', '442079460959'],
		['\t+44\u00a020 7946 0957', '442079460957'],
		[6281512341238, '6281512341238'],
		['861234', '861234'],
		['861234567890123', '861234567890123'],
		// Copied from WhatsApp or a contact card: direction marks, zero-width spaces, en dashes.
		['\u202a+62 815-1234-1240\u202c', '6281512341240'],
		['\u200e+62\u200b815 1234 1241', '6281512341241'],
		['+62 815–1234–1242', '6281512341242'],
		['\ufeff+62 815 1234 1243', '6281512341243'],
	];

	it('sends digits only, starting with the country code', async () => {
		const result = await ctx.run(
			phoneFromItem,
			{ items: accepted.map(([phone]) => ({ phone }) as IDataObject) },
		);
		expect(result.error).toBeUndefined();
		expect(ctx.server.requests.map((r) => (r.json as IDataObject).user_phone)).toEqual(
			accepted.map(([, digits]) => digits),
		);
		expect(result.items.map((i) => i.json.user_phone)).toEqual(accepted.map(([, digits]) => digits));
	});

	const rejected: Array<[string, RegExp]> = [
		['0815-1234-1234', /must start with the country code/],
		['+0062 815 1234 1234', /must start with the country code/],
		['(0) 815 1234 1234', /must start with the country code/],
		['+62 815 ABCD 1234', /must contain only digits/],
		['+62 0815 1234 1234', /has Indonesia's national 0 after the country code 62, got "\+62 0815 1234 1234"/],
		['0062 (0815) 1234 1234', /has Indonesia's national 0 after the country code 62/],
		['62 815/1234/1234', /must contain only digits/],
		['++62 815 1234 1234', /must contain only digits/],
		['62 815 1234 1234 ext 12', /must contain only digits/],
		['+ ()', /contains no digits/],
		['12345', /must have 6–15 digits including the country code, got 5/],
		['+62 8151 2341 2341 23', /must have 6–15 digits including the country code, got 16/],
	];

	it('rejects what cannot be a number with country code, naming each item, before any request', async () => {
		const result = await ctx.run(
			phoneFromItem,
			{ items: rejected.map(([phone]) => ({ phone })), continueOnFail: true },
		);
		expect(ctx.server.requests).toHaveLength(0);
		expect(result.items).toHaveLength(rejected.length);
		rejected.forEach(([, problem], index) => {
			const item = result.items[index];
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toMatch(problem);
			expect(item.json.error).toContain('"Customer Phone"');
			expect(item.json.error).toContain(`item ${index + 1} (index ${index})`);
		});
	});
});

describe('normalizePhone (property)', () => {
	it('keeps the digits of any 6–15 digit number with country code, whatever separators are pasted in', () => {
		const digits = fc
			.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 5, maxLength: 14 }))
			.map(([first, rest]) => [first, ...rest].join(''))
			// Not 620…: Indonesia's national 0 after its country code is refused (its own test above).
			.filter((number) => !number.startsWith('620'));
		const separator = fc.constantFrom('', ' ', '-', '.', ' - ', '  ', '\u2013', '\u200e');
		fc.assert(
			fc.property(digits, fc.array(separator, { minLength: 15, maxLength: 15 }), fc.constantFrom('', '+', '00', '+ '), (number, seps, prefix) => {
				const pasted = prefix + [...number].map((d, i) => d + seps[i]).join('');
				const result = normalizePhone(pasted);
				expect(result).toEqual({ ok: true, digits: number });
			}),
		);
	});

	it('never accepts fewer than 6 or more than 15 digits', () => {
		fc.assert(
			fc.property(fc.stringMatching(/^[1-9]\d{0,4}$|^[1-9]\d{15,20}$/), (number) => {
				expect(normalizePhone(number).ok).toBe(false);
			}),
		);
	});
});
