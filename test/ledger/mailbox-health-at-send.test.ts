/**
 * A refusal of our sender while sending pauses the mailbox at once exactly when the health rule
 * (recordSenderEvents) pauses on that one refusal: the sending run stops on the same deliveries
 * that Record Send Result pauses the mailbox for, and on no others.
 */
import { pausesMailboxAtOnce, readHealth, recordSenderEvents, refusalAtSend, type DeliveryRefusal } from '../../lib/ledger/mailbox-health';

const at = Date.parse('2099-03-02T10:00:00Z');
const refused = (bounceReason: DeliveryRefusal['bounceReason'], smtpStatus: string | null, smtpResponse: string): DeliveryRefusal => ({
	status: 'failed',
	category: 'senderRejected',
	bounceReason,
	smtpStatus,
	smtpResponse,
});

/** Whether the health rule pauses a mailbox that was ok on this one refusal (the count alone would need 99). */
function healthPauses(delivery: DeliveryRefusal): boolean {
	const problem = refusalAtSend(delivery);
	if (!problem) return false;
	const event = { kind: 'senderRejected' as const, at, sentAt: at, recipient: 'kunde@example.org', ...problem };
	return recordSenderEvents(readHealth('default', null), [event], new Date(at).toISOString(), { rejectionsToPause: 99, windowHours: 24 }).pausedNow;
}

const cases: Array<[string, DeliveryRefusal, boolean]> = [
	['DMARC at the data', refused('authfailure', '5.7.26', "550 5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy"), true],
	['SPF at RCPT TO', refused('authfailure', '5.7.23', '550 5.7.23 SPF validation failed'), true],
	['DKIM without a status', refused('securityerror', null, '550 Message rejected: DKIM signature did not verify'), true],
	['an SPF temperror (no verdict)', refused('authfailure', '5.7.23', '550 5.7.23 SPF check returned temperror for example.com'), false],
	['a blocklist', refused('blocked', '5.7.1', '554 5.7.1 Client host blocked using zen.spamhaus.org'), false],
	['a spam verdict', refused('spamdetected', '5.7.1', '554 5.7.1 Message rejected as spam'), false],
	['a dead address', { status: 'failed', category: 'addressDead', bounceReason: 'userunknown', smtpStatus: '5.1.1', smtpResponse: '550 5.1.1 User unknown' }, false],
	['a failure without a category', { status: 'failed', smtpResponse: '550 5.7.26 DMARC' }, false],
	['a sent reminder', { status: 'sent', smtpResponse: '250 2.0.0 Ok' }, false],
];

test.each(cases)('%s: stops the run exactly when the health rule pauses on it', (_name, delivery, pauses) => {
	expect(healthPauses(delivery)).toBe(pauses);
	expect(pausesMailboxAtOnce(delivery)).toBe(pauses);
});

test('refusalAtSend reads a sender refusal as Record Send Result counts it, and nothing else', () => {
	expect(refusalAtSend(refused('authfailure', '5.7.26', '550 5.7.26 DMARC'))).toEqual({ reason: 'authfailure', status: '5.7.26', diagnostic: '550 5.7.26 DMARC' });
	expect(refusalAtSend({ status: 'deferred', category: 'senderRejected', bounceReason: 'blocked', smtpStatus: '4.7.1', smtpResponse: '451 4.7.1' })).toBeNull();
	expect(refusalAtSend({ status: 'failed', category: 'recipientRefused', bounceReason: 'mailboxfull', smtpStatus: '5.2.2', smtpResponse: '552 5.2.2' })).toBeNull();
});
