/**
 * The three workloads (one operation of each action node) and the same requests as n8n's HTTP
 * Request node, the bare request helper and axios get them.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import type { ServerInfo } from './standIns';
import { BENCH_SECRETS } from './standIns';
import { demoAccountCredential } from '../../stand-ins/kanfang123';
import { oneInOneOut } from '../../test/harness/nodeTypes';

const ASSIGN_PATH = '/v2/houseTask/AssignNewCaptureHouseTask';
const AICC_CREATE_PATH = '/service/AICC__Case/1.0.0/openapi/task';
const INCS_PATH = '/external/tasks';

type Parameters = INodeParameters;
type Item = IDataObject;

export interface Workload {
	name: string;
	/** The node under test: its type name in this package, its credential and its parameters. */
	nodeName: 'kanfang123' | 'aicc' | 'incs';
	credentialType: 'kanfang123Api' | 'aiccApi' | 'incsApi';
	/** The credential's data for the in-process harness (a real n8n gets its own credential). */
	credential: () => ICredentialDataDecryptedObject;
	/** The node's parameters, with its Options (Parallel Requests, Batch Interval) set. */
	parameters: (options: Parameters) => Parameters;
	/** The same requests through the HTTP Request node. */
	http: (batching: Parameters | undefined) => Parameters;
	/** The same request as n8n's bare request helper gets it (the baseline without any node logic). */
	bare: (json: Item) => IHttpRequestOptions;
	items: (count: number, run: number) => Item[];
	path: string;
	tokenPath?: string;
}

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
export const BARE_TYPE = 'CUSTOM.bareRequest';

/**
 * The baseline: for each item one `this.helpers.httpRequest` with a request built in code (no
 * parameters, no expressions, no credential, no checks), Parallel Requests at a time. The
 * difference between a node and this is what the node adds to n8n's own HTTP transport.
 */
export class BareRequestNode implements INodeType {
	description = oneInOneOut({
		displayName: 'Bare request (benchmark baseline)',
		name: 'bareRequest',
		description: 'One helpers.httpRequest per item',
		defaults: { name: 'Bare request' },
		properties: [
			{ displayName: 'Workload', name: 'workload', type: 'string', default: '' },
			{ displayName: 'Parallel', name: 'parallel', type: 'number', default: 10 },
		],
	});

	readonly execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

	/** `builders`: the request of each workload, by workload name. */
	constructor(builders: ReadonlyMap<string, Workload['bare']>) {
		this.execute = async function (this: IExecuteFunctions) {
			const build = builders.get(this.getNodeParameter('workload', 0) as string)!;
			const parallel = this.getNodeParameter('parallel', 0) as number;
			const items = this.getInputData();
			const output: INodeExecutionData[] = new Array(items.length);
			let next = 0;
			const worker = async () => {
				while (next < items.length) {
					const index = next++;
					const body = (await this.helpers.httpRequest(build(items[index].json))) as Item;
					output[index] = { json: body, pairedItem: { item: index } };
				}
			};
			await Promise.all(Array.from({ length: parallel }, worker));
			return [output];
		};
	}
}

function headerParameters(headers: Record<string, string>) {
	return { parameters: Object.entries(headers).map(([name, value]) => ({ name, value })) };
}

/** HTTP Request node parameters: POST a JSON body built by an expression, with headers. */
function jsonHttpRequest(url: string, headers: Record<string, string>, jsonBody: string, batching: Parameters | undefined) {
	return {
		method: 'POST',
		url,
		sendHeaders: true,
		headerParameters: headerParameters(headers),
		sendBody: true,
		contentType: 'json',
		specifyBody: 'json',
		jsonBody,
		options: batching ? { batching } : {},
	};
}

export function workloads(info: ServerInfo): Workload[] {
	return [
		{
			name: '123kanfang Assign Capture Task',
			nodeName: 'kanfang123',
			credentialType: 'kanfang123Api',
			path: ASSIGN_PATH,
			tokenPath: '/v2/Authorization/GetAccessToken',
			items: (count, run) => Array.from({ length: count }, (_, i) => ({ id: `R${run}-${i}`, name: `House ${i}` })),
			credential: () => demoAccountCredential(info.kanfang),
			parameters: (options) => ({
				resource: 'houseTask',
				operation: 'assignCapture',
				userName: 'photographer-1',
				houseName: '={{ $json.name }}',
				customerHouseId: '={{ $json.id }}',
				serviceId: 'svc-1',
				options,
			}),
			bare: (json) => ({
				method: 'POST',
				url: `${info.kanfang}${ASSIGN_PATH}`,
				headers: { Authorization: info.kanfangToken, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: { userName: 'photographer-1', houseName: json.name, customerHouseId: json.id, serviceId: 'svc-1' },
				json: true,
			}),
			http: (batching) => ({
				method: 'POST',
				url: `${info.kanfang}${ASSIGN_PATH}`,
				sendHeaders: true,
				headerParameters: headerParameters({ Authorization: info.kanfangToken }),
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: {
					parameters: [
						{ name: 'userName', value: 'photographer-1' },
						{ name: 'houseName', value: '={{ $json.name }}' },
						{ name: 'customerHouseId', value: '={{ $json.id }}' },
						{ name: 'serviceId', value: 'svc-1' },
					],
				},
				options: batching ? { batching } : {},
			}),
		},
		{
			name: 'Huawei AICC Create',
			nodeName: 'aicc',
			credentialType: 'aiccApi',
			path: AICC_CREATE_PATH,
			tokenPath: '/baas/auth/v1.0/oauth2/token',
			items: (count, run) => Array.from({ length: count }, (_, i) => ({ name: `Call back ${run}-${i}` })),
			credential: () => ({ domain: info.aicc, authentication: 'clientCredentials', ...BENCH_SECRETS.aiccClient }),
			parameters: (options) => ({
				resource: 'task',
				operation: 'create',
				title: '={{ $json.name }}',
				ownerId: 'owner-1',
				creatorId: 'creator-1',
				options,
			}),
			bare: (json) => ({
				method: 'POST',
				url: `${info.aicc}${AICC_CREATE_PATH}`,
				headers: { 'access-token': info.aiccToken },
				body: { taskInfo: { title: json.name, ownerId: 'owner-1', creatorId: 'creator-1' } },
				json: true,
			}),
			http: (batching) =>
				jsonHttpRequest(
					`${info.aicc}${AICC_CREATE_PATH}`,
					{ 'access-token': info.aiccToken },
					"={{ JSON.stringify({ taskInfo: { title: $json.name, ownerId: 'owner-1', creatorId: 'creator-1' } }) }}",
					batching,
				),
		},
		{
			name: 'INCS Create and Assign',
			nodeName: 'incs',
			credentialType: 'incsApi',
			path: INCS_PATH,
			items: (count, run) =>
				Array.from({ length: count }, (_, i) => ({ phone: `628${String(run).padStart(3, '0')}${String(i).padStart(7, '0')}` })),
			credential: () => ({ baseUrl: info.incs, apiToken: info.incsToken }),
			parameters: (options) => ({
				resource: 'task',
				operation: 'create',
				name: 'Payment reminder',
				authId: 30058,
				userPhone: '={{ $json.phone }}',
				assigneeUsername: 'agent-1',
				options,
			}),
			bare: (json) => ({
				method: 'POST',
				url: `${info.incs}${INCS_PATH}`,
				headers: { Authorization: `Bearer ${info.incsToken}` },
				body: { name: 'Payment reminder', type: 3, auth_id: 30058, user_phone: json.phone, assignee_username: 'agent-1' },
				json: true,
			}),
			http: (batching) =>
				jsonHttpRequest(
					`${info.incs}${INCS_PATH}`,
					{ Authorization: `Bearer ${info.incsToken}` },
					"={{ JSON.stringify({ name: 'Payment reminder', type: 3, auth_id: 30058, user_phone: $json.phone, assignee_username: 'agent-1' }) }}",
					batching,
				),
		},
	];
}
