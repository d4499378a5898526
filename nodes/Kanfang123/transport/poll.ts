import type { IExecuteFunctions, IPollFunctions } from 'n8n-workflow';

import { DEFAULT_RETRY } from '../../shared/retry';
import type { Kanfang123Transport } from './index';
import { createTransport } from './index';

/**
 * The 123kanfang API for one poll. The shared client uses only `getNode`, `getCredentials`
 * and `helpers.httpRequestWithAuthentication` of its context, which a poll context offers
 * alike (same credential, same token refresh, same retries).
 */
export function createPollTransport(ctx: IPollFunctions): Kanfang123Transport {
	return createTransport(ctx as unknown as IExecuteFunctions, DEFAULT_RETRY);
}
