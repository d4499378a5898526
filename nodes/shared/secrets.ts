import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Credential fields whose values never appear in an error we raise, even when a server echoes
 * them back ("invalid token abc…"). Callers add their own token field.
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
/** Shorter credential values are not scrubbed (they would garble ordinary words). */
const MIN_SECRET_LENGTH = 6;

/** Replaces every occurrence of each (non-empty) secret in `text` by "***". */
export function redact(text: string, secrets: Iterable<string>): string {
	let result = text;
	for (const secret of secrets) if (secret) result = result.split(secret).join('***');
	return result;
}

/** The secret values of a credential, raw and JSON-escaped. */
export function credentialSecrets(
	data: ICredentialDataDecryptedObject,
	extraFields: Array<string | undefined> = [],
): Set<string> {
	const secrets = new Set<string>();
	for (const field of [...SECRET_FIELDS, ...extraFields]) {
		const secret = field ? data[field] : undefined;
		if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) {
			secrets.add(secret);
			secrets.add(JSON.stringify(secret).slice(1, -1));
		}
	}
	return secrets;
}

/** `value` (text or plain data) with the credential's secret values replaced by "***". */
export function scrubSecrets<T>(
	value: T,
	data: ICredentialDataDecryptedObject | undefined,
	extraFields: Array<string | undefined> = [],
): T {
	if (value === undefined || value === null || !data) return value;
	const secrets = credentialSecrets(data, extraFields);
	if (secrets.size === 0) return value;
	if (typeof value === 'string') return redact(value, secrets) as T;
	try {
		return JSON.parse(redact(JSON.stringify(value), secrets)) as T;
	} catch {
		return value;
	}
}
