/**
 * Wraps an action that logs in anew each time (the Sent-folder copy connects per message) so that
 * once the server refused the login, later calls fail at once instead of logging in again:
 * providers lock an account after a few failed logins, and a paced run of fifty reminders would
 * make fifty. `isRefusal` decides which errors are a refused login.
 */
export function stopAfterRefusedLogin<A extends unknown[]>(
	action: (...args: A) => Promise<void>,
	isRefusal: (error: unknown) => boolean,
): (...args: A) => Promise<void> {
	let refused: string | undefined;
	return async (...args: A) => {
		if (refused !== undefined) throw notTried(refused);
		const failure = await action(...args).then(
			() => undefined,
			(error: unknown) => error ?? new Error('failed'),
		);
		if (failure === undefined) return;
		if (isRefusal(failure)) refused = (failure as Error).message;
		throw failure;
	};
}

function notTried(firstRefusal: string): Error {
	return new Error(
		`not tried, because the login was refused for an earlier copy in this run (${firstRefusal}). ` +
			'Fix the IMAP login; the run does not try it again, since providers lock an account after repeated failed logins',
	);
}
