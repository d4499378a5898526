import type { INodeParameters } from 'n8n-workflow';

import { IncsApi } from '../../credentials/IncsApi.credentials';
import { Incs } from '../../nodes/Incs/Incs.node';
import type { IncsServerOptions } from '../../stand-ins/incs';
import { createIncsServer, INCS_TOKEN, IncsServer } from '../../stand-ins/incs';
import type { VendorSetup } from '../harness/vendor';
import { startVendor } from '../harness/vendor';

export const TYPE = 'CUSTOM.incs';

export type IncsSetup = VendorSetup<IncsServer>;

/** The INCS node and its stand-in; credentials carry `token`. */
export async function setup(options: IncsServerOptions = {}, token = INCS_TOKEN): Promise<IncsSetup> {
	return await startVendor({
		type: TYPE,
		node: () => new Incs(),
		credentialType: () => new IncsApi(),
		server: createIncsServer(options),
		credentialData: (server) => ({ baseUrl: server.baseUrl, apiToken: token }),
		parameters: (parameters) => parameters,
	});
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
