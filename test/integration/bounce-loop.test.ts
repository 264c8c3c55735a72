/**
 * The closed loop with real servers: a reminder goes through Postfix to a user that does not
 * exist → Dovecot's LMTP refuses it with 550 5.1.1 → Postfix returns a real DSN to the sender's
 * mailbox → Read Mailbox fetches it → Classify Bounce says hard / userunknown / 5.1.1 with our
 * invoice and level → the message ends up in the chosen folder.
 */
import { createTransport } from 'nodemailer';
import type { IDataObject } from 'n8n-workflow';

import { classifyMessage } from '../../lib/bounce';
import { node, runWorkflow } from '../harness/engine';
import { deleteFolders, describeWithSandbox, SANDBOX, searchUids, uniqueFolder, waitForMessage } from '../servers/sandbox';

const imapCredential = {
	host: SANDBOX.host,
	port: SANDBOX.imapPort,
	security: 'starttls',
	user: SANDBOX.users.dunning.user,
	password: SANDBOX.users.dunning.password,
	allowSelfSigned: true,
};
const creds = { dunningImapApi: { id: '1', name: 'Shop mailbox' } };

describeWithSandbox('bounce loop: Postfix DSN → Read Mailbox → Classify Bounce → moved', () => {
	const bounceFolder = uniqueFolder('Dunning/Bounces');
	afterAll(async () => {
		await deleteFolders('dunning', [bounceFolder]);
	});

	it('classifies the real DSN as hard userunknown 5.1.1 for our invoice and level, and moves it', async () => {
		const tag = uniqueFolder('loop');
		const invoiceId = `RE-${tag}`;
		const messageId = `<reminder.${tag}@example.test>`;

		// Remember where dunning's INBOX ends now (other suites deliver there too).
		const staticData: IDataObject = {};
		const readParams = {
			folder: 'INBOX',
			mode: 'sinceUid',
			firstRun: 'newOnly',
			maxMessages: 1,
			// As in the shipped workflow: reading leaves the inbox alone, only the bounce is moved.
			postAction: 'none',
		};
		const workflow = () => ({
			nodes: [
				node('readMailbox', 'Read Mailbox', readParams, { credentials: creds }),
				node('classifyBounce', 'Classify Bounce', { source: 'binary', binaryPropertyName: 'data' }),
				node('readMailbox', 'Move Bounce', { operation: 'move', toFolder: bounceFolder, createFolder: true }, { credentials: creds }),
			],
			connections: {
				'Read Mailbox': { main: [[{ node: 'Classify Bounce', type: 'main' as never, index: 0 }]] },
				'Classify Bounce': { main: [[{ node: 'Move Bounce', type: 'main' as never, index: 0 }]] },
			},
			input: { node: 'Read Mailbox', items: [{ json: {} }] },
			credentials: { dunningImapApi: imapCredential },
			staticData,
		});
		const first = await runWorkflow(workflow());
		expect(first.status).toBe('success');
		expect(first.items('Read Mailbox')).toEqual([]);

		const transport = createTransport({ host: SANDBOX.host, port: SANDBOX.smtpPort, secure: false, tls: { rejectUnauthorized: false } });
		try {
			await transport.sendMail({
				from: { name: 'Beispiel Shop', address: SANDBOX.users.dunning.user },
				to: SANDBOX.unknownUser,
				subject: `1. Mahnung zur Rechnung ${invoiceId}`,
				text: `Unsere Rechnung ${invoiceId} ist weiterhin offen.`,
				messageId,
				headers: {
					'Auto-Submitted': 'auto-generated',
					'X-Dunning-Invoice': invoiceId,
					'X-Dunning-Level': '2',
					'X-Dunning-Run': `run-${tag}`,
				},
			});
		} finally {
			transport.close();
		}

		// The DSN carries our headers only in its attached part: find it by full-text search.
		const [dsn] = await waitForMessage('dunning', { search: { text: invoiceId }, timeoutMs: 20000 });
		// Other suites may have delivered to the INBOX meanwhile: start exactly at the DSN.
		// n8n keeps a node's static data under `node:<name>`; ours holds one position per mailbox folder.
		const positions = (staticData['node:Read Mailbox'] as IDataObject).positions as Record<string, { uidValidity: string; lastUid: number }>;
		const [key] = Object.keys(positions);
		positions[key].lastUid = dsn.uid - 1;

		const r = await runWorkflow(workflow());
		expect(r.error).toBeUndefined();
		expect(r.status).toBe('success');
		const read = r.items('Read Mailbox');
		expect(read).toHaveLength(1);
		expect(read[0].json).toMatchObject({ uid: dsn.uid, folder: 'INBOX', autoSubmitted: 'auto-replied', afterReading: 'none' });
		expect(String(read[0].json.from)).toMatch(/MAILER-DAEMON@/);

		const hard = r.items('Classify Bounce', 0);
		expect(hard).toHaveLength(1);
		expect(hard[0].json.bounce).toMatchObject({
			isBounce: true,
			kind: 'hard',
			reason: 'userunknown',
			status: '5.1.1',
			recipient: SANDBOX.unknownUser,
			invoiceId,
			level: 2,
			originalMessageId: messageId,
		});
		expect(r.items('Classify Bounce', 1)).toEqual([]);
		expect(r.items('Classify Bounce', 2)).toEqual([]);

		const [moveItem] = r.items('Move Bounce');
		expect(moveItem.json.move).toEqual({ status: 'moved', folder: 'INBOX', uid: dsn.uid, movedTo: bounceFolder });
		expect(await searchUids('dunning', 'INBOX', { uid: String(dsn.uid) })).toEqual([]);
		const moved = await searchUids('dunning', bounceFolder, { text: invoiceId });
		expect(moved).toHaveLength(1);

		// The library agrees with the node on the very same bytes.
		const [direct] = await classifyMessage(dsn.source);
		expect(direct).toMatchObject({ kind: 'hard', reason: 'userunknown', status: '5.1.1', invoiceId, level: 2 });
	});
});
