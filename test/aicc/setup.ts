import type { ICredentialDataDecryptedObject, IDataObject, INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { Aicc } from '../../nodes/Aicc/Aicc.node';
import type { RunOptions, RunResult } from '../harness/run';
import { Harness } from '../harness/run';
import { AICC_TASK_PATH, AiccServer } from '../../stand-ins/aicc';

export const TYPE = 'CUSTOM.aicc';
export const SECRET = 'S3cr3t-client-secret!';
export const CLIENT_ID = 'n8n-client';

export const paths = {
	token: '/baas/auth/v1.0/oauth2/token',
	create: `${AICC_TASK_PATH}/task`,
	process: `${AICC_TASK_PATH}/task/process`,
	status: `${AICC_TASK_PATH}/task/status/update`,
	transfer: `${AICC_TASK_PATH}/task/transfer`,
	modify: `${AICC_TASK_PATH}/task/modify`,
};

/** Fast retries for tests. */
export const fastOptions = { retryDelay: 1, timeout: 5000 };

export class AiccTestContext {
	readonly server = new AiccServer({ clientId: CLIENT_ID, clientSecret: SECRET });

	readonly harness = new Harness({
		nodes: [{ type: TYPE, node: new Aicc() }],
		credentialTypes: [new AiccApi()],
	});

	async start() {
		await this.server.start();
	}

	async stop() {
		await this.server.stop();
	}

	/** A Client Credentials credential pointing at the stand-in. */
	clientCredentials(overrides: ICredentialDataDecryptedObject = {}): INodeCredentialsDetails {
		return this.harness.credentials.add('aiccApi', {
			domain: this.server.baseUrl,
			authentication: 'clientCredentials',
			clientId: CLIENT_ID,
			clientSecret: SECRET,
			...overrides,
		});
	}

	/** An Access Token credential with a token the stand-in issued. */
	accessToken(token = this.server.issueToken()): INodeCredentialsDetails {
		return this.harness.credentials.add('aiccApi', {
			domain: this.server.baseUrl,
			authentication: 'accessToken',
			accessToken: token,
		});
	}

	async run(
		credential: INodeCredentialsDetails,
		parameters: INodeParameters,
		items: IDataObject[] = [{}],
		extra: Partial<RunOptions> = {},
	): Promise<RunResult> {
		const options = (parameters.options as IDataObject | undefined) ?? {};
		return await this.harness.run({
			type: TYPE,
			parameters: { resource: 'task', ...parameters, options: { ...fastOptions, ...options } },
			credentials: { aiccApi: credential },
			items,
			...extra,
		});
	}

	taskRequests() {
		return this.server.requests.filter((r) => r.path.startsWith(AICC_TASK_PATH));
	}
}

/** Everything a run produced, as text, to look for secrets in. */
export function everything(result: RunResult): string {
	const error = result.error as unknown as Record<string, unknown> | undefined;
	return JSON.stringify({
		items: result.items,
		error,
		errorMessage: error?.message,
		errorDescription: error?.description,
		errorStack: error?.stack,
		run: result.run,
	});
}
