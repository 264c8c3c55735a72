import { classifyMessage } from '../../lib/bounce';
import { buildDsn } from './dsn-builder';

/**
 * A standards review of Classify Bounce: synthetic reports written from RFC 5321, RFC 3463, RFC 3464,
 * RFC 7504 and RFC 7505, one group per defect it found. Each message is built inline.
 */

const K = 'kunde@kunde.example';

const returned = ['From: Buchhaltung <billing@shop.example>', `To: ${K}`, 'Subject: Zahlungserinnerung RE-2024-17', 'Message-ID: <dunning.1.abc@shop.example>'];

/** A plain-text Postfix bounce (no report part), the returned reminder's headers after it. */
function postfixNotice(paragraph: string): string {
	return [
		'Return-Path: <>',
		'From: Mail Delivery System <MAILER-DAEMON@mail.shop.example>',
		'To: billing@shop.example',
		'Subject: Undelivered Mail Returned to Sender',
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=us-ascii',
		'',
		'This is the mail system at host mail.shop.example.',
		'',
		paragraph,
		'',
		'--- Headers of the returned message ---',
		...returned,
		'',
	].join('\r\n');
}

/** An RFC 3464 report with one recipient and no Diagnostic-Code: only the human-readable part gives words. */
function statusOnly(status: string, human?: string | string[]): string {
	return buildDsn({ reportingMta: 'mail.shop.example', human, recipients: [{ final: K, status }], returned });
}

const one = async (raw: string) => {
	const results = await classifyMessage(raw);
	expect(results).toHaveLength(1);
	return results[0];
};

describe('a refused greeting is framed, not judged, by Postfix\'s "refused to talk to me:" (RFC 5321 §4.2.3, RFC 7504 §3, RFC 3463 §3.4)', () => {
	// Postfix writes the frame for any greeting that was not 2xx; these replies are the remote server's own state.
	const replies = [
		'421 4.3.2 Service shutting down',
		'421 mx.kunde.example Service not available, closing transmission channel',
		'521 5.3.2 mx.kunde.example does not accept mail',
		'554 5.3.2 mx.kunde.example ESMTP not accepting messages',
	];
	const paragraph = (reply: string) => `<${K}>: host mx.kunde.example[192.0.2.7] refused to talk to me: ${reply}`;

	it.each(replies)('plain-text bounce, greeting "%s": recipientRefused (systemerror), never senderRejected', async (reply) => {
		const r = await one(postfixNotice(paragraph(reply)));
		expect(r).toMatchObject({ recipient: K, category: 'recipientRefused', reason: 'systemerror' });
	});

	it.each(replies)('RFC 3464 report without Diagnostic-Code, wrapped frame, greeting "%s": recipientRefused', async (reply) => {
		const status = /\d\.\d\.\d/.exec(reply)?.[0] ?? `${reply[0]}.0.0`;
		// Postfix wraps its text at 79 columns wherever a space falls, inside the frame too.
		const human = paragraph(reply).replace('refused to talk to me', 'refused to talk\r\n    to me');
		const r = await one(statusOnly(status, human));
		expect(r).toMatchObject({ recipient: K, category: 'recipientRefused', reason: 'systemerror' });
	});

	it('the reply still decides: a greeting refused with a block list\'s words stays blocked (senderRejected)', async () => {
		const r = await one(postfixNotice(paragraph('554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org')));
		expect(r).toMatchObject({ category: 'senderRejected', reason: 'blocked' });
	});
});

describe('a template opening of the human-readable part is no server reply (RFC 3464 §2.3.4, RFC 3463 §3.2)', () => {
	it.each([
		['5.1.1', 'userunknown'],
		['5.1.2', 'hostunknown'],
		['5.1.6', 'hasmoved'],
		['5.1.10', 'notaccept'],
	])('Status %s alone with "Your message could not be delivered." is addressDead, as without the text part', async (status, reason) => {
		const withText = await one(statusOnly(status, 'Your message could not be delivered.'));
		expect(withText).toMatchObject({ recipient: K, status, reason, category: 'addressDead' });
		// Postfix's own opening says the same of every recipient.
		const postfix = await one(statusOnly(status, ['This is the mail system at host mail.shop.example.', '', "I'm sorry to have to inform you that your message could not", 'be delivered to one or more recipients.']));
		expect(postfix).toMatchObject({ status, category: 'addressDead' });
	});

	it('a paragraph that names the recipient is its reply: words of another state still take the proof away', async () => {
		const r = await one(statusOnly('5.1.1', `<${K}>: host mx.kunde.example[192.0.2.7] said: 550 5.1.1 <${K}>: Mailbox disabled for this recipient (in reply to RCPT TO command)`));
		expect(r).toMatchObject({ recipient: K, category: 'recipientRefused' });
	});
});

describe('null MX (RFC 7505)', () => {
	it('Status 5.7.27 alone, "Sender address has null MX" (§4.2): our sender domain, senderRejected', async () => {
		const r = await one(statusOnly('5.7.27'));
		expect(r).toMatchObject({ status: '5.7.27', reason: 'rejected', category: 'senderRejected' });
	});

	it('Status 5.1.10 alone, "Recipient address has null MX": the domain takes no mail, notaccept and addressDead', async () => {
		const r = await one(statusOnly('5.1.10', ''));
		expect(r).toMatchObject({ status: '5.1.10', reason: 'notaccept', kind: 'hard', category: 'addressDead' });
	});
});

describe('"too many recipients" is the temporary 452 (RFC 5321 §4.5.3.1.10, RFC 3463 X.5.3)', () => {
	it.each(['552 5.5.3 Too many recipients', '552 Too many recipients', '452 4.5.3 Too many recipients'])('"%s" is recipientRefused, soft, never senderRejected', async (reply) => {
		const r = await one(postfixNotice(`<${K}>: host mx.kunde.example[192.0.2.7] said: ${reply} (in reply to RCPT TO command)`));
		expect(r).toMatchObject({ recipient: K, category: 'recipientRefused', reason: 'systemfull', kind: 'soft' });
	});

	it('a delay notice of it is delayed', async () => {
		const raw = buildDsn({ reportingMta: 'mail.shop.example', subject: 'Delayed Mail (still being retried)', recipients: [{ final: K, action: 'delayed', status: '4.5.3', remoteMta: 'mx.kunde.example', diagnostic: 'smtp; 452 4.5.3 Too many recipients' }], returned });
		expect(await one(raw)).toMatchObject({ category: 'delayed', final: false, reason: 'systemfull' });
	});

	it('a limit on recipients per hour is still our sending rate (speeding)', async () => {
		const r = await one(postfixNotice(`<${K}>: host mx.kunde.example[192.0.2.7] said: 550 5.7.1 Too many recipients this hour (in reply to RCPT TO command)`));
		expect(r).toMatchObject({ reason: 'speeding', category: 'senderRejected' });
	});
});
