/**
 * Everything our nodes need from n8n beyond its public node API, in one place. Each function
 * names the n8n behaviour it relies on and the n8n versions it was checked on; the contract
 * tests in test/e2e/n8nAdapter.e2e.ts run each one in a real n8n of both lines and fail, naming
 * the function, when n8n changes that behaviour. The rest of the code calls these functions and
 * touches none of these internals itself.
 *
 * Checked on n8n 1.123.0 (n8n-core 1.122.0) and n8n 2.41.3 (n8n-core 2.41.1).
 *
 * One reliance is not code and so has no function here: when n8n saves a webhook trigger's
 * static data. n8n saves it after a production webhook call that changed it, from the copy it
 * loaded when the call began, once the node has answered; n8n 2.x resets the "changed" mark of
 * the static data while it creates the execution. So the 123kanfang Trigger answers the callback
 * itself (`noWebhookResponse`) right after remembering its sign, and its replay memory reaches
 * the database (Kanfang123Trigger.node.ts `webhook()`, helpers/state.ts; tested in
 * triggerHardening.e2e.ts). See docs/n8n-internals.md.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

// ── Credentials and their login (preAuthentication) ─────────────────────────────────────────

/** The contexts our API client sends from: an execution, a "From list" search, a poll. */
export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The node's credential, with the data object the node keeps for the whole execution. */
export interface CredentialInUse {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/**
 * Send with n8n's `httpRequestWithAuthentication`, handing it the node's own credential data.
 *
 * Relies on (n8n-core `httpRequestWithAuthentication`, 1.122 and 2.41): n8n passes the
 * `credentialsDecrypted.data` object itself to the credential's `preAuthentication` (so the
 * settings of `passToLogin` reach the login), and copies what preAuthentication returned into
 * that same object (`Object.assign`). So after this call `credentials.data` holds the token the
 * login fetched: the token gate reads it there (client.ts → TokenGate.loginDone) and the following
 * requests of the execution send it.
 */
export async function sendWithCredential(
	ctx: ApiContext,
	credentials: CredentialInUse,
	request: IHttpRequestOptions,
): Promise<unknown> {
	return await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentials.type, request, {
		credentialsDecrypted: { id: credentials.id, name: credentials.name, type: credentials.type, data: credentials.data },
	});
}

/** Settings a node hands to its credential's login for its requests. */
export interface LoginSettings {
	/** Time limit of one login request, in ms (the node's Timeout option). */
	timeoutMs: number;
}

// Keyed by the data object itself: the settings are never written into the credential, so
// n8n never stores them.
const loginSettings = new WeakMap<ICredentialDataDecryptedObject, LoginSettings>();

/**
 * Make `settings` reach the credential's `preAuthentication` when n8n logs in for a request
 * sent by `sendWithCredential` with this `data`.
 *
 * Relies on (n8n-core `httpRequestWithAuthentication` → n8n's `CredentialsHelper.preAuthentication`,
 * 1.122 and 2.41): the hook receives the very object passed as `credentialsDecrypted.data`.
 */
export function passToLogin(data: ICredentialDataDecryptedObject, settings: LoginSettings): void {
	loginSettings.set(data, settings);
}

/**
 * The settings `passToLogin` gave for the credentials a `preAuthentication` (or `authenticate`)
 * hook received; undefined when no node of ours sends the request (n8n's credential test, the
 * HTTP Request node). Same reliance as `passToLogin`.
 */
export function settingsFromNode(credentials: ICredentialDataDecryptedObject): LoginSettings | undefined {
	return loginSettings.get(credentials);
}

/**
 * The messages n8n lists on the error it raises for a failed `preAuthentication`.
 *
 * Relies on (n8n-core `httpRequestWithAuthentication`, 1.122 and 2.41): n8n wraps what the hook
 * threw in a NodeApiError which, for an error with a network `code`, replaces the message by
 * its generic text and keeps no `cause`, but lists the original message in `messages`.
 */
export function wrappedLoginMessages(error: unknown): string[] {
	const messages = (error as { messages?: unknown } | undefined)?.messages;
	return Array.isArray(messages) ? messages.filter((m): m is string => typeof m === 'string') : [];
}

// ── The polling trigger ─────────────────────────────────────────────────────────────────────

// No function: `ApiContext` includes IPollFunctions. The API client uses only `getNode`,
// `getCredentials` and `helpers.httpRequestWithAuthentication`, which n8n's typed poll context
// offers like an execution's (tested in n8nAdapter.e2e.ts all the same).

// ── The webhook trigger's raw body ──────────────────────────────────────────────────────────

/** The parts of n8n's webhook request the 123kanfang Trigger reads. */
export interface WebhookRequest {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
	headers?: Record<string, string | string[] | undefined>;
}

/**
 * The request of a webhook call, as far as `rawBodyOf` / `readRawBody` need it.
 *
 * Relies on (n8n's webhook server, 1.123 and 2.41): `getRequestObject()` is n8n's express
 * request with n8n's `rawBody` / `readRawBody` additions (declared on IncomingMessage by
 * n8n-workflow, but present only as described at `rawBodyOf`).
 */
export function webhookRequest(ctx: IWebhookFunctions): WebhookRequest {
	return ctx.getRequestObject() as unknown as WebhookRequest;
}

/**
 * The body bytes exactly as received, when n8n has read them.
 *
 * Relies on (n8n's `rawBodyReader` middleware and body parser, 1.123 and 2.41): when n8n parses
 * a body for the node (form, JSON, text, XML) it keeps the bytes it read as `rawBody`.
 */
export function rawBodyOf(request: WebhookRequest): Buffer | undefined {
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : undefined;
}

/**
 * Read the body n8n left unread and return its bytes; undefined when n8n offers no way to.
 * Throws what the reading throws (`type: 'entity.too.large'` over n8n's size limit).
 *
 * Relies on (same as `rawBodyOf`): for a content type n8n does not parse, or none, it leaves the
 * body unread for a node of type version 2 (of a trigger like ours) and `readRawBody()` reads
 * it into `rawBody`.
 */
export async function readRawBody(request: WebhookRequest): Promise<Buffer | undefined> {
	if (typeof request.readRawBody !== 'function') return undefined;
	await request.readRawBody();
	return rawBodyOf(request);
}
