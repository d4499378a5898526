/**
 * An in-memory stand-in for n8n's credential store and `CredentialsHelper`.
 *
 * It behaves like the one in n8n's CLI in the ways our nodes depend on: credential data is
 * stored serialised (like the encrypted database row) and handed out as a fresh copy on every
 * `getDecrypted`; `authenticate` applies a credential type's function or generic definition;
 * `preAuthentication` calls the type's hook when its hidden `expirable` property is empty or a
 * request came back 401, and writes the result back to the store (which is what lets every
 * worker of a queue-mode n8n share one token). Counters let tests assert what happened.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsDecrypted,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression } from 'n8n-workflow';

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	json: string;
}

export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(types: ICredentialType[] = []) {
		for (const type of types) this.add(type);
	}

	add(type: ICredentialType) {
		this.types.set(type.name, type);
	}

	get(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type "${name}"`);
		return type;
	}

	all() {
		return [...this.types.values()];
	}
}

/**
 * Credential ids are unique in the whole test process, as n8n's are in its database: the
 * nodes keep token state per credential for the process (nodes/shared/tokenGate.ts).
 */
let nextId = 1;

export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<string, StoredCredential>();

	/** How many times each credential id was written back (token refreshes). */
	readonly updates = new Map<string, number>();

	/** How many times each credential type's preAuthentication hook actually ran. */
	readonly preAuthCalls = new Map<string, number>();

	/** How many times each credential id was read decrypted (n8n: a database read + decryption). */
	readonly decrypts = new Map<string, number>();

	constructor(readonly types: CredentialTypeRegistry) {
		super();
	}

	/** Store a credential; returns the `{ id, name }` a node refers to it by. */
	add(type: string, data: ICredentialDataDecryptedObject, name = `${type} account`): INodeCredentialsDetails {
		const id = String(nextId++);
		this.store.set(id, { id, name, type, json: JSON.stringify(this.withDefaults(type, data)) });
		return { id, name };
	}

	/** The stored (persisted) data of a credential, as the database would hold it. */
	stored(id: string): ICredentialDataDecryptedObject {
		const entry = this.store.get(id);
		if (!entry) throw new Error(`No credential ${id}`);
		return JSON.parse(entry.json) as ICredentialDataDecryptedObject;
	}

	/** Overwrite stored fields, e.g. to simulate another worker's refresh or an expired token. */
	patch(id: string, data: ICredentialDataDecryptedObject) {
		const entry = this.store.get(id);
		if (!entry) throw new Error(`No credential ${id}`);
		entry.json = JSON.stringify({ ...this.stored(id), ...data });
	}

	decrypted(id: string): ICredentialsDecrypted {
		const entry = this.store.get(id);
		if (!entry) throw new Error(`No credential ${id}`);
		return { id, name: entry.name, type: entry.type, data: this.stored(id) };
	}

	private withDefaults(type: string, data: ICredentialDataDecryptedObject) {
		const result: ICredentialDataDecryptedObject = {};
		for (const property of this.getCredentialsProperties(type)) {
			if (property.default !== undefined) {
				result[property.name] = property.default as string;
			}
		}
		return { ...result, ...data };
	}

	getParentTypes(name: string): string[] {
		return this.types.get(name).extends ?? [];
	}

	/** n8n 2.x asks this before a node reads a credential; none of our types restricts its nodes. */
	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.types.get(typeName);
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (authenticate.type === 'generic') {
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
					const resolvedKey = this.resolve(key, credentials, workflow, node);
					const resolvedValue = this.resolve(value, credentials, workflow, node);
					target[outerKey] = target[outerKey] ?? {};
					target[outerKey][resolvedKey] = resolvedValue;
				}
			}
		}
		return requestOptions;
	}

	private resolve(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? String(resolved) : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.get(typeName);
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}
		this.preAuthCalls.set(typeName, (this.preAuthCalls.get(typeName) ?? 0) + 1);
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const nodeCredentials = node.credentials?.[typeName];
		if (nodeCredentials?.id && this.store.has(nodeCredentials.id)) {
			await this.updateCredentials(nodeCredentials, typeName, {
				...this.stored(nodeCredentials.id),
				...(output as ICredentialDataDecryptedObject),
			});
		}
		return Object.assign(credentials, output as ICredentialDataDecryptedObject);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = await this.getDecrypted({} as IWorkflowExecuteAdditionalData, nodeCredentials, type);
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: JSON.stringify(data),
			getData: () => data,
			getDataToSave: () => ({ data: JSON.stringify(data) }),
			setData: () => {},
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const entry = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!entry || entry.type !== type) {
			throw new Error(`Credential "${nodeCredentials.name}" of type "${type}" not found`);
		}
		this.decrypts.set(entry.id, (this.decrypts.get(entry.id) ?? 0) + 1);
		return JSON.parse(entry.json) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const id = nodeCredentials.id;
		if (!id || !this.store.has(id)) return;
		this.store.get(id)!.json = JSON.stringify(data);
		this.updates.set(id, (this.updates.get(id) ?? 0) + 1);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.get(type).properties;
	}
}
