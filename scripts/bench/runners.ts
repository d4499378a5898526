/**
 * How a workload is run: through our node, the bare request helper or n8n's HTTP Request node
 * (each in a fresh test Harness, i.e. n8n-core's WorkflowExecute), or with axios directly.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodeParameters, IVersionedNodeType } from 'n8n-workflow';

import { runtimeDir } from '../lib/runtime';
import type { BenchConfig } from './config';
import type { RunOutput } from './measure';
import type { Workload } from './workloads';
import { BARE_TYPE, BareRequestNode, HTTP_REQUEST_TYPE } from './workloads';

export type Runner = (run: number) => Promise<RunOutput>;

export interface Runners {
	/** Our node with Parallel Requests and Batch Interval. */
	node(workload: Workload, count: number, parallel: number, batchInterval?: number): Runner;
	/** n8n's HTTP Request node (when it could be loaded), with its batching option. */
	http(workload: Workload, count: number, batching: INodeParameters | undefined): Runner;
	/** One helpers.httpRequest per item, a pool of `parallel`. */
	bare(workload: Workload, count: number, parallel: number): Runner;
	/**
	 * Below n8n: the same requests with axios directly, a pool of `parallel`, either with a new
	 * connection per request (n8n-core creates a new http.Agent for every request) or over
	 * keep-alive connections. This is the transport floor of this machine.
	 */
	raw(workload: Workload, count: number, parallel: number, keepAlive: boolean): Runner;
	/** The HTTP Request node's file, and why it is left out (empty when loaded). */
	httpRequest: { file: string; loaded: boolean; skip: string };
}

/** n8n's HTTP Request node, from the n8n install the sandbox uses. */
function loadHttpRequestNode(config: BenchConfig) {
	const file = path.join(runtimeDir(), 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js');
	if (!config.httpNode) return { file, skip: 'BENCH_HTTP_NODE=off' };
	if (!fs.existsSync(file)) return { file, skip: `${file} not found (run "npm start" once to install n8n)` };
	try {
		const { HttpRequest } = require(file) as { HttpRequest: new () => IVersionedNodeType };
		return { file, node: new HttpRequest(), skip: '' };
	} catch (error) {
		return { file, skip: `could not load ${file}: ${(error as Error).message}` };
	}
}

export async function createRunners(config: BenchConfig, list: Workload[]): Promise<Runners> {
	const { Harness } = await import('../../test/harness/run');
	const { Kanfang123 } = await import('../../nodes/Kanfang123/Kanfang123.node');
	const { Aicc } = await import('../../nodes/Aicc/Aicc.node');
	const { Incs } = await import('../../nodes/Incs/Incs.node');
	const { Kanfang123Api } = await import('../../credentials/Kanfang123Api.credentials');
	const { AiccApi } = await import('../../credentials/AiccApi.credentials');
	const { IncsApi } = await import('../../credentials/IncsApi.credentials');
	const axios = (await import('axios')).default;
	const http = await import('node:http');

	const httpRequest = loadHttpRequestNode(config);
	const builders = new Map(list.map((workload) => [workload.name, workload.bare]));
	const newHarness = () =>
		new Harness({
			nodes: [
				{ type: 'CUSTOM.kanfang123', node: new Kanfang123() },
				{ type: 'CUSTOM.aicc', node: new Aicc() },
				{ type: 'CUSTOM.incs', node: new Incs() },
				{ type: BARE_TYPE, node: new BareRequestNode(builders) },
				...(httpRequest.node ? [{ type: HTTP_REQUEST_TYPE, node: httpRequest.node }] : []),
			],
			credentialTypes: [new Kanfang123Api(), new AiccApi(), new IncsApi()],
		});

	return {
		httpRequest: { file: httpRequest.file, loaded: httpRequest.node !== undefined, skip: httpRequest.skip },
		node: (workload, count, parallel, batchInterval = 0) => async (run) => {
			const harness = newHarness();
			const credential = harness.credentials.add(workload.credentialType, workload.credential());
			return await harness.run({
				type: `CUSTOM.${workload.nodeName}`,
				parameters: workload.parameters({ concurrency: parallel, batchInterval }),
				credentials: { [workload.credentialType]: credential } as never,
				items: workload.items(count, run),
			});
		},
		http: (workload, count, batching) => async (run) =>
			await newHarness().run({
				type: HTTP_REQUEST_TYPE,
				parameters: workload.http(batching),
				items: workload.items(count, run),
				typeVersion: 4.2,
			}),
		bare: (workload, count, parallel) => async (run) =>
			await newHarness().run({
				type: BARE_TYPE,
				parameters: { workload: workload.name, parallel },
				items: workload.items(count, run),
			}),
		raw: (workload, count, parallel, keepAlive) => async (run) => {
			const items = workload.items(count, run);
			const agent = new http.Agent({ keepAlive });
			const output: RunOutput['items'] = new Array(items.length);
			let next = 0;
			const worker = async () => {
				while (next < items.length) {
					const index = next++;
					const request = workload.bare(items[index]);
					const headers = (request.headers ?? {}) as Record<string, string>;
					const form = String(headers['Content-Type'] ?? '').includes('x-www-form-urlencoded');
					const response = await axios.request({
						method: request.method,
						url: request.url,
						headers,
						data: form ? new URLSearchParams(request.body as Record<string, string>) : request.body,
						httpAgent: keepAlive ? agent : new http.Agent(),
					});
					output[index] = { json: response.data as RunOutput['items'][number]['json'] };
				}
			};
			await Promise.all(Array.from({ length: parallel }, worker));
			agent.destroy();
			return { items: output };
		},
	};
}
