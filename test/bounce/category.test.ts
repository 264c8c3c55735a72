import { readFileSync } from 'fs';
import { join } from 'path';

import { categoryFor, categoryOfReason, classifyMessage } from '../../lib/bounce';
import { buildDsn } from './dsn-builder';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bounce', name));

/** A minimal RFC 3464 report with one recipient. */
function dsn(opts: { recipient?: string; status: string; diagnostic?: string; action?: string; human?: string }): string {
	const recipient = opts.recipient ?? 'kunde@example.net';
	return buildDsn({
		human: opts.human,
		recipients: [{ final: recipient, action: opts.action, status: opts.status, diagnostic: opts.diagnostic && `smtp; ${opts.diagnostic}` }],
		returned: ['From: billing@shop.example', `To: ${recipient}`, 'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>', 'X-Dunning-Invoice: INV-9', 'X-Dunning-Level: 2', 'Subject: Zahlungserinnerung'],
	});
}

const one = async (raw: string | Buffer) => (await classifyMessage(raw))[0];

describe('bounce.category and bounce.final', () => {
	it('X.1.1 "user unknown" at RCPT proves the address dead (RFC 3463 §3.2)', async () => {
		const r = await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>: User unknown (in reply to RCPT TO command)' }));
		expect(r).toMatchObject({ category: 'addressDead', final: true, kind: 'hard', invoiceId: 'INV-9', level: 2 });
	});

	it('X.1.2 unknown domain and X.1.10 null MX are dead addresses', async () => {
		expect((await one(dsn({ status: '5.1.2', diagnostic: '550 5.1.2 Host unknown' }))).category).toBe('addressDead');
		expect((await one(dsn({ status: '5.1.10', diagnostic: '556 5.1.10 Recipient address has null MX' }))).category).toBe('addressDead');
	});

	it('"user unknown" in reply to end of DATA is a filter, not a dead address (RFC 5321 §3.3: recipients were accepted at RCPT)', async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: '550 5.0.0 <kunde@example.net>: User unknown (in reply to end of DATA command)' }));
		expect(r.category).toBe('recipientRefused');
		expect(r.reason).toBe('filtered');
	});

	it('"user unknown" in a Sendmail transcript answering DATA is a filter', async () => {
		const human = ['... while talking to mx.example.net.:', '>>> DATA', '<<< 550 User unknown'].join('\r\n');
		const r = await one(dsn({ status: '5.0.0', human, diagnostic: '550 User unknown' }));
		expect(r.category).toBe('recipientRefused');
	});

	it('"user unknown" under a 5.7.x policy code is a policy refusal, not a dead address (RFC 3463 X.7.x)', async () => {
		const r = await one(dsn({ status: '5.7.1', diagnostic: '550 5.7.1 <kunde@example.net>: user unknown' }));
		expect(r.category).toBe('recipientRefused');
	});

	it('"User unknown" in words only, with no dead-address code and no sign that it answered RCPT TO, proves nothing (RFC 5321 §4.2.2: 550 also means policy)', async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: '550 <kunde@example.net>: User unknown' }));
		expect(r).toMatchObject({ reason: 'userunknown', kind: 'hard', category: 'recipientRefused' }); // v1 unchanged
		const plain = await one(dsn({ status: '5.0.0', diagnostic: '550 unknown user' }));
		expect(plain.category).toBe('recipientRefused');
	});

	it('the same words as the answer to RCPT TO prove a dead mailbox (RFC 5321 §3.3: the server checks the mailbox at RCPT)', async () => {
		const postfix = await one(dsn({ status: '5.0.0', diagnostic: '550 <kunde@example.net>: User unknown (in reply to RCPT TO command)' }));
		expect(postfix.category).toBe('addressDead');
		const transcript = ['... while talking to mx.example.net.:', '>>> RCPT To:<kunde@example.net>', '<<< 550 <kunde@example.net>, User Unknown'].join('\r\n');
		expect((await one(dsn({ status: '5.0.0', human: transcript, diagnostic: '550 <kunde@example.net>, User Unknown' }))).category).toBe('addressDead');
		// qmail-remote names the furthest step it reached.
		const qmail = 'Sorry, no SMTP connection got far enough; most progress was RCPT TO response; remote host 192.0.2.1 said: 550 Unknown user kunde@example.net';
		expect((await one(dsn({ status: '5.0.0', diagnostic: qmail }))).category).toBe('addressDead');
		// The command named before the host's reply.
		expect((await one(dsn({ status: '5.3.0', diagnostic: 'SMTP:RCPT host 192.0.2.8: 553 5.3.0 <kunde@example.net>... No such user here' }))).category).toBe('addressDead');
		// Oracle Messaging Server's status comment for a refused RCPT TO.
		const oracle = ['Your message cannot be delivered to the following recipients:', '  Recipient address: kunde@example.net', '  Reason: Remote SMTP server has rejected address', '  Diagnostic code: smtp;550 No Such User Here'].join('\r\n');
		expect((await one(dsn({ status: '5.0.0 (Remote SMTP server has rejected address)', human: oracle, diagnostic: '550 No Such User Here' }))).category).toBe('addressDead');
		expect((await one(dsn({ status: '5.0.0', diagnostic: '550 No Such User Here' }))).category).toBe('recipientRefused');
		// The same words answering MAIL FROM are about the sender, never a dead recipient.
		expect((await one(dsn({ status: '5.0.0', diagnostic: 'SMTP:MAIL host 192.0.2.8: 553 5.3.0 <billing@shop.example>... No such user here' }))).category).not.toBe('addressDead');
	});

	it('a transcript without arrows (a command line, then its reply) shows which command was refused (RFC 5321 §4.1.1, §4.2)', async () => {
		const plain = (transcript: string[]) =>
			['Return-Path: <>', 'From: MDaemon@mail.example.net', 'To: billing@shop.example', 'Subject: Permanent Delivery Failure', 'Content-Type: text/plain', '', 'The attached message had PERMANENT fatal delivery errors!', '', 'Session Transcript:', ...transcript, ''].join('\r\n');
		// MDaemon's session transcript in its delivery report (timestamps, --> / <--).
		const mdaemon = plain([' Wed 2026-12-02 10:00:00: --> MAIL From:<billing@shop.example>', ' Wed 2026-12-02 10:00:00: <-- 250 2.1.0 Ok', ' Wed 2026-12-02 10:00:00: --> RCPT To:<kunde@example.net>', ' Wed 2026-12-02 10:00:00: <-- 550 No such user here']);
		expect(await one(mdaemon)).toMatchObject({ recipient: 'kunde@example.net', reason: 'userunknown', category: 'addressDead' });
		// hMailServer's wording of the same.
		const hmail = plain(['kunde@example.net', '   hMailServer sent: RCPT TO:<kunde@example.net>', '   Remote server replied: 550 <kunde@example.net>: User unknown']);
		expect((await one(hmail)).category).toBe('addressDead');
		// The same words answering DATA are a filter's; answering MAIL FROM they refuse our sender.
		const data = plain([' --> RCPT To:<kunde@example.net>', ' <-- 250 2.1.5 Ok', ' --> DATA', ' <-- 550 No such user here']);
		expect((await one(data)).category).toBe('recipientRefused');
		const mail = plain([' --> MAIL From:<billing@shop.example>', ' <-- 550 No such user here', 'kunde@example.net']);
		expect((await one(mail)).category).not.toBe('addressDead');
	});

	it("qmail-remote's recipient report ('does not like recipient') answers RCPT TO, its message report ('failed after I sent the message') DATA (qmail-remote(8))", async () => {
		const qmail = (line: string) =>
			['Return-Path: <>', 'From: MAILER-DAEMON@mx.shop.example', 'To: billing@shop.example', 'Subject: failure notice', '', 'Hi. This is the qmail-send program at mx.shop.example.', "I'm afraid I wasn't able to deliver your message to the following addresses.", "This is a permanent error; I've given up. Sorry it didn't work out.", '', '<kunde@example.net>:', line, 'Remote host said: 550 User unknown', 'Giving up on 192.0.2.1.', ''].join('\r\n');
		expect(await one(qmail('192.0.2.1 does not like recipient.'))).toMatchObject({ recipient: 'kunde@example.net', reason: 'userunknown', category: 'addressDead' });
		expect(await one(qmail('192.0.2.1 failed after I sent the message.'))).toMatchObject({ reason: 'filtered', category: 'recipientRefused' });
	});

	it("Exim names the pipelined command a reply answered ('after pipelined RCPT TO'): shown, so proof", async () => {
		const human = ['kunde@example.net', '  host mx.example.net [192.0.2.1]', '  SMTP error from remote mail server after pipelined RCPT TO:<kunde@example.net>:', '  550 User unknown'].join('\r\n');
		expect((await one(dsn({ status: '5.0.0', human, diagnostic: '550 User unknown' }))).category).toBe('addressDead');
		const data = human.replace('pipelined RCPT TO:<kunde@example.net>', 'pipelined end of data');
		expect((await one(dsn({ status: '5.0.0', human: data, diagnostic: '550 User unknown' }))).category).toBe('recipientRefused');
	});

	it('a pipelined transcript that shows DATA: the RCPT answer is inferred, not shown, so not proof', async () => {
		const r = await one(fixture('sendmail-pipelined.eml'));
		expect(r).toMatchObject({ reason: 'userunknown', kind: 'hard', category: 'recipientRefused' });
	});

	it("a mailbox server's documented directory answer proves a dead address without a code (Exchange, Domino)", async () => {
		const exchange = await one(dsn({ status: '5.0.0', diagnostic: 'The recipient name is not recognized MSEXCH:IMS:Corp:Site:SRV1 0 (000C05A6) Unknown Recipient' }));
		expect(exchange.category).toBe('addressDead');
		const domino = await one(dsn({ status: '5.0.0', diagnostic: 'User kunde (kunde@example.net) not listed in Domino Directory' }));
		expect(domino.category).toBe('addressDead');
	});

	it('"the recipient name is not recognized" proves nothing without Exchange\'s Unknown Recipient code: Exchange 5.5 wrote it for valid mailboxes behind a connector (KB Q201058)', async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: 'The recipient name is not recognized The MTS-ID of the original message is: c=DE;a= ;p=Example;l=MAIL1-260302080000Z-123 MSEXCH:MSExchangeMTA:SITE1:MAIL1' }));
		expect(r.reason).toBe('userunknown');
		expect(r.category).toBe('recipientRefused');
	});

	it('words that guess ("does not appear to exist") prove nothing, even at RCPT TO', async () => {
		const guess = await one(dsn({ status: '5.0.0', diagnostic: '550 User unknown: the address does not appear to exist (in reply to RCPT TO command)' }));
		expect(guess.category).toBe('recipientRefused');
		expect((await one(dsn({ status: '5.0.0', diagnostic: '550 User unknown (in reply to RCPT TO command)' }))).category).toBe('addressDead');
	});

	it("Yahoo's documented 'This user doesn't have a … account' proves a dead address, though Yahoo answers it after DATA (Yahoo Help SLN3444)", async () => {
		const human = ['... while talking to mta6.am0.yahoodns.net.:', '>>> DATA', "<<< 554 delivery error: dd This user doesn't have a yahoo.com account (kunde@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com", '554 5.0.0 Service unavailable'].join('\r\n');
		const r = await one(dsn({ recipient: 'kunde@yahoo.com', status: '5.0.0', human, diagnostic: "554 delivery error: dd This user doesn't have a yahoo.com account (kunde@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com" }));
		expect(r).toMatchObject({ reason: 'userunknown', category: 'addressDead' });
		// Any other "user unknown" after DATA stays a filter.
		const other = human.replace(/554 delivery error[^\r]*/, '554 User unknown');
		expect((await one(dsn({ recipient: 'kunde@yahoo.com', status: '5.0.0', human: other, diagnostic: '554 User unknown' }))).category).toBe('recipientRefused');
		// To MAIL FROM the same words are about our sender.
		const mail = human.replace('>>> DATA', '>>> MAIL From:<billing@shop.example>');
		expect((await one(dsn({ recipient: 'kunde@yahoo.com', status: '5.0.0', human: mail, diagnostic: "554 This user doesn't have a yahoo.com account" }))).category).not.toBe('addressDead');
	});

	it('"does not exist" after DATA or to MAIL FROM is not about the recipient; a guess ("may not exist") proves nothing', async () => {
		// The server that answered after DATA had accepted the recipient: the domain it names is our sender's.
		const human = ['kunde@example.net', '  host mx.example.net [192.0.2.1]', '  SMTP error from remote mail server after end of data:', '  553 shop.example does not exist'].join('\r\n');
		const r = await one(dsn({ status: '5.0.0', human, diagnostic: '553 shop.example does not exist' }));
		expect(r.category).toBe('recipientRefused');
		// The same words answering RCPT TO come from the domain's own MX, found through its DNS: the
		// domain exists, that server does not host it (no proof); our MTA's own DNS verdict is.
		const rcpt = human.replace('after end of data', 'after RCPT TO:<kunde@example.net>').replace('shop.example', 'example.net');
		expect((await one(dsn({ status: '5.0.0', human: rcpt, diagnostic: '553 example.net does not exist' }))).category).toBe('recipientRefused');
		expect((await one(dsn({ status: '5.0.0', human: 'kunde@example.net: domain example.net does not exist', diagnostic: 'Host or domain name not found. Name service error for name=example.net type=MX: Host not found' }))).category).toBe('addressDead');
		const hedged = 'The mail server could not deliver mail to kunde@example.net. The account or domain may not exist, they may be blacklisted, or missing the proper dns entries.';
		expect((await one(dsn({ status: '5.0.0', diagnostic: hedged }))).category).toBe('recipientRefused');
	});

	it("Postfix's restriction names say what was refused, though the reply came at RCPT TO (smtpd_delay_reject)", async () => {
		// Our HELO name does not resolve: about our host, never a dead recipient domain.
		const helo = await one(dsn({ status: '5.7.1', diagnostic: '550 5.7.1 <mx.shop.example>: Helo command rejected: Host not found (in reply to RCPT TO command)' }));
		expect(helo).toMatchObject({ reason: 'blocked', category: 'senderRejected' });
		// Their sender-verification probe found our address unknown.
		const verify = await one(dsn({ status: '5.1.0', diagnostic: '550 5.1.0 <billing@shop.example>: Sender address rejected: User unknown in local recipient table (in reply to RCPT TO command)' }));
		expect(verify).toMatchObject({ reason: 'rejected', category: 'senderRejected' });
		// The recipient's own restriction: a dead mailbox, and an unknown domain found by the relay's DNS.
		const rcpt = await one(dsn({ status: '5.0.0', diagnostic: '550 5.0.0 <kunde@example.net>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)' }));
		expect(rcpt.category).toBe('addressDead');
		const domain = await one(dsn({ status: '5.0.0', recipient: 'kunde@nx.example', diagnostic: '550 5.0.0 <kunde@nx.example>: Recipient address rejected: Domain not found (in reply to RCPT TO command)' }));
		expect(domain.category).toBe('addressDead');
	});

	it("Exim's failed sender verification (\"No Such User Here\" about our sender) is a refusal of the sender", async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: '550-Verification failed for <billing@shop.example> 550-No Such User Here 550 Sender verify failed' }));
		expect(r).toMatchObject({ reason: 'rejected', category: 'senderRejected' });
	});

	it('greylisting (RFC 6647) that ran out is an expired delivery, not a 4.7.1 security refusal of our sender', async () => {
		const greylisted = '450 4.7.1 <kunde@example.net>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.net.html';
		expect(await one(dsn({ status: '5.0.0', diagnostic: greylisted }))).toMatchObject({ reason: 'expired', category: 'recipientRefused', final: true });
		expect(await one(dsn({ status: '4.7.1', action: 'delayed', diagnostic: greylisted }))).toMatchObject({ reason: 'expired', category: 'delayed', final: false });
	});

	it('a delay notice that names no cause says only that the message waited: expired, not final', async () => {
		const r = await one(dsn({ status: '4.0.0', action: 'delayed' }));
		expect(r).toMatchObject({ reason: 'expired', category: 'delayed', final: false });
	});

	it('words that refuse one sender, or name our domain, are no dead address; "moved" needs 551 or X.1.6', async () => {
		// "Does not accept mail from …" is the recipient's filter, not a domain that takes no mail.
		const from = await one(dsn({ status: '5.7.1', diagnostic: '550 5.7.1 This recipient does not accept mail from shop.example' }));
		expect(from).toMatchObject({ reason: 'filtered', category: 'recipientRefused' });
		expect((await one(dsn({ status: '5.0.0', diagnostic: '550 This domain does not accept mail' }))).category).toBe('addressDead');
		// Our sender's domain "not found": a refusal of the sender.
		const sender = await one(dsn({ status: '5.0.0', diagnostic: '550 Host unknown: sender domain shop.example not found' }));
		expect(sender).toMatchObject({ reason: 'rejected', category: 'senderRejected' });
		// RFC 5321 §3.4: 551 "User not local; please try <forward-path>" says the mailbox moved; loose words do not.
		expect((await one(dsn({ status: '5.0.0', diagnostic: '551 User not local; please try <kunde@new.example>' }))).category).toBe('addressDead');
		expect((await one(dsn({ status: '5.0.0', diagnostic: '550 The new address is kunde@new.example' }))).category).toBe('recipientRefused');
	});

	it('a dead-address code that says less than it seems (probe AG)', async () => {
		// 5.1.2 from the domain's own MX, which we reached through its DNS: the domain exists.
		const remoteDomain = await one(dsn({ status: '5.1.2', diagnostic: '550 5.1.2 <kunde@example.net>: Recipient address rejected: Domain not found', human: '<kunde@example.net>: host mx.example.net[192.0.2.20] said: 550 5.1.2 <kunde@example.net>: Recipient address rejected: Domain not found (in reply to RCPT TO command)' }));
		expect(remoteDomain).toMatchObject({ reason: 'hostunknown', category: 'recipientRefused' });
		// Sendmail's 5.1.6 derived from "551 User not local; we do not relay" (an old MX): no move.
		expect((await one(dsn({ status: '5.1.6', diagnostic: '551 User not local; we do not relay' }))).category).not.toBe('addressDead');
		expect((await one(dsn({ status: '5.1.6', diagnostic: '551 not our user' }))).category).toBe('addressDead');
		// Postfix's address verification that did not finish ("unverified address") is no verdict.
		expect((await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>: Recipient address rejected: unverified address: host mx.internal[10.0.0.5] said: 450 4.3.2 Service currently unavailable' }))).category).toBe('recipientRefused');
		// A DNS server failure under Gmail's "couldn't be found" headline is no name error.
		const servfail = await one(dsn({ status: '5.0.0', human: "Address not found. Your message wasn't delivered to kunde@example.net because the domain example.net couldn't be found.", diagnostic: "DNS Error: DNS type 'mx' lookup of example.net responded with code SERVFAIL" }));
		expect(servfail).toMatchObject({ reason: 'networkerror', category: 'recipientRefused' });
		// A reply that calls our own sender unknown is about our sender, whatever its code.
		expect(await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <billing@shop.example>... User unknown' }))).toMatchObject({ reason: 'rejected', category: 'senderRejected' });
		// Postfix's failed lookup of another name than the recipient's domain (an MX host, our relayhost).
		const mxHost = await one(dsn({ status: '5.4.4', diagnostic: 'Host or domain name not found. Name service error for name=mail.example.net type=A: Host not found' }));
		expect(mxHost).toMatchObject({ reason: 'hostunknown', category: 'recipientRefused' });
		expect((await one(dsn({ status: '5.4.4', diagnostic: 'Host or domain name not found. Name service error for name=example.net type=A: Host not found' }))).category).toBe('addressDead');
		// Exim's word for the same (its smtp transport): the domain has MX records, their hosts have no address.
		for (const status of ['5.0.0', '5.4.4']) {
			const mxNowhere = await one(dsn({ status, human: 'kunde@example.net\n    all relevant MX records point to non-existent hosts', diagnostic: 'X-Exim; all relevant MX records point to non-existent hosts' }));
			expect({ given: status, reason: mxNowhere.reason, category: mxNowhere.category }).toEqual({ given: status, reason: 'hostunknown', category: 'recipientRefused' });
		}
		// SERVFAIL undermines even a 5.1.2.
		expect((await one(dsn({ status: '5.1.2', diagnostic: "DNS Error: DNS type 'mx' lookup of example.net responded with code SERVFAIL" }))).category).toBe('recipientRefused');
		// Exchange frames its own DNS verdict as "Remote Server returned": still the reporting MTA's verdict.
		expect((await one(dsn({ status: '5.4.310', human: "Remote Server returned '550 5.4.310 DNS domain example.net does not exist [Message=InfoDomainNonexistent]'", diagnostic: '550 5.4.310 DNS domain example.net does not exist [Message=InfoDomainNonexistent]' }))).category).toBe('addressDead');
		// The reporting system's own address named in the reply is not our sender.
		const gateway = dsn({ status: '5.1.1', diagnostic: '550 5.1.1 User unknown - please contact postmaster@relay.example.net' }).replace('From: Mail Delivery System <MAILER-DAEMON@relay.example.net>', 'From: postmaster@relay.example.net');
		expect((await one(gateway)).category).toBe('addressDead');
		// "User j.doe not found": a dotted user name is no domain.
		expect(await one(dsn({ status: '5.0.0', diagnostic: 'User j.doe not found' }))).toMatchObject({ reason: 'userunknown', category: 'recipientRefused' });
	});

	it("several recipients: each one's paragraph in Postfix's text says which command refused it", async () => {
		const report = (command: string) =>
			buildDsn({
				from: 'MAILER-DAEMON@relay.example.net (Mail Delivery System)',
				humanType: 'text/plain',
				human: [
					'<kunde@example.net>: host mx.example.net[192.0.2.22] said: 550 5.2.1',
					`    <kunde@example.net>... User Unknown (in reply to ${command} command)`,
					'',
					'<voll@example.net>: host mx.example.net[192.0.2.22] said: 550',
					'    5.2.2 <voll@example.net>... Mailbox Full (in reply to RCPT TO command)',
				],
				recipients: [
					{ final: 'kunde@example.net', status: '5.2.1', diagnostic: 'smtp; 550 5.2.1 <kunde@example.net>... User Unknown' },
					{ final: 'voll@example.net', status: '5.2.2', diagnostic: 'smtp; 550 5.2.2 <voll@example.net>... Mailbox Full' },
				],
			});
		const [dead, full] = await classifyMessage(report('RCPT TO'));
		expect(dead).toMatchObject({ recipient: 'kunde@example.net', category: 'addressDead' });
		expect(full).toMatchObject({ recipient: 'voll@example.net', category: 'recipientRefused', reason: 'mailboxfull' });
		const [afterData] = await classifyMessage(report('end of DATA'));
		expect(afterData.category).toBe('recipientRefused');
	});

	it('a 4xx "user unknown" never proves anything (RFC 5321 §4.2.1: transient)', async () => {
		const r = await one(dsn({ status: '4.1.1', diagnostic: '450 4.1.1 <kunde@example.net>: Recipient address rejected: User unknown in virtual alias table' }));
		expect(r.category).toBe('recipientRefused');
	});

	it('"mailbox / account unavailable" is RFC 5321\'s umbrella word, no proof even in reply to RCPT TO; "not listed in" only for a directory', async () => {
		for (const text of ['550 5.0.0 <kunde@example.net>: Recipient address rejected: mailbox unavailable', '550 Mailbox not available', '550 account is unavailable']) {
			expect((await one(dsn({ status: '5.0.0', diagnostic: `${text} (in reply to RCPT TO command)` }))).category).toBe('recipientRefused');
		}
		expect((await one(dsn({ status: '5.0.0', diagnostic: '550 user not found (in reply to RCPT TO command)' }))).category).toBe('addressDead');
		expect((await one(dsn({ status: '5.0.0', diagnostic: '550 sender not listed in whitelist (in reply to RCPT TO command)' }))).category).not.toBe('addressDead');
	});

	it('a vague "mailbox unavailable" under a generic code is not proof: recipientRefused', async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: '550 Requested action not taken: mailbox unavailable' }));
		expect(r.kind).toBe('hard'); // version 1's verdict is unchanged
		expect(r.category).toBe('recipientRefused');
	});

	it('an unexplained refusal (undefined) is recipientRefused', async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: '550 see you' }));
		expect(r.reason).toBe('undefined');
		expect(r.category).toBe('recipientRefused');
	});

	it('mailbox full (X.2.2) is recipientRefused', async () => {
		expect((await one(dsn({ status: '5.2.2', diagnostic: '552 5.2.2 Mailbox full' }))).category).toBe('recipientRefused');
	});

	it('a report whose own explanation says the mailbox is full contradicts its "user unknown": not proof (safe when unsure)', async () => {
		const report = (human: string) => dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>... User Unknown', human });
		expect((await one(report('Your message to <kunde> was automatically rejected:\r\nNot enough disk space'))).category).toBe('recipientRefused');
		expect((await one(report('Your message to <kunde> was automatically rejected:\r\nQuota exceeded'))).category).toBe('recipientRefused');
		// The same report without the contradiction is a dead address.
		expect((await one(report('Your message could not be delivered.'))).category).toBe('addressDead');
		// An administrator's template that offers causes for every failure reports none of them.
		expect((await one(report('Bitte prüfen Sie die Adresse; möglicherweise ist das Postfach voll oder existiert nicht mehr.'))).category).toBe('addressDead');
		expect((await one(report('Die Nachricht konnte nicht zugestellt werden. Die Adresse ist unbekannt oder das Postfach ist voll.'))).category).toBe('addressDead');
		expect((await one(report('Die Nachricht konnte nicht zugestellt werden. Das Postfach ist voll.'))).category).toBe('recipientRefused');
		// "May" the month is no hedge: the full mailbox after a report's date still counts.
		expect((await one(report('The original message was received at Mon, 13 May 2024 09:14:02 +0200 from app01 [10.0.0.5]\r\nsorry, user over quota'))).category).toBe('recipientRefused');
	});

	it('a server\'s own "user unknown or mailbox full" proves nothing, also under the 5.1.6 Sendmail derives from a bare 551', async () => {
		const r = await one(dsn({ status: '5.1.6', diagnostic: '551 <kunde@example.net>: user unknown or mailbox full' }));
		expect(r.category).toBe('recipientRefused');
		expect((await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>: Benutzer unbekannt oder Postfach voll' }))).category).toBe('recipientRefused');
	});

	it('a refusal after DATA\'s 354 in an MDaemon transcript answers DATA: its "user unknown" is a filter\'s, even under 5.1.1', async () => {
		const r = await one(
			dsn({
				status: '5.1.1',
				diagnostic: '550 5.1.1 <kunde@example.net>... User unknown',
				human: ['--- Session Transcript ---', ' Mon 2024-05-13 09:14:03: --> RCPT To:<kunde@example.net>', ' Mon 2024-05-13 09:14:03: <-- 250 2.1.5 Ok', ' Mon 2024-05-13 09:14:03: --> DATA', ' Mon 2024-05-13 09:14:03: <-- 354 Enter mail', ' Mon 2024-05-13 09:14:04: <-- 550 5.1.1 <kunde@example.net>... User unknown', '--- End Transcript ---'].join('\r\n'),
			}),
		);
		expect([r.reason, r.category]).toEqual(['filtered', 'recipientRefused']);
	});

	it('a German server refusing our sender address ("Absenderadresse unbekannt") is no unknown recipient, even at RCPT TO', async () => {
		const r = await one(dsn({ status: '5.1.0', diagnostic: '550 5.1.0 <billing@shop.example>: Absenderadresse unbekannt (in reply to RCPT TO command)' }));
		expect(r.category).toBe('senderRejected');
		// The recipient's own "Empfängeradresse unbekannt" still counts.
		expect((await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 Empfaengeradresse unbekannt (in reply to RCPT TO command)' }))).category).toBe('addressDead');
	});

	it("Sendmail's X.7.27 for a host that accepts no mail is read by its words (RFC 7505 gives the code to the sender's null MX)", async () => {
		const r = await one(dsn({ status: '5.7.27', diagnostic: '550 Host does not accept mail' }));
		expect(r.reason).toBe('notaccept');
		expect(r.category).toBe('addressDead');
	});

	it('DMARC / SPF refusals (X.7.26, X.7.23) are about our sender', async () => {
		const r = await one(dsn({ status: '5.7.26', diagnostic: '550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain\'s DMARC policy' }));
		expect(r.category).toBe('senderRejected');
		expect((await one(dsn({ status: '5.7.23', diagnostic: '550 5.7.23 SPF validation failed' }))).category).toBe('senderRejected');
	});

	it('a message too large (X.3.4) is senderRejected: it is about our message', async () => {
		expect((await one(dsn({ status: '5.3.4', diagnostic: '552 5.3.4 Message size exceeds fixed limit' }))).category).toBe('senderRejected');
	});

	it('a failure that names no cause, written long after the Arrival-Date, is an expiry (RFC 3464 §2.2.5); at once it stays undefined', async () => {
		const report = (date: string) =>
			dsn({ status: '5.0.0' })
				.replace('Subject: Undelivered', `Date: ${date}\r\nSubject: Undelivered`)
				.replace('Reporting-MTA: dns; relay.example.net', 'Reporting-MTA: dns; relay.example.net\r\nArrival-Date: Wed, 02 Dec 2026 23:38:58 +0000');
		expect(await one(report('Wed, 02 Dec 2026 23:40:29 +0000'))).toMatchObject({ reason: 'expired', category: 'recipientRefused', final: true });
		expect((await one(report('Wed, 02 Dec 2026 23:38:59 +0000'))).reason).toBe('undefined');
		// A Last-Attempt-Date says when the last try was, whatever the report's own Date.
		const lastAttempt = report('Wed, 02 Dec 2026 23:38:59 +0000').replace('Status: 5.0.0', 'Status: 5.0.0\r\nLast-Attempt-Date: Thu, 03 Dec 2026 03:38:58 +0000');
		expect((await one(lastAttempt)).reason).toBe('expired');
		// A quoted reply code says a server answered: its refusal, not the wait, is what happened.
		const answered = report('Wed, 02 Dec 2026 23:40:29 +0000').replace('Status: 5.0.0', 'Status: 5.0.0\r\nDiagnostic-Code: smtp; 554 Messaggio rifiutato dal sistema');
		expect((await one(answered)).reason).toBe('undefined');
	});

	it('Action: delayed → category delayed, final false; the same report with Action: failed is final', async () => {
		const delayed = await one(dsn({ status: '4.4.1', action: 'delayed', diagnostic: 'connect to mx.example.net: Connection timed out' }));
		expect(delayed).toMatchObject({ category: 'delayed', final: false });
		const failed = await one(dsn({ status: '4.4.1', action: 'failed', diagnostic: 'connect to mx.example.net: Connection timed out' }));
		expect(failed).toMatchObject({ category: 'recipientRefused', final: true });
	});

	it('a plain-text Exim delay warning (its documented default text) is delayed, not final; v1 kind unchanged', async () => {
		const warning = [
			'Return-Path: <>',
			'From: Mail Delivery System <Mailer-Daemon@mx.shop.example>',
			'To: billing@shop.example',
			'Subject: Warning: message 1vXyZ-000123-AB delayed 24 hours',
			'X-Failed-Recipients: kunde@example.net',
			'',
			'This message was created automatically by mail delivery software.',
			'',
			'A message that you sent has not yet been delivered to one or more of its',
			'recipients after more than 24 hours on the queue on mx.shop.example.',
			'',
			'The address to which the message has not yet been delivered is:',
			'',
			'  kunde@example.net',
			'    host mx.example.net [192.0.2.1]',
			'    Connection timed out',
			'',
			'No action is required on your part. Delivery attempts will continue for',
			'some time, and this warning may be repeated at intervals if the message',
			'remains undelivered.',
			'',
		].join('\r\n');
		const r = await one(warning);
		expect(r).toMatchObject({ category: 'delayed', final: false, kind: 'soft', recipient: 'kunde@example.net' });
		// The same text without the still-trying sentences is a final failure.
		const failed = await one(warning.replace(/has not yet been delivered/g, 'could not be delivered').replace(/No action is required[^]*$/, ''));
		expect(failed.final).toBe(true);
	});

	it('the real Postfix delay notice is delayed/not final; the real expiry is final', async () => {
		expect(await one(fixture('postfix-dsn-delayed.eml'))).toMatchObject({ category: 'delayed', final: false });
		expect(await one(fixture('postfix-dsn-expired.eml'))).toMatchObject({ final: true, category: 'recipientRefused' });
		expect(await one(fixture('postfix-dsn-userunknown.eml'))).toMatchObject({ final: true, category: 'addressDead' });
	});

	it('complaints, auto-replies, delivery notices and non-bounces have their own categories', async () => {
		expect((await one(fixture('arf-abuse.eml'))).category).toBe('complaint');
		expect((await one(fixture('auto-reply.eml'))).category).toBe('autoReply');
		expect((await one(fixture('not-a-bounce.eml'))).category).toBe('none');
		expect((await one(dsn({ status: '2.0.0', action: 'delivered', diagnostic: '250 2.0.0 OK' }))).category).toBe('delivered');
	});

	it('"Relay access denied" from one of the recipient domain\'s own hosts is their set-up (their MX does not take their domain); from our relay it is ours', () => {
		const base = { kind: 'soft' as const, reason: 'norelaying' as const, status: '5.7.1', replyCode: '554', final: true, recipient: 'einkauf@kunde.example' };
		const relayDenied = '554 5.7.1 <einkauf@kunde.example>: Relay access denied';
		expect(categoryFor({ ...base, diagnostic: relayDenied, remoteMta: 'mx2.kunde.example' })).toBe('recipientRefused');
		expect(categoryFor({ ...base, diagnostic: '550 5.7.64 TenantAttribution; Relay Access Denied', remoteMta: 'kunde-example.mail.protection.outlook.com' })).toBe('recipientRefused');
		expect(categoryFor({ ...base, diagnostic: relayDenied, remoteMta: 'smtp.relay-provider.example' })).toBe('senderRejected');
		// Microsoft 365's host of another tenant whose name only begins like the domain (our own, used as relay).
		expect(categoryFor({ ...base, recipient: 'einkauf@bauer.de', diagnostic: relayDenied, remoteMta: 'bauerdental-de.mail.protection.outlook.com' })).toBe('senderRejected');
		expect(categoryFor({ ...base, recipient: 'einkauf@bauer.de', diagnostic: relayDenied, remoteMta: 'bauer-de01c.mail.protection.outlook.com' })).toBe('recipientRefused');
		expect(categoryFor({ ...base, diagnostic: relayDenied })).toBe('senderRejected');
		// (An ESP's "sender domain not verified" is about our sending domain wherever it is said.)
		expect(categoryFor({ ...base, diagnostic: '550 From header sender domain not verified', remoteMta: 'mx2.kunde.example' })).toBe('senderRejected');
	});

	it('categoryFor: a hard reason without proof stays recipientRefused; notaccept only when permanent', () => {
		const base = { kind: 'hard' as const, replyCode: null, final: true };
		expect(categoryFor({ ...base, reason: 'userunknown', status: '5.1.1' })).toBe('addressDead');
		expect(categoryFor({ ...base, reason: 'userunknown', status: '5.1.0', diagnostic: 'rejected' })).toBe('recipientRefused');
		expect(categoryFor({ ...base, reason: 'hostunknown', status: '5.4.4', diagnostic: 'Host or domain name not found. Name service error for name=example.invalid type=A: Host not found' })).toBe('addressDead');
		// 5.4.4 without the DNS's verdict: a missing connector or next hop (Exchange's NoNextHop).
		expect(categoryFor({ ...base, reason: 'hostunknown', status: '5.4.4', diagnostic: '550 5.4.4 ROUTING.NoNextHop; unable to route' })).toBe('recipientRefused');
		expect(categoryFor({ ...base, reason: 'notaccept', status: null, diagnostic: 'domain does not accept mail (null MX)' })).toBe('addressDead');
		expect(categoryFor({ ...base, kind: 'soft', reason: 'notaccept', status: '4.1.10' })).toBe('recipientRefused');
	});

	it('categoryOfReason follows the DESIGN table', () => {
		expect(categoryOfReason('userunknown', true)).toBe('addressDead');
		expect(categoryOfReason('notaccept', false)).toBe('recipientRefused');
		expect(categoryOfReason('blocked', false)).toBe('senderRejected');
		expect(categoryOfReason('expired', false)).toBe('recipientRefused');
		expect(categoryOfReason('feedback', false)).toBe('complaint');
		expect(categoryOfReason('vacation', false)).toBe('autoReply');
	});
});

describe('the answering host and the wrapped command', () => {
	const postfix = (host: string, reply: string) =>
		`<kunde@example.net>: host ${host}[192.0.2.7] said: ${reply}`;

	it('reads the command of a Postfix text wrapped at 79 columns ("(in\\n    reply to end of DATA command)")', async () => {
		const human = postfix('mx03.t-online.de', '550 5.1.1\r\n    <kunde@example.net>: user unknown (in\r\n    reply to end of DATA command)');
		const r = await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>: user unknown', human }));
		// After DATA the server had accepted the recipient: its filter's "user unknown" is no dead address.
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'filtered' });
	});

	it('a refusal of MAIL FROM wrapped the same way is about our sender', async () => {
		const human = postfix('mx00.ionos.de', '550-Requested action not\r\n    taken: mailbox unavailable 550 invalid DNS MX or A/AAAA resource record (in\r\n    reply to MAIL FROM command)');
		const r = await one(dsn({ status: '5.0.0', diagnostic: '550-Requested action not taken: mailbox unavailable 550 invalid DNS MX or A/AAAA resource record', human }));
		expect(r.category).toBe('senderRejected');
	});

	it("United Internet's stock 550 alone at RCPT TO from its own MX is its unknown user (IONOS, GMX help pages)", async () => {
		const stock = '550 Requested action not taken: mailbox unavailable';
		const at = (host: string, recipient = 'kunde@gmx.de') =>
			one(dsn({ recipient, status: '5.0.0', diagnostic: stock, human: `<${recipient}>: host ${host}[212.227.15.9] said: ${stock} (in reply to RCPT TO command)` }));
		expect(await at('mx00.gmx.net')).toMatchObject({ category: 'addressDead', reason: 'userunknown' });
		expect((await at('mx01.kundenserver.de', 'info@kunde-beispiel.de')).category).toBe('addressDead');
		expect((await at('mx-ha02.web.de', 'kunde@web.de')).category).toBe('addressDead');
		// The same stock text from anyone else proves nothing (RFC 5321 §4.2.2: "not found, no access, or policy").
		expect((await at('mx.mailhost.example')).category).toBe('recipientRefused');
	});

	it("… also in Exim's layout and from IONOS UK's MX, but not from their submission host (our own relay may be smtp.ionos.de)", async () => {
		const stock = '550 Requested action not taken: mailbox unavailable';
		const exim = await one(dsn({ recipient: 'info@kunde-beispiel.de', status: '5.0.0', diagnostic: `SMTP error from remote mail server after RCPT TO:<info@kunde-beispiel.de>: host mx00.kundenserver.de [212.227.15.41]: ${stock}` }));
		expect(exim.category).toBe('addressDead');
		const uk = await one(dsn({ recipient: 'a@kunde.co.uk', status: '5.0.0', diagnostic: stock, human: `<a@kunde.co.uk>: host mx00.ionos.co.uk[212.227.15.9] said: ${stock} (in reply to RCPT TO command)` }));
		expect(uk.category).toBe('addressDead');
		const relay = await one(dsn({ status: '5.0.0', diagnostic: stock, human: `<kunde@example.net>: host smtp.ionos.de[212.227.15.9] said: ${stock} (in reply to RCPT TO command)` }));
		expect(relay.category).toBe('recipientRefused');
	});

	it("Sendmail's own \"5.1.1 … User unknown\" over a remote's bare \"550 Rejected\" is its guess, no proof (usersmtp.c); the remote's own words still decide", async () => {
		const human = ['   ----- Transcript of session follows -----', '... while talking to mx.example.net.:', '>>> RCPT To:<kunde@example.net>', '<<< 550 Rejected', '550 5.1.1 <kunde@example.net>... User unknown'].join('\r\n');
		const guess = await one(dsn({ status: '5.1.1', diagnostic: '550 Rejected', human }));
		expect(guess.category).not.toBe('addressDead');
		const said = await one(dsn({ status: '5.1.1', diagnostic: '550 <kunde@example.net>: User unknown', human: human.replace('<<< 550 Rejected', '<<< 550 <kunde@example.net>: User unknown') }));
		expect(said.category).toBe('addressDead');
		// … and GMX's documented bare 550 at RCPT TO decides over Sendmail's guess too.
		const stock = '550 Requested action not taken: mailbox unavailable';
		const gmx = await one(dsn({ recipient: 'kunde@gmx.de', status: '5.1.1', diagnostic: stock, human: human.replace('<<< 550 Rejected', `<<< ${stock}`).replace('... while talking to mx.example.net.:', '... while talking to mx00.emig.gmx.net.:') }));
		expect(gmx.category).toBe('addressDead');
	});

	it('… not without the command, nor with a reason after the stock line', async () => {
		const quoted = await one(dsn({ recipient: 'kunde@web.de', status: '5.0.0', diagnostic: "Remote Server returned '550 Requested action not taken: mailbox unavailable'" }));
		expect(quoted.category).toBe('recipientRefused');
		const more = '550-Requested action not taken: mailbox unavailable 550 Sender address has null MX';
		const r = await one(dsn({ recipient: 'kunde@gmx.de', status: '5.0.0', diagnostic: more, human: `<kunde@gmx.de>: host mx00.gmx.net[212.227.15.9] said: ${more} (in reply to RCPT TO command)` }));
		expect(r.category).not.toBe('addressDead');
	});
});

describe('retries that timed out', () => {
	it("Exim's generic 5.0.0 over the remote's own 450 (a retry timeout on \"450 4.1.1 User unknown\") proves no dead address", async () => {
		const r = await one(dsn({ status: '5.0.0', diagnostic: '450 4.1.1 <kunde@example.net>: Recipient address rejected: User unknown in local recipient table' }));
		expect(r.category).toBe('recipientRefused');
		// … while Exim's 5.0.0 over the remote's own 550 still does.
		const dead = await one(dsn({ status: '5.0.0', diagnostic: '550 5.1.1 <kunde@example.net>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)' }));
		expect(dead.category).toBe('addressDead');
	});

	it('a 5.1.1 that says the lookup failed or asks to try again is no proof; Exim\'s "Callout verification failed" over the backend\'s 5.1.1 is', async () => {
		const ldap = await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>: Recipient address rejected: LDAP lookup failed, recipient could not be verified (in reply to RCPT TO command)' }));
		expect(ldap.category).toBe('recipientRefused');
		const later = await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net>: Recipient address rejected: recipient not found in cache, please try again later (in reply to RCPT TO command)' }));
		expect(later.category).toBe('recipientRefused');
		const callout = await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 Callout verification failed: 550 5.1.1 <kunde@example.net>: User unknown (in reply to RCPT TO command)' }));
		expect(callout.category).toBe('addressDead');
	});

	it('"Mailbox temporarily unavailable" is no unknown user', async () => {
		const r = await one(dsn({ status: '4.3.0', action: 'failed', diagnostic: '451 4.3.0 Mailbox temporarily unavailable' }));
		expect(r.reason).not.toBe('userunknown');
		expect(r.category).toBe('recipientRefused');
	});
});

describe('probe round DT: a dead-address code under words of another state', () => {
	it.each([
		['Polish, blocked', '550 5.1.1 <kunde@example.net>: Konto odbiorcy zostalo zablokowane'],
		['Italian, full', '550 5.1.1 <kunde@example.net>: Spazio casella esaurito'],
		['Czech, over quota', '550 5.1.1 <kunde@example.net>: Prekrocena kvota schranky'],
		['Dutch, switched off', '550 5.1.1 <kunde@example.net>: Mailbox is uitgeschakeld'],
		['a directory that did not answer', '550 5.1.1 <kunde@example.net>: User unknown; directory server not responding'],
		['Polish, does not exist or blocked', '550 5.1.1 <kunde@example.net>: Konto nie istnieje albo zostalo zablokowane'],
		['full, hyphenated', '550 5.1.1 <kunde@example.net>: Recipient address rejected: Over-Quota'],
		['a hedge', '550 5.1.1 <kunde@example.net>: Recipient address rejected: address may not exist or may be misspelled'],
		['the state in a second sentence', '550 5.1.1 <kunde@example.net>: Recipient address rejected. Postfach voruebergehend gesperrt.'],
		["Sendmail's '...' is no sentence end", '550 5.1.1 <kunde@example.net>... Skrzynka zablokowana'],
	])('%s: not delivered, the address not proven dead (RFC 3463: the code supplements the text)', async (_case, diagnostic) => {
		const r = await one(dsn({ status: '5.1.1', diagnostic }));
		expect(r.category).toBe('recipientRefused');
	});

	it.each([
		['nothing but the frame', '550 5.1.1 <kunde@example.net>: Recipient address rejected: example.net'],
		['a link and an id', '550 5.1.1 https://support.google.com/mail/?p=NoSuchUser ad1si1997204pbd.83 - gsmtp'],
		['Exchange in German', '550 5.1.1 Das E-Mail-Konto existiert nicht in der Organisation, an die diese Nachricht gesendet wurde.'],
		['Exchange in Spanish', '550 5.1.1 La cuenta de correo electrónico no existe en la organización a la que se envió este mensaje.'],
		['an unknown alias', '550 5.1.1 unknown or illegal alias: kunde@example.net'],
		['Libero', '550 5.1.1 <kunde@example.net>: Utente inesistente'],
		['Seznam (its help page "uživatel neexistuje")', '550 5.1.1 szn; User hasn\'t got the service mapped'],
		['Polish in ASCII', '550 5.1.1 <kunde@example.net>: Nie ma takiego uzytkownika'],
		["a report's section heading read along (Sendmail's mailer exit 67, EX_NOUSER)", '67 <kunde@example.net> ----- The following addresses had successful delivery notifications -----'],
		['a footer after the verdict (Postfix smtpd_reject_footer)', '550 5.1.1 <kunde@example.net>: Recipient address rejected: example.net. For assistance, call 800-555-0101.'],
		['German, in the other word order', '550 5.1.1 <kunde@example.net>: Ungueltige Empfaengeradresse'],
		['French', "550 5.1.1 <kunde@example.net>: L'adresse du destinataire n'existe pas"],
		['Spanish', '550 5.1.1 <kunde@example.net>: La direccion de correo no existe'],
		['Italian', '550 5.1.1 <kunde@example.net>: casella di posta inesistente'],
		['German with E-Mail-Adresse', '550 5.1.1 <kunde@example.net>: Die E-Mail-Adresse existiert nicht'],
		['French with e-mail', '550 5.1.1 <kunde@example.net>: Adresse e-mail inconnue'],
		['Portuguese', '550 5.1.1 <kunde@example.net>: Endereco de e-mail inexistente'],
	])('%s: the code decides, the address is dead', async (_case, diagnostic) => {
		const r = await one(dsn({ status: '5.1.1', diagnostic }));
		expect(r.category).toBe('addressDead');
	});

	it("qmail's own DNS verdict \"I couldn't find any host named\" is an unknown host", async () => {
		const r = await one(dsn({ status: '5.1.2', diagnostic: "Sorry, I couldn't find any host named example.net. (#5.1.2)" }));
		expect(r).toMatchObject({ reason: 'hostunknown', category: 'addressDead' });
	});
});

describe('probe round DH: the German market', () => {
	it("an SPF failure behind the customer's own forward (Original-Recipient is not the address that refused) is theirs, not an alarm about our sender (RFC 7208 Appendix D)", async () => {
		const spf = '550 5.7.1 Senderaddress rejected: SPF check failed for shop.example';
		const forwarded = await one(dsn({ recipient: 'kunde.privat@web.de', status: '5.7.1', diagnostic: spf }).replace('Final-Recipient: rfc822; kunde.privat@web.de', 'Final-Recipient: rfc822; kunde.privat@web.de\r\nOriginal-Recipient: rfc822; einkauf@example.net'));
		expect(forwarded).toMatchObject({ reason: 'authfailure', category: 'recipientRefused', originalRecipient: 'einkauf@example.net' });
		const direct = await one(dsn({ status: '5.7.1', diagnostic: spf }));
		expect(direct).toMatchObject({ reason: 'authfailure', category: 'senderRejected' });
		// A broken SPF record of ours (permerror) fails wherever the reminder goes, forward or not.
		const broken = await one(dsn({ recipient: 'kunde.privat@web.de', status: '5.7.1', diagnostic: '550 5.7.1 SPF permerror for shop.example: too many DNS lookups' }).replace('Final-Recipient: rfc822; kunde.privat@web.de', 'Final-Recipient: rfc822; kunde.privat@web.de\r\nOriginal-Recipient: rfc822; einkauf@example.net'));
		expect(broken.category).toBe('senderRejected');
		const behindForward = (diagnostic: string) => one(dsn({ recipient: 'kunde.privat@web.de', status: '5.7.1', diagnostic }).replace('Final-Recipient: rfc822; kunde.privat@web.de', 'Final-Recipient: rfc822; kunde.privat@web.de\r\nOriginal-Recipient: rfc822; einkauf@example.net'));
		// Spelled out (Forpsi), or with a help link that names DKIM: still the forward's SPF failure.
		expect((await behindForward("550 5.7.1 Sender Policy Framework of `shop.example' domain denied your IP address")).category).toBe('recipientRefused');
		expect((await behindForward('550 5.7.1 SPF check failed for shop.example; see https://help.example/spf-dkim-dmarc')).category).toBe('recipientRefused');
		// RFC 7208 §4.6.4's lookup limit is a permerror of our record, in whatever words.
		expect((await behindForward('550 5.7.1 SPF record of shop.example is invalid: more than 10 DNS lookups')).category).toBe('senderRejected');
		expect((await behindForward('550 5.7.1 SPF check failed: Maximum DNS-interactive terms limit (10) exceeded')).category).toBe('senderRejected');
		expect((await behindForward('550 5.7.1 SPF: syntax error in SPF record of shop.example')).category).toBe('senderRejected');
	});

	it('"inactive recipient rejected" under 5.1.1 is a switched-off mailbox, not a dead address', async () => {
		const r = await one(dsn({ status: '5.1.1', diagnostic: '550 5.1.1 <kunde@example.net> inactive recipient rejected (in reply to RCPT TO command)' }));
		expect(r).toMatchObject({ reason: 'suspend', category: 'recipientRefused' });
		// The same in the languages the suspend words already cover for account and mailbox.
		for (const words of ['Empfaenger inaktiv', 'Empfänger ist deaktiviert', 'destinataire désactivé', 'destinatario disattivato', 'Das Postfach des Empfängers wurde deaktiviert', 'Le compte du destinataire est désactivé', 'La cuenta del destinatario ha sido desactivada']) {
			const said = await one(dsn({ status: '5.1.1', diagnostic: `550 5.1.1 <kunde@example.net>: ${words} (in reply to RCPT TO command)` }));
			expect(said).toMatchObject({ reason: 'suspend', category: 'recipientRefused' });
		}
	});
});

describe('probe round EI: refusals of the customer\'s address that read like protocol errors', () => {
	it('a mailbox name beyond ASCII at a server without SMTPUTF8 (RFC 6531, X.6.7) is the customer\'s address refused; our own 8-bit headers to an ASCII address stay ours', async () => {
		const refused = (recipient: string, diagnostic: string) => classifyMessage(dsn({ recipient, status: '5.6.7', diagnostic }));
		const [eai] = await refused('jürgen.müller@kunde.example', 'smtp; 553 5.6.7 Non-ASCII addresses not permitted for that recipient');
		expect(eai).toMatchObject({ recipient: 'jürgen.müller@kunde.example', category: 'recipientRefused' });
		const [postfix] = await refused('müller@kunde.example', 'x-postfix; SMTPUTF8 is required, but was not offered by host mx.kunde.example[203.0.113.30]');
		expect(postfix).toMatchObject({ category: 'recipientRefused' });
		const [ours] = await refused('mueller@kunde.example', 'x-postfix; SMTPUTF8 is required, but was not offered by host mx.kunde.example[203.0.113.30]');
		expect(ours).toMatchObject({ category: 'senderRejected' });
		// X.6.9 (IANA: "UTF-8 header message cannot be transferred to one or more recipients") likewise.
		const [header] = await classifyMessage(dsn({ recipient: 'jürgen.müller@kunde.example', status: '5.6.9', diagnostic: 'smtp; 554 5.6.9 UTF-8 header message cannot be transferred' }));
		expect(header).toMatchObject({ category: 'recipientRefused' });
	});

	it('X.1.3 (bad destination address syntax, RFC 3463) is about the recipient\'s address whatever standard the words cite, never our protocol', async () => {
		const [r] = await classifyMessage(
			dsn({ recipient: 'k.wagner..einkauf@gmail.com', status: '5.1.3', diagnostic: 'smtp; 553-5.1.3 The recipient address <k.wagner..einkauf@gmail.com> is not a valid RFC 5321 address. For more information, go to https://support.google.com/mail/?p=BadRcptSyntax' }),
		);
		expect(r).toMatchObject({ reason: 'userunknown', category: 'recipientRefused' });
		// Nor do words of an invalid address prove it dead under X.1.3: they describe its syntax.
		const [invalid] = await classifyMessage(dsn({ recipient: 'rechnung.@kunde.example', status: '5.1.3', diagnostic: 'smtp; 501 5.1.3 Invalid recipient address (in reply to RCPT TO command)' }));
		expect(invalid).toMatchObject({ category: 'recipientRefused' });
	});
});
