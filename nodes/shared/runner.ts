import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { asNodeError } from './errors';
import { readRequestOptions } from './options';
import type { RetryPolicy } from './retry';

export interface RunItemsOptions {
	/** How many items may be in flight at once (1 keeps strict request order). */
	concurrency: number;
	/**
	 * With a value > 0: start a batch of `concurrency` items every `batchInterval` ms (a rate,
	 * like the HTTP Request node's batching). 0: a rolling pool of `concurrency` requests.
	 */
	batchInterval: number;
	continueOnFail: boolean;
}

/** One output item that carries binary data (a downloaded file) beside its JSON. */
export interface FileItem {
	json: IDataObject;
	binary: IBinaryKeyData;
}

/**
 * Output items with binary data. A class, so the runner tells them apart from a vendor reply
 * (which is plain JSON and may have any keys).
 */
export class FileItems {
	constructor(readonly items: FileItem[]) {}
}

/** What an item handler returns: one object, a list (each element becomes an item), or files. */
export type ItemResult = IDataObject | IDataObject[] | FileItems;

function toItems(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	if (result instanceof FileItems) return result.items.map(({ json, binary }) => ({ json, binary, pairedItem }));
	return (Array.isArray(result) ? result : [result]).map((json) => ({ json, pairedItem }));
}

/**
 * Runs `handler` for every input item with bounded parallelism and returns the node output in
 * input order, each item carrying `pairedItem`. With Continue On Fail a failing item yields one
 * `{ error }` item in its place; without it the first failure (in input order) stops the node
 * after in-flight items settle, and no further items are started.
 */
export async function runItems(
	ctx: IExecuteFunctions,
	handler: (itemIndex: number) => Promise<ItemResult>,
	options: RunItemsOptions,
): Promise<INodeExecutionData[][]> {
	const count = ctx.getInputData().length;
	const results: Array<INodeExecutionData[] | undefined> = new Array(count);
	const concurrency = Math.max(1, Math.floor(options.concurrency) || 1);
	let firstFailure: { index: number; error: Error } | undefined;

	const runOne = async (itemIndex: number) => {
		try {
			results[itemIndex] = toItems(await handler(itemIndex), itemIndex);
		} catch (caught) {
			const error = asNodeError(ctx.getNode(), caught, itemIndex);
			if (options.continueOnFail) {
				results[itemIndex] = [errorItem(error, itemIndex)];
			} else if (!firstFailure || itemIndex < firstFailure.index) {
				firstFailure = { index: itemIndex, error };
			}
		}
	};

	if (options.batchInterval > 0) {
		// Like n8n's HTTP Request node: a batch of `concurrency` items starts every
		// `batchInterval` ms, without waiting for the previous batch's answers (a rate, not a
		// cap on requests in flight).
		const started: Array<Promise<void>> = [];
		for (let start = 0; start < count && !firstFailure; start += concurrency) {
			if (start > 0) await sleep(options.batchInterval);
			if (firstFailure) break;
			for (let i = start; i < Math.min(count, start + concurrency); i++) started.push(runOne(i));
		}
		await Promise.all(started);
	} else {
		let next = 0;
		const worker = async () => {
			while (next < count && !firstFailure) {
				await runOne(next++);
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	}

	if (firstFailure) throw firstFailure.error;
	return [results.flatMap((r) => r ?? [])];
}

function errorItem(error: Error & { description?: string | null }, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) json.httpCode = httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The one path of every action node: read and check every item first (`prepare`, no I/O),
 * then send. Without Continue On Fail a bad row stops the node before the first request, so no
 * run is left half-done; with it, the bad row becomes its error item and the others are sent.
 */
export async function checkThenSend<Call>(
	ctx: IExecuteFunctions,
	prepare: (itemIndex: number) => Call,
	send: (call: Call, itemIndex: number) => Promise<ItemResult>,
	options: RunItemsOptions,
): Promise<INodeExecutionData[][]> {
	const prepared = ctx.getInputData().map((_, itemIndex): { call: Call } | { error: Error } => {
		try {
			return { call: prepare(itemIndex) };
		} catch (error) {
			return { error: error as Error };
		}
	});
	if (!options.continueOnFail) {
		const firstBad = prepared.find((entry): entry is { error: Error } => 'error' in entry);
		if (firstBad) throw firstBad.error;
	}
	return await runItems(
		ctx,
		async (itemIndex) => {
			const entry = prepared[itemIndex];
			if ('error' in entry) throw entry.error;
			return await send(entry.call, itemIndex);
		},
		options,
	);
}

/** What every `actions/<resource>/<op>.operation.ts` exports, in every vendor. */
export interface OperationModule<Call, VendorTransport> {
	/** The operation's fields (shown for its resource and operation). */
	description: INodeProperties[];
	/** Read and check one item's fields into the call to send; no I/O. Throws field errors. */
	prepare(this: IExecuteFunctions, itemIndex: number): Call;
	/** Send one checked call and shape its output item(s). */
	execute(this: IExecuteFunctions, transport: VendorTransport, call: Call, itemIndex: number): Promise<ItemResult>;
	/** Its effect cannot be undone (Retire, Cancel…): the editor warns, an AI agent's tool call is refused. */
	irreversible?: boolean;
}

/**
 * resource → operation → module. Each module has its own call type; `execute` is a method, so
 * a module with a narrower call type still fits `unknown` here.
 */
export type OperationTable<VendorTransport> = Record<string, Record<string, OperationModule<unknown, VendorTransport>>>;

function own<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * An action node's `execute`: pick the module of the node's resource and operation, read the
 * shared Options, then check every item and send (`checkThenSend`).
 */
export async function runOperation<VendorTransport>(
	ctx: IExecuteFunctions,
	operations: OperationTable<VendorTransport>,
	createTransport: (retry: RetryPolicy) => VendorTransport,
): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const byOperation = own(operations, resource);
	const module = byOperation ? own(byOperation, operation) : undefined;
	if (!module) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	const { retry, concurrency, batchInterval } = readRequestOptions(ctx);
	const transport = createTransport(retry);
	return await checkThenSend(
		ctx,
		(itemIndex) => module.prepare.call(ctx, itemIndex),
		async (call, itemIndex) => await module.execute.call(ctx, transport, call, itemIndex),
		{ concurrency, batchInterval, continueOnFail: ctx.continueOnFail() },
	);
}
