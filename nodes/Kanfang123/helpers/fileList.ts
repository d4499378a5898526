/**
 * The "file list" way of getting a 123kanfang package (Agreement/DownloadPackageWay.md): a URL
 * that "returns a list of files to download one by one". Its format is not documented, so the
 * shapes a list URL most plausibly answers are accepted:
 *
 * - a JSON array of URLs: `["https://…/a.jpg", …]`
 * - a JSON array of objects with `url` (or `downloadUrl`, `href`) and optionally a name
 *   (`path`, `fileName`, `name`) and an MD5 (`md5`, `fileHash`, `hash`), keys in any letter case
 * - a JSON object wrapping such an array (`{"files": […]}`, 123kanfang's own envelope
 *   `{"state": 200, "payload": […]}`, or one level deeper: `{"payload": {"files": […]}}`)
 * - plain text, one URL a line (blank lines and lines starting with # are skipped)
 *
 * Relative URLs are resolved against the list's URL. Names from the list are made safe: no
 * absolute paths, no `..`, no control characters; subfolders are kept as a relative path.
 */

export interface ListedFile {
	url: string;
	/** A safe relative path ("tiles/1.jpg"), never absolute, never leaving its folder. */
	path: string;
	/** The last segment of `path`. */
	fileName: string;
	md5?: string;
}

/** A listed file whose name was taken from its URL (the list gave none). */
type ParsedFile = ListedFile & { fromUrl?: true };

/** Builds the error for a list that cannot be used (`problem` completes "The file list …"). */
export type ListProblem = (problem: string) => Error;

const URL_KEYS = ['url', 'downloadUrl', 'href'];
const NAME_KEYS = ['path', 'fileName', 'name'];
const HASH_KEYS = ['md5', 'fileHash', 'hash'];

type Entry = string | Record<string, unknown>;

/** The first of `keys` (in any letter case: `Url`, `FileName`…) that holds text. */
function pick(entry: Record<string, unknown>, keys: string[]): string | undefined {
	const byLowerCase = new Map(Object.entries(entry).map(([key, value]) => [key.toLowerCase(), value]));
	for (const key of keys) {
		const value = byLowerCase.get(key.toLowerCase());
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

/** The array of entries in a parsed JSON list (see the file comment for the shapes). */
function entriesOf(parsed: unknown): Entry[] | undefined {
	if (Array.isArray(parsed)) return parsed as Entry[];
	if (!parsed || typeof parsed !== 'object') return undefined;
	const values = Object.values(parsed as Record<string, unknown>);
	const array = values.find(Array.isArray);
	if (array) return array as Entry[];
	for (const value of values) {
		if (value && typeof value === 'object') {
			const inner = Object.values(value as Record<string, unknown>).find(Array.isArray);
			if (inner) return inner as Entry[];
		}
	}
	return undefined;
}

function withoutControlCharacters(text: string): string {
	return [...text].filter((character) => character.charCodeAt(0) >= 32 && character !== '\u007f').join('');
}

/**
 * A safe relative path from a name in the list (or the URL's last segment): segments split
 * on / and \, without drive letters, ".", ".." or control characters. Empty: `fallback`.
 */
export function safePath(name: string, fallback: string): string {
	const segments = name
		.replace(/^[a-zA-Z]:/, '')
		.split(/[/\\]+/)
		.map((segment) => withoutControlCharacters(segment).trim().slice(0, 255))
		.filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
	return segments.length ? segments.join('/') : fallback;
}

function nameFromUrl(url: URL): string {
	const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

function parseUrl(raw: string, base: string): URL | undefined {
	try {
		return new URL(raw, base);
	} catch {
		return undefined;
	}
}

function parseJson(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

function toFile(entry: Entry, index: number, listUrl: string, fail: ListProblem): ParsedFile {
	const where = `entry ${index + 1}`;
	const raw = typeof entry === 'string' ? entry.trim() : entry && typeof entry === 'object' ? pick(entry, URL_KEYS) : undefined;
	if (!raw) throw fail(`has no URL in ${where} (expected a URL or an object with "url")`);
	const url = parseUrl(raw, listUrl);
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw fail(`has no http(s) URL in ${where}`);
	const named = typeof entry === 'object' ? pick(entry, NAME_KEYS) : undefined;
	const path = safePath(named ?? nameFromUrl(url), `file-${index + 1}`);
	const md5 = typeof entry === 'object' ? pick(entry, HASH_KEYS)?.toLowerCase() : undefined;
	if (md5 !== undefined && !/^[0-9a-f]{32}$/.test(md5)) throw fail(`has an MD5 that is not 32 hex digits in ${where}`);
	return { url: url.href, path, fileName: path.split('/').pop()!, ...(md5 ? { md5 } : {}), ...(named ? {} : { fromUrl: true }) };
}

/** "tiles/a.jpg" → "tiles/a-2.jpg" */
function numbered(path: string, n: number): string {
	const dot = path.lastIndexOf('.');
	const slash = path.lastIndexOf('/');
	return dot > slash + 1 ? `${path.slice(0, dot)}-${n}${path.slice(dot)}` : `${path}-${n}`;
}

/** Parse a file list answer (JSON or one URL a line) into the files to fetch. */
export function parseFileList(text: string, listUrl: string, fail: ListProblem): ListedFile[] {
	const trimmed = text.trim();
	let entries: Entry[] | undefined;
	if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
		const parsed = parseJson(trimmed);
		if ('error' in parsed) throw fail(`is not valid JSON (${parsed.error})`);
		entries = entriesOf(parsed.value);
		if (!entries) throw fail('is a JSON object without a list of files');
	} else {
		entries = trimmed
			.split(/\r?\n/)
			.map((line) => line.trim())
			.filter((line) => line !== '' && !line.startsWith('#'));
	}
	if (!entries.length) throw fail('lists no files');
	const files = entries.map((entry, index) => toFile(entry, index, listUrl, fail));
	// Two entries with one name would overwrite each other when written to a folder. Names the
	// list gives must be unique; names taken from URLs (`…/file?id=1`, `…/file?id=2`) are numbered.
	const seen = new Set<string>();
	return files.map(({ fromUrl, ...file }) => {
		let path = file.path;
		for (let n = 2; seen.has(path) && fromUrl; n++) path = numbered(file.path, n);
		if (seen.has(path)) throw fail(`names "${file.path}" more than once`);
		seen.add(path);
		return { ...file, path, fileName: path.split('/').pop()! };
	});
}
