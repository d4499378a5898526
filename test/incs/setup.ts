import type { IDataObject, INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import { IncsApi } from '../../credentials/IncsApi.credentials';
import { Incs } from '../../nodes/Incs/Incs.node';
import { Harness } from '../harness/run';
import type { IncsServerOptions } from '../../stand-ins/incs';
import { createIncsServer, INCS_TOKEN, IncsServer } from '../../stand-ins/incs';

export const TYPE = 'CUSTOM.incs';

export interface Context {
	harness: Harness;
	server: IncsServer;
	credential: INodeCredentialsDetails;
}

/** Starts a stand-in and a harness with a credential pointing at it. */
export async function setup(options: IncsServerOptions = {}, token = INCS_TOKEN): Promise<Context> {
	const server = createIncsServer(options);
	const baseUrl = await server.start();
	const harness = new Harness({ nodes: [{ type: TYPE, node: new Incs() }], credentialTypes: [new IncsApi()] });
	const credential = harness.credentials.add('incsApi', { baseUrl, apiToken: token });
	return { harness, server, credential };
}

/** The parameters of a valid "Create and Assign", overridable per test. */
export function params(overrides: INodeParameters = {}): INodeParameters {
	return {
		resource: 'task',
		operation: 'create',
		name: 'Payment reminder',
		authId: 30058,
		userPhone: '6281512345678',
		assigneeUsername: 'incs_1',
		options: { retryDelay: 1, maxRetries: 2, timeout: 2000 },
		...overrides,
	};
}

export async function run(
	ctx: Context,
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	return await ctx.harness.run({
		type: TYPE,
		parameters,
		credentials: { incsApi: ctx.credential },
		items,
		continueOnFail,
	});
}

/** JSON of anything, tolerating cycles (errors carry node references). */
export function dump(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[cycle]';
			seen.add(v);
		}
		if (v instanceof Error) return { message: v.message, stack: v.stack, ...(v as object) };
		return v;
	});
}
