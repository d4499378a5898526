import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Base URL from the credential, without trailing slashes (INCS's own host when empty). */
export function incsBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const value = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (value || 'https://api.incsapp.com').replace(/\/+$/, '');
}
