/**
 * The archive copy (the SMTP credential's BCC) failing: a report that names it is the merchant's
 * own problem, not the customer's. The reminder is composed by our sender; the report around its
 * headers is an RFC 3464 DSN as Postfix writes one (test/mail/sandbox.test.ts has the real one).
 */
import { classifyMessage, ownDomainList } from '../../lib/bounce';
import { archiveCopyMark } from '../../lib/mail/archive-copy';
import { buildReminderMessage } from '../../lib/mail/message';
import { node, runWorkflow } from '../harness/engine';
import { buildDsn } from './dsn-builder';

// (A hosted archive: an address outside the sender's domain, which only the mark tells apart.)
const ARCHIVE = 'shop-archiv@mailarchiv.example';

async function reminderHeaders(bcc?: string, to = 'anna@kunde.example', from = 'mahnwesen@shop.example'): Promise<{ messageId: string; headers: string; envelope: string[] }> {
	const message = await buildReminderMessage({
		sender: { address: from, name: 'Shop', ...(bcc ? { bcc } : {}) },
		to,
		subject: 'Zahlungserinnerung RE-1',
		text: 'Bitte zahlen Sie.',
		invoiceId: 'INV-1',
		level: 2,
		runId: 'run-1',
	});
	const raw = message.raw.toString('utf8');
	return { messageId: message.messageId, headers: raw.slice(0, raw.indexOf('\r\n\r\n') + 2), envelope: message.envelope.to };
}

function dsnFor(recipient: string, headers: string, { originalRecipient, from = 'MAILER-DAEMON@mx.shop.example (Mail Delivery System)' }: { originalRecipient?: string; from?: string } = {}): string {
	return buildDsn({
		returnPath: false,
		from,
		to: 'mahnwesen@shop.example',
		boundary: 'B',
		humanType: 'text/plain',
		human: `<${recipient}>: host mx.shop.example said: 550 5.1.1 User unknown`,
		spacedHuman: false,
		reportingMta: 'mx.shop.example',
		recipients: [{ original: originalRecipient, final: recipient, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <' + recipient + '>: Recipient address rejected: User unknown' }],
		// The header block ends in a line break; the builder's blank line before the boundary stands for it.
		returned: [headers.trimEnd()],
	});
}

describe('a failed archive copy (BCC)', () => {
	test('the reminder carries a mark of its archive address, not the address; without a BCC no mark', async () => {
		const { messageId, headers } = await reminderHeaders(ARCHIVE);
		expect(headers).toContain(`X-Dunning-Copy: ${archiveCopyMark(messageId, ARCHIVE)}`);
		expect(headers).not.toContain(ARCHIVE);
		expect((await reminderHeaders()).headers).not.toMatch(/X-Dunning-Copy/i);
	});

	test('a BCC that is also a recipient (any case) gets no second copy and no mark: a report for it stays the customer\'s', async () => {
		const { headers, envelope } = await reminderHeaders('anna@kunde.example', 'Anna <Anna@Kunde.example>, buchhaltung@kunde.example');
		expect(headers).not.toMatch(/X-Dunning-Copy/i);
		expect(envelope).toEqual(['Anna@Kunde.example', 'buchhaltung@kunde.example']);
		const [result] = await classifyMessage(dsnFor('anna@kunde.example', headers));
		expect(result).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});

	test('a report for the archive address is category none with archiveCopy; kind and reason stay what they are', async () => {
		const { headers } = await reminderHeaders(ARCHIVE);
		const [result] = await classifyMessage(dsnFor(ARCHIVE.toUpperCase(), headers));
		expect(result).toMatchObject({ archiveCopy: true, category: 'none', kind: 'hard', reason: 'userunknown', invoiceId: 'INV-1', level: 2 });
	});

	test('a report for any other address of the same reminder (a forward target) is still the customer\'s', async () => {
		const { headers } = await reminderHeaders(ARCHIVE);
		const [result] = await classifyMessage(dsnFor('weiter@intern.example', headers));
		expect(result).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});

	test('a mark copied into another reminder does not match there (it is bound to the Message-ID)', async () => {
		const { headers } = await reminderHeaders(ARCHIVE);
		const moved = headers.replace(/^X-Dunning-Copy: .*$/m, `X-Dunning-Copy: ${archiveCopyMark('<other@shop.example>', ARCHIVE)}`);
		const [result] = await classifyMessage(dsnFor(ARCHIVE, moved));
		expect(result).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});

	test('Classify Bounce sends it to Other (version 2) and to Other (version 1), not to Address Dead / Hard', async () => {
		const { headers } = await reminderHeaders(ARCHIVE);
		for (const [typeVersion, other] of [[2, 4], [1, 2]] as const) {
			const r = await runWorkflow({
				nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'source' }, { typeVersion })],
				input: { node: 'Classify', items: [{ json: { source: dsnFor(ARCHIVE, headers) } }] },
			});
			expect(r.status).toBe('success');
			const outputs = r.outputs('Classify');
			expect(outputs.map((items) => items.length)).toEqual(outputs.map((_, i) => (i === other ? 1 : 0)));
			expect(outputs[other][0].json.bounce).toMatchObject({ archiveCopy: true, recipient: ARCHIVE });
		}
	});
});

// A copy the sender's own servers add (an Exchange journal or transport rule, an MTA's always_bcc)
// carries no mark: its address is in the sender's domain and not among the reminder's To.
describe('a failed copy within the sender\'s own domain (journal, server-side Bcc)', () => {
	test('a report for an address at the sender\'s domain or a subdomain the reminder was not addressed to is the sender\'s own copy', async () => {
		const { headers } = await reminderHeaders();
		for (const copy of ['journal@shop.example', 'Journal@Archiv.Shop.example']) {
			const [result] = await classifyMessage(dsnFor(copy, headers));
			expect(result).toMatchObject({ recipient: copy, archiveCopy: true, category: 'none', kind: 'hard', reason: 'userunknown', invoiceId: 'INV-1' });
		}
	});

	test('our archive address forwarding to an outside archive service: the original recipient (ours) decides, in any IDN form', async () => {
		const { headers } = await reminderHeaders();
		const [forwarded] = await classifyMessage(dsnFor('shop@archivdienst.example', headers, { originalRecipient: 'archiv@shop.example' }));
		expect(forwarded).toMatchObject({ recipient: 'shop@archivdienst.example', archiveCopy: true, category: 'none' });
		const idn = await reminderHeaders(undefined, 'anna@kunde.example', 'mahnwesen@xn--mller-kva.example');
		expect((await classifyMessage(dsnFor('journal@müller.example', idn.headers)))[0]).toMatchObject({ archiveCopy: true, category: 'none' });
	});

	test('our archive\'s own mailbox rejecting it by Sieve (a full archive) is our copy too', async () => {
		const { headers } = await reminderHeaders();
		const mdn = dsnFor('archiv@shop.example', headers)
			.replace('report-type=delivery-status', 'report-type=disposition-notification')
			.replace(/<archiv@shop\.example>: host .*\r\n/, 'Your message to <archiv@shop.example> was automatically rejected:\r\nQuota exceeded (mailbox for user is full)\r\n')
			.replace(/Content-Type: message\/delivery-status\r\n\r\n[\s\S]*?\r\n\r\n(?=--B)/, 'Content-Type: message/disposition-notification\r\n\r\nFinal-Recipient: rfc822; archiv@shop.example\r\nDisposition: automatic-action/MDN-sent-automatically; deleted\r\n\r\n');
		expect(mdn).toContain('message/disposition-notification');
		expect((await classifyMessage(mdn))[0]).toMatchObject({ recipient: 'archiv@shop.example', reason: 'mailboxfull', archiveCopy: true, category: 'none' });
	});

	test('a customer at the sender\'s own organisation (a To address there) keeps every report the customer\'s, as does one the customer\'s system wrote', async () => {
		for (const to of ['filiale@shop.example', 'einkauf@werk-ulm.shop.example']) {
			const { headers } = await reminderHeaders(undefined, to);
			expect((await classifyMessage(dsnFor(to, headers)))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
			expect((await classifyMessage(dsnFor('zentral@shop.example', headers)))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
		}
		// A customer at a mailbox provider shares its systems with ours: our own Microsoft 365 reports from outlook.com hosts.
		const atOutlook = await reminderHeaders(undefined, 'hans.becker@outlook.com');
		const ours = dsnFor('journal@shop.example', atOutlook.headers, { from: 'postmaster@shop.example' }).replace('Reporting-MTA: dns; mx.shop.example', 'Reporting-MTA: dns; AM0PR01MB1234.eurprd01.prod.outlook.com');
		expect((await classifyMessage(ours))[0]).toMatchObject({ reportingMta: 'AM0PR01MB1234.eurprd01.prod.outlook.com', archiveCopy: true, category: 'none' });
		// The customer's server forwarded the reminder to an address at our (regional ISP) domain.
		const { headers } = await reminderHeaders(undefined, 'anna@kunde.example', 'shop.mueller@regional-isp.example');
		const [forward] = await classifyMessage(dsnFor('anna.privat@regional-isp.example', headers, { from: 'postmaster@kunde.example' }));
		expect(forward).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});

	test('a sender on a public mailbox provider shares its domain with strangers: the address stays the customer\'s (a forward target)', async () => {
		const { headers } = await reminderHeaders(undefined, 'anna@kunde.example', 'shop.mueller@gmx.de');
		const [result] = await classifyMessage(dsnFor('anna.privat@gmx.de', headers));
		expect(result).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});

	test('without the reminder\'s returned header, or about another message than a reminder of ours, nothing says whose copy it was', async () => {
		const { headers } = await reminderHeaders();
		const withoutHeader = dsnFor('journal@shop.example', headers).replace(/Content-Type: text\/rfc822-headers\r\n\r\n[\s\S]*?(?=--B--)/, '');
		expect(withoutHeader).not.toContain('X-Dunning-Invoice');
		expect((await classifyMessage(withoutHeader))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
		const foreign = headers.replace(/^X-Dunning-[^\r\n]*\r\n/gim, '').replace(/^Message-ID: <[^>]+>/im, 'Message-ID: <abc.123@shop.example>');
		expect((await classifyMessage(dsnFor('journal@shop.example', foreign)))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});
});

// What the headers cannot show, the merchant can say: Classify Bounce's Own Domains option.
describe('the Own Domains option (a group\'s other domains, an archive domain)', () => {
	const sent = () => reminderHeaders(undefined, 'anna@kunde.example', 'mahnwesen@mahnung.shop.example');
	const withoutHeader = (dsn: string) => dsn.replace(/Content-Type: text\/rfc822-headers\r\n\r\n[\s\S]*?(?=--B--)/, '');

	test('a failed journal at a sibling subdomain or the group\'s second domain is the customer\'s until the merchant lists that domain', async () => {
		const { headers } = await sent();
		for (const [journal, listed] of [['journal@archiv.shop.example', 'shop.example'], ['journal@Shop-Gruppe.example', 'shop-gruppe.example']]) {
			expect((await classifyMessage(dsnFor(journal, headers)))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
			const [result] = await classifyMessage(dsnFor(journal, headers), { ownDomains: [listed] });
			expect(result).toMatchObject({ recipient: journal, archiveCopy: true, category: 'none', reason: 'userunknown', invoiceId: 'INV-1' });
		}
	});

	test('without the returned header a listed domain still decides; an unlisted one stays the customer\'s', async () => {
		const { headers } = await sent();
		const report = withoutHeader(dsnFor('journal@shop-gruppe.example', headers));
		expect(report).not.toContain('X-Dunning-Invoice');
		expect((await classifyMessage(report, { ownDomains: ['shop-gruppe.example'] }))[0]).toMatchObject({ archiveCopy: true, category: 'none' });
		expect((await classifyMessage(report, { ownDomains: ['other.example'] }))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
	});

	test('a listed domain covers its subdomains, not its parent; a reminder sent into a listed domain keeps its reports the customer\'s', async () => {
		const { headers } = await sent();
		expect((await classifyMessage(dsnFor('journal@shop-gruppe.example', headers), { ownDomains: ['archiv.shop-gruppe.example'] }))[0]).toMatchObject({ archiveCopy: false });
		expect((await classifyMessage(dsnFor('j@eu.archiv.shop-gruppe.example', headers), { ownDomains: ['archiv.shop-gruppe.example'] }))[0]).toMatchObject({ archiveCopy: true });
		// Our account manager beside the customer in To is no customer of ours: the journal stays our copy.
		const withManager = await reminderHeaders(undefined, 'anna@kunde.example, betreuer@shop-gruppe.example', 'mahnwesen@shop.example');
		expect((await classifyMessage(dsnFor('journal@shop-gruppe.example', withManager.headers), { ownDomains: ['shop-gruppe.example'] }))[0]).toMatchObject({ archiveCopy: true });
		const subsidiary = await reminderHeaders(undefined, 'einkauf@werk.shop-gruppe.example', 'mahnwesen@shop.example');
		for (const failed of ['einkauf@werk.shop-gruppe.example', 'journal@shop-gruppe.example']) {
			expect((await classifyMessage(dsnFor(failed, subsidiary.headers), { ownDomains: ['shop-gruppe.example'] }))[0]).toMatchObject({ archiveCopy: false, category: 'addressDead' });
		}
	});

	test('the option\'s text: separators, "@" and "*." prefixes, IDN; a malformed entry or a mailbox provider\'s domain is refused by name', () => {
		expect(ownDomainList(' Shop-Gruppe.example; @archiv.example,*.eu.example  müller.example\n')).toEqual(['shop-gruppe.example', 'archiv.example', 'eu.example', 'xn--mller-kva.example']);
		expect(ownDomainList('')).toEqual([]);
		expect(() => ownDomainList('shop.example, archiv_alt')).toThrow('"archiv_alt" is not a domain name');
		expect(() => ownDomainList('shop.example, GMX.de')).toThrow(/gmx\.de is a public mailbox provider's domain/);
	});

	test('Classify Bounce reads the option: the listed domain\'s failure goes to Other, a malformed list fails naming the item and the option', async () => {
		const { headers } = await sent();
		const classify = (ownDomains: string) =>
			runWorkflow({
				nodes: [node('classifyBounce', 'Classify', { source: 'text', textField: 'source', options: { ownDomains } }, { typeVersion: 2 })],
				input: { node: 'Classify', items: [{ json: { source: dsnFor('journal@shop-gruppe.example', headers) } }] },
			});
		const listed = await classify('shop-gruppe.example, archiv.example');
		expect(listed.status).toBe('success');
		expect(listed.outputs('Classify').map((items) => items.length)).toEqual([0, 0, 0, 0, 1]);
		expect(listed.items('Classify', 4)[0].json.bounce).toMatchObject({ archiveCopy: true, recipient: 'journal@shop-gruppe.example' });
		const malformed = await classify('shop-gruppe.example archiv example');
		expect(malformed.status).toBe('error');
		expect(malformed.error?.message).toBe('Item 0: option "Own Domains": "archiv" is not a domain name');
	});
});
