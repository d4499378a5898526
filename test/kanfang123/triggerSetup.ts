/**
 * The 123kanfang Trigger served over real HTTP by the webhook harness (n8n-core's
 * WebhookContext, static data saved as n8n saves it), with one credential, for the trigger's
 * test files. `useTrigger()` registers the jest hooks; every test starts with a new workflow
 * (new id, empty static data) and a new credential, so nothing the process kept for an earlier
 * test applies to it.
 */
import type { IDataObject, INodeCredentialsDetails, INodeParameters, INodeType } from 'n8n-workflow';

import { Kanfang123WebhookApi } from '../../credentials/Kanfang123WebhookApi.credentials';
import { Kanfang123Trigger } from '../../nodes/Kanfang123/Kanfang123Trigger.node';
import type { TriggerState } from '../../nodes/Kanfang123/helpers/state';
import { storedSigns } from '../../nodes/Kanfang123/helpers/state';
import type { Params } from '../../stand-ins/callback';
import { Harness } from '../harness/run';
import { WebhookServer } from '../harness/webhook';

export const TRIGGER_TYPE = 'CUSTOM.kanfang123Trigger';
export const KEY = 'CdLvNRRQvy0xjORPNvuVaA';
export const SUCCESS = { state: 200, payload: 'Success' };

/** The signs a trigger's static data remembers: replay key → until when (epoch ms). */
export function rememberedSigns(staticData: IDataObject | undefined): Map<string, number> {
	return storedSigns((staticData ?? {}) as TriggerState, 0);
}

export const taskParams = (state = '50000', houseId = '000123'): Params => [
	['state', state],
	['houseTaskId', '0123456789abcdef0123456789abcdef'],
	['houseId', houseId],
	['packageId', 'PKG-2024-0001'],
];

export interface TriggerSetup {
	harness: Harness;
	server: WebhookServer;
	credential: INodeCredentialsDetails;
	/** Set the node's parameters (like editing and saving the workflow). */
	use(parameters: INodeParameters, keepRawBody?: boolean): void;
	/** Wait for every request so far, and return the executions. */
	settle(): Promise<WebhookServer['executions']>;
	/** How often the credential was read so far. */
	credentialReads(): number;
	/** From now on in this test, requests are served by another n8n process (same database). */
	anotherProcess(): void;
}

/** The trigger as another n8n process runs it: its modules loaded again, with their own memory. */
export function triggerOfAnotherProcess(): INodeType {
	let trigger: INodeType | undefined;
	jest.isolateModules(() => {
		const module = require('../../nodes/Kanfang123/Kanfang123Trigger.node') as typeof import('../../nodes/Kanfang123/Kanfang123Trigger.node');
		trigger = new module.Kanfang123Trigger();
	});
	return trigger!;
}

export function useTrigger(): TriggerSetup {
	const setup = {} as TriggerSetup;
	const trigger = new Kanfang123Trigger();
	beforeAll(async () => {
		setup.harness = new Harness({
			nodes: [{ type: TRIGGER_TYPE, node: trigger }],
			credentialTypes: [new Kanfang123WebhookApi()],
		});
		setup.anotherProcess = () => setup.harness.nodeTypes.add(TRIGGER_TYPE, triggerOfAnotherProcess());
		setup.server = new WebhookServer(setup.harness, { type: TRIGGER_TYPE, parameters: {} });
		setup.use = (parameters, keepRawBody = true) =>
			setup.server.configure({
				parameters,
				credentials: { kanfang123WebhookApi: setup.credential },
				keepRawBody,
				loadDelayMs: 0,
			});
		setup.settle = async () => {
			await setup.server.settled();
			return setup.server.executions;
		};
		setup.credentialReads = () => setup.harness.credentials.decrypts.get(setup.credential.id!) ?? 0;
		await setup.server.start();
	});
	afterAll(async () => {
		await setup.server.stop();
	});
	beforeEach(() => {
		setup.harness.nodeTypes.add(TRIGGER_TYPE, trigger);
		setup.credential = setup.harness.credentials.add('kanfang123WebhookApi', { signSecret: KEY });
		setup.use({});
		setup.server.reset();
		setup.harness.credentials.decrypts.clear();
	});
	return setup;
}
