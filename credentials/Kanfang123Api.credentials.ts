import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { KANFANG123_PRODUCTION_URL, KANFANG123_TEST_URL, kanfang123BaseUrl } from '../nodes/Kanfang123/transport/baseUrl';
import { kanfang123Login } from '../nodes/Kanfang123/transport/login';
import { pastedToken } from '../nodes/shared/secrets';
import { refuseExpiredToken, sessionTokenProperties } from './common/sessionToken';

/** The token this credential currently sends: pasted, or the one obtained by logging in. */
export function kanfang123Token(credentials: ICredentialDataDecryptedObject): string {
	return credentials.authentication === 'account' ? String(credentials.sessionToken ?? '') : pastedToken(credentials.accessToken);
}

export class Kanfang123Api implements ICredentialType {
	name = 'kanfang123Api';

	displayName = '123kanfang API';

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-task-dispatch#123kanfang-api-credential';

	icon = { light: 'file:icons/kanfang123.svg', dark: 'file:icons/kanfang123.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: KANFANG123_PRODUCTION_URL },
				{ name: 'Test', value: 'test', description: KANFANG123_TEST_URL },
				{ name: 'Custom URL', value: 'custom', description: 'Another host, e.g. a test host on port 5000' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://test.webapi.123kanfang.com:5000',
			description: 'Scheme, host and port of the 123kanfang web API, without /v2',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'Paste a token you already have',
				},
				{
					name: 'Account',
					value: 'account',
					description:
						'Log in with a 123kanfang account; the token is fetched, cached and renewed automatically',
				},
			],
			default: 'account',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'The 123kanfang account name (sent as authKey)',
			displayOptions: { show: { authentication: ['account'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['account'] } },
		},
		{
			displayName: 'Client Edition',
			name: 'clientEdition',
			type: 'string',
			default: 'ps_1.0.0',
			description:
				'Sent as clientEdtion when logging in. ps_1.0.0 ("partner server") is what 123kanfang documents for server-to-server calls.',
			displayOptions: { show: { authentication: ['account'] } },
		},
		{
			displayName: 'Send Token In',
			name: 'authorizationLocation',
			type: 'options',
			options: [
				{ name: 'Authorization Header', value: 'header' },
				{
					name: 'Form Body (Query for GET)',
					value: 'body',
					description: 'An Authorization field in the form body; in the query string of GET calls',
				},
				{ name: 'Cookie', value: 'cookie', description: 'A cookie named Authorization' },
			],
			default: 'header',
			description: '123kanfang accepts the token in any of these places',
		},
		...sessionTokenProperties,
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Refresh Expires At',
			name: 'refreshExpiresAt',
			type: 'hidden',
			default: 0,
		},
	];

	/**
	 * Account mode: renew the token with the refresh token while that is valid, else exchange
	 * username and password for a token (transport/login.ts). n8n calls this when the hidden
	 * `sessionToken` is empty (first use, or the node found it expired or refused) and stores
	 * the result in the credential, so all executions and queue-mode workers reuse it.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication !== 'account') return {};
		return await kanfang123Login(this, credentials);
	}

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		if (credentials.authentication === 'account') refuseExpiredToken(credentials, '123kanfang');
		const token = kanfang123Token(credentials);
		// Nodes send paths like /v2/houseTask/…; the host comes from the credential.
		if (!requestOptions.baseURL && !/^https?:\/\//i.test(requestOptions.url)) {
			requestOptions.baseURL = kanfang123BaseUrl(credentials);
		}
		const location = (credentials.authorizationLocation as string) || 'header';
		const method = (requestOptions.method ?? 'GET').toUpperCase();
		if (location === 'cookie') {
			const cookie = `Authorization=${encodeURIComponent(token)}`;
			const existing = requestOptions.headers?.Cookie ?? requestOptions.headers?.cookie;
			requestOptions.headers = {
				...requestOptions.headers,
				Cookie: existing ? `${String(existing)}; ${cookie}` : cookie,
			};
		} else if (location === 'body' && method === 'GET') {
			requestOptions.qs = { ...requestOptions.qs, Authorization: token };
		} else if (location === 'body') {
			const body = requestOptions.body;
			if (typeof body === 'string') {
				// An already encoded form: append the field.
				const field = `Authorization=${encodeURIComponent(token)}`;
				requestOptions.body = body ? `${body}&${field}` : field;
			} else {
				const fields = body && typeof body === 'object' ? (body as IDataObject) : {};
				requestOptions.body = { ...fields, Authorization: token };
			}
		} else {
			requestOptions.headers = { ...requestOptions.headers, Authorization: token };
		}
		return requestOptions;
	};

	/** A read-only call: the first page of house tasks, one row, only its ID. */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? String($credentials.baseUrl || "").trim().replace(/\\/+$/, "") : ($credentials.environment === "test" ? "' +
				KANFANG123_TEST_URL +
				'" : "' +
				KANFANG123_PRODUCTION_URL +
				'")}}',
			url: '/v2/houseTask/GetPage',
			method: 'GET',
			qs: { page: 0, pageSize: 1, fields: 'Id' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'state', value: 401, message: '123kanfang refused the token (state 401)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'state', value: 4011, message: '123kanfang could not refresh the token (state 4011)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'state', value: 403, message: '123kanfang rejected the request (state 403)' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'state', value: 500, message: '123kanfang server error (state 500)' },
			},
		],
	};
}
