import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { asNodeError, vendorCodeOf } from './errors';
import { readRequestOptions } from './options';
import type { RetryPolicy } from './retry';
import { errorTextForModel, irreversibleRefusal, isToolCall, MAX_ITEMS_FOR_MODEL, simplifyItem } from './toolMode';

export interface RunItemsOptions {
	/** How many items may be in flight at once (1 keeps strict request order). */
	concurrency: number;
	/**
	 * With a value > 0: start a batch of `concurrency` items every `batchInterval` ms (a rate,
	 * like the HTTP Request node's batching). 0: a rolling pool of `concurrency` requests.
	 */
	batchInterval: number;
	continueOnFail: boolean;
	/** An AI agent's tool call: errors become one short line of text the model can read. */
	toolCall?: boolean;
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
async function runItems(
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
			if (options.toolCall) forModel(error);
			if (options.continueOnFail) {
				const errorOutput = !options.toolCall && ctx.getNode().onError === 'continueErrorOutput';
				results[itemIndex] = [errorItem(error, itemIndex, errorOutput)];
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

/**
 * An error an AI model reads (n8n hands it the message, or the error item with Continue On
 * Fail): the message and description as one short line of plain text.
 */
function forModel(error: Error & { description?: string | null }) {
	error.message = errorTextForModel(error);
	error.description = undefined;
}

/**
 * A Continue On Fail item: `error` (message), `description`, `httpCode` (the HTTP status, as
 * text) and `vendorCode` (the code in the vendor's envelope), each only when known. With
 * "Continue (using error output)" n8n sends an item to the error output only when its JSON
 * holds nothing but `error` (adding the input item's fields to it), so there the same fields
 * sit inside `error`.
 */
function errorItem(error: Error & { description?: string | null }, itemIndex: number, errorOutput: boolean): INodeExecutionData {
	const fields: IDataObject = {};
	if (error.description) fields.description = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) fields.httpCode = httpCode;
	const vendorCode = vendorCodeOf(error);
	if (vendorCode !== undefined) fields.vendorCode = vendorCode;
	const json = errorOutput ? { error: { message: error.message, ...fields } } : { error: error.message, ...fields };
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The one path of every action node: read and check every item first (`prepare`, no I/O),
 * then send. Without Continue On Fail a bad row stops the node before the first request, so no
 * run is left half-done; with it, the bad row becomes its error item and the others are sent.
 */
async function checkThenSend<Call>(
	ctx: IExecuteFunctions,
	prepare: (itemIndex: number) => Call,
	send: (call: Call, itemIndex: number) => Promise<ItemResult>,
	options: RunItemsOptions,
): Promise<INodeExecutionData[][]> {
	const prepared = ctx.getInputData().map((_, itemIndex): { call: Call } | { error: Error } => {
		try {
			return { call: prepare(itemIndex) };
		} catch (error) {
			const nodeError = asNodeError(ctx.getNode(), error, itemIndex);
			if (options.toolCall) forModel(nodeError);
			return { error: nodeError };
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

/**
 * What `execute` may use: the node's context without `getNodeParameter`. Every parameter is
 * read and checked in `prepare`, for every item, before the first request; the type keeps an
 * operation from reading (and failing on) a parameter after items were already sent.
 */
export type SendContext = Omit<IExecuteFunctions, 'getNodeParameter'>;

/** What every `actions/<resource>/<op>.operation.ts` exports, in every vendor. */
export interface OperationModule<Call, VendorTransport> {
	/** The operation's fields (shown for its resource and operation). */
	description: INodeProperties[];
	/** Read and check one item's fields into the call to send; no I/O. Throws field errors. */
	prepare(this: IExecuteFunctions, itemIndex: number): Call;
	/** Send one checked call and shape its output item(s); reads no parameter. */
	execute(this: SendContext, transport: VendorTransport, call: Call, itemIndex: number): Promise<ItemResult>;
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

/** The operations of a table that cannot be undone (their tool calls need the user's consent). */
export function irreversibleOperations<VendorTransport>(operations: OperationTable<VendorTransport>): string[] {
	const names = Object.values(operations).flatMap((byOperation) =>
		Object.entries(byOperation)
			.filter(([, module]) => module.irreversible)
			.map(([name]) => name),
	);
	return [...new Set(names)].sort();
}

/** A tool call's reply for the model (Simplify on): each item simplified, at most MAX_ITEMS_FOR_MODEL. */
function simplified(result: ItemResult): ItemResult {
	if (result instanceof FileItems) {
		return new FileItems(result.items.map(({ json, binary }) => ({ json: simplifyItem(json), binary })));
	}
	if (!Array.isArray(result)) return simplifyItem(result);
	const items = result.slice(0, MAX_ITEMS_FOR_MODEL).map(simplifyItem);
	if (result.length > MAX_ITEMS_FOR_MODEL) {
		items.push({
			note: `${result.length - MAX_ITEMS_FOR_MODEL} more results not shown. Narrow the search, or ask a person to turn off "Simplify" in the tool.`,
		});
	}
	return items;
}

/**
 * n8n's Retry On Fail re-runs the whole node, every item; our Max Retries retries one request.
 * Both stay on (ours keeps a passing 429 from re-sending the items that already succeeded), so
 * the user is told that they combine.
 */
const RETRY_ON_FAIL_HINT = {
	message:
		"Retry On Fail is on: when this node fails, n8n runs it again for every item — items that succeeded are sent again — and each try also uses this node's own Max Retries. For operations that create something, turn Retry On Fail off and use Options → Max Retries with Continue On Fail, or set Max Retries to 0.",
	location: 'outputPane' as const,
};

/**
 * An action node's `execute`: pick the module of the node's resource and operation, read the
 * shared Options, then check every item and send (`checkThenSend`). When an AI agent calls the
 * node as a tool, an operation that cannot be undone is refused unless the user allowed it,
 * errors are short plain text, and the reply is simplified unless the user turned that off.
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
	if (ctx.getNode().retryOnFail && retry.maxRetries > 0) ctx.addExecutionHints(RETRY_ON_FAIL_HINT);
	const transport = createTransport(retry);
	const toolCall = isToolCall(ctx);
	const refused = toolCall && module.irreversible && !ctx.getNodeParameter('allowIrreversible', 0, false);
	const simplify = toolCall && (ctx.getNodeParameter('simplify', 0, true) as boolean);
	return await checkThenSend(
		ctx,
		(itemIndex) => {
			if (refused) throw new NodeOperationError(ctx.getNode(), irreversibleRefusal(operation), { itemIndex });
			return module.prepare.call(ctx, itemIndex);
		},
		async (call, itemIndex) => {
			const result = await module.execute.call(ctx, transport, call, itemIndex);
			return simplify ? simplified(result) : result;
		},
		{ concurrency, batchInterval, continueOnFail: ctx.continueOnFail(), toolCall },
	);
}
