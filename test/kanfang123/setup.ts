import type { ICredentialDataDecryptedObject, IDataObject, INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { Harness } from '../harness/run';
import type { RunResult } from '../harness/run';
import { Kanfang123StandIn } from '../../stand-ins/kanfang123';

export const NODE_TYPE = 'CUSTOM.kanfang123';

export interface Kanfang123Context {
	harness: Harness;
	server: Kanfang123StandIn;
	/** Store a credential pointing at the stand-in; defaults to Account login. */
	credential(data?: ICredentialDataDecryptedObject): INodeCredentialsDetails;
	run(
		parameters: INodeParameters,
		options?: { items?: IDataObject[]; credential?: INodeCredentialsDetails; continueOnFail?: boolean },
	): Promise<RunResult>;
}

/** A harness with the 123kanfang node and a fresh stand-in server per test file. */
export function useKanfang123(): Kanfang123Context {
	const context = {} as Kanfang123Context;
	beforeAll(async () => {
		context.server = new Kanfang123StandIn();
		await context.server.start();
	});
	afterAll(async () => {
		await context.server.stop();
	});
	beforeEach(() => {
		context.harness = new Harness({
			nodes: [{ type: NODE_TYPE, node: new Kanfang123() }],
			credentialTypes: [new Kanfang123Api()],
		});
		context.server.resetRecording();
		context.server.clearFaults();
		context.server.latencyMs = 0;
		context.server.authFailure = 'body';
		context.server.expireTokensAfterCalls = undefined;
	});
	context.credential = (data = {}) =>
		context.harness.credentials.add('kanfang123Api', {
			environment: 'custom',
			baseUrl: context.server.baseUrl,
			authentication: 'account',
			username: 'demo',
			password: 'demo-password',
			...data,
		});
	context.run = async (parameters, options = {}) =>
		await context.harness.run({
			type: NODE_TYPE,
			parameters: { resource: 'houseTask', ...parameters, options: { retryDelay: 1, ...(parameters.options as IDataObject) } },
			credentials: { kanfang123Api: options.credential ?? context.credential() },
			items: options.items,
			continueOnFail: options.continueOnFail,
		});
	return context;
}

/** Every string in a run's output and error, for secret scans. */
export function everything(result: RunResult): string {
	return JSON.stringify({ items: result.items, error: result.error, message: result.error?.message, description: result.error?.description });
}
