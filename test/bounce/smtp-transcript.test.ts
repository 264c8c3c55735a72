import { failedInTranscript, readTranscript } from '../../lib/bounce/smtp-transcript';

const transcriptExchanges = (lines: string[]) => readTranscript(lines).exchanges;

/** Each exchange as "VERB address → code" for comparison. */
const pairs = (lines: string[]) => transcriptExchanges(lines).map((e) => `${e.command}${e.recipient ? ` ${e.recipient}` : ''} → ${e.code ?? '-'}`);

describe('SMTP transcripts in reports', () => {
	it('pairs each reply with its command, one after the other (Sendmail), the greeting with the connection, multi-line replies whole', () => {
		const lines = [
			'... while talking to mx.example.org.:',
			'<<< 220 mx.example.org ESMTP',
			'>>> EHLO mail.shop.example',
			'<<< 250-mx.example.org',
			'<<< 250 PIPELINING',
			'>>> RCPT To:<a@example.org>',
			'<<< 550-5.1.1 The email account that you tried to reach does not exist.',
			'<<< 550 5.1.1 Please check the address.',
			'550 5.1.1 <a@example.org>... User unknown',
		];
		expect(pairs(lines)).toEqual(['CONNECT → 220', 'EHLO → 250', 'RCPT TO a@example.org → 550']);
		expect(transcriptExchanges(lines)[2].lines).toEqual([5, 6, 7]);
	});

	it('pairs pipelined replies (RFC 2920) in the order the commands were sent', () => {
		const lines = ['MAIL FROM:<billing@shop.example>', 'RCPT TO:<a@example.org>', 'RCPT TO:<b@example.org>', 'DATA', '250 2.1.0 Ok', '452 4.2.2 Mailbox full', '250 2.1.5 Ok', '354 Go ahead', '550 5.7.1 Message content rejected'];
		// DATA's 354 asks for the message; the reply after it is DATA's final answer (RFC 5321 §4.1.1.4).
		expect(pairs(lines)).toEqual(['MAIL FROM → 250', 'RCPT TO a@example.org → 452', 'RCPT TO b@example.org → 250', 'DATA → 550']);
	});

	it('reads no bare command in prose: Postfix wraps "(in reply to RCPT TO command)" onto a line of its own', () => {
		const lines = ['<a@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown (in reply to', '    RCPT TO command)', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found'];
		expect(pairs(lines)).toEqual([]);
	});

	it('gives up the pairing when it cannot be right: a reply to an RCPT that only answers DATA, or one naming another RCPT', () => {
		// The reply to MAIL FROM is missing from the log: every later reply slides one command up.
		const missing = ['>>> MAIL From:<billing@shop.example>', '>>> RCPT To:<a@example.org>', '>>> DATA', '<<< 550 5.1.1 <a@example.org>... User unknown', '<<< 554 5.5.1 Error: no valid recipients'];
		expect(pairs(missing)).toEqual([]);
		const outOfOrder = ['>>> RCPT To:<a@example.org>', '>>> RCPT To:<b@example.org>', '<<< 550 5.1.1 <b@example.org>: User unknown', '<<< 552 5.2.2 <a@example.org>: Mailbox full'];
		expect(pairs(outOfOrder)).toEqual([]);
	});

	it('reads a transcript whose only line from the server is a refused greeting (Sendmail logs no ">>>" before it)', () => {
		const lines = ['... while talking to mx.example.org.:', '<<< 554 5.7.1 Service unavailable; Client host [203.0.113.25] blocked', '554 5.0.0 <a@example.org>... Service unavailable'];
		expect(pairs(lines)).toEqual(['CONNECT → 554']);
	});

	it('reads MDaemon\'s time-stamped "-->" / "<--" lines', () => {
		const lines = [' Wed 2024-12-04 10:00:01.351: --> RCPT To:<a@example.org>', ' Wed 2024-12-04 10:00:01.400: <-- 550 5.1.1 <a@example.org>: User unknown'];
		expect(pairs(lines)).toEqual(['RCPT TO a@example.org → 550']);
	});

	it('starts over at a new connection: a reply there is the new host\'s greeting, not the answer to the last host\'s command', () => {
		const lines = ['>>> RCPT To:<a@example.org>', '... while talking to mx.example.net.:', '<<< 554 5.7.1 Client host blocked'];
		expect(pairs(lines)).toEqual(['RCPT TO a@example.org → -', 'CONNECT → 554']);
	});

	it('gives up the pairing when the log left commands out: Sendmail shows only ">>> DATA" before pipelined RCPT refusals', () => {
		const lines = ['... while talking to mx.example.org.:', '>>> DATA', '<<< 550 5.1.1 User unknown', '550 5.1.1 <a@example.org>... User unknown', '<<< 552 5.2.2 Over quota', '552 5.2.2 <b@example.org>... Mailbox full', '<<< 503 5.5.1 RCPT first'];
		expect(pairs(lines)).toEqual([]);
	});

	it('takes no bare reply lines without a bare RCPT command: summary lines are not a transcript', () => {
		expect(pairs(['550 5.1.1 <a@example.org>... User unknown', 'Reason: RCPT TO:<a@example.org> refused'])).toEqual([]);
	});

	it('counts as failed each recipient refused at RCPT, and the accepted ones of a session whose DATA was refused', () => {
		const refusedAtRcpt = transcriptExchanges(['>>> RCPT To:<a@example.org>', '<<< 550 5.1.1 User unknown', '>>> RCPT To:<b@example.org>', '<<< 250 OK', '>>> DATA', '<<< 354 Go ahead']);
		expect(failedInTranscript(refusedAtRcpt).map((e) => e.recipient)).toEqual(['a@example.org']);
		const refusedAtData = transcriptExchanges([
			'... while talking to mx.example.org.:',
			'>>> RCPT To:<a@example.org>',
			'<<< 250 OK',
			'>>> DATA',
			'<<< 554 5.7.1 Message rejected as spam',
			'... while talking to mx.example.net.:',
			'>>> RCPT To:<c@example.net>',
			'<<< 250 OK',
			'>>> DATA',
			'<<< 354 Go ahead',
		]);
		expect(failedInTranscript(refusedAtData).map((e) => e.recipient)).toEqual(['a@example.org']);
	});
});
