/** The Domain an empty credential field means. */
export const AICC_DEFAULT_URL = 'https://service.besclouds.com';

/**
 * The tenant's base URL without a trailing slash; a bare host name gets `https://`. Used by the
 * transport and by the credential's token request, so both build URLs the same way.
 */
export function aiccBaseUrl(domain: unknown): string {
	let text = typeof domain === 'string' ? domain.trim() : '';
	if (text === '') text = AICC_DEFAULT_URL;
	if (!/^https?:\/\//i.test(text)) text = `https://${text}`;
	return text.replace(/\/+$/, '');
}
