import type { IPollFunctions } from 'n8n-workflow';

import { DEFAULT_RETRY } from '../../shared/retry';
import type { Kanfang123Transport } from './index';
import { createTransport } from './index';

/**
 * The 123kanfang API for one poll: the shared client sends from a poll context as from an
 * execution (same credential, same token refresh, same retries; see ApiContext).
 */
export function createPollTransport(ctx: IPollFunctions): Kanfang123Transport {
	return createTransport(ctx, DEFAULT_RETRY);
}
