import { generatedMd5 } from '../../stand-ins/download';
import { useSetup } from '../harness/vendor';
import { bytesOf, content, download, downloadSetup, md5 } from './downloadSetup';

const d = useSetup(downloadSetup, { reset: true });

const ETAG = '"v1-abc"';
const LAST_MODIFIED = 'Wed, 02 Dec 2026 10:00:00 GMT';

function hostZip(bytes: Buffer, file: Parameters<typeof d.host.host>[1] = {}) {
	return d.host.host('/packages/storage-name-123.zip', { bytes, etag: ETAG, lastModified: LAST_MODIFIED, ...file });
}

describe('Download Package: Zip', () => {
	it('streams the zip into a binary named <packageId>.zip with its MD5 verified', async () => {
		const bytes = content(300_000);
		const url = hostZip(bytes);
		const result = await download(d, { downloadUrl: url, packageId: 'pkg_0042', fileHash: md5(bytes).toUpperCase() });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toEqual({ packageId: 'pkg_0042', fileName: 'pkg_0042.zip', size: bytes.length, md5: md5(bytes), verified: true });
		// Named by the Package ID, never by the file name in the URL.
		expect(item.binary?.data).toMatchObject({ fileName: 'pkg_0042.zip', mimeType: 'application/zip' });
		expect(bytesOf(item).equals(bytes)).toBe(true);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('without a File Hash: the MD5 is reported, verified is false', async () => {
		const bytes = content(1000);
		const result = await download(d, { downloadUrl: hostZip(bytes) });
		expect(result.items[0].json).toMatchObject({ md5: md5(bytes), verified: false });
	});

	it('without a File Hash, what is not a zip (an error page with HTTP 200, a file list) is an error, not a package', async () => {
		const page = Buffer.from('<html><body>AccessDenied: the link has expired</body></html>');
		const result = await download(d, { downloadUrl: hostZip(page, { contentType: 'text/html' }), packageId: 'pkg_html' });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/^The file at http:\/\/127\.0\.0\.1:\d+\/packages\/storage-name-123\.zip is not a zip file \(package pkg_html\)$/);
		expect(result.error?.description).toBe('It starts with "<html><b". The link may have expired, or this account gets a list of files: then set Mode to File List.');
		// With a File Hash the hash decides: the bytes it names are passed on whatever they are.
		const verified = await download(d, { downloadUrl: hostZip(page), packageId: 'pkg_html', fileHash: md5(page) });
		expect(verified.items[0].json).toMatchObject({ verified: true, size: page.length });
	});

	it('Mode from an expression in any letter case', async () => {
		const bytes = content(100);
		const result = await download(d, { downloadUrl: hostZip(bytes), mode: '={{ "ZIP" }}' });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ size: 100, verified: false });
	});

	it('a hash mismatch is an error naming the expected and received hashes', async () => {
		const bytes = content(5000);
		const wrong = 'ffffffffffffffffffffffffffffffff';
		const result = await download(d, { downloadUrl: hostZip(bytes), fileHash: wrong });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toContain(`expected ${wrong}, received ${md5(bytes)}`);
	});

	it('puts the file in the binary field the options name', async () => {
		const bytes = content(100);
		const result = await download(d, { downloadUrl: hostZip(bytes), downloadOptions: { binaryPropertyName: 'package' } });
		expect(Object.keys(result.items[0].binary ?? {})).toEqual(['package']);
		expect(bytesOf(result.items[0], 'package').equals(bytes)).toBe(true);
	});

	it('never sends a 123kanfang credential to the download host, nor calls the API', async () => {
		const token = 'secret-kanfang-token-5c1d';
		d.k.server.staticTokens.add(token);
		const bytes = content(2000);
		const path = '/signed/pkg.zip';
		const target = d.other.host(path, { bytes, etag: ETAG });
		d.host.host('/redirect/pkg.zip', { reply: { status: 302, headers: { location: `${target}?sig=abc` } } });
		for (const authorizationLocation of ['header', 'cookie', 'body']) {
			const credential = d.k.credential({ authentication: 'accessToken', accessToken: token, authorizationLocation });
			const result = await download(d, { downloadUrl: `${d.host.baseUrl}/redirect/pkg.zip`, fileHash: md5(bytes) }, { credential });
			expect(result.error).toBeUndefined();
			expect(bytesOf(result.items[0]).equals(bytes)).toBe(true);
		}
		const seen = [...d.host.requests, ...d.other.requests];
		expect(d.other.requestsTo(path)).toHaveLength(3);
		for (const request of seen) {
			expect(JSON.stringify(request)).not.toContain(token);
			expect(request.headers.authorization).toBeUndefined();
			expect(request.headers.cookie).toBeUndefined();
		}
		expect(d.k.server.requests).toEqual([]);
	});

	it('resumes a body cut short with Range + If-Range (ETag), MD5 over all bytes', async () => {
		const bytes = content(200_000);
		const url = hostZip(bytes);
		d.host.inject('/packages/storage-name-123.zip', { kind: 'cut', afterBytes: 70_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(bytes) });

		expect(result.error).toBeUndefined();
		expect(bytesOf(result.items[0]).equals(bytes)).toBe(true);
		expect(result.items[0].json).toMatchObject({ size: bytes.length, verified: true });
		const requests = d.host.requestsTo('/packages/storage-name-123.zip');
		expect(requests).toHaveLength(2);
		expect(requests[0].headers.range).toBeUndefined();
		expect(requests[1].headers.range).toBe('bytes=70000-');
		expect(requests[1].headers['if-range']).toBe(ETAG);
	});

	it('resumes after the connection is reset mid-body', async () => {
		const bytes = content(120_000);
		const url = hostZip(bytes);
		d.host.inject('/packages/storage-name-123.zip', { kind: 'reset', afterBytes: 50_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(bytes) });
		expect(result.error).toBeUndefined();
		expect(bytesOf(result.items[0]).equals(bytes)).toBe(true);
		const requests = d.host.requestsTo('/packages/storage-name-123.zip');
		expect(requests).toHaveLength(2);
		expect(requests[1].headers.range).toMatch(/^bytes=\d+-$/);
	});

	it('uses Last-Modified for If-Range when the ETag is weak', async () => {
		const bytes = content(50_000);
		const url = hostZip(bytes, { etag: 'W/"weak"' });
		d.host.inject('/packages/storage-name-123.zip', { kind: 'cut', afterBytes: 10_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(bytes) });
		expect(result.error).toBeUndefined();
		expect(d.host.requestsTo('/packages/storage-name-123.zip')[1].headers['if-range']).toBe(LAST_MODIFIED);
	});

	it('starts again from the first byte when nothing proves the file is the same', async () => {
		const bytes = content(60_000);
		const url = hostZip(bytes, { etag: undefined, lastModified: undefined });
		d.host.inject('/packages/storage-name-123.zip', { kind: 'cut', afterBytes: 20_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(bytes) });
		expect(result.error).toBeUndefined();
		expect(bytesOf(result.items[0]).equals(bytes)).toBe(true);
		const requests = d.host.requestsTo('/packages/storage-name-123.zip');
		expect(requests).toHaveLength(2);
		expect(requests[1].headers.range).toBeUndefined();
	});

	it('starts again when the server does not allow ranges', async () => {
		const bytes = content(60_000);
		const url = hostZip(bytes, { acceptRanges: false });
		d.host.inject('/packages/storage-name-123.zip', { kind: 'cut', afterBytes: 20_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(bytes) });
		expect(bytesOf(result.items[0]).equals(bytes)).toBe(true);
		expect(d.host.requestsTo('/packages/storage-name-123.zip')[1].headers.range).toBeUndefined();
	});

	it('starts again when the file changed between the cut and the resume (200 to If-Range)', async () => {
		const old = content(40_000, 1);
		const fresh = content(40_000, 2);
		// The file is replaced after the first answer: the If-Range ETag no longer matches.
		const url = hostZip(old, { nextVersion: { bytes: fresh, etag: '"v2"' } });
		d.host.inject('/packages/storage-name-123.zip', { kind: 'cut', afterBytes: 15_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(fresh) });
		expect(result.error).toBeUndefined();
		// Never a mix of the two versions.
		expect(bytesOf(result.items[0]).equals(fresh)).toBe(true);
		const requests = d.host.requestsTo('/packages/storage-name-123.zip');
		expect(requests.map((r) => r.headers.range)).toEqual([undefined, 'bytes=15000-', undefined]);
	});

	it('gives up after Max Retries, naming how far it got, and yields no file', async () => {
		const bytes = content(30_000);
		const url = hostZip(bytes);
		for (let i = 0; i < 3; i++) d.host.inject('/packages/storage-name-123.zip', { kind: 'cut', afterBytes: 1000 });
		const result = await download(d, { downloadUrl: url, options: { maxRetries: 2 } });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toMatch(/cut short after 3000 of 30000 bytes \(gave up after 2 retries\)/);
	});

	it('retries HTTP 503 and fails on 404 with the status', async () => {
		const bytes = content(1000);
		const url = hostZip(bytes);
		d.host.inject('/packages/storage-name-123.zip', { kind: 'status', status: 503 });
		const ok = await download(d, { downloadUrl: url });
		expect(bytesOf(ok.items[0]).equals(bytes)).toBe(true);

		const missing = await download(d, { downloadUrl: `${d.host.baseUrl}/nothing.zip?signature=s3cr3t` });
		expect(missing.error?.message).toBe(`The download host answered HTTP 404 for ${d.host.baseUrl}/nothing.zip`);
		// The signed query is not repeated in the error.
		expect(`${missing.error?.message} ${missing.error?.description}`).not.toContain('s3cr3t');
	});

	it('Max Size: a larger Content-Length is refused before the body is read', async () => {
		const url = hostZip(content(3 * 1024 * 1024));
		const result = await download(d, { downloadUrl: url, downloadOptions: { maxSizeMiB: 2 } });
		expect(result.error?.message).toMatch(/is 3145728 bytes, more than the Max Size \(2097152 bytes\)/);
		expect(d.host.requests).toHaveLength(1);
	});

	it('Inactivity Timeout limits silence, not the whole transfer: a slow but steady download completes', async () => {
		// 16 slices of 256 KiB, 100 ms apart: longer in total than the timeout, never silent for it.
		const size = 4 * 1024 * 1024;
		const url = d.host.host('/slow.zip', { size, etag: ETAG, paceMs: 100 });
		const result = await download(d, { downloadUrl: url, fileHash: await generatedMd5(size), downloadOptions: { inactivityTimeout: 1000 } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ size, verified: true });
		expect(d.host.requestsTo('/slow.zip')).toHaveLength(1);
	});

	it('Inactivity Timeout: a stalled body is given up and resumed', async () => {
		const bytes = content(80_000);
		const url = hostZip(bytes);
		d.host.inject('/packages/storage-name-123.zip', { kind: 'stall', afterBytes: 30_000 });
		const result = await download(d, { downloadUrl: url, fileHash: md5(bytes), downloadOptions: { inactivityTimeout: 300 } });
		expect(result.error).toBeUndefined();
		expect(bytesOf(result.items[0]).equals(bytes)).toBe(true);
		expect(d.host.requestsTo('/packages/storage-name-123.zip')[1].headers.range).toBe('bytes=30000-');
	});
});

describe('Download Package: checks before any download', () => {
	it('an empty Download URL names the field and the item: nothing to download', async () => {
		const result = await download(d, { downloadUrl: '={{ $json.url }}' }, { items: [{ url: 'http://127.0.0.1:1/a.zip' }, { url: '' }] });
		expect(result.error?.message).toBe(
			'"Download URL" is empty: this package has nothing to download (123kanfang delivered it to your own storage) — item 2 (index 1)',
		);
		expect(d.host.requests).toEqual([]);
	});

	it.each([
		['Download URL', { downloadUrl: 'ftp://host/a.zip' }, 'must be an http(s) URL'],
		['Download URL', { downloadUrl: 'not a url' }, 'must be an http(s) URL'],
		['File Hash', { fileHash: 'abc' }, 'must be an MD5: 32 hex digits'],
		['Package ID', { packageId: '../etc/passwd' }, 'cannot name a file'],
		['Package ID', { packageId: '={{ "" }}' }, 'is required but empty'],
		['Max Size (MiB)', { downloadOptions: { maxSizeMiB: -1 } }, 'must be at least 0'],
		['Downloads at Once', { downloadOptions: { downloadsAtOnce: 0 } }, 'must be at least 1'],
	])('"%s" is checked: %j', async (label, parameters, problem) => {
		const url = hostZip(content(10));
		const result = await download(d, { downloadUrl: url, ...parameters }, { items: [{}, {}] });
		expect(result.error?.message).toContain(`"${label}" ${problem}`);
		expect(result.error?.message).toContain('item 1 (index 0)');
		expect(d.host.requests).toEqual([]);
	});

	it('Continue On Fail: one item per input item, with pairedItem, the others downloaded', async () => {
		const bytes = content(500);
		const url = hostZip(bytes);
		const result = await download(
			d,
			{ downloadUrl: '={{ $json.url }}', fileHash: '={{ $json.hash }}' },
			{
				continueOnFail: true,
				items: [
					{ url, hash: md5(bytes) },
					{ url: '', hash: '' },
					{ url, hash: '0'.repeat(32) },
				],
			},
		);
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toMatchObject({ verified: true });
		expect(result.items[1].json.error).toMatch(/"Download URL" is empty/);
		expect(result.items[2].json.error).toMatch(/does not match: expected 0{32}/);
		expect(result.items[2].binary).toBeUndefined();
	});
});
