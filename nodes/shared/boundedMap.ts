/**
 * A Map holding at most `limit` entries, dropping the least recently used first: for caches
 * that live as long as the process and are keyed by what workflows bring (credentials, time
 * zones), so their number cannot grow without end.
 */
export class BoundedMap<K, V> {
	private readonly entries = new Map<K, V>();

	constructor(
		private readonly limit: number,
		/** Entries never dropped to make room (e.g. a login in flight): room is made among the others. */
		private readonly pinned: (value: V) => boolean = () => false,
	) {}

	get size(): number {
		return this.entries.size;
	}

	has(key: K): boolean {
		return this.entries.has(key);
	}

	/** The value, which becomes the most recently used. */
	get(key: K): V | undefined {
		const value = this.entries.get(key);
		if (value !== undefined) this.set(key, value);
		return value;
	}

	set(key: K, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, value);
		// Map iterates in insertion order: least recently used first, `key` last.
		for (const [old, entry] of this.entries) {
			if (this.entries.size <= this.limit || old === key) break;
			if (!this.pinned(entry)) this.entries.delete(old);
		}
	}
}

/**
 * For a Map of entries that expire, kept in the order they were written: drop, oldest first,
 * the expired ones and any beyond `max`, stopping at the first live one once within `max`.
 */
export function dropOldest<K, V>(map: Map<K, V>, max: number, expired: (value: V) => boolean): void {
	for (const [key, value] of map) {
		if (!expired(value) && map.size <= max) break;
		map.delete(key);
	}
}
