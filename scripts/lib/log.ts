/** Progress lines for the sandbox and the end-to-end run: `[sandbox +12.3s] message`. */
const started = Date.now();

let quiet = false;

export function setQuiet(value: boolean) {
	quiet = value;
}

export function elapsed(since = started): string {
	const seconds = (Date.now() - since) / 1000;
	if (seconds < 60) return `${seconds.toFixed(1)}s`;
	const minutes = Math.floor(seconds / 60);
	return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}

export function log(message: string) {
	if (!quiet) process.stdout.write(`[sandbox +${elapsed()}] ${message}\n`);
}

/** Always printed, even when quiet (failures, the final summary). */
export function say(message: string) {
	process.stdout.write(`[sandbox +${elapsed()}] ${message}\n`);
}

export function sleep(ms: number) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
