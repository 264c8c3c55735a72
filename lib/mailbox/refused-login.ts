/** A refused login remembered beyond its run (the node keeps it in its process's memory). */
export interface RefusedLogin {
	key: string;
	/** When the login may be tried again (ms since the epoch). */
	until: number;
	/** The server's refusal, as the first failed copy reported it. */
	message: string;
}

export interface RefusedLoginMemory {
	get(): RefusedLogin | undefined;
	set(refusal: RefusedLogin | undefined): void;
}

export interface RefusedLoginOptions {
	memory?: RefusedLoginMemory;
	/** Identifies the login; a changed credential is tried at once. */
	key?: string;
	coolDownMs?: number;
	now?: () => number;
}

const HOUR = 60 * 60 * 1000;

/**
 * Wraps an action that logs in anew each time (the Sent-folder copy connects per message) so that
 * once the server refused the login, later calls fail at once instead of logging in again:
 * providers lock an account after a few failed logins, and a paced run of fifty reminders would
 * make fifty. `isRefusal` decides which errors are a refused login.
 *
 * With `memory` the refusal also outlives the run: the shipped sender sends one reminder per
 * execution, a minute apart, so a guard for one run alone would still try a wrong password every
 * minute. The remembered refusal holds for `coolDownMs` or until the login changes (`key`, a digest
 * of what was used to log in).
 */
export function stopAfterRefusedLogin<A extends unknown[]>(
	action: (...args: A) => Promise<void>,
	isRefusal: (error: unknown) => boolean,
	options: RefusedLoginOptions = {},
): (...args: A) => Promise<void> {
	const { memory, key = '', coolDownMs = HOUR, now = Date.now } = options;
	let refused: string | undefined;
	return async (...args: A) => {
		if (refused !== undefined) throw notTried(refused);
		const earlier = memory?.get();
		if (earlier && earlier.key === key && now() < earlier.until) throw notTried(earlier.message, earlier.until);
		const failure = await action(...args).then(
			() => undefined,
			(error: unknown) => error ?? new Error('failed'),
		);
		if (failure === undefined) {
			if (earlier) memory?.set(undefined);
			return;
		}
		if (isRefusal(failure)) {
			refused = (failure as Error).message;
			memory?.set({ key, until: now() + coolDownMs, message: refused });
		}
		throw failure;
	};
}

function notTried(firstRefusal: string, until?: number): Error {
	const when =
		until === undefined
			? 'for an earlier copy in this run'
			: `earlier; it is tried again from ${new Date(until).toISOString()}, or at once when the IMAP login is changed`;
	return new Error(
		`not tried, because the login was refused ${when} (${firstRefusal}). ` +
			'Fix the IMAP login; it is not tried on every reminder, since providers lock an account after repeated failed logins',
	);
}
