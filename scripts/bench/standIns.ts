/**
 * The stand-in servers in their own process (as a real API would be), with injected latency;
 * the benchmark talks to them over IPC. This file is also that process's entry point.
 */
import { fork, type ChildProcess } from 'node:child_process';

export const BENCH_SECRETS = {
	kanfangToken: 'bench-static-token-0001',
	aiccClient: { clientId: 'bench-client', clientSecret: 'bench-client-secret-0001' },
	incsToken: 'bench-incs-token-0001',
} as const;

export interface ServerInfo {
	kanfang: string;
	aicc: string;
	incs: string;
	aiccToken: string;
	/** A 123kanfang access token and an INCS API token the stand-ins accept. */
	kanfangToken: string;
	incsToken: string;
}

type ToServers = { type: 'latency'; ms: number } | { type: 'counts' };

async function serveStandIns() {
	const { Kanfang123StandIn } = await import('../../stand-ins/kanfang123');
	const { AiccServer } = await import('../../stand-ins/aicc');
	const { IncsServer } = await import('../../stand-ins/incs');
	const { forgetStandInState } = await import('../lib/stand-ins');
	const kanfang = new Kanfang123StandIn();
	kanfang.staticTokens.add(BENCH_SECRETS.kanfangToken);
	const aicc = new AiccServer({ ...BENCH_SECRETS.aiccClient, expiresIn: 86_400 });
	const incs = new IncsServer({ token: BENCH_SECRETS.incsToken });
	const servers = [kanfang, aicc, incs];
	const [kanfangUrl, aiccUrl, incsUrl] = await Promise.all(servers.map((s) => s.start()));
	const info: ServerInfo = {
		kanfang: kanfangUrl,
		aicc: aiccUrl,
		incs: incsUrl,
		aiccToken: aicc.issueToken(86_400),
		kanfangToken: BENCH_SECRETS.kanfangToken,
		incsToken: BENCH_SECRETS.incsToken,
	};
	process.send!({ type: 'ready', info });
	let cpu = process.cpuUsage();
	process.on('message', (message: ToServers) => {
		if (message.type === 'latency') {
			for (const server of servers) server.latencyMs = message.ms;
			process.send!({ type: 'ok' });
		} else {
			const counts: Record<string, number> = {};
			for (const server of servers) {
				for (const request of server.requests) counts[request.path] = (counts[request.path] ?? 0) + 1;
			}
			forgetStandInState({ kanfang123: kanfang, aicc, incs });
			const used = process.cpuUsage(cpu);
			cpu = process.cpuUsage();
			process.send!({ type: 'counts', counts, cpuMs: (used.user + used.system) / 1000 });
		}
	});
	process.on('disconnect', () => process.exit(0));
}

/** The stand-ins' process, seen from the benchmark. */
export class Servers {
	private constructor(
		private readonly child: ChildProcess,
		readonly info: ServerInfo,
	) {}

	static async start(): Promise<Servers> {
		const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const info = await new Promise<ServerInfo>((resolve, reject) => {
			child.once('message', (message: { info: ServerInfo }) => resolve(message.info));
			child.once('exit', (code) => reject(new Error(`stand-in process exited (${code})`)));
		});
		return new Servers(child, info);
	}

	private ask<T>(message: ToServers): Promise<T> {
		return new Promise<T>((resolve) => {
			this.child.once('message', (reply: T) => resolve(reply));
			this.child.send(message);
		});
	}

	async latency(ms: number) {
		await this.ask({ type: 'latency', ms });
	}

	/** Requests per path, and the stand-ins' CPU time, since the last call. */
	async counts(): Promise<{ counts: Record<string, number>; cpuMs: number }> {
		return await this.ask<{ counts: Record<string, number>; cpuMs: number }>({ type: 'counts' });
	}

	stop() {
		this.child.disconnect();
	}
}

if (require.main === module && process.argv[2] === '--serve') void serveStandIns();
