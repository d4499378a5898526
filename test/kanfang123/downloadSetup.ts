/**
 * Download Package tests: the 123kanfang node (with its API stand-in, which the operation must
 * never call) and two local download hosts — `host` serves the packages, `other` is where a
 * redirect leads.
 */
import { createHash } from 'node:crypto';

import type { IBinaryData, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { DownloadHost } from '../../stand-ins/download';
import type { VendorRunOptions } from '../harness/vendor';
import type { Kanfang123Setup } from './setup';
import { setup } from './setup';

export interface DownloadSetup {
	k: Kanfang123Setup;
	host: DownloadHost;
	other: DownloadHost;
	reset(): void;
	stop(): Promise<void>;
}

export async function downloadSetup(): Promise<DownloadSetup> {
	const k = await setup();
	const host = new DownloadHost();
	const other = new DownloadHost();
	await host.start();
	await other.start();
	return {
		k,
		host,
		other,
		reset: () => {
			k.reset();
			host.reset();
			other.reset();
		},
		stop: async () => {
			await host.stop();
			await other.stop();
			await k.stop();
		},
	};
}

export const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

/** Deterministic test content of `size` bytes. */
export function content(size: number, seed = 1): Buffer {
	const bytes = Buffer.alloc(size);
	for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
	// It starts like a zip archive (a local file header), as a package does.
	Buffer.from('PK\x03\x04', 'latin1').copy(bytes, 0, 0, Math.min(4, size));
	return bytes;
}

/** Run Download Package over `items`, with fast retries. */
export async function download(
	d: DownloadSetup,
	parameters: INodeParameters,
	options: VendorRunOptions & { items?: IDataObject[] } = {},
) {
	return await d.k.run(
		{
			operation: 'downloadPackage',
			packageId: 'pkg-1',
			...parameters,
			options: { retryDelay: 1, ...(parameters.options as IDataObject) },
		},
		options,
	);
}

/** The bytes of an output item's binary (the harness keeps binary data in memory). */
export function bytesOf(item: INodeExecutionData, property = 'data'): Buffer {
	const binary = item.binary?.[property] as IBinaryData;
	return Buffer.from(binary.data, 'base64');
}
