import type { ICredentialDataDecryptedObject, IDataObject, INodeCredentialsDetails } from 'n8n-workflow';

import { AiccApi } from '../../credentials/AiccApi.credentials';
import { Aicc } from '../../nodes/Aicc/Aicc.node';
import { AICC_TASK_PATH, AiccServer } from '../../stand-ins/aicc';
import type { RunResult } from '../harness/run';
import type { VendorSetup } from '../harness/vendor';
import { startVendor } from '../harness/vendor';

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

export interface AiccSetup extends VendorSetup<AiccServer> {
	/** A Client Credentials credential pointing at the stand-in (= `credential()`). */
	clientCredentials(overrides?: ICredentialDataDecryptedObject): INodeCredentialsDetails;
	/** An Access Token credential with a token the stand-in issued. */
	accessToken(token?: string): INodeCredentialsDetails;
	/** The task calls the stand-in received (not the token requests). */
	taskRequests(): AiccServer['requests'];
}

/** The AICC node and its stand-in (Client Credentials by default). */
export async function setup(): Promise<AiccSetup> {
	const vendor = await startVendor({
		type: TYPE,
		node: () => new Aicc(),
		credentialType: () => new AiccApi(),
		server: new AiccServer({ clientId: CLIENT_ID, clientSecret: SECRET }),
		credentialData: (server) => ({
			domain: server.baseUrl,
			authentication: 'clientCredentials',
			clientId: CLIENT_ID,
			clientSecret: SECRET,
		}),
		parameters: (parameters) => ({
			resource: 'task',
			...parameters,
			options: { ...fastOptions, ...((parameters.options as IDataObject | undefined) ?? {}) },
		}),
	});
	return Object.assign(vendor, {
		clientCredentials: (overrides: ICredentialDataDecryptedObject = {}) => vendor.credential(overrides),
		accessToken: (token = vendor.server.issueToken()) =>
			vendor.harness.credentials.add('aiccApi', {
				domain: vendor.server.baseUrl,
				authentication: 'accessToken',
				accessToken: token,
			}),
		taskRequests: () => vendor.server.requests.filter((r) => r.path.startsWith(AICC_TASK_PATH)),
	});
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
