import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

/** Characters a paste brings along unseen: no-break space, zero-width ones and the BOM. */
const INVISIBLE = /[\u00a0\u200b-\u200d\u2060\ufeff]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The test of the 123kanfang Webhook credential. 123kanfang has no endpoint to check a sign key
 * against (the key only signs the callbacks it sends), so the test checks what can go wrong
 * when the key is copied in: nothing entered, spaces around it, a line break, a tab or an
 * invisible character pasted with it. Any of these makes every signature check fail. The
 * messages never repeat the key.
 */
export function signSecretProblem(value: unknown): string | undefined {
	const key = typeof value === 'string' ? value : '';
	if (key === '') return 'The Sign Key is empty. Enter the key agreed with 123kanfang.';
	if (/[\r\n]/.test(key)) return 'The Sign Key contains a line break. Paste it again as a single line.';
	if (CONTROL.test(key)) return 'The Sign Key contains a tab or another control character. Paste it again.';
	if (INVISIBLE.test(key)) {
		return 'The Sign Key contains an invisible character (no-break or zero-width space). Type or paste it again.';
	}
	if (key.trim() !== key) return 'The Sign Key starts or ends with a space. Remove the spaces around it.';
	return undefined;
}

export async function kanfang123WebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const problem = signSecretProblem(credential.data?.signSecret);
	if (problem !== undefined) return { status: 'Error', message: problem };
	return {
		status: 'OK',
		message:
			'The Sign Key is well-formed. Whether it matches 123kanfang\'s key shows on the first signed callback (a wrong key is answered with 401).',
	};
}
