import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { KANFANG123_TASK_STATE_CODES, KANFANG123_TASK_STATES } from './helpers/states';
import { kanfang123WebhookApiTest } from './helpers/credentialTest';
import { buildItem, type Kanfang123Event } from './helpers/callback';
import {
	DEFAULT_TOLERANCE_SECONDS,
	type FormPair,
	parseFormPairs,
	rejectionReason,
} from './helpers/signature';
import { endState, isRepeat, startState, stateExists } from './helpers/state';

interface TriggerOptions {
	verifySignature?: boolean;
	timestampTolerance?: number;
	replyPayload?: string;
}

/** What n8n's webhook server hands the node (an express request with the raw body kept). */
interface CallbackRequest {
	rawBody?: Buffer;
	body?: unknown;
}

interface CallbackResponse {
	status(code: number): CallbackResponse;
	json(body: unknown): unknown;
}

function headerValue(value: string | string[] | undefined): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	return text === undefined || text.trim() === '' ? undefined : text;
}

/**
 * The form pairs as 123kanfang sent them: from the raw body bytes when n8n kept them (n8n 1.x
 * does, as `rawBody`); otherwise, as a fallback, from the body n8n already parsed. The fallback
 * cannot see the original order of different names (irrelevant: they are sorted) but keeps the
 * order of a repeated name's values.
 */
function readFormPairs(request: CallbackRequest, parsedBody: () => IDataObject): FormPair[] {
	if (Buffer.isBuffer(request.rawBody)) return parseFormPairs(request.rawBody);
	const pairs: FormPair[] = [];
	const body = parsedBody();
	if (typeof body !== 'object' || body === null) return pairs;
	for (const [name, value] of Object.entries(body)) {
		for (const entry of Array.isArray(value) ? value : [value]) {
			pairs.push({ name, value: entry === undefined || entry === null ? '' : String(entry) });
		}
	}
	return pairs;
}

export class Kanfang123Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '123kanfang Trigger',
		name: 'kanfang123Trigger',
		icon: { light: 'file:kanfang123Trigger.svg', dark: 'file:kanfang123Trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description:
			'Starts the workflow when 123kanfang sends a signed callback (task state change, package ready, push failed, FangTianXia result)',
		defaults: {
			name: '123kanfang Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'kanfang123WebhookApi',
				required: true,
				testedBy: 'kanfang123WebhookApiTest',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Give the Production URL above to 123kanfang as the callback address (URI) for the event chosen below: 123kanfang registers callback URLs for you, so send it to your 123kanfang integration contact, one URL per event. Activate the workflow for the Production URL to work. The Test URL only answers while you are listening for a test event in the editor.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'FangTianXia Result',
						value: 'fangTianXiaResult',
						description:
							'Result of pushing a 3D house to FangTianXia (FangTianXiaNotifyCallback). 123kanfang documents signing as optional for this one.',
					},
					{
						name: 'Package Ready',
						value: 'packageReady',
						description:
							'A finished data package can be downloaded (CustomerReceivePackageDownloadNotify)',
					},
					{
						name: 'Push Failed',
						value: 'pushFailed',
						description: 'A push of a package failed (CustomerReceiveNotifyFailedNotify)',
					},
					{
						name: 'Task State Changed',
						value: 'taskStateChanged',
						description: 'A house task changed state (CustomerReceiveTaskStateChangeNotify)',
					},
				],
				default: 'taskStateChanged',
				description: 'Which 123kanfang callback this URL receives; it shapes the output',
			},
			{
				displayName: 'Task States',
				name: 'taskStates',
				type: 'multiOptions',
				displayOptions: {
					show: {
						event: ['taskStateChanged'],
					},
				},
				// In lifecycle order (as TaskState.md lists them), which reads better than A–Z here.
				options: KANFANG123_TASK_STATE_CODES.map((code) => ({
					name: KANFANG123_TASK_STATES[code],
					value: code,
					description: `State code ${code}`,
				})),
				default: [],
				description:
					'Start the workflow only for these states. Empty passes all. Callbacks for other states are still answered with success, but start nothing.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Reply Payload',
						name: 'replyPayload',
						type: 'string',
						default: 'Success',
						description:
							'Text put in the payload of the reply to accepted callbacks, which is {"state":200,"payload":"Success"} by default',
					},
					{
						displayName: 'Timestamp Tolerance (Seconds)',
						name: 'timestampTolerance',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description:
							'How far the timestamp header may lie from the time of receipt (either way). It may be in seconds or milliseconds. 0 turns the check off.',
					},
					{
						displayName: 'Verify Signature',
						name: 'verifySignature',
						type: 'boolean',
						default: true,
						description:
							'Whether to reject callbacks whose sign header does not match the sign key (HTTP 401, no execution). Only turn off if 123kanfang does not sign this callback.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { kanfang123WebhookApiTest },
	};

	/**
	 * 123kanfang registers callback URLs by hand (no API), so nothing is registered there: the
	 * lifecycle owns the trigger's state in the workflow's static data instead (see state.ts).
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return stateExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return startState(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return endState(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const event = this.getNodeParameter('event', 'taskStateChanged') as Kanfang123Event;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const verify = options.verifySignature !== false;
		const configured = Number(options.timestampTolerance ?? DEFAULT_TOLERANCE_SECONDS);
		const tolerance = Number.isFinite(configured) ? configured : DEFAULT_TOLERANCE_SECONDS;
		const replyPayload = options.replyPayload ?? 'Success';

		const request = this.getRequestObject() as unknown as CallbackRequest;
		const response = this.getResponseObject() as unknown as CallbackResponse;
		const headers = this.getHeaderData();
		const sign = headerValue(headers.sign);
		const timestamp = headerValue(headers.timestamp);
		const pairs = readFormPairs(request, () => this.getBodyData());

		const reply = (state: number, payload: string): IWebhookResponseData => {
			response.status(state).json({ state, payload });
			return { noWebhookResponse: true };
		};

		if (verify) {
			const credentials = await this.getCredentials('kanfang123WebhookApi');
			const signKey = String(credentials.signSecret ?? '');
			if (signKey === '') {
				this.logger.warn('123kanfang callback refused: the credential has no sign key');
				return reply(500, 'InnerServerError -> sign key not configured');
			}
			const reason = rejectionReason(signKey, pairs, sign, timestamp, tolerance, receivedAt.getTime());
			if (reason !== undefined) {
				this.logger.debug(`123kanfang callback rejected (${event}): ${reason}`);
				return reply(401, reason);
			}
		}

		if (verify && sign !== undefined && isRepeat(this, sign, timestamp, tolerance, receivedAt.getTime())) {
			this.logger.debug(`123kanfang callback repeated (${event}): answered, no second execution`);
			return reply(200, replyPayload);
		}

		const item = buildItem(event, pairs, timestamp, receivedAt);

		if (event === 'taskStateChanged') {
			const wanted = (this.getNodeParameter('taskStates', []) as Array<number | string>).map(String);
			if (wanted.length > 0 && !wanted.includes(String(item.state))) {
				// Answered as a success, but no execution: no workflowData.
				return reply(200, replyPayload);
			}
		}

		reply(200, replyPayload);
		const workflowData: INodeExecutionData[][] = [[{ json: item }]];
		return { noWebhookResponse: true, workflowData };
	}
}
