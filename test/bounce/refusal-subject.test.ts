import { categoryFor, classifyMessage, classifyRefusalAtSend } from '../../lib/bounce';
import { buildDsn } from './dsn-builder';

/**
 * Whom a refusal is about: the status code's subject (RFC 3463 §3), the server that answered
 * (RFC 3464 §2.3.5-2.3.6), a carrier's or a vendor's documented wording, and words that name nothing.
 * Messages written from the standards and vendor documents cited in lib/bounce.
 */

const RETURNED = [
	'From: Buchhaltung <billing@shop.example>',
	'To: kunde@example.net',
	'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
	'X-Dunning-Invoice: RE-2024-77',
	'X-Dunning-Level: 2',
	'Subject: 1. Mahnung zu Rechnung RE-2024-77',
];

/** An RFC 3464 report with one recipient; `human` is the report's own text. */
function dsn(opts: { recipient?: string; status: string; diagnostic: string; remoteMta?: string; human?: string; from?: string }): string {
	const recipient = opts.recipient ?? 'kunde@example.net';
	return buildDsn({
		reportingMta: 'mail.shop.example',
		from: opts.from,
		human: opts.human,
		recipients: [{ final: recipient, status: opts.status, remoteMta: opts.remoteMta, diagnostic: `smtp; ${opts.diagnostic}` }],
		returned: RETURNED.map((line) => (line.startsWith('To: ') ? `To: ${recipient}` : line)),
	});
}

/** Postfix's report of a remote server's reply: "host … said: … (in reply to … command)". */
const postfix = (reply: string, opts: { status: string; command?: string; recipient?: string; host?: string }) => {
	const recipient = opts.recipient ?? 'kunde@example.net';
	const host = opts.host ?? 'mx.example.net';
	return dsn({
		recipient,
		status: opts.status,
		diagnostic: reply,
		remoteMta: host,
		human: `<${recipient}>: host ${host}[192.0.2.1] said: ${reply} (in reply to ${opts.command ?? 'RCPT TO'} command)`,
	});
};

const one = async (raw: string) => (await classifyMessage(raw))[0];

describe('"not accepting mail" under a code that says the mailbox or host is alive (RFC 3463 §3.3, §3.4, §3.8)', () => {
	it('X.7.x is a policy refusal: "This recipient does not accept mail" is filtered, not a dead address', async () => {
		expect(await one(postfix('550 5.7.1 This recipient does not accept mail', { status: '5.7.1' }))).toMatchObject({ reason: 'filtered', category: 'recipientRefused' });
		expect(await one(postfix('550 5.7.1 <kunde@example.net>: This mailbox does not accept email', { status: '5.7.1' }))).toMatchObject({ category: 'recipientRefused' });
	});

	it('X.2.1 "the mailbox exists, but is not accepting messages": its state, not a missing address', async () => {
		const r = await one(postfix('550 5.2.1 <kunde@example.net>: Mailbox not accepting mail', { status: '5.2.1' }));
		expect(r).toMatchObject({ reason: 'suspend', category: 'recipientRefused' });
	});

	it('X.3.2 "system not accepting network messages": the host\'s state, also when the words say "mail"', async () => {
		const r = await one(postfix('554 5.3.2 mx.example.net is not accepting mail at this time', { status: '5.3.2' }));
		expect(r).toMatchObject({ reason: 'systemerror', category: 'recipientRefused' });
	});

	it('a 421 reply is transient (RFC 5321 §4.2.1), whatever final status the reporting MTA gave', async () => {
		const r = await one(postfix('421 5.3.2 mx.example.net is shutting down, not accepting mail', { status: '5.3.2' }));
		expect(r.category).toBe('recipientRefused');
		// An MTA's own 5.1.1 after its retries ran out on the remote's "450 4.1.1 … User unknown".
		const retried = await one(dsn({ status: '5.1.1', diagnostic: '450 4.1.1 <kunde@example.net>: Recipient address rejected: User unknown in local recipient table', remoteMta: 'mx.example.net' }));
		expect(retried.category).toBe('recipientRefused');
	});

	it('"Mail is not accepted from this sender" refuses our sender', async () => {
		expect(await one(postfix('550 5.7.1 Mail is not accepted from this sender', { status: '5.7.1' }))).toMatchObject({ reason: 'rejected', category: 'senderRejected' });
	});

	it('said of the mailbox, "does not accept mail" is X.2.1\'s state under any code; of the domain it is a null MX (RFC 7505)', async () => {
		expect((await one(postfix('550 This mailbox does not accept mail', { status: '5.0.0' }))).category).toBe('recipientRefused');
		expect((await one(postfix('550 5.1.1 <kunde@example.net>: Mailbox not accepting mail', { status: '5.1.1' }))).category).toBe('recipientRefused');
		// A domain or host that takes no mail at all stays a dead address.
		expect((await one(postfix('550 This domain does not accept mail', { status: '5.0.0' }))).category).toBe('addressDead');
		expect((await one(postfix('556 5.1.10 Recipient address has null MX', { status: '5.1.10' }))).category).toBe('addressDead');
	});
});

describe('a remote "Domain not found" named by Remote-MTA and an smtp Diagnostic-Code (RFC 3464 §2.3.5-2.3.6)', () => {
	const reply = '550 5.1.2 <kunde@example.net>: Recipient address rejected: Domain not found';

	it("is the remote server's reply in Microsoft 365's \"Remote server returned '…'\" frame too: the domain's DNS led there", async () => {
		const m365 = (diagnostic: string, status: string) =>
			dsn({
				from: 'Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@shop.example>',
				status,
				diagnostic,
				remoteMta: 'mx01.hoster.example',
				human: `Your message to kunde@example.net couldn't be delivered.\r\n\r\nDiagnostic information for administrators:\r\n\r\nkunde@example.net\r\nmx01.hoster.example\r\nRemote server returned '${diagnostic}'`,
			});
		expect(await one(m365(reply, '5.1.2'))).toMatchObject({ reason: 'hostunknown', category: 'recipientRefused' });
		expect(await one(m365('550 <kunde@example.net>: Recipient address rejected: Domain not found', '5.0.0'))).toMatchObject({ category: 'recipientRefused' });
	});

	it('… and in Google\'s "The response from the remote server was:"', async () => {
		const human = "** Address not found **\r\n\r\nYour message wasn't delivered to kunde@example.net because the address couldn't be found, or is unable to receive mail.\r\n\r\nThe response from the remote server was:\r\n" + reply;
		const r = await one(dsn({ from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>', status: '5.1.2', diagnostic: reply, remoteMta: 'mx01.hostingprovider.example', human }));
		expect(r.category).toBe('recipientRefused');
	});

	it("the reporting MTA's own DNS verdict stays a dead domain: Exchange Online's 5.4.310, Sendmail naming the domain itself as Remote-MTA", async () => {
		const exo = '550 5.4.310 DNS domain example.net does not exist [Message=InfoDomainNonexistent] [LastAttemptedServerName=example.net]';
		expect(await one(dsn({ status: '5.4.310', diagnostic: exo, human: `Remote server returned '${exo}'` }))).toMatchObject({ reason: 'hostunknown', category: 'addressDead' });
		const sendmail = '550 5.1.2 <kunde@example.net>... Host unknown (Name server: example.net: host not found)';
		expect((await one(dsn({ status: '5.1.2', diagnostic: sendmail, remoteMta: 'example.net' }))).category).toBe('addressDead');
	});
});

describe("Gmail's gcdp: the Google Workspace administrator's own rule (support.google.com/a/answer/3726730)", () => {
	it('is the recipient organisation\'s restriction, not a verdict on our sender', async () => {
		const r = await one(postfix('550 5.7.1 This message violates kundenfirma.example email policy. - gcdp a1si - gsmtp', { status: '5.7.1', command: 'end of DATA', recipient: 'kunde@kundenfirma.example', host: 'aspmx.l.google.com' }));
		expect(r).toMatchObject({ reason: 'filtered', category: 'recipientRefused' });
	});
});

describe('bare refusals that name nothing of ours (RFC 5321 §4.2.2)', () => {
	it.each([
		['550 Rejected', 'RCPT TO'],
		['550 Refused', 'RCPT TO'],
		['550 Recipient refused', 'RCPT TO'],
		['554 Message refused', 'end of DATA'],
		['550 5.0.0 Rejected', 'RCPT TO'],
		['550 Not allowed', 'RCPT TO'],
		// Exim's text for an ACL deny that sets no message.
		['550 Administrative prohibition', 'RCPT TO'],
	])('%s (%s) is recipientRefused', async (reply, command) => {
		const status = /\b5\.\d\.\d\b/.exec(reply)?.[0] ?? '5.0.0';
		expect(await one(postfix(reply, { status, command }))).toMatchObject({ reason: 'undefined', category: 'recipientRefused' });
	});

	it('answering MAIL FROM, the same words refuse our sender', async () => {
		expect(await one(postfix('550 Administrative prohibition', { status: '5.0.0', command: 'MAIL FROM' }))).toMatchObject({ reason: 'rejected', category: 'senderRejected' });
		expect(classifyRefusalAtSend({ code: 550, response: '550 Rejected', command: 'MAIL FROM' }).category).toBe('senderRejected');
		expect(classifyRefusalAtSend({ code: 550, response: '550 Rejected', command: 'RCPT TO' }).category).toBe('recipientRefused');
	});

	it("Sendmail's access map REJECT names the refused command's address (cf/m4/proto.m4): the recipient's is no verdict on us, ours is", async () => {
		expect((await one(postfix('550 5.7.1 <kunde@example.net>... Access denied', { status: '5.7.1' }))).category).toBe('recipientRefused');
		expect((await one(postfix('550 5.7.1 <billing@shop.example>... Access denied', { status: '5.7.1', command: 'MAIL FROM' }))).category).toBe('senderRejected');
		const base = { reason: 'securityerror' as const, kind: 'soft' as const, status: '5.7.1', replyCode: '550', final: true };
		expect(categoryFor({ ...base, recipient: 'kunde@example.net', diagnostic: '550 5.7.1 <kunde@example.net>... Access denied' })).toBe('recipientRefused');
		expect(categoryFor({ ...base, recipient: 'kunde@example.net', diagnostic: '550 5.7.1 <bounce@shop.example>... Access denied' })).toBe('senderRejected');
	});
});
