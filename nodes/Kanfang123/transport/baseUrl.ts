import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const KANFANG123_PRODUCTION_URL = 'https://webapi.123kanfang.com';
/** The docs name three test hosts; this one is used by most pages (others: use Custom). */
export const KANFANG123_TEST_URL = 'https://webapi-test.123kanfang.com';

/**
 * The web API host of the credential's environment, without surrounding spaces or a trailing
 * slash. An empty Custom URL is an error here, not a request to nowhere.
 */
export function kanfang123BaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = credentials.environment as string | undefined;
	if (environment === 'custom') {
		const url = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim().replace(/\/+$/, '') : '';
		if (url === '') {
			throw new Error("The 123kanfang credential's Base URL is empty: fill it in, or choose the Production or Test environment");
		}
		return url;
	}
	if (environment === 'test') return KANFANG123_TEST_URL;
	return KANFANG123_PRODUCTION_URL;
}
