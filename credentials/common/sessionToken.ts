import type { ICredentialDataDecryptedObject, INodeProperties } from 'n8n-workflow';

import { sentByOurNode } from '../../nodes/shared/login';

/**
 * The hidden fields of a credential whose token is fetched with a secret in its
 * `preAuthentication` hook: n8n calls the hook while `sessionToken` (marked expirable) is
 * empty and stores what it returns; `tokenExpiresAt` (epoch ms, 0 = unknown) lets the nodes
 * renew the token before it runs out.
 */
export const sessionTokenProperties: INodeProperties[] = [
	{
		displayName: 'Session Token',
		name: 'sessionToken',
		type: 'hidden',
		typeOptions: { expirable: true },
		default: '',
	},
	{
		displayName: 'Token Expires At',
		name: 'tokenExpiresAt',
		type: 'hidden',
		default: 0,
	},
];

/**
 * For requests of other nodes — n8n's HTTP Request node with this credential as a Predefined
 * Credential Type: n8n renews a credential there only after a failed request, and a vendor may
 * refuse an expired token inside an HTTP 200 (123kanfang's `state: 401`), which is no failure.
 * So a token past its recorded expiry fails the request here, before anything is sent; the HTTP
 * Request node then runs preAuthentication again (a new token, stored) and sends the request
 * once more. Our own nodes renew before the expiry themselves and are not stopped here.
 */
export function refuseExpiredToken(credentials: ICredentialDataDecryptedObject, vendor: string): void {
	const expiresAt = Number(credentials.tokenExpiresAt ?? 0);
	if (expiresAt > 0 && Date.now() >= expiresAt && !sentByOurNode(credentials)) {
		throw new Error(`The ${vendor} token expired at ${new Date(expiresAt).toISOString()}; n8n fetches a new one and sends the request again`);
	}
}
