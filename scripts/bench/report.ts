/** Table output and the list of targets met or missed. */
export const fmt = (value: number, digits = 0) => value.toFixed(digits);

export function table(rows: string[][]) {
	const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
	for (const [index, row] of rows.entries()) {
		console.log(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`);
		if (index === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
	}
}

/** The targets of issue 7, each met (PASS) or not (MISS), printed at the end. */
export class Verdicts {
	private readonly list: Array<{ target: string; ok: boolean; detail: string }> = [];

	add(target: string, ok: boolean, detail: string) {
		this.list.push({ target, ok, detail });
	}

	print() {
		console.log('\nTargets');
		for (const { target, ok, detail } of this.list) console.log(`  ${ok ? 'PASS' : 'MISS'}  ${target} (${detail})`);
	}
}
