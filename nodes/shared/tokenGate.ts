import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { BoundedMap } from './boundedMap';

export interface TokenConfig {
	/** Hidden, expirable credential property holding the token. */
	field: string;
	/** Credential property holding the expiry (epoch ms), if the vendor tells one. */
	expiresAtField?: string;
	/** Other properties a login fills in and that travel with the token (a refresh token…). */
	carried?: string[];
	/** Whether this credential's current settings use the refreshed token at all. */
	applies: (credentials: ICredentialDataDecryptedObject) => boolean;
	/** What identifies the account (base URL, user name…): part of the gate's key, hashed. */
	identity: (credentials: ICredentialDataDecryptedObject) => string[];
}

/** What one login in this process obtained. */
interface Issued {
	token: string;
	/** The token's field values and those carried with it. */
	fields: ICredentialDataDecryptedObject;
	expiresAt: number;
	fetchedAt: number;
	/** Whether the API has accepted it at least once. */
	accepted: boolean;
}

/** The token state of one credential, shared by every execution in this process. */
interface SharedState {
	/** The login one request (of any execution) carries; the others wait. Resolves with its failure. */
	login?: Promise<Error | undefined>;
	/** The newest token a login in this process obtained. */
	newest?: Issued;
	/** Hashes of tokens replaced by a newer one: never sent again from this process. */
	superseded: BoundedMap<string, true>;
}

/**
 * Credentials whose state the process keeps. Dropping one loses only what the process knows
 * beyond n8n's database; one with a login in flight is never dropped (that login stays the only one).
 */
const MAX_STATES = 1000;
/** Replaced tokens a state remembers: an older one loaded again is replaced when the API refuses it. */
const MAX_SUPERSEDED = 32;
/** A token loaded from n8n's database counts as expired this long before its recorded expiry. */
const EXPIRY_SKEW_MS = 60_000;

const states = new BoundedMap<string, SharedState>(MAX_STATES, (state) => state.login !== undefined);

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The process-wide key of a credential: a hash of type, id and account, no secret in clear. */
export function gateKey(type: string, id: string, identity: string[]): string {
	return digest(JSON.stringify([type, id, ...identity]));
}

/**
 * Single-flight token refresh, process-wide. n8n's preAuthentication fetches the token when the
 * credential's hidden field is empty and stores it in n8n's database (so later executions and
 * other queue-mode workers load it); the gate decides *when* the field is emptied, and lets one
 * request of all executions in this process carry the login while the others wait:
 *
 * - N executions started together on a cold credential cause one login in this process;
 * - a token this process replaced is never sent again: a request refused with an older token is
 *   sent again with the newest, not with a new login (no 401 storm against a vendor that
 *   revokes older tokens on each login);
 * - a failed login is reported to every request that waited for it instead of being repeated;
 * - a token fetched during this execution and refused before the API ever accepted it gets one
 *   more login; the second such refusal fails the execution's remaining items at once.
 *
 * One `TokenGate` belongs to one execution and its credential data; the state behind it belongs
 * to the process. A request calls `take` before each send, `loginDone` after a send that carried
 * the login, and `accepted` or `refused` once the API answered.
 */
export class TokenGate {
	private state?: SharedState;

	/** The execution's credential data: the token sent is its `field`. */
	private data: ICredentialDataDecryptedObject = {};

	/** Ends the login this execution's request carries and releases its waiters. */
	private finishLogin?: (failure: Error | undefined) => void;

	/** A failed login: reported to this execution's later items while the token is still stale. */
	private loginFailure?: Error;

	/** The second refusal of a fresh token: reported to all later items of this execution. */
	private refusedFresh?: Error;

	private freshRefusals = 0;

	private readonly startedAt = Date.now();

	constructor(private readonly config: TokenConfig | undefined) {}

	/** Attach the execution's credential data and the process-wide state of its credential. */
	attach(type: string, id: string, data: ICredentialDataDecryptedObject): void {
		this.data = data;
		if (!this.config) return;
		const key = gateKey(type, id, this.config.identity(data));
		this.state = states.get(key) ?? { superseded: new BoundedMap<string, true>(MAX_SUPERSEDED) };
		states.set(key, this.state);
	}

	/** Whether the credential's settings use a refreshed token. */
	get applies(): boolean {
		return this.config?.applies(this.data) ?? false;
	}

	/** Whether the token is empty or expired (then the next `take` logs in). */
	get stale(): boolean {
		if (!this.applies) return false;
		const token = this.data[this.config!.field];
		if (!token) return true;
		// A token this process fetched is used up to its real expiry: renewing it early would log
		// in for every request when the vendor's tokens live shorter than the skew.
		const skew = this.state?.newest?.token === token ? 0 : EXPIRY_SKEW_MS;
		const expiresAt = this.expiresAt(this.data);
		return expiresAt > 0 && Date.now() >= expiresAt - skew;
	}

	/**
	 * The token the next round sends, once a login another request carries is over. When it is
	 * stale, this request carries the login: the field is emptied so that n8n logs in while
	 * sending, and the others wait until `loginDone`. Throws what ends this execution's items.
	 */
	async take(carriesLogin: boolean): Promise<{ token: unknown; carriesLogin: boolean }> {
		while (this.state?.login && !carriesLogin) {
			const failure = await this.state.login;
			if (failure) this.loginFailure = failure;
		}
		const failure = this.refusedFresh ?? (this.loginFailure && this.stale ? this.loginFailure : undefined);
		if (failure) throw failure;
		this.adoptNewest();
		if (!carriesLogin && this.stale) {
			const state = this.state!;
			const old = String(this.data[this.config!.field] ?? '');
			if (old) state.superseded.set(digest(old), true);
			this.data[this.config!.field] = '';
			state.login = new Promise((resolve) => (this.finishLogin = resolve));
			carriesLogin = true;
		}
		return { token: this.config ? this.data[this.config.field] : undefined, carriesLogin };
	}

	/** The login this request carried is over: record its token (or failure), then release the waiting requests. */
	loginDone(failure?: Error): void {
		const state = this.state!;
		const token = String(this.data[this.config!.field] ?? '');
		if (failure || token === '') {
			failure ??= new Error('The login returned no token');
			this.loginFailure = failure;
		} else {
			if (state.newest && state.newest.token !== token) state.superseded.set(digest(state.newest.token), true);
			const fields = this.tokenFields(this.data);
			state.newest = { token, fields, expiresAt: this.expiresAt(this.data), fetchedAt: Date.now(), accepted: false };
		}
		state.login = undefined;
		this.finishLogin?.(failure);
		this.finishLogin = undefined;
	}

	/** The API took a request carrying `tokenUsed`. */
	accepted(tokenUsed: unknown): void {
		const newest = this.state?.newest;
		if (newest && newest.token === tokenUsed) newest.accepted = true;
	}

	/**
	 * The API refused `tokenUsed`: set up the next round with a newer token (this process's, or
	 * one another worker stored in n8n's database), or else an empty field so that it logs in.
	 * Throws `failure()` when a login would only repeat the refusal.
	 */
	async refused(
		tokenUsed: unknown,
		failure: () => Error,
		loadStored: () => Promise<ICredentialDataDecryptedObject>,
	): Promise<void> {
		const { data } = this;
		const state = this.state!;
		const field = this.config!.field;
		const newest = state.newest;
		const used = typeof tokenUsed === 'string' && tokenUsed !== '' ? tokenUsed : undefined;
		if (newest && used && newest.token !== used) {
			// An older token while this process holds a newer one: send that, no login.
			state.superseded.set(digest(used), true);
			if (data[field] === used) Object.assign(data, newest.fields);
		} else {
			const fresh = newest !== undefined && newest.token === used && !newest.accepted && newest.fetchedAt >= this.startedAt;
			// The first fresh refusal gets one more login (the token may have been revoked by a
			// coincidence); the second ends the execution.
			if (fresh && ++this.freshRefusals >= 2) throw (this.refusedFresh = failure());
			// The newest token itself was refused: never adopted again in this process.
			if (used) state.superseded.set(digest(used), true);
			if (newest !== undefined && newest.token === used) state.newest = undefined;
			// Empty the field unless someone logged in meanwhile: the next round logs in…
			if (data[field] === tokenUsed) data[field] = '';
		}
		if (data[field] || state.login) return;
		// …unless another worker stored a newer token meanwhile.
		const stored = await loadStored();
		const token = stored[field];
		if (typeof token === 'string' && token !== '' && token !== tokenUsed && !state.superseded.has(digest(token))) {
			Object.assign(data, this.tokenFields(stored));
		}
	}

	private expiresAt(data: ICredentialDataDecryptedObject): number {
		return this.config?.expiresAtField ? Number(data[this.config.expiresAtField] ?? 0) : 0;
	}

	/** The token's field values and those carried with it, from `source`. */
	private tokenFields(source: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
		const { field, expiresAtField, carried = [] } = this.config!;
		const fields: ICredentialDataDecryptedObject = {};
		for (const name of [field, expiresAtField, ...carried]) {
			if (name && source[name] !== undefined) fields[name] = source[name];
		}
		return fields;
	}

	/** Send this process's newest token instead of the loaded one when that is empty, replaced, or runs out sooner. */
	private adoptNewest(): void {
		const newest = this.state?.newest;
		if (!newest || !this.applies) return;
		const token = String(this.data[this.config!.field] ?? '');
		if (token === newest.token) return;
		const expiresAt = this.expiresAt(this.data);
		const older =
			token === '' ||
			this.state!.superseded.has(digest(token)) ||
			(newest.expiresAt > 0 && expiresAt > 0 && expiresAt < newest.expiresAt);
		if (older) Object.assign(this.data, newest.fields);
	}
}

/** The hidden, expirable `sessionToken` / `tokenExpiresAt` fields of credentials/common/sessionToken.ts. */
export function sessionToken(
	applies: TokenConfig['applies'],
	identity: TokenConfig['identity'],
	carried?: string[],
): TokenConfig {
	return { field: 'sessionToken', expiresAtField: 'tokenExpiresAt', applies, identity, carried };
}
