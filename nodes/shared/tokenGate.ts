import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export interface TokenConfig {
	/** Hidden, expirable credential property holding the token. */
	field: string;
	/** Credential property holding the expiry (epoch ms), if the vendor tells one. */
	expiresAtField?: string;
	/** Whether this credential's current settings use the refreshed token at all. */
	applies: (credentials: ICredentialDataDecryptedObject) => boolean;
}

/**
 * Single-flight token refresh for one execution. The credential's hidden token field is
 * refreshed by n8n's preAuthentication (which stores it, so queue-mode workers share it); the
 * gate decides *when* and lets one request carry the refresh while the others wait, so N
 * parallel items on a cold credential cause one login, and a failed login is reported to
 * every waiting item instead of being repeated.
 */
export class TokenGate {
	/** Set while one request carries a refresh; others wait for it. */
	private pending?: Promise<void>;

	private release?: () => void;

	/** A refresh that failed (wrong password…): reported to every later item without retrying. */
	private failure?: Error;

	/**
	 * Whether this execution already fetched a fresh token. Such a token is used up to its real
	 * expiry: renewing it early (the skew) would fetch a new token for every request when the
	 * vendor hands out tokens that live shorter than the skew.
	 */
	private refreshedHere = false;

	constructor(
		private readonly config: TokenConfig | undefined,
		/** Milliseconds before the recorded expiry at which a token counts as expired. */
		private readonly expirySkewMs = 60_000,
	) {}

	/** Whether the credential's settings use a refreshed token. */
	applies(data: ICredentialDataDecryptedObject): boolean {
		return this.config?.applies(data) ?? false;
	}

	/** The token the next request carries (undefined without a token config). */
	current(data: ICredentialDataDecryptedObject): unknown {
		return this.config ? data[this.config.field] : undefined;
	}

	isStale(data: ICredentialDataDecryptedObject): boolean {
		const token = this.config;
		if (!token || !token.applies(data)) return false;
		if (!data[token.field]) return true;
		if (!token.expiresAtField) return false;
		const expiresAt = Number(data[token.expiresAtField] ?? 0);
		const skew = this.refreshedHere ? 0 : this.expirySkewMs;
		return expiresAt > 0 && Date.now() >= expiresAt - skew;
	}

	/** Resolves when the refresh another request carries is over; undefined when none is. */
	get refreshing(): Promise<void> | undefined {
		return this.pending;
	}

	/** The remembered login failure, while the token is still stale. */
	failureFor(data: ICredentialDataDecryptedObject): Error | undefined {
		return this.failure && this.isStale(data) ? this.failure : undefined;
	}

	/** The caller carries the refresh: empty the token (n8n then logs in) and hold the others. */
	begin(data: ICredentialDataDecryptedObject): void {
		data[this.config!.field] = '';
		this.pending = new Promise<void>((resolve) => (this.release = resolve));
	}

	/** The refresh is over: remember a failure for the waiting items, then let them go. */
	end(data: ICredentialDataDecryptedObject, failure?: Error): void {
		if (failure) {
			this.failure = failure;
		} else if (data[this.config!.field]) {
			this.refreshedHere = true;
		}
		this.pending = undefined;
		const release = this.release;
		this.release = undefined;
		release?.();
	}

	/** The API refused `tokenUsed`: drop it unless another request refreshed meanwhile. */
	invalidate(data: ICredentialDataDecryptedObject, tokenUsed: unknown): void {
		if (this.config && data[this.config.field] === tokenUsed) data[this.config.field] = '';
	}
}

/** The hidden, expirable `sessionToken` / `tokenExpiresAt` fields of credentials/common/sessionToken.ts. */
export function sessionToken(applies: TokenConfig['applies']): TokenConfig {
	return { field: 'sessionToken', expiresAtField: 'tokenExpiresAt', applies };
}
