import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The sign key agreed with 123kanfang for its signed callbacks ("strong validation"). Used only
 * by the 123kanfang Trigger to check the `sign` header of incoming requests; nothing is sent
 * with it, so there is no authenticate or test request.
 */
export class Kanfang123WebhookApi implements ICredentialType {
	name = 'kanfang123WebhookApi';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api -- name fixed by issue 3; this is a webhook sign key, not an API login
	displayName = '123kanfang Webhook';

	documentationUrl =
		'https://github.com/n8n-nodes-task-dispatch/n8n-nodes-task-dispatch#123kanfang-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Sign Key',
			name: 'signSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The key agreed with 123kanfang for signing callbacks (signKey in their "strong validation" rule). Ask your 123kanfang contact for it.',
		},
	];
}
