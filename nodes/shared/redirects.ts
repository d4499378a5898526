/**
 * No request of ours follows a redirect: API calls and token requests carry credentials (a
 * header, a form field, a cookie, a client secret), and following a 3xx would send them to
 * whatever host the answer names. Every request is sent with n8n's `disableFollowRedirect`
 * (axios `maxRedirects: 0`); a 3xx answer becomes an error naming only the target's origin
 * (never its path or query, which may carry anything).
 */

export function isRedirect(statusCode: number): boolean {
	return statusCode >= 300 && statusCode < 400;
}

/** The origin a Location header points to, resolved against the request URL. */
export function redirectOrigin(location: unknown, requestUrl: string): string {
	const value = Array.isArray(location) ? location[0] : location;
	if (typeof value !== 'string' || value.trim() === '') return 'no location';
	try {
		return new URL(value.trim(), requestUrl).origin;
	} catch {
		return 'an invalid location';
	}
}

/** "… answered with a redirect to <origin> (HTTP 307) …", for a node or a login error. */
export function redirectMessage(who: string, statusCode: number, location: unknown, requestUrl: string): string {
	return `${who} answered with a redirect to ${redirectOrigin(location, requestUrl)} (HTTP ${statusCode}); requests carrying credentials do not follow redirects`;
}

export const REDIRECT_HINT =
	'Check the base URL (or domain) of the credential: use the address the API answers on directly (https instead of http, the right host name and port).';
