import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { readRequestOptions } from '../../../shared/options';
import type { FileItem } from '../../../shared/runner';
import { FileItems } from '../../../shared/runner';
import { checkChoice, checkInteger, checkString, fieldError, preview } from '../../../shared/validation';
import { isToolCall } from '../../../shared/toolMode';
import { parseFileList } from '../../helpers/fileList';
import type { DownloadedFile, DownloadLimits } from '../../transport/download';
import { downloadText, downloadToBinary, hostOf } from '../../transport/download';
import { Limiter } from '../../transport/limiter';

/**
 * Download Package: the finished data package named in the Package Ready notice
 * (HouseTask/CustomerReceivePackageDownloadNotify.md: `panoramaPackage`, `fileHash`,
 * `packageId`). The URL is a download host, not the 123kanfang API: the transport (and with
 * it the credential) is never used here.
 */

const MIB = 1024 * 1024;
/** A file list is read into memory: it names files, it is not one. */
const MAX_LIST_BYTES = 16 * MIB;

const properties: INodeProperties[] = [
	{
		displayName: 'Download URL',
		name: 'downloadUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.panoramaPackage }}',
		description:
			'The Package Ready notice\'s "panoramaPackage": a zip URL, or a URL that returns the list of files. Empty means there is nothing to download (the package is in your own storage).',
	},
	{
		displayName: 'Package ID',
		name: 'packageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.packageId }}',
		description: 'The notice\'s "packageId"; the zip is named after it, never after the file name in the URL',
	},
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{ name: 'Zip', value: 'zip', description: 'The URL is the zipped package (recommended by 123kanfang)' },
			{ name: 'File List', value: 'fileList', description: 'The URL returns a list of files to download one by one' },
		],
		default: 'zip',
		description: 'How 123kanfang delivers packages to your account (as agreed with 123kanfang)',
	},
	{
		displayName: 'File Hash',
		name: 'fileHash',
		type: 'string',
		default: '',
		placeholder: '={{ $json.fileHash }}',
		displayOptions: { show: { mode: ['zip'] } },
		description: 'The notice\'s "fileHash" (the zip\'s MD5, 32 hex digits). When set, a zip with another MD5 is an error.',
	},
	{
		displayName: 'Download Options',
		name: 'downloadOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Downloads at Once',
				name: 'downloadsAtOnce',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 2,
				description: 'How many files to download at the same time, over all items (at most "Parallel Requests" items run at once)',
			},
			{
				displayName: 'Inactivity Timeout (Ms)',
				name: 'inactivityTimeout',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60000,
				description: 'Give up a download (and retry it) when no data arrives for this long. A large file may take longer than this in total. 0 waits indefinitely.',
			},
			{
				displayName: 'Max Size (MiB)',
				name: 'maxSizeMiB',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 4096,
				description: 'Largest file accepted; a larger one is an error. 0: no limit.',
			},
			{
				displayName: 'Output List Only',
				name: 'listOnly',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/mode': ['fileList'] } },
				description: 'Whether to output the list of files (one item each, with its URL) without downloading them',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'The name of the output binary field to put the file in',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['houseTask'], operation: ['downloadPackage'] } }, properties);

export interface DownloadCall {
	url: string;
	packageId: string;
	mode: 'zip' | 'fileList';
	fileHash?: string;
	binaryPropertyName: string;
	listOnly: boolean;
	downloadsAtOnce: number;
	limits: DownloadLimits;
}

function readUrl(ctx: IExecuteFunctions, itemIndex: number): string {
	const label = 'Download URL';
	const text = checkString(ctx, itemIndex, ctx.getNodeParameter('downloadUrl', itemIndex, ''), { label, maxLength: 4000 });
	if (text === undefined) {
		throw fieldError(ctx, itemIndex, label, 'is empty: this package has nothing to download (123kanfang delivered it to your own storage)');
	}
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw fieldError(ctx, itemIndex, label, 'must be an http(s) URL');
	}
	return url.href;
}

/** Reads and checks every field of one item; no I/O. */
export function prepare(this: IExecuteFunctions, itemIndex: number): DownloadCall {
	if (isToolCall(this)) {
		// A model cannot open or pass on a file, and the download would only fill the disk.
		throw new NodeOperationError(this.getNode(), 'Download Package is not available to AI agents: a model cannot use a file', {
			itemIndex,
			description: 'Use the 123kanfang node in a workflow (e.g. after the 123kanfang Trigger) to download packages.',
		});
	}
	const url = readUrl(this, itemIndex);
	const packageId = checkString(this, itemIndex, this.getNodeParameter('packageId', itemIndex, ''), {
		label: 'Package ID',
		required: true,
		maxLength: 128,
	})!;
	if (/[/\\]|^\.\.?$/.test(packageId) || [...packageId].some((c) => c.charCodeAt(0) < 32)) {
		throw fieldError(this, itemIndex, 'Package ID', 'cannot name a file (it contains a slash, a control character or is "." / "..")');
	}
	const mode = checkChoice(this, itemIndex, this.getNodeParameter('mode', itemIndex, 'zip'), {
		label: 'Mode',
		required: true,
		allowed: ['zip', 'fileList'],
	}) as 'zip' | 'fileList';
	let fileHash: string | undefined;
	if (mode === 'zip') {
		fileHash = checkString(this, itemIndex, this.getNodeParameter('fileHash', itemIndex, ''), { label: 'File Hash' })?.toLowerCase();
		if (fileHash !== undefined && !/^[0-9a-f]{32}$/.test(fileHash)) {
			throw fieldError(this, itemIndex, 'File Hash', 'must be an MD5: 32 hex digits');
		}
	}
	const options = this.getNodeParameter('downloadOptions', itemIndex, {}) as IDataObject;
	const number = (name: string, label: string, fallback: number, rule: { min: number; max?: number }) =>
		checkInteger(this, itemIndex, options[name], { label, ...rule }) ?? fallback;
	const binaryPropertyName =
		checkString(this, itemIndex, options.binaryPropertyName, { label: 'Put Output File in Field', maxLength: 128 }) ?? 'data';
	const { retry } = readRequestOptions(this);
	return {
		url,
		packageId,
		mode,
		fileHash,
		binaryPropertyName,
		listOnly: mode === 'fileList' && options.listOnly === true,
		downloadsAtOnce: number('downloadsAtOnce', 'Downloads at Once', 2, { min: 1, max: 10 }),
		limits: {
			retry,
			maxBytes: number('maxSizeMiB', 'Max Size (MiB)', 4096, { min: 0 }) * MIB,
			inactivityMs: number('inactivityTimeout', 'Inactivity Timeout (Ms)', 60000, { min: 0 }),
		},
	};
}

/** One limiter per execution (a WeakMap: it goes with the execution's context). */
const limiters = new WeakMap<IExecuteFunctions, Limiter>();

function limiterFor(ctx: IExecuteFunctions, limit: number): Limiter {
	let limiter = limiters.get(ctx);
	if (!limiter) {
		limiter = new Limiter(limit);
		limiters.set(ctx, limiter);
	}
	return limiter;
}

function mismatch(ctx: IExecuteFunctions, itemIndex: number, what: string, expected: string, received: string) {
	const message = `The MD5 of ${what} does not match: expected ${expected}, received ${received}`;
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		message,
		description: 'The file is damaged or not the one announced; it was not passed on. Download it again, or ask 123kanfang.',
		itemIndex,
	});
}

/** A zip archive starts with a local file header, or (when empty) with its end record. */
function isZip(head: Buffer): boolean {
	const signature = head.subarray(0, 4).toString('latin1');
	return signature === 'PK\x03\x04' || signature === 'PK\x05\x06';
}

function fileItem(call: DownloadCall, json: IDataObject, file: DownloadedFile, verified: boolean): FileItem {
	return { json: { ...json, size: file.size, md5: file.md5, verified }, binary: { [call.binaryPropertyName]: file.binary } };
}

async function downloadZip(ctx: IExecuteFunctions, call: DownloadCall, itemIndex: number, limiter: Limiter) {
	const fileName = `${call.packageId}.zip`;
	const file = await limiter.run(
		async () => await downloadToBinary(ctx, { url: call.url, fileName, mimeType: 'application/zip', itemIndex }, call.limits),
	);
	if (call.fileHash && file.md5 !== call.fileHash) throw mismatch(ctx, itemIndex, `package ${call.packageId}`, call.fileHash, file.md5);
	// Without a File Hash nothing else says that a zip came: an error page served with HTTP 200,
	// or a file list, would otherwise be passed on as the package.
	if (!call.fileHash && !isZip(file.head)) {
		const message = `The file at ${hostOf(call.url)} is not a zip file (package ${call.packageId})`;
		throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
			message,
			description: `It starts with "${preview(file.head.toString('latin1').replace(/[^\x20-\x7e]/g, '.'))}". The link may have expired, or this account gets a list of files: then set Mode to File List.`,
			itemIndex,
		});
	}
	return new FileItems([fileItem(call, { packageId: call.packageId, fileName }, file, call.fileHash !== undefined)]);
}

async function downloadList(ctx: IExecuteFunctions, call: DownloadCall, itemIndex: number, limiter: Limiter) {
	const text = await downloadText(ctx, { url: call.url, fileName: 'list', itemIndex }, { ...call.limits, maxBytes: MAX_LIST_BYTES });
	const files = parseFileList(text, call.url, (problem) => {
		const message = `The file list at ${hostOf(call.url)} ${problem}`;
		return new NodeApiError(ctx.getNode(), { message } as JsonObject, { message, itemIndex });
	});
	if (call.listOnly) {
		return files.map((file, index) => ({ packageId: call.packageId, index, ...file }));
	}
	const settled = await Promise.allSettled(
		files.map(async (file, index) => {
			const downloaded = await limiter.run(
				async () => await downloadToBinary(ctx, { url: file.url, fileName: file.fileName, itemIndex }, call.limits),
			);
			if (file.md5 && downloaded.md5 !== file.md5) throw mismatch(ctx, itemIndex, `"${file.path}"`, file.md5, downloaded.md5);
			const json = { packageId: call.packageId, index, path: file.path, fileName: file.fileName };
			return fileItem(call, json, downloaded, file.md5 !== undefined);
		}),
	);
	const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
	if (failed) throw failed.reason;
	return new FileItems(settled.map((result) => (result as PromiseFulfilledResult<FileItem>).value));
}

/** Zip: one item with the package; File List: one item per file (or the list only). */
export async function execute(this: IExecuteFunctions, _transport: unknown, call: DownloadCall, itemIndex: number) {
	const limiter = limiterFor(this, call.downloadsAtOnce);
	return call.mode === 'zip'
		? await downloadZip(this, call, itemIndex, limiter)
		: await downloadList(this, call, itemIndex, limiter);
}
