import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY } from './retry';

/** The most items in flight at once (Parallel Requests); an expression cannot go above it either. */
export const MAX_PARALLEL_REQUESTS = 500;

/**
 * The "Options" collection every action node offers: parallel requests, a pause between
 * batches, retries and a timeout. Nodes spread these into their own Options collection.
 */
const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Batch Interval (Ms)',
		name: 'batchInterval',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'With a value above 0, a batch of "Parallel Requests" items starts every this many milliseconds, without waiting for the previous batch (like the HTTP Request node\'s batching). 0 keeps up to "Parallel Requests" in flight at all times.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			'How often to retry a request after HTTP 429 or a refused connection (with exponential backoff and jitter; Retry-After is honoured). Time-outs, resets and HTTP 502/503/504, after which the server may have done the work, are only retried for idempotent calls.',
	},
	{
		displayName: 'Parallel Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_PARALLEL_REQUESTS },
		default: 5,
		description:
			'How many items to send at the same time. 1 sends one item after another in strict order. Output is always in input order.',
		hint: 'Above about 50, check the rate limits of your vendor account: too many at once can get requests refused (HTTP 429) or the account throttled.',
	},
	{
		displayName: 'Retry Delay (Ms)',
		name: 'retryDelay',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 500,
		description: 'First wait before a retry, in milliseconds; it doubles with every further retry',
	},
	{
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30000,
		description: 'How long to wait for a response before giving up, in milliseconds. 0 waits indefinitely.',
	},
];

/** Read the shared request options every action node offers (under "Options"). */
export function readRequestOptions(
	ctx: IExecuteFunctions,
	defaults: RetryPolicy = DEFAULT_RETRY,
): { retry: RetryPolicy; concurrency: number; batchInterval: number } {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const number = (key: string, fallback: number) =>
		typeof options[key] === 'number' && Number.isFinite(options[key]) ? (options[key] as number) : fallback;
	return {
		concurrency: Math.min(MAX_PARALLEL_REQUESTS, Math.max(1, Math.floor(number('concurrency', 5)))),
		batchInterval: Math.max(0, number('batchInterval', 0)),
		retry: {
			maxRetries: Math.max(0, Math.floor(number('maxRetries', defaults.maxRetries))),
			baseDelayMs: Math.max(0, number('retryDelay', defaults.baseDelayMs)),
			maxDelayMs: defaults.maxDelayMs,
			timeoutMs: Math.max(0, number('timeout', defaults.timeoutMs)),
		},
	};
}

/** The node's "Options" collection: the shared request options and the node's own, A–Z. */
export function optionsCollection(own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...requestOptionFields, ...own].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
