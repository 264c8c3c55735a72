import { pausesAtOnce, senderAdvice } from '../../lib/bounce/sender-advice';

describe('sender advice: cause and fix of a refusal of our sender', () => {
	it('names DMARC with its code and tells to fix SPF and DKIM', () => {
		const a = senderAdvice({ reason: 'authfailure', status: '5.7.26', diagnostic: '550 5.7.26 Unauthenticated email from example.test is not accepted due to domain\'s DMARC policy' });
		expect(a).toEqual({ cause: 'dmarc', because: 'DMARC (5.7.26)', fix: expect.stringMatching(/add the SMTP host to the domain's SPF record/) });
	});

	it('tells SPF, DKIM and a generic authentication failure apart', () => {
		expect(senderAdvice({ reason: 'authfailure', status: '5.7.23', diagnostic: 'SPF validation failed' }).cause).toBe('spf');
		expect(senderAdvice({ reason: 'authfailure', status: '5.7.1', diagnostic: 'DKIM signature missing' }).cause).toBe('dkim');
		expect(senderAdvice({ reason: 'authfailure', status: '5.7.1', diagnostic: 'message not authenticated' })).toMatchObject({ cause: 'authentication', because: expect.stringMatching(/SPF\/DKIM\/DMARC.*\(5\.7\.1\)$/) });
		// 5.7.26 with SPF named: the check that failed is SPF.
		expect(senderAdvice({ reason: 'authfailure', status: '5.7.26', diagnostic: 'SPF check failed' }).cause).toBe('spf');
	});

	it('gives a fix for every senderRejected reason and for login and TLS failures', () => {
		const reasons = ['blocked', 'authfailure', 'requireptr', 'badreputation', 'norelaying', 'securityerror', 'rejected', 'speeding', 'toomanyconn', 'ratelimited', 'spamdetected', 'policyviolation', 'virusdetected', 'contenterror', 'mesgtoobig', 'exceedlimit', 'failedstarttls', 'notcompliantrfc', 'syntaxerror', 'auth', 'tls'];
		for (const reason of reasons) {
			const a = senderAdvice({ reason });
			expect({ reason, other: a.cause === 'other', fix: a.fix.length > 20 }).toEqual({ reason, other: false, fix: true });
		}
		expect(senderAdvice({ reason: 'blocked', status: '5.7.1' })).toMatchObject({ cause: 'blocklist', because: expect.stringMatching(/blocklist\) \(5\.7\.1\)$/), fix: expect.stringMatching(/delisted/) });
		expect(senderAdvice({ reason: 'auth' }).fix).toMatch(/app password/);
		expect(senderAdvice({ reason: 'tls' }).fix).toMatch(/465 = SSL\/TLS, 587 = STARTTLS/);
		expect(senderAdvice({ reason: 'somethingNew' }).cause).toBe('other');
		expect(senderAdvice({ reason: null }).cause).toBe('other');
	});

	it('one failed SPF/DKIM/DMARC check or a refused login is enough to pause; a blocklist or spam verdict is not', () => {
		expect(pausesAtOnce({ reason: 'authfailure' })).toBe(true);
		expect(pausesAtOnce({ reason: 'securityerror', diagnostic: 'DMARC policy reject' })).toBe(true);
		expect(pausesAtOnce({ reason: 'auth' })).toBe(true);
		expect(pausesAtOnce({ reason: 'tls' })).toBe(true);
		expect(pausesAtOnce({ reason: 'blocked', diagnostic: 'listed at zen.spamhaus.org' })).toBe(false);
		expect(pausesAtOnce({ reason: 'spamdetected' })).toBe(false);
		expect(pausesAtOnce({ reason: 'securityerror', diagnostic: 'TLS required' })).toBe(false);
	});

	it('a transient failure of the check (RFC 7208 temperror, a class 4 status) counts as a refusal but does not pause at once', () => {
		expect(pausesAtOnce({ reason: 'authfailure', status: '4.7.24', diagnostic: '451 4.7.24 Temporary SPF validation error (temperror): DNS lookup timed out' })).toBe(false);
		expect(pausesAtOnce({ reason: 'authfailure', status: '5.7.0', diagnostic: 'SPF check returned temperror' })).toBe(false);
		expect(pausesAtOnce({ reason: 'authfailure', status: '5.7.23', diagnostic: '550 5.7.23 SPF validation failed' })).toBe(true);
		expect(pausesAtOnce({ reason: 'authfailure', status: '5.7.26', diagnostic: 'DMARC policy', forwarded: true })).toBe(false);
		// A temperror beside a failed check is no transient verdict.
		expect(pausesAtOnce({ reason: 'authfailure', status: '5.7.26', diagnostic: 'spf=temperror dkim=fail dmarc=fail' })).toBe(true);
	});
});
