/**
 * An SPF refusal behind a forward (classify.ts finish()): the customer's forwarder failing SPF for our
 * domain is their setup (RFC 7208 Appendix D), but a forward our own host made (an alias our server
 * expanded) failed SPF for a host of ours: RFC 3464 §2.2.2's Reporting-MTA is the host that relayed,
 * the client SPF checked (RFC 7208 §2.4), and our own record must authorise it.
 */
import { classifyMessage } from '../../lib/bounce';
import type { ClassifyOptions } from '../../lib/bounce/types';
import { buildDsn } from './dsn-builder';

const SPF_FAIL = '550 5.7.23 SPF check failed: 198.51.100.7 is not permitted to send for shop.example';

function spfBehindForward(opts: { reportingMta: string; sender?: string }): string {
	const sender = opts.sender ?? 'billing@shop.example';
	return buildDsn({
		reportingMta: opts.reportingMta,
		to: sender,
		human: 'Your message could not be delivered to one or more recipients.',
		recipients: [
			{
				original: 'einkauf@kunde.example',
				final: 'kunde.privat@mailhost.example',
				status: '5.7.23',
				remoteMta: 'mx.mailhost.example',
				diagnostic: `smtp; ${SPF_FAIL}`,
			},
		],
		returned: [`Return-Path: <${sender}>`, `From: ${sender}`, 'To: einkauf@kunde.example', 'Subject: Zahlungserinnerung RE-7'],
	});
}

const one = async (raw: string, options?: ClassifyOptions) => (await classifyMessage(raw, options))[0];

describe('SPF failure behind a forward: whose host forwarded', () => {
	it("the customer's forwarder (Reporting-MTA outside our domain) failed SPF: theirs, not an alarm about our sender", async () => {
		const r = await one(spfBehindForward({ reportingMta: 'mx.kunde.example' }));
		expect(r).toMatchObject({ reason: 'authfailure', category: 'recipientRefused', originalRecipient: 'einkauf@kunde.example' });
	});

	it('our own host expanded the alias and relayed (Reporting-MTA in the sender\'s domain): our SPF record, senderRejected', async () => {
		const r = await one(spfBehindForward({ reportingMta: 'mail.shop.example' }));
		expect(r).toMatchObject({ reason: 'authfailure', category: 'senderRejected', reportingMta: 'mail.shop.example' });
		// The domain itself as the host name, and a root dot, are the same domain.
		expect((await one(spfBehindForward({ reportingMta: 'shop.example.' }))).category).toBe('senderRejected');
	});

	it("a domain of the merchant's own list (ownDomains) counts as the sender's", async () => {
		const raw = spfBehindForward({ reportingMta: 'relay.shop-gruppe.example' });
		expect((await one(raw)).category).toBe('recipientRefused');
		expect((await one(raw, { ownDomains: ['shop-gruppe.example'] })).category).toBe('senderRejected');
	});

	it("a sender at a mailbox provider shares its hosts with the customer's own forward there: still theirs", async () => {
		const r = await one(spfBehindForward({ reportingMta: 'mx.gmx.de', sender: 'rechnung.shop@gmx.de' }));
		expect(r).toMatchObject({ reason: 'authfailure', category: 'recipientRefused' });
	});

	it('a parent or look-alike domain is not the sender\'s', async () => {
		expect((await one(spfBehindForward({ reportingMta: 'mail.example' }))).category).toBe('recipientRefused');
		expect((await one(spfBehindForward({ reportingMta: 'mail.myshop.example' }))).category).toBe('recipientRefused');
	});
});
