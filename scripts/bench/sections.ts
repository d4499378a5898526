/**
 * Parts 1–3 of the benchmark: throughput at latency, overhead at zero latency, memory for many
 * items. Each prints its table and adds its targets to the verdicts.
 */
import type { BenchConfig } from './config';
import type { Measurement, Meter } from './measure';
import type { Verdicts } from './report';
import { fmt, table } from './report';
import type { Runners } from './runners';
import type { Servers } from './standIns';
import type { Workload } from './workloads';

export interface Bench {
	config: BenchConfig;
	servers: Servers;
	meter: Meter;
	runners: Runners;
	list: Workload[];
	verdicts: Verdicts;
}

/** 1. Throughput at latency, against the ideal, the bare baseline, the HTTP Request node and axios. */
export async function throughput({ config, servers, meter, runners, list, verdicts }: Bench) {
	const { items, latency, parallel } = config;
	// 1. Throughput at latency.
	const ideal = (items * latency) / parallel;
	console.log(
		`\n1. ${items} items, ${latency} ms injected latency, ${parallel} parallel requests — ideal ${fmt(ideal)} ms (items × latency ÷ parallelism)`,
	);
	await servers.latency(latency);
	const rows = [
		['workload', 'wall ms', 'items/s', '× ideal', 'CPU ms/item', 'stand-in CPU ms/item', 'peak RSS MB', 'peak heap MB', 'requests', 'token req.', 'errors'],
	];
	const row = (label: string, m: Measurement, workload: Workload, tokens: boolean) => [
		label,
		fmt(m.wallMs),
		fmt((items / m.wallMs) * 1000),
		fmt(m.wallMs / ideal, 3),
		fmt(m.cpuMs / items, 2),
		fmt(m.serverCpuMs / items, 2),
		fmt(m.peakRssMb, 1),
		fmt(m.peakHeapMb, 1),
		String(m.counts[workload.path] ?? 0),
		tokens && workload.tokenPath ? String(m.counts[workload.tokenPath] ?? 0) : '-',
		String(m.errors),
	];
	for (const workload of list) {
		const ours = await meter.measure(runners.node(workload, items, parallel));
		const ratio = ours.wallMs / ideal;
		rows.push(row(workload.name, ours, workload, true));
		verdicts.add(`${workload.name}: ≤ 1.15 × ideal with a rolling pool of ${parallel} (no Batch Interval)`, ratio <= 1.15 && ours.errors === 0 && ours.outputs === items, `${fmt(ratio, 3)} ×`);
		const bare = await meter.measure(runners.bare(workload, items, parallel));
		rows.push(row('  baseline: bare helpers.httpRequest, same pool', bare, workload, false));
		if (runners.httpRequest.loaded) {
			// The HTTP Request node has no rolling pool: its batching sends batchSize requests every
			// batchInterval ms without waiting for answers. Batches of parallel every latency ms keep
			// about parallel requests in flight, the closest equivalent.
			const theirs = await meter.measure(runners.http(workload, items, { batch: { batchSize: parallel, batchInterval: latency } }));
			rows.push(row(`  HTTP Request node (batches of ${parallel} every ${latency} ms)`, theirs, workload, false));
			// The same settings on our node: Parallel Requests = batch size, Batch Interval = interval.
			const oursBatched = await meter.measure(runners.node(workload, items, parallel, latency));
			rows.push(row(`  this node, same settings (batches of ${parallel} every ${latency} ms)`, oursBatched, workload, true));
			verdicts.add(
				`${workload.name}: ≤ 1.15 × ideal with Batch Interval ${latency} ms (a batch of ${parallel} every interval)`,
				oursBatched.wallMs / ideal <= 1.15 && oursBatched.errors === 0,
				`${fmt(oursBatched.wallMs / ideal, 3)} ×`,
			);
			verdicts.add(
				`${workload.name}: no slower than the HTTP Request node with the same batching`,
				oursBatched.wallMs <= theirs.wallMs * 1.02 && oursBatched.errors === 0,
				`${fmt(oursBatched.wallMs)} ms vs ${fmt(theirs.wallMs)} ms (rolling pool of ${parallel}: ${fmt(ours.wallMs)} ms)`,
			);
		}
	}
	// The floor below n8n, once (the first workload's requests).
	const floor = list[0];
	if (floor) {
		rows.push(['transport floor, no n8n (first workload\'s requests):', '', '', '', '', '', '', '', '', '', '']);
		const fresh = await meter.measure(runners.raw(floor, items, parallel, false));
		rows.push(row('  axios, a new connection per request (as n8n-core)', fresh, floor, false));
		const kept = await meter.measure(runners.raw(floor, items, parallel, true));
		rows.push(row('  axios over keep-alive connections', kept, floor, false));
	}
	table(rows);
	if (!runners.httpRequest.loaded) console.log(`  HTTP Request node: skipped — ${runners.httpRequest.skip}`);
}

/** 2. Per-item cost at zero latency: the overhead of each node over the bare baseline. */
export async function overhead({ config, servers, meter, runners, list, verdicts }: Bench) {
	const { items, parallel } = config;
	// 2. Overhead at zero latency.
	console.log(
		`\n2. Per-item cost at zero latency (${items} items, ${parallel} parallel; CPU of this process). Overhead = node − bare baseline`,
	);
	await servers.latency(0);
	const overheadRows = [['workload', 'wall ms', 'ms/item (wall)', 'ms/item (CPU)', 'overhead ms/item (wall)', 'overhead ms/item (CPU)']];
	for (const workload of list) {
		const ours = await meter.measure(runners.node(workload, items, parallel));
		const bare = await meter.measure(runners.bare(workload, items, parallel));
		const overheadWall = (ours.wallMs - bare.wallMs) / items;
		const overheadCpu = (ours.cpuMs - bare.cpuMs) / items;
		overheadRows.push([
			workload.name,
			fmt(ours.wallMs),
			fmt(ours.wallMs / items, 3),
			fmt(ours.cpuMs / items, 3),
			fmt(overheadWall, 3),
			fmt(overheadCpu, 3),
		]);
		overheadRows.push(['  baseline: bare helpers.httpRequest', fmt(bare.wallMs), fmt(bare.wallMs / items, 3), fmt(bare.cpuMs / items, 3), '', '']);
		verdicts.add(
			`${workload.name}: overhead < 0.5 ms/item`,
			overheadWall < 0.5 && ours.errors === 0,
			`${fmt(overheadWall, 3)} ms/item over the bare request (${fmt(ours.wallMs / items, 3)} ms/item in all)`,
		);
		if (runners.httpRequest.loaded) {
			const theirs = await meter.measure(runners.http(workload, items, undefined));
			overheadRows.push([
				'  HTTP Request node (no batching: all at once)',
				fmt(theirs.wallMs),
				fmt(theirs.wallMs / items, 3),
				fmt(theirs.cpuMs / items, 3),
				fmt((theirs.wallMs - bare.wallMs) / items, 3),
				fmt((theirs.cpuMs - bare.cpuMs) / items, 3),
			]);
		}
	}
	table(overheadRows);
}

/** 3. Memory for many items: peak live heap, heap held with the output, heap leaked. */
export async function memory({ config, meter, runners, list, verdicts }: Bench) {
	const { parallel, memoryItems } = config;
	// 3. Memory for many items.
	console.log(
		`\n3. Memory for ${memoryItems} items (zero latency, ${parallel} parallel), growth over the live heap before the run`,
	);
	console.log('   live heap: full GC every 500 ms during the run; held: after the run with the output; leaked: output released');
	const memoryRows = [['workload', 'wall ms', 'peak live heap MB', 'held MB', 'leaked MB', 'peak RSS MB', 'outputs']];
	for (const workload of list) {
		const ours = await meter.measure(runners.node(workload, memoryItems, parallel), true);
		memoryRows.push([
			workload.name,
			fmt(ours.wallMs),
			`+${fmt(ours.heapGrowthMb, 1)}`,
			`+${fmt(ours.heldMb, 1)}`,
			`+${fmt(ours.retainedMb, 1)}`,
			`+${fmt(ours.rssGrowthMb, 1)}`,
			String(ours.outputs),
		]);
		verdicts.add(
			`${workload.name}: memory growth < 50 MB per ${memoryItems} items`,
			ours.heapGrowthMb < 50 && ours.outputs === memoryItems && ours.errors === 0,
			`live heap +${fmt(ours.heapGrowthMb, 1)} MB at peak, RSS +${fmt(ours.rssGrowthMb, 1)} MB`,
		);
	}
	table(memoryRows);
}
