/**
 * The local stand-ins of the three vendor APIs (the same servers the unit tests use, from
 * stand-ins/) and of an OpenAI-compatible model (a scripted one, for the AI Agent example),
 * started on fixed loopback ports for the sandbox or free ports for the e2e run.
 * Each also answers `GET /__sandbox/requests` with what it has received so far (secrets and
 * all: these are local fakes), so the e2e tests can check what n8n really sent.
 */
import type { StandInServer } from '../../stand-ins/base';
import { AiccServer } from '../../stand-ins/aicc';
import { IncsServer, INCS_TOKEN } from '../../stand-ins/incs';
import { Kanfang123StandIn } from '../../stand-ins/kanfang123';
import { OpenAiStandIn } from '../../stand-ins/openai';

/** The account, token and client the stand-ins accept (the sandbox's credentials use them). */
export const STAND_IN_SECRETS = {
	kanfang123: { username: 'demo', password: 'demo-password', accessToken: 'static-token-123' },
	kanfang123Webhook: { signKey: 'sandbox-sign-key-CdLvNRRQvy0x' },
	aicc: { clientId: 'n8n-client', clientSecret: 'S3cr3t-client-secret!' },
	incs: { apiToken: INCS_TOKEN },
	/** The model stand-in takes any key; n8n's OpenAI credential needs one. */
	openai: { apiKey: 'sk-sandbox-stand-in-any-key' },
} as const;

/** A 123kanfang house task that is already "Completed", so its package can be pushed. */
export const SEEDED_COMPLETED_TASK = {
	customerHouseId: 'CRM-HOUSE-0042',
	packageId: 'pkg_demo_completed_0042',
	houseName: 'Riverside Gardens 3-2-1',
	userName: 'li.photographer',
	taskState: 50000,
} as const;

export interface StandIns {
	kanfang123: Kanfang123StandIn;
	aicc: AiccServer;
	incs: IncsServer;
	openai: OpenAiStandIn;
	urls: { kanfang123: string; aicc: string; incs: string; openai: string };
	stop(): Promise<void>;
}

export interface StandInPorts {
	kanfang123: number;
	aicc: number;
	incs: number;
	/** Default: a free port. */
	openai?: number;
}

function addIntrospection(server: StandInServer) {
	server.route('GET', '/__sandbox/requests', (request) => {
		const only = typeof request.query.path === 'string' ? request.query.path.toLowerCase() : undefined;
		const requests = server.requests.filter(
			(r) => r.path !== '/__sandbox/requests' && (!only || r.path.toLowerCase() === only),
		);
		return { body: { requests } };
	});
}

/**
 * Forget what the stand-ins recorded and the tasks they created, between benchmark runs: they
 * look tasks up by scanning, which would make later runs slower on the server side.
 */
export function forgetStandInState(servers: Pick<StandIns, 'kanfang123' | 'aicc' | 'incs'>) {
	for (const server of [servers.kanfang123, servers.aicc, servers.incs]) server.resetRecording();
	servers.kanfang123.tasks.length = 0;
	servers.incs.tasks.length = 0;
	servers.aicc.tasks.clear();
}

export async function startStandIns(ports: StandInPorts): Promise<StandIns> {
	const kanfang123 = new Kanfang123StandIn();
	kanfang123.seedTask({ ...SEEDED_COMPLETED_TASK });
	const aicc = new AiccServer({
		clientId: STAND_IN_SECRETS.aicc.clientId,
		clientSecret: STAND_IN_SECRETS.aicc.clientSecret,
	});
	const incs = new IncsServer({ token: STAND_IN_SECRETS.incs.apiToken });
	const openai = new OpenAiStandIn();
	const servers = { kanfang123, aicc, incs, openai };
	const started: StandInServer[] = [];
	try {
		for (const [name, server] of Object.entries(servers)) {
			addIntrospection(server);
			try {
				await server.start(ports[name as keyof StandInPorts] ?? 0);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
					throw new Error(
						`Port ${ports[name as keyof StandInPorts]} (the ${name} stand-in) is already in use — ` +
							'is another sandbox running?',
					);
				}
				throw error;
			}
			started.push(server);
		}
	} catch (error) {
		await Promise.all(started.map((s) => s.stop()));
		throw error;
	}
	return {
		...servers,
		urls: { kanfang123: kanfang123.baseUrl, aicc: aicc.baseUrl, incs: incs.baseUrl, openai: openai.baseUrl },
		stop: async () => {
			await Promise.all(Object.values(servers).map((s) => s.stop()));
		},
	};
}
