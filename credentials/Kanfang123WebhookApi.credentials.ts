import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The sign key agreed with 123kanfang for its signed callbacks ("strong validation"). Used only
 * by the 123kanfang Trigger to check the `sign` header of incoming requests; nothing is sent
 * with it, so there is no authenticate or test request: the trigger node tests it instead
 * (`testedBy`, nodes/Kanfang123/helpers/credentialTest.ts) for the mistakes a paste brings.
 */
export class Kanfang123WebhookApi implements ICredentialType {
	name = 'kanfang123WebhookApi';

	displayName = '123kanfang Webhook API';

	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-task-dispatch#123kanfang-webhook-api-credential';

	icon = { light: 'file:icons/kanfang123Trigger.svg', dark: 'file:icons/kanfang123Trigger.dark.svg' } as const;

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
