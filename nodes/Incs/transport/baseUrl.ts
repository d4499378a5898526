import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const INCS_DEFAULT_URL = 'https://api.incsapp.com';

/** Base URL from the credential, without trailing slashes (INCS's own host when empty). */
export function incsBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const value = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	return (value || INCS_DEFAULT_URL).replace(/\/+$/, '');
}
