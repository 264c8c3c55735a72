import { classifyRefusalAtSend, type RefusalAtSend } from '../../lib/bounce';

const at = (command: RefusalAtSend['command'], response: string): RefusalAtSend => ({ code: Number(response.slice(0, 3)), response, command });

describe('a refusal at send time, read with the rules of Classify Bounce', () => {
	test.each<[string, RefusalAtSend, string, string, string | null]>([
		// RFC 5321 §3.3: at RCPT TO the server checks the mailbox, so its "user unknown" proves a dead address.
		['user unknown at RCPT TO', at('RCPT TO', '550 5.1.1 <kunde@example.org>: Recipient address rejected: User unknown in virtual mailbox table'), 'addressDead', 'userunknown', '5.1.1'],
		['"no such user" in words only, at RCPT TO', at('RCPT TO', '550 No such user here'), 'addressDead', 'userunknown', null],
		['a domain that does not exist, at RCPT TO', at('RCPT TO', '550 5.1.2 <kunde@nowhere.example>: Recipient address rejected: Domain not found'), 'addressDead', 'hostunknown', '5.1.2'],
		// Issue 11/12: after DATA the server had taken the recipient; its "user unknown" is a filter.
		['user unknown after DATA', at('DATA', '550 5.1.1 User unknown'), 'recipientRefused', 'filtered', '5.1.1'],
		['user unknown in words only, after DATA', at('DATA', '550 No such user here'), 'recipientRefused', 'filtered', null],
		// Under a policy code (5.7.x) "user unknown" is a refusal worded vaguely, also at RCPT TO.
		['user unknown under 5.7.1 at RCPT TO', at('RCPT TO', '550 5.7.1 User unknown'), 'recipientRefused', 'filtered', '5.7.1'],
		['spam verdict after DATA', at('DATA', '554 5.7.1 Message rejected as spam by content filter'), 'senderRejected', 'spamdetected', '5.7.1'],
		['not allowed to send as this sender', at('DATA', '550 5.7.60 SMTP; Client does not have permissions to send as this sender'), 'senderRejected', 'rejected', '5.7.60'],
		['relaying denied', at('RCPT TO', '553 5.7.1 <kunde@example.org>: Relay access denied'), 'senderRejected', 'norelaying', '5.7.1'],
		['DMARC', at('DATA', '550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain\'s DMARC policy'), 'senderRejected', 'authfailure', '5.7.26'],
		['mailbox full', at('RCPT TO', '552 5.2.2 <kunde@example.org>: Mailbox full'), 'recipientRefused', 'mailboxfull', '5.2.2'],
		// Postfix names a sender restriction whatever command it answered (smtpd_delay_reject): its words win.
		['sender domain unknown, answered at RCPT TO', at('RCPT TO', '550 5.1.8 <shop@nowhere.example>: Sender address rejected: Domain not found'), 'senderRejected', 'rejected', '5.1.8'],
		['no command known: "user unknown" proves nothing', at(null, '550 User unknown'), 'recipientRefused', 'userunknown', null],
	])('%s', (_name, refusal, category, reason, status) => {
		expect(classifyRefusalAtSend(refusal)).toEqual({ category, reason, status });
	});

	test('the reply code is read from the text when the error carried none', () => {
		expect(classifyRefusalAtSend({ code: null, response: '550 No such user here', command: 'RCPT TO' }).category).toBe('addressDead');
	});

	test('a multi-line reply is read as one', () => {
		const r = classifyRefusalAtSend(at('DATA', '550-5.7.1 This message was blocked 550-5.7.1 because its content presents a potential 550 5.7.1 security issue'));
		expect(r.category).toBe('senderRejected');
		expect(r.status).toBe('5.7.1');
	});

	test('a refusal is never taken for a delivery or an auto-reply, whatever its words', () => {
		const r = classifyRefusalAtSend(at('DATA', '550 5.0.0 Auto-reply loop: out of office responder refused'));
		expect(['addressDead', 'recipientRefused', 'senderRejected']).toContain(r.category);
		expect(['delivered', 'vacation', 'feedback']).not.toContain(r.reason);
	});
});
