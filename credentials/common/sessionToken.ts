import type { INodeProperties } from 'n8n-workflow';

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
