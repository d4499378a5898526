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

import { webhookRequest } from '../shared/n8nAdapter';

import { stateWanted, taskStateFilterOptions, taskStatesParam } from './helpers/taskStateFilter';
import { kanfang123WebhookApiTest } from './helpers/credentialTest';
import { buildItem, type Kanfang123Event } from './helpers/callback';
import {
	DEFAULT_MAX_BODY_KIB,
	DEFAULT_MAX_FIELDS,
	readFormPairs,
	signatureFields,
} from './helpers/request';
import { DEFAULT_TOLERANCE_SECONDS, presenceReason } from './helpers/signature';
import {
	alreadySeen,
	endState,
	remember,
	rememberUntil,
	startState,
	stateExists,
} from './helpers/state';
import { checkSignature } from './helpers/signKey';

interface TriggerOptions {
	verifySignature?: boolean;
	timestampTolerance?: number;
	replyPayload?: string;
	maxBodySize?: number;
	maxFields?: number;
}

interface CallbackResponse {
	status(code: number): CallbackResponse;
	json(body: unknown): unknown;
}

/** A whole number ≥ 1 from an option, else its default. */
function positive(value: unknown, fallback: number): number {
	const number = Number(value ?? fallback);
	return Number.isFinite(number) && number >= 1 ? Math.floor(number) : fallback;
}

export class Kanfang123Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: '123kanfang Trigger',
		name: 'kanfang123Trigger',
		icon: { light: 'file:kanfang123Trigger.svg', dark: 'file:kanfang123Trigger.dark.svg' },
		group: ['trigger'],
		version: 2,
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
				options: taskStateFilterOptions,
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
						displayName: 'Max Body Size (KiB)',
						name: 'maxBodySize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 16384 },
						default: DEFAULT_MAX_BODY_KIB,
						description:
							'Larger callbacks are refused with HTTP 413 before they are parsed. The largest documented 123kanfang callback is about 5,000 characters (under 45 KiB even if every character were Chinese).',
					},
					{
						displayName: 'Max Form Fields',
						name: 'maxFields',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1000 },
						default: DEFAULT_MAX_FIELDS,
						description:
							'Callbacks with more form fields are refused with HTTP 400 before they are parsed. Documented callbacks have at most 10, plus any extra fields agreed with 123kanfang.',
					},
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
							'How far the timestamp may lie from the time of receipt (either way), in seconds or milliseconds. Accepted callbacks are remembered for this long, so a resend or replay starts nothing. 0 turns the check off: a captured callback can then be replayed without limit of time (it is remembered for 24 hours only).',
					},
					{
						displayName: 'Verify Signature',
						name: 'verifySignature',
						type: 'boolean',
						default: true,
						description:
							'Whether to reject callbacks whose sign (header, or query string) does not match the sign key (HTTP 401, no execution). Only turn off if 123kanfang does not sign this callback.',
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
		const now = receivedAt.getTime();
		const event = this.getNodeParameter('event', 'taskStateChanged') as Kanfang123Event;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const verify = options.verifySignature !== false;
		const configured = Number(options.timestampTolerance ?? DEFAULT_TOLERANCE_SECONDS);
		const tolerance = Number.isFinite(configured) ? configured : DEFAULT_TOLERANCE_SECONDS;
		const replyPayload = options.replyPayload ?? 'Success';

		const response = this.getResponseObject() as unknown as CallbackResponse;
		const reply = (state: number, payload: string): IWebhookResponseData => {
			response.status(state).json({ state, payload });
			return { noWebhookResponse: true };
		};
		const refuse = (state: number, reason: string): IWebhookResponseData => {
			this.logger.debug(`123kanfang callback refused (${event}): ${reason}`);
			return reply(state, reason);
		};

		// 1. Sign and timestamp, before the body is touched (the Package Ready notice documents
		//    only a sign: without a timestamp it is signed over key and values alone).
		const { sign, timestamp } = signatureFields(this.getHeaderData(), () => this.getQueryData() as IDataObject);
		if (verify) {
			const reason = presenceReason(sign, timestamp, tolerance, now, event === 'packageReady');
			if (reason !== undefined) return refuse(401, reason);
		}

		// 2. Size and field count before parsing, then one linear parse.
		const request = webhookRequest(this);
		const maxBytes = positive(options.maxBodySize, DEFAULT_MAX_BODY_KIB) * 1024;
		const maxFields = positive(options.maxFields, DEFAULT_MAX_FIELDS);
		const pairs = await readFormPairs(request, () => this.getBodyData(), maxBytes, maxFields);
		if (!Array.isArray(pairs)) return refuse(pairs.status, pairs.payload);

		if (verify && sign !== undefined) {
			// 3. A callback accepted before (a resend, a replay, a re-split copy: same sign) is
			//    answered at once, without fetching the credential.
			if (alreadySeen(this, sign, now)) {
				this.logger.debug(`123kanfang callback repeated (${event}): answered, no second execution`);
				return reply(200, replyPayload);
			}
			// 4. The signature (the key read at most every few seconds; a mismatch re-reads it).
			const verdict = await checkSignature(this, pairs, sign, timestamp, now);
			if (verdict === 'noKey') {
				this.logger.warn('123kanfang callback refused: the credential has no sign key');
				return reply(500, 'InnerServerError -> sign key not configured');
			}
			if (verdict === 'invalid') return refuse(401, 'Unauthorized: invalid signature');
		}

		const item = buildItem(event, pairs, timestamp, receivedAt);

		if (event === 'taskStateChanged') {
			let wanted: string[];
			try {
				wanted = taskStatesParam(this.getNode(), this.getNodeParameter('taskStates', []));
			} catch (error) {
				this.logger.warn(`123kanfang callback refused: ${(error as Error).message}`);
				return reply(500, `InnerServerError -> ${(error as Error).message}`);
			}
			if (!stateWanted(wanted, item.state)) {
				// Answered as a success, but no execution (no workflowData) and nothing remembered.
				return reply(200, replyPayload);
			}
		}

		// 5. Remembered now, in the same tick as the last check: of copies verified at the same
		//    time in this process, only the first starts an execution.
		if (verify && sign !== undefined && !remember(this, sign, rememberUntil(timestamp, tolerance, now), now)) {
			this.logger.debug(`123kanfang callback repeated (${event}): answered, no second execution`);
			return reply(200, replyPayload);
		}

		// Answered here, before n8n creates the execution (see n8nAdapter.ts, header): n8n saves
		// the static data changed in webhook() (the replay memory) when the node has answered.
		// Letting n8n answer instead (webhookResponse) defers that save until after the execution
		// is created, and n8n 2.x resets the "changed" mark of the static data while creating it,
		// so the memory would never reach the database.
		reply(200, replyPayload);
		const workflowData: INodeExecutionData[][] = [[{ json: item }]];
		return { noWebhookResponse: true, workflowData };
	}
}
