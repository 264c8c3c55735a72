import type { ScenarioKind } from './scenarios';

/** One MTA under test: started from its own folder, config and spool on MTA_PORT. */
export interface Mta {
	/** Fixture folder name under test/fixtures/bounce/. */
	name: string;
	/** Scenario kinds this MTA can produce here (local delivery ones need a local mailbox we configure). */
	kinds: readonly ScenarioKind[];
	/** Writes its config under `dir` and starts it; resolves once it greets on MTA_PORT. */
	start(dir: string): Promise<void>;
	/** Stops what start() started (by pid); must be safe to call after a failed start. */
	stop(dir: string): Promise<void>;
}

export const REMOTE_KINDS: readonly ScenarioKind[] = [
	'user-unknown',
	'host-unknown',
	'mailbox-full',
	'message-too-large',
	'content-refused',
	'relaying-denied',
	'sender-refused',
	'connection-refused',
	'timeout',
	'greylisting',
	'several-recipients',
	'dmarc-refused',
	'user-unknown-after-data',
];
