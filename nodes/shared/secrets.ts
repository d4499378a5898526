import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Credential fields whose values never appear in an error we raise, even when a server echoes
 * them back ("invalid token abc…"), in any encoding the value travelled in. Callers add their
 * own token field.
 */
const SECRET_FIELDS = [
	'password',
	'accessToken',
	'apiToken',
	'apiKey',
	'clientSecret',
	'secret',
	'signSecret',
	'sessionToken',
	'refreshToken',
	'token',
];

/**
 * Secrets at least this long are removed wherever they occur. Shorter ones ("p@ss") are removed
 * where they stand alone (not inside a longer word or number), so that a four-letter password
 * cannot garble every word that happens to contain it, yet an echoed `authValue=p%40ss&…` or
 * `"password":"p@ss"` loses it.
 */
const FREE_SECRET_LENGTH = 6;

const hexLower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/** RFC 3986 strict: encodeURIComponent plus ! ' ( ) *. */
const strictEncode = (text: string) =>
	encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** As axios writes query strings: encodeURIComponent with : $ , [ ] left as they are, + for space. */
const axiosEncode = (text: string) =>
	encodeURIComponent(text)
		.replace(/%3A/gi, ':')
		.replace(/%24/g, '$')
		.replace(/%2C/gi, ',')
		.replace(/%20/g, '+')
		.replace(/%5B/gi, '[')
		.replace(/%5D/gi, ']');

/**
 * Every form `secret` can travel in and come back in: raw, URL-encoded (encodeURIComponent,
 * RFC 3986 strict, encodeURI, axios's query strings, form encoding with `+` for spaces, either
 * hex case), JSON-escaped
 * (of each of these), base64 and base64url (with and without padding).
 */
export function secretForms(secret: string): Set<string> {
	const encoded = [encodeURIComponent(secret), strictEncode(secret), encodeURI(secret), axiosEncode(secret)];
	const form = new URLSearchParams({ s: secret }).toString().slice(2);
	const forms = new Set<string>([secret, form, hexLower(form)]);
	for (const text of encoded) {
		for (const variant of [text, text.replace(/%20/g, '+')]) {
			forms.add(variant);
			forms.add(hexLower(variant));
		}
	}
	const base64 = Buffer.from(secret, 'utf8').toString('base64');
	const base64url = Buffer.from(secret, 'utf8').toString('base64url');
	for (const text of [base64, base64.replace(/=+$/, ''), base64url]) forms.add(text);
	for (const text of [...forms]) {
		forms.add(JSON.stringify(text).slice(1, -1));
		// A JSON string escaped once more (a body quoted inside another JSON text).
		forms.add(JSON.stringify(JSON.stringify(text).slice(1, -1)).slice(1, -1));
	}
	forms.delete('');
	return forms;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces every occurrence of each (non-empty) secret, in all its forms, in `text` by "***". */
export function redact(text: string, secrets: Iterable<string>): string {
	let result = text;
	// Longest forms first, so that a secret's encoded form is not half-replaced by a shorter one.
	const forms = [...new Set([...secrets].filter(Boolean).flatMap((secret) => [...secretForms(secret)]))].sort(
		(a, b) => b.length - a.length,
	);
	for (const form of forms) {
		if (form.length >= FREE_SECRET_LENGTH) {
			result = result.split(form).join('***');
		} else {
			result = result.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, 'g'), '***');
		}
	}
	return result;
}

/**
 * A pasted token as it is sent: spaces and line breaks around it dropped, and a leading
 * "Bearer " (copied with the header, as API docs print it) left out.
 */
export function pastedToken(value: unknown): string {
	return (typeof value === 'string' ? value : '').trim().replace(/^Bearer\s+/i, '');
}

/**
 * `value` (text or plain data) with the credential's secret values (SECRET_FIELDS and
 * `extraFields`) replaced by "***".
 */
export function scrubSecrets<T>(
	value: T,
	data: ICredentialDataDecryptedObject | undefined,
	extraFields: Array<string | undefined> = [],
): T {
	if (value === undefined || value === null || !data) return value;
	const secrets = [...SECRET_FIELDS, ...extraFields]
		.map((field) => (field ? data[field] : undefined))
		.filter((secret): secret is string => typeof secret === 'string' && secret !== '')
		// A pasted token is sent as `pastedToken` makes it: remove that form as well.
		.flatMap((secret) => [secret, pastedToken(secret)]);
	if (secrets.length === 0) return value;
	if (typeof value === 'string') return redact(value, secrets) as T;
	const text = redact(JSON.stringify(value), secrets);
	try {
		return JSON.parse(text) as T;
	} catch {
		// Never hand back the unscrubbed value: the scrubbed text is all that is left.
		return text as T;
	}
}
