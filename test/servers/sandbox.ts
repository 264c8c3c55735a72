/**
 * The shared Postfix + Dovecot sandbox (started by `bash test/servers/mail-sandbox.sh start`, which
 * `.ci/run` always does): its fixed loopback ports and users, a gate for tests, and helpers that
 * look into a mailbox over real IMAP.
 */
import { ImapFlow, type FetchMessageObject, type SearchObject } from 'imapflow';
import type { MailAuth, MailServer, Security } from '../../lib/mail/server';

/** A second sandbox beside the shared one shifts every port (mail-sandbox.sh reads the same variable). */
const PORT_OFFSET = Number(process.env.MAIL_SANDBOX_PORT_OFFSET ?? 0) || 0;

export const SANDBOX = {
	host: '127.0.0.1',
	domain: 'example.test',
	smtpPort: 10025 + PORT_OFFSET,
	imapPort: 10143 + PORT_OFFSET,
	imapsPort: 10993 + PORT_OFFSET,
	lmtpPort: 10024 + PORT_OFFSET,
	/** Nothing listens there; mail to `@unreachable.example.net` is delayed, then expires. */
	closedPort: 10029 + PORT_OFFSET,
	unreachableDomain: 'unreachable.example.net',
	/** The "recipient's server" for `@strict.example.net`: its content filter refuses reminders with 550 5.7.1 at DATA. */
	strictPort: 10026 + PORT_OFFSET,
	strictDomain: 'strict.example.net',
	/** A second customer domain: Postfix delivers every address there to customer@example.test. */
	aliasDomain: 'kunden.example.test',
	users: {
		dunning: { user: 'dunning@example.test', password: 'dunning-pass' },
		alice: { user: 'alice@example.test', password: 'alice-pass' },
		/** Receives reminders and answers them (replies, complaints) in the bounce-kind tests. */
		customer: { user: 'customer@example.test', password: 'customer-pass' },
		/** Over its Dovecot quota: every delivery is refused with 552 5.2.2. */
		full: { user: 'full@example.test', password: 'full-pass' },
		/** Over its quota too, but refused as temporary (452 4.2.2): delayed, then expired. */
		fulltemp: { user: 'fulltemp@example.test', password: 'fulltemp-pass' },
		/** Answers every message not marked Auto-Submitted with a Sieve vacation reply. */
		away: { user: 'away@example.test', password: 'away-pass' },
	},
	/** An address Dovecot refuses with 550 5.1.1, so Postfix returns a DSN to the sender. */
	unknownUser: 'nobody@example.test',
	/** A Postfix virtual alias for unknownUser: a forward to an address that is gone. */
	forwardedToUnknown: 'moved@example.test',
	runDir: process.env.MAIL_SANDBOX_DIR ?? '/tmp/dunning-mail-sandbox',
} as const;

export type SandboxUser = keyof typeof SANDBOX.users;

/** True when the sandbox was started for this run (`MAIL_SANDBOX=1`). */
export function sandboxAvailable(): boolean {
	return process.env.MAIL_SANDBOX === '1';
}

/**
 * `describe` when the sandbox is up, otherwise a skipped suite with a note that says why, so a
 * developer without Postfix/Dovecot sees what did not run.
 */
export const describeWithSandbox: (name: string, fn: () => void) => void = (name, fn) => {
	if (sandboxAvailable()) {
		describe(name, fn);
	} else {
		describe.skip(`${name} [skipped: MAIL_SANDBOX=1 not set; run bash test/servers/mail-sandbox.sh start]`, fn);
	}
};

/** The Dovecot server as our lib's `MailServer`, in any of its three security modes. */
export function sandboxImapServer(security: Security = 'starttls', timeoutMs = 15000): MailServer {
	return {
		host: SANDBOX.host,
		port: security === 'tls' ? SANDBOX.imapsPort : SANDBOX.imapPort,
		security,
		allowSelfSigned: true,
		timeoutMs,
	};
}

export function sandboxAuth(who: SandboxUser): MailAuth {
	const u = SANDBOX.users[who];
	return { method: 'password', user: u.user, password: u.password };
}

/** A raw imapflow client for assertions about server state (not the code under test). */
export async function openSandboxImap(who: SandboxUser): Promise<ImapFlow> {
	const u = SANDBOX.users[who];
	const client = new ImapFlow({
		host: SANDBOX.host,
		port: SANDBOX.imapPort,
		secure: false,
		doSTARTTLS: true,
		tls: { rejectUnauthorized: false },
		auth: { user: u.user, pass: u.password },
		logger: false,
		disableAutoIdle: true,
	});
	await client.connect();
	return client;
}

/** Runs `fn` with a connection that is always logged out afterwards. */
export async function withSandboxImap<T>(who: SandboxUser, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
	const client = await openSandboxImap(who);
	try {
		return await fn(client);
	} finally {
		await client.logout().catch(() => client.close());
	}
}

export interface WaitForMessageOptions {
	folder?: string;
	/**
	 * IMAP SEARCH criteria, e.g. `{ header: { 'X-Test-Marker': 'm1' } }` or `{ subject: 'x' }`.
	 * HEADER only sees the top-level headers: to find a DSN by the headers of the message it returns
	 * (attached below), use `{ text: '<unique value>' }`.
	 */
	search: SearchObject;
	timeoutMs?: number;
	/** How many matching messages to wait for. */
	count?: number;
}

export interface ArrivedMessage {
	uid: number;
	source: Buffer;
}

/**
 * Polls a mailbox until messages matching `search` arrive, then returns them (UID + raw source).
 * Searching by a header or subject unique to the test keeps tests independent of each other.
 */
export async function waitForMessage(who: SandboxUser, options: WaitForMessageOptions): Promise<ArrivedMessage[]> {
	const folder = options.folder ?? 'INBOX';
	const want = options.count ?? 1;
	const timeoutMs = options.timeoutMs ?? 15000;
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		// A fresh connection per poll: a Dovecot reload or restart by someone else does not end the wait.
		try {
			const found = await withSandboxImap(who, async (client) => {
				const lock = await client.getMailboxLock(folder);
				try {
					const uids = (await client.search(options.search, { uid: true })) || [];
					if (uids.length < want) return undefined;
					const result: ArrivedMessage[] = [];
					for await (const msg of client.fetch(uids, { uid: true, source: true }, { uid: true })) {
						const m = msg as FetchMessageObject;
						if (m.source) result.push({ uid: m.uid, source: m.source });
					}
					return result;
				} finally {
					lock.release();
				}
			});
			if (found) return found;
		} catch (err) {
			lastError = err;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`waitForMessage: no ${want} message(s) matching ${JSON.stringify(options.search)} in ${who}'s ${folder} after ${timeoutMs} ms` +
					(lastError ? ` (last IMAP error: ${String(lastError)})` : ''),
			);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** UIDs in a folder matching `search` (empty when the folder does not exist). */
export async function searchUids(who: SandboxUser, folder: string, search: SearchObject = { all: true }): Promise<number[]> {
	return await withSandboxImap(who, async (client) => {
		const exists = (await client.list()).some((f) => f.path === folder);
		if (!exists) return [];
		const lock = await client.getMailboxLock(folder);
		try {
			return (await client.search(search, { uid: true })) || [];
		} finally {
			lock.release();
		}
	});
}

/** Creates a fresh, uniquely named folder for one test so that tests never see each other's mail. */
export function uniqueFolder(prefix: string): string {
	return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Appends raw messages to a user's folder (created if missing); returns their UIDs. */
export async function appendMessages(
	who: SandboxUser,
	folder: string,
	messages: Array<string | Buffer>,
	flags: string[] = [],
): Promise<number[]> {
	return await withSandboxImap(who, async (client) => {
		const exists = (await client.list()).some((f) => f.path === folder);
		if (!exists) await client.mailboxCreate(folder);
		const uids: number[] = [];
		for (const m of messages) {
			const res = await client.append(folder, m, flags);
			if (res && typeof res.uid === 'number') uids.push(res.uid);
		}
		return uids;
	});
}

/** Deletes folders a test created (best effort, for tidiness between runs). */
export async function deleteFolders(who: SandboxUser, folders: string[]): Promise<void> {
	await withSandboxImap(who, async (client) => {
		const existing = new Set((await client.list()).map((f) => f.path));
		for (const f of folders) if (existing.has(f)) await client.mailboxDelete(f).catch(() => undefined);
	});
}

/**
 * For one describe block: returns a maker of uniquely named folders and deletes every folder it
 * made once the block is done. Call it inside `describe`.
 */
export function temporaryFolders(who: SandboxUser): (prefix: string) => string {
	const created: string[] = [];
	afterAll(async () => {
		await deleteFolders(who, created);
	});
	return (prefix) => {
		const folder = uniqueFolder(prefix);
		created.push(folder);
		return folder;
	};
}

/** A plain test message with a unique marker header so it can be found again. */
export function testMessage(opts: { from?: string; to?: string; subject: string; marker: string; body?: string }): string {
	return [
		`From: ${opts.from ?? 'customer@example.org'}`,
		`To: ${opts.to ?? SANDBOX.users.dunning.user}`,
		`Subject: ${opts.subject}`,
		`Date: ${new Date().toUTCString()}`,
		`Message-ID: <${opts.marker}.${Math.random().toString(36).slice(2)}@example.org>`,
		`X-Test-Marker: ${opts.marker}`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=utf-8',
		'',
		opts.body ?? 'Hello.',
		'',
	].join('\r\n');
}
