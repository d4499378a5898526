import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export const KANFANG123_PRODUCTION_URL = 'https://webapi.123kanfang.com';
/** The docs name three test hosts; this one is used by most pages (others: use Custom). */
export const KANFANG123_TEST_URL = 'https://webapi-test.123kanfang.com';

/** The web API host of the credential's environment, without a trailing slash. */
export function kanfang123BaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = credentials.environment as string | undefined;
	if (environment === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	if (environment === 'test') return KANFANG123_TEST_URL;
	return KANFANG123_PRODUCTION_URL;
}
