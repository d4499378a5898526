import { BoundedMap } from '../../nodes/shared/boundedMap';

describe('BoundedMap', () => {
	it('10,000 distinct keys leave the 64 most recent', () => {
		const map = new BoundedMap<string, number>(64);
		for (let i = 0; i < 10_000; i++) map.set(`key-${i}`, i);
		expect(map.size).toBe(64);
		expect(map.get('key-9936')).toBe(9936);
		expect(map.get('key-9935')).toBeUndefined();
		expect(map.has('key-0')).toBe(false);
	});

	it('drops the least recently used: reading an entry keeps it', () => {
		const map = new BoundedMap<string, number>(3);
		map.set('a', 1);
		map.set('b', 2);
		map.set('c', 3);
		expect(map.get('a')).toBe(1);
		map.set('d', 4);
		expect(map.has('a')).toBe(true);
		expect(map.has('b')).toBe(false);
		// Setting an existing key makes it the most recent too, without growing the map.
		map.set('c', 30);
		map.set('e', 5);
		expect(map.size).toBe(3);
		expect(map.has('a')).toBe(false);
		expect(map.has('d')).toBe(true);
		expect(map.get('c')).toBe(30);
	});

	it('never drops a pinned entry; room is made among the others', () => {
		const map = new BoundedMap<string, { busy: boolean }>(2, (value) => value.busy);
		map.set('busy', { busy: true });
		for (let i = 0; i < 10_000; i++) map.set(`idle-${i}`, { busy: false });
		expect(map.size).toBe(2);
		expect(map.has('busy')).toBe(true);
		expect(map.has('idle-9999')).toBe(true);
	});

	it('keeps the entry just set even when every other one is pinned', () => {
		const map = new BoundedMap<string, { busy: boolean }>(1, (value) => value.busy);
		map.set('busy', { busy: true });
		map.set('new', { busy: false });
		expect(map.has('busy')).toBe(true);
		expect(map.has('new')).toBe(true);
		// Once the pinned one is no longer busy, it goes first.
		map.get('busy')!.busy = false;
		map.set('newer', { busy: false });
		expect(map.has('busy')).toBe(false);
	});
});
