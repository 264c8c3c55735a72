import { SMTPServer } from 'smtp-server';

import { HOSTS, PEER_PORT } from './layout';

/** One message the catcher received: a DSN (or delay notice) the MTA under test sent us. */
export interface Caught {
	envelopeFrom: string;
	source: Buffer;
	at: number;
}

export interface Catcher {
	messages: Caught[];
	/** Resolves after every new message. */
	next(): Promise<void>;
	close(): Promise<void>;
}

/**
 * The merchant's mailbox server: takes every DSN for our sender domain and keeps it as delivered.
 * Like a final delivery (RFC 5321 §4.4) it records the envelope sender as `Return-Path` on top:
 * the classifier checks that a report came with the null sender `<>`, as real reports do.
 */
export function startCatcher(): Promise<Catcher> {
	const messages: Caught[] = [];
	let waiters: (() => void)[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		size: 10 * 1024 * 1024,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const mailFrom = session.envelope.mailFrom;
				const envelopeFrom = mailFrom ? mailFrom.address : '';
				const source = Buffer.concat([Buffer.from(`Return-Path: <${envelopeFrom}>\r\n`), ...chunks]);
				messages.push({ envelopeFrom, source, at: Date.now() });
				const w = waiters;
				waiters = [];
				for (const wake of w) wake();
				callback();
			});
		},
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(PEER_PORT, HOSTS.catcher.ip, () =>
			resolve({
				messages,
				next: () => new Promise<void>((wake) => waiters.push(wake)),
				close: () => new Promise<void>((done) => server.close(() => done())),
			}),
		);
	});
}
