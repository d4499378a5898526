import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { accountLogin } from './setup';
import { Harness } from '../harness/run';
import { useSetup } from '../harness/vendor';
import { bytesOf, content, download, downloadSetup, md5 } from './downloadSetup';

const d = useSetup(downloadSetup, { reset: true });

/** Host three files and a list naming them as `body` (built from their URLs). */
function hostList(body: (urls: string[]) => string, contentType = 'application/json') {
	const files = [content(1000, 1), content(2000, 2), content(3000, 3)];
	const urls = files.map((bytes, i) => d.host.host(`/files/f${i}.jpg`, { bytes, contentType: 'image/jpeg' }));
	const listUrl = d.host.host('/list', { bytes: Buffer.from(body(urls)), contentType });
	return { files, urls, listUrl };
}

async function runList(listUrl: string, downloadOptions = {}) {
	return await download(d, { downloadUrl: listUrl, mode: 'fileList', downloadOptions });
}

describe('Download Package: File List shapes', () => {
	it.each([
		['a JSON array of URLs', (urls: string[]) => JSON.stringify(urls)],
		['a JSON array of objects with url', (urls: string[]) => JSON.stringify(urls.map((url) => ({ url })))],
		['an object wrapping the array', (urls: string[]) => JSON.stringify({ files: urls.map((url) => ({ url })) })],
		['123kanfang\'s envelope', (urls: string[]) => JSON.stringify({ state: 200, payload: urls })],
		['one URL a line', (urls: string[]) => `# package\n${urls.join('\r\n')}\n\n`],
	])('%s: one item per file with its binary, in list order', async (_shape, body) => {
		const { files, listUrl } = hostList(body, 'text/plain');
		const result = await runList(listUrl);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(
			files.map((bytes, index) => ({
				packageId: 'pkg-1',
				index,
				path: `f${index}.jpg`,
				fileName: `f${index}.jpg`,
				size: bytes.length,
				md5: md5(bytes),
				verified: false,
			})),
		);
		result.items.forEach((item, index) => {
			expect(bytesOf(item).equals(files[index])).toBe(true);
			expect(item.binary?.data.fileName).toBe(`f${index}.jpg`);
			expect(item.pairedItem).toEqual({ item: 0 });
		});
	});

	it('names, subfolders and MD5s from the list; relative URLs resolve against the list', async () => {
		const { files } = hostList(() => '');
		const listUrl = d.host.host('/list2', {
			bytes: Buffer.from(
				JSON.stringify({
					payload: {
						files: [
							{ url: '/files/f0.jpg', path: 'tiles/a.jpg', md5: md5(files[0]) },
							{ downloadUrl: 'files/f1.jpg', fileName: 'b.jpg' },
							{ href: `${d.host.baseUrl}/files/f2.jpg`, name: 'c.jpg', fileHash: md5(files[2]).toUpperCase() },
						],
					},
				}),
			),
		});
		const result = await runList(listUrl);
		expect(result.items.map((item) => [item.json.path, item.json.fileName, item.json.verified])).toEqual([
			['tiles/a.jpg', 'a.jpg', true],
			['b.jpg', 'b.jpg', false],
			['c.jpg', 'c.jpg', true],
		]);
	});

	it.each([
		['../../etc/passwd', 'etc/passwd'],
		['/etc/cron.d/x', 'etc/cron.d/x'],
		['C:\\Windows\\system32\\x.dll', 'Windows/system32/x.dll'],
		['a/./b/../c.jpg', 'a/b/c.jpg'],
		['bad\u0000name\u001f.jpg', 'badname.jpg'],
		['..', 'file-1'],
	])('an unsafe name %j becomes the relative path %j', async (name, path) => {
		const bytes = content(10);
		const url = d.host.host('/files/x.bin', { bytes });
		const listUrl = d.host.host('/list', { bytes: Buffer.from(JSON.stringify([{ url, path: name }])) });
		const result = await runList(listUrl);
		expect(result.items[0].json).toMatchObject({ path, fileName: path.split('/').pop() });
		expect(result.items[0].binary?.data.fileName).toBe(path.split('/').pop());
	});

	it('a file whose MD5 differs from the list fails the item', async () => {
		const { urls } = hostList(() => '');
		const listUrl = d.host.host('/list', { bytes: Buffer.from(JSON.stringify([{ url: urls[0], md5: '1'.repeat(32) }])) });
		const result = await runList(listUrl);
		expect(result.error?.message).toMatch(/The MD5 of "f0.jpg" does not match: expected 1{32}, received/);
	});

	it.each([
		['{"state":200,"payload":"Success"}', 'is a JSON object without a list of files'],
		['[1, 2', 'is not valid JSON'],
		['[]', 'lists no files'],
		['["ftp://x/a"]', 'has no http(s) URL in entry 1'],
		['[{"name":"a"}]', 'has no URL in entry 1'],
		['[{"url":"/a/x.jpg","name":"x.jpg"},{"url":"/b/x.jpg","name":"x.jpg"}]', 'names "x.jpg" more than once'],
	])('a list %s is an error: %s', async (body, problem) => {
		const listUrl = d.host.host('/list', { bytes: Buffer.from(body) });
		const result = await runList(listUrl);
		expect(result.error?.message).toContain(`The file list at ${listUrl} ${problem}`);
	});

	it('a file named without an extension gets the host\'s Content-Type; one with an extension is typed by it', async () => {
		const photo = d.host.host('/f/%E5%AE%A2%E5%8E%85', { bytes: content(50), contentType: 'image/jpeg; charset=binary' });
		const named = d.host.host('/f/plan.jpg', { bytes: content(60), contentType: 'application/octet-stream' });
		const listUrl = d.host.host('/list', { bytes: Buffer.from(JSON.stringify([photo, named])) });
		const result = await runList(listUrl);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.fileName, item.binary?.data.mimeType])).toEqual([
			['客厅', 'image/jpeg'],
			['plan.jpg', 'image/jpeg'],
		]);
	});

	it('names taken from URLs that repeat are numbered; keys in any letter case', async () => {
		const body = JSON.stringify({
			State: 200,
			Payload: [
				{ Url: '/api/file?id=1' },
				{ Url: '/api/file?id=2' },
				{ URL: '/a/x.jpg' },
				{ Url: '/b/x.jpg', Md5: 'A'.repeat(32) },
			],
		});
		const listUrl = d.host.host('/list', { bytes: Buffer.from(body) });
		const result = await runList(listUrl, { listOnly: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.path, item.json.url, item.json.md5])).toEqual([
			['file', `${d.host.baseUrl}/api/file?id=1`, undefined],
			['file-2', `${d.host.baseUrl}/api/file?id=2`, undefined],
			['x.jpg', `${d.host.baseUrl}/a/x.jpg`, undefined],
			['x-2.jpg', `${d.host.baseUrl}/b/x.jpg`, 'a'.repeat(32)],
		]);
	});

	it('Output List Only: the files with their URLs, nothing downloaded', async () => {
		const { urls, listUrl } = hostList((u) => JSON.stringify(u));
		const result = await runList(listUrl, { listOnly: true });
		expect(result.items.map((item) => item.json)).toEqual(
			urls.map((url, index) => ({ packageId: 'pkg-1', index, url, path: `f${index}.jpg`, fileName: `f${index}.jpg` })),
		);
		expect(result.items[0].binary).toBeUndefined();
		expect(d.host.requests.map((r) => r.path)).toEqual(['/list']);
	});

	it('Downloads at Once bounds the downloads of all items and files', async () => {
		const bytes = content(1024 * 1024);
		const urls = [0, 1, 2, 3, 4, 5].map((i) => d.host.host(`/slow/${i}.bin`, { bytes, paceMs: 10 }));
		const lists = [0, 1].map((i) => d.host.host(`/list${i}`, { bytes: Buffer.from(JSON.stringify(urls.slice(i * 3, i * 3 + 3))) }));
		const result = await download(
			d,
			{ downloadUrl: '={{ $json.list }}', mode: 'fileList', downloadOptions: { downloadsAtOnce: 2 }, options: { concurrency: 5 } },
			{ items: lists.map((list) => ({ list })) },
		);
		expect(result.items).toHaveLength(6);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 0, 0, 1, 1, 1].map((item) => ({ item })));
		expect(d.host.maxInFlight).toBeLessThanOrEqual(2);
	});
});

describe('Download Package as an AI tool', () => {
	it('is refused: a model cannot use a file', async () => {
		const harness = new Harness({ nodes: [{ type: 'CUSTOM.kanfang123Tool', node: new Kanfang123() }], credentialTypes: [new Kanfang123Api()] });
		const credential = harness.credentials.add('kanfang123Api', accountLogin(d.k.server));
		const url = d.host.host('/a.zip', { bytes: content(10) });
		const result = await harness.run({
			type: 'CUSTOM.kanfang123Tool',
			parameters: { resource: 'houseTask', operation: 'downloadPackage', downloadUrl: url, packageId: 'p' },
			credentials: { kanfang123Api: credential },
		});
		expect(result.error?.message).toMatch(/^Download Package is not available to AI agents: a model cannot use a file/);
		expect(d.host.requests).toEqual([]);
	});
});
