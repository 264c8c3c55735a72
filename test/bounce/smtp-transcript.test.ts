import { failedInTranscript, transcriptExchanges } from '../../lib/bounce/smtp-transcript';

/** Each exchange as "VERB address → code" for comparison. */
const pairs = (lines: string[]) => transcriptExchanges(lines).map((e) => `${e.command}${e.recipient ? ` ${e.recipient}` : ''} → ${e.code ?? '-'}`);

describe('SMTP transcripts in reports', () => {
	it('pairs each reply with its command, one after the other (Sendmail), skipping the greeting and keeping multi-line replies whole', () => {
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
		expect(pairs(lines)).toEqual(['EHLO → 250', 'RCPT TO a@example.org → 550']);
		expect(transcriptExchanges(lines)[1].lines).toEqual([5, 6, 7]);
	});

	it('pairs pipelined replies (RFC 2920) in the order the commands were sent', () => {
		const lines = ['MAIL FROM:<billing@shop.example>', 'RCPT TO:<a@example.org>', 'RCPT TO:<b@example.org>', 'DATA', '250 2.1.0 Ok', '452 4.2.2 Mailbox full', '250 2.1.5 Ok', '354 Go ahead'];
		expect(pairs(lines)).toEqual(['MAIL FROM → 250', 'RCPT TO a@example.org → 452', 'RCPT TO b@example.org → 250', 'DATA → 354']);
	});

	it('reads MDaemon\'s time-stamped "-->" / "<--" lines', () => {
		const lines = [' Wed 2024-12-04 10:00:01.351: --> RCPT To:<a@example.org>', ' Wed 2024-12-04 10:00:01.400: <-- 550 5.1.1 <a@example.org>: User unknown'];
		expect(pairs(lines)).toEqual(['RCPT TO a@example.org → 550']);
	});

	it('starts over at a new connection: a reply there does not answer the last host\'s command', () => {
		const lines = ['>>> RCPT To:<a@example.org>', '... while talking to mx.example.net.:', '<<< 550 5.1.1 User unknown'];
		expect(pairs(lines)).toEqual(['RCPT TO a@example.org → -']);
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
