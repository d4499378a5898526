/**
 * Due Date: an n8n date-time sent as `YYYY-MM-DD HH:mm:ss` in the workflow's time zone, or in
 * the zone chosen under Options. Checked through the node (what AICC receives) and on the
 * conversion helper itself.
 */
import fc from 'fast-check';

import { instantOf, toAiccDateTime } from '../../nodes/Aicc/helpers/dueDate';
import { useSetup } from '../harness/vendor';
import { paths, setup } from './setup';

const ctx = useSetup(setup);
beforeEach(() => ctx.server.resetRecording());

async function sentDueDate(dueDate: unknown, timezone: string | undefined, dueDateTimeZone?: string) {
	const result = await ctx.run(
		{
			operation: 'create',
			title: 'Due date check',
			ownerId: 'agent01',
			creatorId: 'sup01',
			additionalFields: { dueDate: dueDate as string },
			options: dueDateTimeZone ? { dueDateTimeZone } : {},
		},
		{ items: [{}], settings: timezone ? { timezone } : {} },
	);
	expect(result.error).toBeUndefined();
	const sent = (ctx.server.requestsTo(paths.create).pop()!.json as { taskInfo: { dueDate?: string } }).taskInfo.dueDate;
	// What AICC got is also what the node output.
	expect(result.items[0].json.dueDate).toBe(sent);
	return sent;
}

describe('Due Date through the node', () => {
	it.each([
		// [value, workflow time zone, expected]
		['2024-05-01', 'Asia/Shanghai', '2024-05-01 00:00:00'],
		['2024-05-01', 'America/Los_Angeles', '2024-05-01 00:00:00'],
		['2024-05-01', 'Pacific/Kiritimati', '2024-05-01 00:00:00'],
		['2024-05-01T09:30:00', 'Asia/Shanghai', '2024-05-01 09:30:00'],
		['2024-05-01T09:30:00', 'America/New_York', '2024-05-01 09:30:00'],
		['2024-05-01 09:30', 'Europe/Berlin', '2024-05-01 09:30:00'],
		['2024-05-01T09:30:15.250', 'UTC', '2024-05-01 09:30:15'],
		['2024-05-01T01:30:00Z', 'Asia/Shanghai', '2024-05-01 09:30:00'],
		['2024-05-01T01:30:00Z', 'America/New_York', '2024-04-30 21:30:00'],
		['2024-05-01T01:30:00Z', 'Europe/Berlin', '2024-05-01 03:30:00'],
		['2024-05-01T01:30:00Z', 'Asia/Kolkata', '2024-05-01 07:00:00'],
		['2024-05-01T09:30:00+02:00', 'Asia/Shanghai', '2024-05-01 15:30:00'],
		['2024-05-01T09:30:00-0500', 'UTC', '2024-05-01 14:30:00'],
		['2024-01-15T12:00:00Z', 'Europe/Berlin', '2024-01-15 13:00:00'], // winter time
		['2024-07-15T12:00:00Z', 'Europe/Berlin', '2024-07-15 14:00:00'], // summer time
	])('%s in a %s workflow is sent as %s', async (value, timezone, expected) => {
		expect(await sentDueDate(value, timezone)).toBe(expected);
	});

	it('a date-only value is midnight in the chosen Due Date Time Zone, whatever the workflow zone', async () => {
		expect(await sentDueDate('2024-05-01', 'America/Los_Angeles', 'Asia/Shanghai')).toBe('2024-05-01 00:00:00');
	});

	it('a date-time without offset is read in the workflow zone and written in the chosen zone', async () => {
		// 09:30 in Berlin (CEST, +02:00) is 15:30 in Shanghai (+08:00).
		expect(await sentDueDate('2024-05-01T09:30:00', 'Europe/Berlin', 'Asia/Shanghai')).toBe('2024-05-01 15:30:00');
		// 09:30 in Shanghai is 21:30 the day before in New York (EDT, -04:00).
		expect(await sentDueDate('2024-05-01T09:30:00', 'Asia/Shanghai', 'America/New_York')).toBe('2024-04-30 21:30:00');
	});

	it('an instant with offset is written in the chosen zone', async () => {
		expect(await sentDueDate('2024-05-01T01:30:00Z', 'America/New_York', 'Asia/Tokyo')).toBe('2024-05-01 10:30:00');
	});

	it('a Luxon DateTime from an expression (like $now) is converted as an instant', async () => {
		expect(
			await sentDueDate('={{ DateTime.fromISO("2024-05-01T01:30:00", { zone: "UTC" }) }}', 'Asia/Shanghai'),
		).toBe('2024-05-01 09:30:00');
		expect(
			await sentDueDate('={{ DateTime.fromISO("2024-05-01T01:30:00Z").plus({ days: 2 }) }}', 'Europe/Berlin'),
		).toBe('2024-05-03 03:30:00');
	});

	it('$now lands within a few seconds of the current time in the workflow zone', async () => {
		const before = Date.now();
		const sent = await sentDueDate('={{ $now }}', 'UTC');
		const asUtc = Date.parse(`${sent!.replace(' ', 'T')}Z`);
		expect(asUtc).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(asUtc).toBeLessThanOrEqual(Date.now());
	});

	it('a JavaScript Date and Unix timestamps (ms and s) are instants', async () => {
		expect(await sentDueDate('={{ new Date("2024-05-01T01:30:00Z") }}', 'Asia/Shanghai')).toBe('2024-05-01 09:30:00');
		expect(await sentDueDate('={{ 1714527000000 }}', 'Asia/Shanghai')).toBe('2024-05-01 09:30:00');
		expect(await sentDueDate('={{ 1714527000 }}', 'Asia/Shanghai')).toBe('2024-05-01 09:30:00');
		expect(await sentDueDate('1714527000000', 'UTC')).toBe('2024-05-01 01:30:00');
	});

	it('without a workflow time zone, n8n\'s default zone (America/New_York) is used', async () => {
		expect(await sentDueDate('2024-05-01T01:30:00Z', undefined)).toBe('2024-04-30 21:30:00');
	});

	it('an empty Due Date is not sent', async () => {
		expect(await sentDueDate('', 'Asia/Shanghai')).toBeUndefined();
		expect(await sentDueDate('={{ $json.nothing }}', 'Asia/Shanghai')).toBeUndefined();
	});
});

describe('Due Date conversion helper', () => {
	const same = (zone: string) => ({ sourceZone: zone, targetZone: zone });

	it('handles daylight-saving gaps (forward) and overlaps (earlier instant) the same in every season', () => {
		// 02:30 does not exist in Berlin on 2024-03-31; it is read as 03:30 CEST = 01:30Z.
		expect(
			toAiccDateTime('2024-03-31T02:30:00', { sourceZone: 'Europe/Berlin', targetZone: 'UTC' }),
		).toBe('2024-03-31 01:30:00');
		// 02:30 happens twice in Berlin on 2024-10-27; the earlier one (CEST, 00:30Z) wins.
		expect(
			toAiccDateTime('2024-10-27T02:30:00', { sourceZone: 'Europe/Berlin', targetZone: 'UTC' }),
		).toBe('2024-10-27 00:30:00');
		// West of UTC too: 01:30 happens twice in New York on 2024-11-03; EDT (05:30Z) is earlier.
		expect(
			toAiccDateTime('2024-11-03T01:30:00', { sourceZone: 'America/New_York', targetZone: 'UTC' }),
		).toBe('2024-11-03 05:30:00');
		// 02:30 does not exist in New York on 2024-03-10: read as 03:30 EDT = 07:30Z.
		expect(
			toAiccDateTime('2024-03-10T02:30:00', { sourceZone: 'America/New_York', targetZone: 'UTC' }),
		).toBe('2024-03-10 07:30:00');
		// Written as-is when no conversion is asked for, even inside the gap.
		expect(toAiccDateTime('2024-03-31T02:30:00', same('Europe/Berlin'))).toBe('2024-03-31 02:30:00');
	});

	it('rejects impossible calendar values and unreadable text', () => {
		for (const bad of ['2024-02-30', '2023-02-29T10:00:00', '2024-13-01', '2024-05-01T24:00:00', '2024-05-01T10:60', '01/05/2024', 'tomorrow', '2024-05-01T10:00:00+25:00']) {
			expect(() => toAiccDateTime(bad, same('UTC'))).toThrow();
		}
		expect(toAiccDateTime('2024-02-29', same('UTC'))).toBe('2024-02-29 00:00:00');
		expect(() => toAiccDateTime({ a: 1 }, same('UTC'))).toThrow('must be a date-time, got object');
		expect(() => toAiccDateTime(NaN, same('UTC'))).toThrow('is not a valid timestamp');
	});

	it('refuses digits that would be a timestamp before 2000 (a compact date, a spreadsheet serial day)', async () => {
		for (const bad of ['20240501', '45413', 45413, 0, -1714527000, 946684799]) {
			expect(() => toAiccDateTime(bad, same('UTC'))).toThrow('would be before the year 2000: write a date as 2024-05-01');
		}
		expect(toAiccDateTime(946684800, same('UTC'))).toBe('2000-01-01 00:00:00');
		// Through the node: a field error naming Due Date and the item, nothing sent.
		const result = await ctx.run(
			{ operation: 'create', title: 'Due date check', ownerId: 'agent01', creatorId: 'sup01', additionalFields: { dueDate: '20240501' } },
			{ items: [{}], settings: { timezone: 'UTC' } },
		);
		expect(result.error?.message).toMatch(/^"Due Date" is read as a Unix timestamp, and "20240501" would be before the year 2000.*item 1 \(index 0\)$/);
		expect(ctx.server.requestsTo(paths.create)).toHaveLength(0);
	});

	const zones = ['UTC', 'Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];

	it('an instant written in a zone and read back in that zone is the same instant (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2090, 0, 1) }),
				fc.constantFrom(...zones),
				(ms, zone) => {
					const instant = Math.floor(ms / 1000) * 1000;
					const wall = toAiccDateTime(new Date(instant), same(zone))!;
					const [date, time] = wall.split(' ');
					const [year, month, day] = date.split('-').map(Number);
					const [hour, minute, second] = time.split(':').map(Number);
					const back = instantOf({ year, month, day, hour, minute, second }, zone);
					// Equal, except that a wall time that happens twice maps to its earlier instant.
					return back === instant || (back < instant && toAiccDateTime(new Date(back), same(zone)) === wall);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('converting zone A → B → A gives the original wall-clock time (property)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2090, 0, 1) }),
				fc.constantFrom(...zones),
				fc.constantFrom(...zones),
				(ms, a, b) => {
					const wallA = toAiccDateTime(new Date(ms), same(a))!;
					const wallB = toAiccDateTime(wallA.replace(' ', 'T'), { sourceZone: a, targetZone: b })!;
					const again = toAiccDateTime(wallB.replace(' ', 'T'), { sourceZone: b, targetZone: a })!;
					// Only a time that exists twice in B (overlap) may come back as its twin.
					return again === wallA || Math.abs(Date.parse(`${again.replace(' ', 'T')}Z`) - Date.parse(`${wallA.replace(' ', 'T')}Z`)) <= 3600_000;
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('README examples', () => {
	it('the Due Date table (workflow zone Europe/Berlin)', async () => {
		const rows: Array<[string, string, string]> = [
			['2024-05-01', '2024-05-01 00:00:00', '2024-05-01 00:00:00'],
			['2024-05-01T09:30:00', '2024-05-01 09:30:00', '2024-05-01 15:30:00'],
			['2024-05-01T01:30:00Z', '2024-05-01 03:30:00', '2024-05-01 09:30:00'],
		];
		for (const [value, plain, shanghai] of rows) {
			expect(await sentDueDate(value, 'Europe/Berlin')).toBe(plain);
			expect(await sentDueDate(value, 'Europe/Berlin', 'Asia/Shanghai')).toBe(shanghai);
		}
	});

	it('the Create example sends and outputs what the README says', async () => {
		const result = await ctx.run(
			{
				operation: 'create',
				title: "={{ 'Call back ' + $json.customer }}",
				ownerId: '={{ $json.agentId }}',
				creatorId: '10gg00000148QvgpaLAm',
				additionalFields: {
					priority: 'High',
					type: 'Case',
					relateId: '={{ $json.caseId }}',
					dueDate: "={{ $json.day + 'T18:00:00' }}",
				},
				options: { dueDateTimeZone: 'Asia/Shanghai' },
			},
			{ items: [{ customer: 'Li Wei', agentId: '10gg00000148QvgpaLAm', caseId: 'c6m80000014iXKHqDw3c', day: '2024-05-01' }], settings: { timezone: 'Asia/Shanghai' } },
		);
		expect(result.error).toBeUndefined();
		const sent = ctx.server.requestsTo(paths.create).pop()!;
		expect(sent.rawBody).toBe(
			JSON.stringify({
				taskInfo: {
					title: 'Call back Li Wei',
					type: 'Case',
					relateId: 'c6m80000014iXKHqDw3c',
					ownerId: '10gg00000148QvgpaLAm',
					creatorId: '10gg00000148QvgpaLAm',
					priority: 'High',
					dueDate: '2024-05-01 18:00:00',
				},
			}),
		);
		expect(result.items[0].json).toEqual({
			taskId: expect.any(String),
			...(sent.json as { taskInfo: object }).taskInfo,
		});
	});
});
