import { isValidTimeZone, wallClockAt } from '../../nodes/shared/timeZone';

/** The `n`th spelling of one zone: Intl accepts its name in any case, each a distinct text. */
function spelling(n: number): string {
	let bit = 0;
	return 'America/Argentina/ComodRivadavia'.replace(/[a-z]/gi, (letter) =>
		(n >> bit++) & 1 ? letter.toUpperCase() : letter.toLowerCase(),
	);
}

describe('time zone formatters', () => {
	afterEach(() => jest.restoreAllMocks());

	it('10,000 distinct zone texts (from an expression, say) leave at most 64 formatters', () => {
		const zones = Array.from({ length: 10_000 }, (_, n) => spelling(n));
		expect(new Set(zones).size).toBe(10_000);
		for (const zone of zones) expect(wallClockAt(0, zone)).toMatchObject({ year: 1969, month: 12, day: 31, hour: 21 });

		const built = jest.spyOn(Intl, 'DateTimeFormat');
		// The 64 most recent are kept: no formatter is built for them …
		for (const zone of zones.slice(-64)) wallClockAt(0, zone);
		expect(built).not.toHaveBeenCalled();
		// … the ones before were dropped.
		wallClockAt(0, zones[10_000 - 65]);
		wallClockAt(0, zones[0]);
		expect(built).toHaveBeenCalledTimes(2);
	});

	it('keeps no formatter for a text Intl refuses', () => {
		expect(isValidTimeZone('Nowhere/Zone')).toBe(false);
		const built = jest.spyOn(Intl, 'DateTimeFormat');
		expect(isValidTimeZone('Nowhere/Zone')).toBe(false);
		expect(built).toHaveBeenCalledTimes(1);
		expect(isValidTimeZone('Europe/Berlin')).toBe(true);
	});
});
