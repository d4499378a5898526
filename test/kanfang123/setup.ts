import type { IDataObject } from 'n8n-workflow';

import { Kanfang123Api } from '../../credentials/Kanfang123Api.credentials';
import { Kanfang123 } from '../../nodes/Kanfang123/Kanfang123.node';
import { demoAccountCredential, Kanfang123StandIn } from '../../stand-ins/kanfang123';
import type { RunResult } from '../harness/run';
import type { VendorSetup } from '../harness/vendor';
import { startVendor } from '../harness/vendor';

export const NODE_TYPE = 'CUSTOM.kanfang123';

/** A valid Assign Capture Task whose Customer House ID comes from the item's `house`. */
export const assign = {
	operation: 'assignCapture',
	userName: 'p1',
	houseName: 'House',
	customerHouseId: '={{ $json.house }}',
	serviceId: 'svc',
};

export type Kanfang123Setup = VendorSetup<Kanfang123StandIn>;

/** The stand-in's demo account (Account login), for every 123kanfang node's tests. */
export const accountLogin = (server: Kanfang123StandIn) => demoAccountCredential(server.baseUrl);

/** The 123kanfang node and its stand-in (Account login by default). */
export async function setup(): Promise<Kanfang123Setup> {
	return await startVendor({
		type: NODE_TYPE,
		node: () => new Kanfang123(),
		credentialType: () => new Kanfang123Api(),
		server: new Kanfang123StandIn(),
		credentialData: accountLogin,
		parameters: (parameters) => ({
			resource: 'houseTask',
			...parameters,
			options: { retryDelay: 1, ...(parameters.options as IDataObject) },
		}),
		resetServer: (server) => {
			server.clearFaults();
			server.latencyMs = 0;
			server.authFailure = 'body';
			server.expireTokensAfterCalls = undefined;
		},
	});
}

/** Every string in a run's output and error, for secret scans. */
export function everything(result: RunResult): string {
	return JSON.stringify({ items: result.items, error: result.error, message: result.error?.message, description: result.error?.description });
}
