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
	/** Set while one request (of any execution) carries a login; the others wait for it. */
	pending?: Promise<void>;
	/** Counts logins begun, so a waiter knows whether the login it waited for failed. */
	generation: number;
	failedGeneration?: number;
	failure?: Error;
	/** The newest token a login in this process obtained. */
	newest?: Issued;
	/** Hashes of tokens replaced by a newer one: never sent again from this process. */
	superseded: BoundedMap<string, true>;
	release?: () => void;
}

/**
 * How many credentials' states the process keeps. Dropping one loses only what the process
 * knows beyond n8n's database (the newest token is stored there too); a state with a login in
 * flight is never dropped, so that login stays the only one.
 */
const MAX_STATES = 1000;
/**
 * How many replaced tokens a state remembers. An older one is rarely loaded again (n8n stores
 * each new token); if it is, the newest still replaces it when that runs out later, or when the
 * API refuses the older one.
 */
const MAX_SUPERSEDED = 32;

const states = new BoundedMap<string, SharedState>(MAX_STATES, (state) => state.pending !== undefined);

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The process-wide key of a credential: a hash of type, id and account, no secret in clear. */
export function gateKey(type: string, id: string, identity: string[]): string {
	return digest(JSON.stringify([type, id, ...identity]));
}

/**
 * Single-flight token refresh, process-wide. The credential's hidden token field is filled by
 * n8n's preAuthentication (which stores it in n8n's database, so later executions and other
 * queue-mode workers load it); the gate decides *when* to log in and lets one request of all
 * executions in this process carry the login while the others wait, keyed by credential:
 *
 * - N executions started together on a cold credential cause one login in this process;
 * - a token this process has replaced by a newer one is never sent again: a request refused
 *   with an older token is sent again with the newest, not with a new login (no 401 storm
 *   against a vendor that revokes older tokens on each login);
 * - a failed login is reported to every request that waited for it instead of being repeated;
 * - when tokens fetched during this execution are refused before the API ever accepted them,
 *   the second such refusal fails the execution's remaining items at once (no login per item
 *   against a server refusing all tokens: one login and one renewal per execution at most).
 *
 * One `TokenGate` belongs to one execution (its remembered failure is the execution's); the
 * state behind it belongs to the process.
 */
export class TokenGate {
	private state?: SharedState;

	/** A failure this execution reports to all its later items without trying again. */
	private failure?: Error;

	private readonly startedAt = Date.now();

	/** Tokens fetched during this execution that were refused before the API accepted them. */
	private freshRefusals = 0;

	constructor(
		private readonly config: TokenConfig | undefined,
		/** Milliseconds before the recorded expiry at which a token counts as expired. */
		private readonly expirySkewMs = 60_000,
	) {}

	/** Attach the process-wide state of this credential (once it is loaded). */
	attach(type: string, id: string, data: ICredentialDataDecryptedObject): void {
		if (!this.config || this.state) return;
		const key = gateKey(type, id, this.config.identity(data));
		let state = states.get(key);
		if (!state) {
			state = { generation: 0, superseded: new BoundedMap(MAX_SUPERSEDED) };
			states.set(key, state);
		}
		this.state = state;
	}

	/** Whether the credential's settings use a refreshed token. */
	applies(data: ICredentialDataDecryptedObject): boolean {
		return this.config?.applies(data) ?? false;
	}

	/** The token the next request carries (undefined without a token config). */
	current(data: ICredentialDataDecryptedObject): unknown {
		return this.config ? data[this.config.field] : undefined;
	}

	private expiresAt(data: ICredentialDataDecryptedObject): number {
		return this.config?.expiresAtField ? Number(data[this.config.expiresAtField] ?? 0) : 0;
	}

	/**
	 * Use the newest token of this process instead of the one loaded with the credential when
	 * that one is empty, was replaced here, or runs out sooner.
	 */
	adoptNewest(data: ICredentialDataDecryptedObject): void {
		const newest = this.state?.newest;
		if (!this.config || !newest || !this.applies(data)) return;
		const token = String(data[this.config.field] ?? '');
		if (token === newest.token) return;
		const expiresAt = this.expiresAt(data);
		const older =
			token === '' ||
			this.state!.superseded.has(digest(token)) ||
			(newest.expiresAt > 0 && expiresAt > 0 && expiresAt < newest.expiresAt);
		if (older) Object.assign(data, newest.fields);
	}

	isStale(data: ICredentialDataDecryptedObject): boolean {
		const token = this.config;
		if (!token || !token.applies(data)) return false;
		if (!data[token.field]) return true;
		const expiresAt = this.expiresAt(data);
		// A token this process fetched is used up to its real expiry: renewing it early (the
		// skew) would log in for every request when the vendor's tokens live shorter than the skew.
		const fetchedHere = this.state?.newest?.token === data[token.field];
		const skew = fetchedHere ? 0 : this.expirySkewMs;
		return expiresAt > 0 && Date.now() >= expiresAt - skew;
	}

	/** Resolves when the login another request carries is over; undefined when none is. */
	get refreshing(): Promise<void> | undefined {
		return this.state?.pending;
	}

	/** Wait for the login in flight; adopt its token, or its failure when it failed. */
	async waitForLogin(data: ICredentialDataDecryptedObject): Promise<void> {
		const state = this.state!;
		const generation = state.generation;
		await state.pending;
		if (state.failedGeneration === generation && state.failure) this.failure = state.failure;
		this.adoptNewest(data);
	}

	/** The remembered failure: a failed login while the token is still stale, or a refused fresh token. */
	failureFor(data: ICredentialDataDecryptedObject): Error | undefined {
		if (this.failure && (this.failure as { freshRefusal?: boolean }).freshRefusal) return this.failure;
		return this.failure && this.isStale(data) ? this.failure : undefined;
	}

	/** The caller carries the login: empty the token (n8n then logs in) and hold the others. */
	begin(data: ICredentialDataDecryptedObject): void {
		const state = this.state!;
		const old = String(data[this.config!.field] ?? '');
		if (old) state.superseded.set(digest(old), true);
		data[this.config!.field] = '';
		state.generation++;
		state.pending = new Promise<void>((resolve) => (state.release = resolve));
	}

	/** The login is over: record its token (or failure) for every waiting request, then release them. */
	end(data: ICredentialDataDecryptedObject, failure?: Error): void {
		const state = this.state!;
		const config = this.config!;
		const token = String(data[config.field] ?? '');
		if (failure || token === '') {
			const error = failure ?? new Error('The login returned no token');
			this.failure = error;
			state.failure = error;
			state.failedGeneration = state.generation;
		} else {
			if (state.newest && state.newest.token !== token) state.superseded.set(digest(state.newest.token), true);
			const fields: ICredentialDataDecryptedObject = {};
			for (const name of [config.field, config.expiresAtField, ...(config.carried ?? [])]) {
				if (name && data[name] !== undefined) fields[name] = data[name];
			}
			state.newest = { token, fields, expiresAt: this.expiresAt(data), fetchedAt: Date.now(), accepted: false };
		}
		state.pending = undefined;
		const release = state.release;
		state.release = undefined;
		release?.();
	}

	/**
	 * After the process's newest token was refused: take the token stored in n8n's database
	 * when another process (a queue-mode worker) stored a newer one meanwhile, instead of
	 * logging in again. Returns whether one was taken.
	 */
	adoptStored(data: ICredentialDataDecryptedObject, stored: ICredentialDataDecryptedObject, tokenUsed: unknown): boolean {
		const config = this.config!;
		const token = stored[config.field];
		if (typeof token !== 'string' || token === '' || token === tokenUsed) return false;
		if (this.state!.superseded.has(digest(token)) || data[config.field]) return false;
		for (const name of [config.field, config.expiresAtField, ...(config.carried ?? [])]) {
			if (name && stored[name] !== undefined) data[name] = stored[name];
		}
		return true;
	}

	/** The API took a request carrying `tokenUsed`. */
	accepted(tokenUsed: unknown): void {
		const newest = this.state?.newest;
		if (newest && newest.token === tokenUsed) newest.accepted = true;
	}

	/**
	 * The API refused `tokenUsed`. Returns what to do: 'retry' (a newer token is there, or the
	 * next loop logs in) or 'fail' (a token fetched during this execution and never accepted
	 * was refused: logging in again would only repeat it).
	 */
	refused(data: ICredentialDataDecryptedObject, tokenUsed: unknown, failure: () => Error): 'retry' | 'fail' {
		const state = this.state!;
		const field = this.config!.field;
		const newest = state.newest;
		if (newest && newest.token !== tokenUsed && typeof tokenUsed === 'string' && tokenUsed !== '') {
			// Refused an older token while this process holds a newer one: use that, no login.
			state.superseded.set(digest(tokenUsed), true);
			if (data[field] === tokenUsed) Object.assign(data, newest.fields);
			return 'retry';
		}
		const fresh = newest && newest.token === tokenUsed && !newest.accepted && newest.fetchedAt >= this.startedAt;
		// The first fresh refusal gets one more login (the token may have been revoked by a
		// coincidence, e.g. expired right after it was issued); the second ends the execution.
		if (fresh && ++this.freshRefusals >= 2) {
			const error = failure();
			(error as { freshRefusal?: boolean }).freshRefusal = true;
			this.failure = error;
			return 'fail';
		}
		// The newest token itself was refused: never adopt it again in this process.
		if (typeof tokenUsed === 'string' && tokenUsed !== '') state.superseded.set(digest(tokenUsed), true);
		if (newest && newest.token === tokenUsed) state.newest = undefined;
		// Only invalidate if nobody logged in meanwhile; then the next loop logs in.
		if (data[field] === tokenUsed) data[field] = '';
		return 'retry';
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
