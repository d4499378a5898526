import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { INCS_DEFAULT_URL } from '../nodes/Incs/transport/baseUrl';
import { pastedToken } from '../nodes/shared/secrets';

/**
 * INCS (WhatsApp customer-conversation platform) API token. Every call carries it as
 * `Authorization: Bearer <token>`; the token does not expire on a schedule that INCS documents,
 * so it is sent as it is (no refresh).
 */
export class IncsApi implements ICredentialType {
	name = 'incsApi';

	displayName = 'INCS API';

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-task-dispatch#incs-api-credential';

	icon = { light: 'file:icons/incs.svg', dark: 'file:icons/incs.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: INCS_DEFAULT_URL,
			placeholder: 'e.g. https://api.incsapp.com',
			description: 'Address of the INCS API, without a trailing path',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API token INCS issued for your account, sent as "Authorization: Bearer"',
		},
	];

	/**
	 * `Authorization: Bearer <token>`. A function rather than a generic expression: n8n would
	 * evaluate an expression for every request (measurable with 10,000 items).
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${pastedToken(credentials.apiToken)}` };
		return requestOptions;
	};

	/**
	 * INCS documents a single endpoint, POST /external/tasks, and no read-only call. The test
	 * therefore POSTs an empty JSON object there: it cannot create a task (name, auth_id,
	 * user_phone and assignee_username are required), so INCS answers with a validation error
	 * once it has accepted the token, and with a 401 when it has not. Because INCS does not
	 * document whether its errors come as HTTP 200 or as an HTTP error status, HTTP status
	 * errors are not treated as failures here; instead the reply's `code` is checked:
	 * 401/403 mean the token was refused, anything else means the token got through.
	 * Limitation: a refusal that does not carry INCS's JSON envelope is not recognised.
	 */
	test: ICredentialTestRequest = {
		request: {
			// incsBaseUrl as an expression (test/credentials/baseUrl.test.ts checks both agree).
			baseURL: `={{ (($credentials.baseUrl || "").trim() || "${INCS_DEFAULT_URL}").replace(/\\/+$/, "") }}`,
			url: '/external/tasks',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: '{}',
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 401,
					message: 'INCS rejected the API token. Check the token in this credential.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 403,
					message: 'INCS refused access with this API token (403).',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'code',
					value: 404,
					message: 'No INCS API found at this Base URL (404). Check the Base URL.',
				},
			},
		],
	};
}
