/** Run `work` over `items`, at most `concurrency` at a time, in order of the items. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) {
				const index = next++;
				await work(items[index], index);
			}
		}),
	);
}
