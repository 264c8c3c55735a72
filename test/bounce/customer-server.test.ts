/**
 * What the customer's own server reports after it took our reminder (customer-hop.ts, own-copy.ts's
 * rule copies): an on-premises Exchange writing from postmaster@<their domain>, as probe EL built them.
 */
import { classifyMessage } from '../../lib/bounce';
import { buildDsn } from './dsn-builder';

const REMINDER_ID = '<dunning.1.4e554fe5ebabdf4b228b72857eb6907f@shop.example>';

function exchangeNdr(opts: { from?: string; recipient: string; status: string; diagnostic: string; remoteMta?: string; ruleOf?: string }): string {
	return buildDsn({
		// Our server's record of where the report came from: the customer's server.
		received: ['Received: from mail.kunde.example (mail.kunde.example [203.0.113.45]) by mx.shop.example (Postfix) for <billing@shop.example>'],
		from: `Microsoft Outlook <${opts.from ?? 'postmaster@kunde.example'}>`,
		to: '<billing@shop.example>',
		subject: 'Unzustellbar: Zahlungserinnerung RE-1',
		headers: [`In-Reply-To: ${REMINDER_ID}`, 'X-MS-Exchange-Message-Is-Ndr: '],
		boundary: 'B',
		humanType: 'text/plain; charset=utf-8',
		human: 'Die Nachricht konnte nicht zugestellt werden.',
		compact: true,
		reportingMta: 'EX01.kunde.local',
		receivedFromMta: 'mail.shop.example',
		recipients: [{ final: opts.recipient, status: opts.status, remoteMta: opts.remoteMta, diagnostic: `smtp;${opts.diagnostic}` }],
		returned: [
			'From: Shop Buchhaltung <billing@shop.example>',
			'To: <einkauf@kunde.example>',
			'Subject: Zahlungserinnerung RE-1',
			`Message-ID: ${REMINDER_ID}`,
			'X-Dunning-Invoice: RE-1',
			...(opts.ruleOf ? [`X-MS-Exchange-Inbox-Rules-Loop: ${opts.ruleOf}`] : []),
		],
	});
}

describe('what the customer\'s own server refused after it took the reminder', () => {
	it.each([
		['a block list listing the customer\'s own IP at the old hoster', '5.7.1', '550 5.7.1 Service unavailable; Client host [203.0.113.45] blocked using bl.spamcop.net', 'blocked'],
		['the old hoster still holding the domain refusing to relay', '5.7.1', '554 5.7.1 <einkauf@kunde.example>: Relay access denied', 'norelaying'],
		['the customer\'s smart host wanting a login', '5.7.0', '530 5.7.0 Authentication required', 'securityerror'],
	])('%s: on the customer\'s next hop (Remote-MTA), not a refusal of our sender', async (_case, status, diagnostic, reason) => {
		const [theirs] = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status, diagnostic, remoteMta: 'mx.althoster.example' }));
		expect(theirs).toMatchObject({ reason, category: 'recipientRefused', invoiceId: 'RE-1' });
		// The same refusal in a report our own relay wrote (its smart host refusing) is about our host.
		const [ours] = await classifyMessage(exchangeNdr({ from: 'MAILER-DAEMON@mail.shop.example', recipient: 'einkauf@kunde.example', status, diagnostic, remoteMta: 'smtp.relay-provider.example' }));
		expect(ours).toMatchObject({ reason, category: 'senderRejected' });
	});

	it('a block list naming another IP than the customer\'s server (ours, which a filter read from the Received lines) stays ours; so does an SPF verdict on our record', async () => {
		const [ourIp] = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.1', diagnostic: '550 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org', remoteMta: 'mx.althoster.example' }));
		expect(ourIp).toMatchObject({ reason: 'blocked', category: 'senderRejected' });
		const [spfHop] = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.23', diagnostic: '550 5.7.23 SPF check failed: ip=203.0.113.45 is not permitted to send for shop.example', remoteMta: 'mx.althoster.example' }));
		expect(spfHop).toMatchObject({ reason: 'authfailure', category: 'recipientRefused' });
		// An IP that stands in the returned reminder's own Received lines is one of our hosts.
		const ourTrail = exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.23', diagnostic: '550 5.7.23 SPF check failed: ip=203.0.113.45 is not permitted to send for shop.example', remoteMta: 'mx.althoster.example' }).replace(
			'X-Dunning-Invoice: RE-1',
			'Received: from mail.shop.example (mail.shop.example [203.0.113.45]) by mail.kunde.example\r\nX-Dunning-Invoice: RE-1',
		);
		expect((await classifyMessage(ourTrail))[0]).toMatchObject({ category: 'senderRejected' });
		const [spfRecord] = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.23', diagnostic: '550 5.7.23 SPF permerror: too many DNS lookups for shop.example', remoteMta: 'mx.althoster.example' }));
		expect(spfRecord).toMatchObject({ category: 'senderRejected' });
	});

	it('its own X.7.1 refusal in words no rule knows (a transport rule, a moderator) filters for the recipient; spam words stay ours', async () => {
		const rule = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.1', diagnostic: '550 5.7.1 Diese Adresse nimmt keine Rechnungen oder Mahnungen an. Bitte senden Sie diese an rechnungseingang@kunde.example.' }));
		expect(rule[0]).toMatchObject({ reason: 'filtered', category: 'recipientRefused' });
		const spam = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.1', diagnostic: '550 5.7.1 Message rejected as spam by Content Filtering.' }));
		expect(spam[0]).toMatchObject({ reason: 'spamdetected', category: 'senderRejected' });
		const spoof = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.7.1', diagnostic: '550 5.7.1 compauth=fail reason=000: message rejected as spoofing' }));
		expect(spoof[0]).toMatchObject({ category: 'senderRejected' });
	});

	it('a copy the customer\'s inbox rule made after the reminder arrived failing is no dead address; an X.500 address (IMCEAEX) is never proof', async () => {
		const internal = 'IMCEAEX-_o=Kunde_ou=Exchange+20Administrative+20Group+20+28FYDIBOHF23SPDLT+29_cn=Recipients_cn=2f0b6c1d-m.schulz@kunde.example';
		const diagnostic = '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found';
		const [copy] = await classifyMessage(exchangeNdr({ recipient: internal, status: '5.1.1', diagnostic, ruleOf: 'einkauf@kunde.example' }));
		expect(copy).toMatchObject({ recipient: internal, reason: 'userunknown', category: 'none', archiveCopy: false });
		const [forwardTarget] = await classifyMessage(exchangeNdr({ recipient: 'anna.privat@gmx.de', status: '5.1.1', diagnostic: '550 5.1.1 <anna.privat@gmx.de>: Recipient address rejected: User unknown', remoteMta: 'mx00.emig.gmx.net', ruleOf: 'einkauf@kunde.example' }));
		expect(forwardTarget).toMatchObject({ category: 'none' });
		const [withoutRule] = await classifyMessage(exchangeNdr({ recipient: internal, status: '5.1.1', diagnostic }));
		expect(withoutRule).toMatchObject({ reason: 'userunknown', category: 'recipientRefused' });
		// The mailbox we wrote to failing keeps its verdict, rule header or not.
		const [customer] = await classifyMessage(exchangeNdr({ recipient: 'einkauf@kunde.example', status: '5.1.1', diagnostic, ruleOf: 'einkauf@kunde.example' }));
		expect(customer).toMatchObject({ category: 'addressDead' });
	});

	it('Exchange quoting the next server\'s reply in angle brackets ("<host #5.1.1 SMTP; …>"): its words are read, the bare 5.1.1 proves nothing', async () => {
		const [r] = await classifyMessage(
			exchangeNdr({ from: 'MAILER-DAEMON@mail.shop.example', recipient: 'k.sommer@kunde.example', status: '5.1.1', diagnostic: '554 5.1.1 <mx.kunde.example #5.1.1 SMTP; 550-203.0.113.45 , Your e-mail service was detected by mx.kunde.example (NiX)>' }),
		);
		expect(r.category).not.toBe('addressDead');
	});
});
