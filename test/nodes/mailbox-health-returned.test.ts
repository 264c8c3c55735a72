/**
 * Record Sender Refusals through the real n8n engine: a returned report counts for whom the refused
 * reminder was (the item field refusedFor, which the shipped Refusal Report sets), else for
 * bounce.recipient; and a returned failed DMARC check pauses only once a second customer's comes back.
 * Record Send Result counts a refusal while sending for the same key (refusedFor, else customerId,
 * else the address in lower case), so one customer refused at send and returned later counts once.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { node, runWorkflow } from '../harness/engine';

const health = (item: INodeExecutionData) => item.json.mailboxHealth as IDataObject;

const refusal = (bounce: IDataObject, refusedFor?: unknown): INodeExecutionData => ({
	json: {
		invoiceId: 'RE-1001',
		...(refusedFor === undefined ? {} : { refusedFor }),
		bounce: { category: 'senderRejected', final: true, remoteMta: 'mx.relay.example', originalMessageId: '<dunning.1.305ff456f3456d97e51857a401915a59@shop.example>', ...bounce },
	},
});

// One forged report about one reminder: three recipient blocks, each Original-Recipient the
// reminder's address, each Final-Recipient a made-up forward target.
const blocklisted = (i: number, refusedFor?: unknown) =>
	refusal(
		{ reason: 'blocked', status: '5.7.1', diagnostic: 'Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org', recipient: `fwd${i}@relay${i}.example`, originalRecipient: 'anna@schuldner.example' },
		refusedFor,
	);

const dmarc = (recipient: string, refusedFor?: unknown) =>
	refusal({ reason: 'authfailure', status: '5.7.26', diagnostic: "550 5.7.26 Unauthenticated email from shop.example is not accepted due to domain's DMARC policy.", recipient }, refusedFor);

async function record(items: INodeExecutionData[], mailboxRow: IDataObject = {}, operation = 'recordRefusals'): Promise<IDataObject> {
	const r = await runWorkflow({ nodes: [node('mailboxHealth', 'Record', { operation, mailbox: 'default', mailboxRow: JSON.stringify(mailboxRow) })], input: { node: 'Record', items } });
	expect(r.status).toBe('success');
	return health(r.items('Record')[0]);
}

describe('Record Sender Refusals: whom a returned refusal counts for (real n8n engine)', () => {
	it('three items of one report with refusedFor the same customer and different bounce.recipient count once: not paused', async () => {
		expect(await record([1, 2, 3].map((i) => blocklisted(i, 'K-1')))).toMatchObject({ status: 'ok', senderRejections: 3, pausedNow: false, changed: true });
		// A number (a numeric customer ID) and surrounding spaces are the same customer too.
		expect(await record([blocklisted(1, 4711), blocklisted(2, '4711'), blocklisted(3, ' 4711 ')])).toMatchObject({ status: 'ok', pausedNow: false });
	});

	it('without refusedFor (or with an empty one) each bounce.recipient counts, as before: three pause', async () => {
		for (const refusedFor of [undefined, '', '  ', null]) {
			const h = await record([1, 2, 3].map((i) => blocklisted(i, refusedFor)));
			expect(h).toMatchObject({ status: 'paused', statusReason: 'blocklist', senderRejections: 3, pausedNow: true });
			expect(String(h.statusMessage)).toContain('(refused for 3 recipients within 24 h)');
		}
		// Three customers by refusedFor pause as well.
		expect(await record([blocklisted(1, 'K-1'), blocklisted(2, 'K-2'), blocklisted(3, 'K-3')])).toMatchObject({ status: 'paused', pausedNow: true });
	});

	it('a returned DMARC refusal pauses only with a second customer\'s within the window; one customer, however many reports, does not', async () => {
		const one = await record([dmarc('anna@schuldner.example', 'K-1')]);
		expect(one).toMatchObject({ status: 'ok', senderRejections: 1, pausedNow: false, changed: true, counted: true });
		// The same customer again, under another address: still one customer.
		const again = await record([dmarc('anna.privat@schuldner.example', 'K-1')], one);
		expect(again).toMatchObject({ status: 'ok', senderRejections: 2, pausedNow: false });
		const second = await record([dmarc('buchhaltung@kunde.example', 'K-2')], again);
		expect(second).toMatchObject({ status: 'paused', statusReason: 'dmarc', senderRejections: 3, pausedNow: true });
		expect(String(second.statusMessage)).toContain("because of DMARC (5.7.26) (refused for 2 recipients within 24 h). Fix: add the SMTP host to the domain's SPF record");
	});
});

describe('Record Send Result and Record Sender Refusals: one customer is one recipient, refused at send or returned', () => {
	const SPAM = { reason: 'rejected', category: 'senderRejected', bounceReason: 'spamdetected', smtpStatus: '5.7.1', smtpCode: 554, smtpResponse: '554 5.7.1 Message rejected as spam' };
	// As Send Reminder Email passes the released reminder on (send-released: its payload, with customerId and email).
	const refusedAtSend = (json: IDataObject): INodeExecutionData => ({ json: { invoiceId: 'RE-1001', ...json, delivery: { status: 'failed', messageId: '<m1@shop.example>', ...SPAM } } });
	const spamReturned = (recipient: string, refusedFor: string) => refusal({ reason: 'spamdetected', status: '5.7.1', diagnostic: '554 5.7.1 Message rejected as spam', recipient }, refusedFor);

	it('K-1 refused at send (customerId) plus K-1 and K-2 returned: two customers, not paused; a third customer pauses', async () => {
		const atSend = await record([refusedAtSend({ customerId: ' K-1 ', email: 'Anna@Kunde1.example' })], {}, 'recordSendResult');
		expect(atSend).toMatchObject({ status: 'ok', senderRejections: 1, counted: true });
		const two = await record([spamReturned('anna@kunde1.example', 'K-1'), spamReturned('max@kunde2.example', 'K-2')], { mailbox: 'default', ...atSend });
		expect(two).toMatchObject({ status: 'ok', senderRejections: 3, pausedNow: false });
		const three = await record([spamReturned('eva@kunde3.example', 'K-3')], { mailbox: 'default', ...two });
		expect(three).toMatchObject({ status: 'paused', statusReason: 'spam', senderRejections: 4, pausedNow: true });
		expect(String(three.statusMessage)).toContain('(refused for 3 recipients within 24 h)');
	});

	it('without a customer ID the address in lower case is the key, as the Refusal Report falls back to it; refusedFor on the item wins', async () => {
		const atSend = await record([refusedAtSend({ customerId: '', email: ' Anna@Kunde1.example ' })], {}, 'recordSendResult');
		const two = await record([spamReturned('anna@kunde1.example', 'anna@kunde1.example'), spamReturned('max@kunde2.example', 'K-2')], { mailbox: 'default', ...atSend });
		expect(two).toMatchObject({ status: 'ok', senderRejections: 3, pausedNow: false });
		const byRefusedFor = await record([refusedAtSend({ refusedFor: 'K-1', customerId: 'other', email: 'anna@kunde1.example' })], {}, 'recordSendResult');
		expect(await record([spamReturned('anna@kunde1.example', 'K-1'), spamReturned('max@kunde2.example', 'K-2')], { mailbox: 'default', ...byRefusedFor })).toMatchObject({ status: 'ok', pausedNow: false });
	});
});
