/**
 * The one setup shape of every vendor's tests: `setup()` starts the vendor's stand-in and
 * returns `{ server, harness, credential(), run(), reset(), stop() }`. Each vendor's
 * `test/<vendor>/setup.ts` only says what differs: node, credential defaults, parameter
 * defaults, and what `reset()` also clears on its stand-in.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INodeCredentialsDetails,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import type { StandInServer } from '../../stand-ins/base';
import type { ListSearchOptions } from './listSearch';
import { listSearch } from './listSearch';
import type { RunOptions, RunResult } from './run';
import { Harness } from './run';
import { asTool } from './tool';

export type VendorRunOptions = Partial<Omit<RunOptions, 'type' | 'parameters' | 'credentials'>> & {
	/** Default: a new credential with the vendor's defaults (so no token state carries over). */
	credential?: INodeCredentialsDetails;
	/** Run the node as an AI Agent's tool (its `<type>Tool` variant). */
	tool?: boolean;
};

export interface VendorSetup<Server extends StandInServer> {
	readonly server: Server;
	/** Replaced by `reset()`. */
	harness: Harness;
	/** Store a credential pointing at the stand-in: the vendor's defaults, then `data`. */
	credential(data?: ICredentialDataDecryptedObject): INodeCredentialsDetails;
	/** Run the node once over `items` (default one empty item). */
	run(parameters: INodeParameters, options?: VendorRunOptions): Promise<RunResult>;
	/** The editor's "From List" search `method` for a form with `parameters` (vendor defaults added). */
	listSearch(
		method: string,
		parameters: INodeParameters,
		options?: Pick<ListSearchOptions, 'filter' | 'paginationToken'> & { credential?: INodeCredentialsDetails },
	): Promise<INodeListSearchResult>;
	/** A fresh harness, and the stand-in's recording and vendor switches cleared. */
	reset(): void;
	stop(): Promise<void>;
}

export interface VendorConfig<Server extends StandInServer> {
	type: string;
	node: () => INodeType;
	credentialType: () => ICredentialType;
	server: Server;
	/** The credential data pointing at the started stand-in. */
	credentialData: (server: Server) => ICredentialDataDecryptedObject;
	/** The vendor's parameter defaults (resource, fast retries) around a test's parameters. */
	parameters: (parameters: INodeParameters) => INodeParameters;
	/** What `reset()` clears on the stand-in besides its recording. */
	resetServer?: (server: Server) => void;
}

export async function startVendor<Server extends StandInServer>(
	config: VendorConfig<Server>,
): Promise<VendorSetup<Server>> {
	const { server } = config;
	await server.start();
	const newHarness = () =>
		new Harness({
			nodes: [
				{ type: config.type, node: config.node() },
				{ type: `${config.type}Tool`, node: asTool(config.node()) },
			],
			credentialTypes: [config.credentialType()],
		});
	const setup: VendorSetup<Server> = {
		server,
		harness: newHarness(),
		credential: (data = {}) =>
			setup.harness.credentials.add(config.credentialType().name, { ...config.credentialData(server), ...data }),
		run: async (parameters, { credential, tool, ...options } = {}) =>
			await setup.harness.run({
				...options,
				type: tool ? `${config.type}Tool` : config.type,
				parameters: config.parameters(parameters),
				credentials: { [config.credentialType().name]: credential ?? setup.credential() },
			}),
		listSearch: async (method, parameters, { credential, ...options } = {}) =>
			await listSearch(setup.harness, {
				...options,
				type: config.type,
				method,
				parameters: config.parameters(parameters),
				credentials: { [config.credentialType().name]: credential ?? setup.credential() },
			}),
		reset: () => {
			setup.harness = newHarness();
			server.resetRecording();
			config.resetServer?.(server);
		},
		stop: async () => await server.stop(),
	};
	return setup;
}

export interface UseSetupOptions {
	/** 'file' (default): one setup for the file's tests; 'test': a fresh one for every test. */
	per?: 'file' | 'test';
	/** With one setup per file: `reset()` before every test. */
	reset?: boolean;
}

/**
 * The Jest hooks of a test file (or describe block): start the setup, reset or restart it as
 * asked, stop it afterwards. Returns an object that forwards to the running setup.
 */
export function useSetup<S extends { reset(): void; stop(): Promise<void> }>(
	start: () => Promise<S>,
	options: UseSetupOptions = {},
): S {
	let current: S | undefined;
	const begin = async () => {
		current = await start();
	};
	const end = async () => await current?.stop();
	if (options.per === 'test') {
		beforeEach(begin);
		afterEach(end);
	} else {
		beforeAll(begin);
		afterAll(end);
		if (options.reset) beforeEach(() => current!.reset());
	}
	return new Proxy({} as S, {
		get: (_target, key) => {
			if (!current) throw new Error('The test setup has not started yet (use it inside a test)');
			return current[key as keyof S];
		},
	});
}
