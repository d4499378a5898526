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

import { loginRequest } from '../nodes/shared/login';
import { pastedToken, redact } from '../nodes/shared/secrets';
import { AICC_DEFAULT_URL, aiccBaseUrl } from '../nodes/Aicc/transport/baseUrl';
import { refuseExpiredToken, sessionTokenProperties } from './common/sessionToken';

/** The trimmed Domain, or the default host when it is empty (in expression syntax). */
const AICC_DOMAIN = `(($credentials.domain || "").trim() || "${AICC_DEFAULT_URL}")`;

/** Vendor error text from a token-endpoint answer, without anything the request carried. */
function tokenErrorText(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
	if (!body || typeof body !== 'object') return undefined;
	const data = body as IDataObject;
	const parts = [data.error, data.error_description, data.resCode, data.resMsg, data.message]
		.filter((value) => typeof value === 'string' || typeof value === 'number')
		.map(String);
	return parts.length ? parts.join(': ').slice(0, 300) : undefined;
}

export class AiccApi implements ICredentialType {
	name = 'aiccApi';

	displayName = 'Huawei AICC API';

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-task-dispatch#huawei-aicc-api-credential';

	icon = { light: 'file:icons/aicc.svg', dark: 'file:icons/aicc.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			default: 'https://service.besclouds.com',
			placeholder: 'https://service.besclouds.com',
			required: true,
			description:
				"Base URL of your tenant's Huawei Cloud CEC / AICC service, e.g. https://service.besclouds.com",
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: 'n8n exchanges a client ID and secret for a token and renews it when it expires',
				},
				{
					name: 'Access Token',
					value: 'accessToken',
					description: 'Use a token you already hold; n8n cannot renew it',
				},
			],
			default: 'clientCredentials',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
			description: 'Client ID of the OAuth2 client (Astro Zero / AppCube tenant)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['clientCredentials'] } },
			description: 'Client secret of the OAuth2 client',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['accessToken'] } },
			description: 'Tenant-space access token, sent in the access-token header of every call',
		},
		...sessionTokenProperties,
	];

	/**
	 * Client Credentials: fetch a tenant-space token. n8n calls this when `sessionToken` is
	 * empty (or the node reported it expired) and stores the result in the credential.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication !== 'clientCredentials') return {};
		const clientId = String(credentials.clientId ?? '').trim();
		const clientSecret = String(credentials.clientSecret ?? '');
		if (clientId === '' || clientSecret === '') {
			throw new Error('Huawei AICC credential: Client ID and Client Secret must both be filled in');
		}
		const url = `${aiccBaseUrl(credentials.domain)}/baas/auth/v1.0/oauth2/token`;
		const response = await loginRequest(this, credentials, 'Huawei AICC token endpoint', {
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: clientId,
				client_secret: clientSecret,
			}).toString(),
		});
		const body = response.body as IDataObject | undefined;
		const token = body && typeof body === 'object' ? body.access_token : undefined;
		if (response.statusCode < 200 || response.statusCode >= 300 || typeof token !== 'string' || token === '') {
			const detail = tokenErrorText(response.body);
			const hint =
				response.statusCode === 400 || response.statusCode === 401 || response.statusCode === 403
					? ' Check the Client ID and Client Secret of the Huawei AICC credential.'
					: '';
			throw new Error(
				redact(
					`Huawei AICC did not issue a token (HTTP ${response.statusCode}${detail ? `: ${detail}` : ''}).${hint}`,
					[clientSecret],
				),
			);
		}
		const expiresIn = Number(body?.expires_in);
		return {
			sessionToken: token,
			// Unknown lifetime: 0 means "no recorded expiry", the node then relies on HTTP 401.
			tokenExpiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : 0,
		};
	}

	/**
	 * The `access-token` header: the pasted token, or the one fetched with client credentials.
	 * A function rather than a generic expression, which n8n would evaluate for every request.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		if (credentials.authentication === 'clientCredentials') refuseExpiredToken(credentials, 'Huawei AICC');
		const token = credentials.authentication === 'accessToken' ? pastedToken(credentials.accessToken) : credentials.sessionToken;
		requestOptions.headers = { ...requestOptions.headers, 'access-token': String(token ?? '') };
		return requestOptions;
	};

	/**
	 * A status update with empty id, status and creator: the service refuses it without
	 * touching any task, but only after accepting the token (an unknown token gets HTTP 401).
	 */
	test: ICredentialTestRequest = {
		request: {
			// aiccBaseUrl as an expression (n8n evaluates this; test/credentials/baseUrl.test.ts
			// checks both agree).
			baseURL: `={{ (/^https?:\\/\\//i.test(${AICC_DOMAIN}) ? ${AICC_DOMAIN} : "https://" + ${AICC_DOMAIN}).replace(/\\/+$/, "") }}`,
			url: '/service/AICC__Case/1.0.0/openapi/task/status/update',
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: { id: '', status: '', creatorId: '' },
			json: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Huawei AICC rejected the token (HTTP 401). Check the access token, or the Client ID and Client Secret.',
				},
			},
		],
	};
}
