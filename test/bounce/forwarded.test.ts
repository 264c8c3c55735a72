import { readFileSync } from 'fs';
import { join } from 'path';

import { classifyMessage } from '../../lib/bounce';
import { inlineForward } from '../../lib/bounce/forwarded';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'bounce', name));

/** A forward as attachment by `forwarder` of the message `inner`. */
function forwardAsAttachment(forwarder: string, inner: string): string {
	return [
		`From: ${forwarder}`,
		'To: bounces@inbox.example.org',
		'Subject: FW: Undelivered Mail Returned to Sender',
		'MIME-Version: 1.0',
		'Content-Type: multipart/mixed; boundary="f"',
		'',
		'--f',
		'Content-Type: text/plain',
		'',
		'see attachment',
		'--f',
		'Content-Type: message/rfc822',
		'',
		inner,
		'--f--',
		'',
	].join('\r\n');
}

describe('forwarded bounces', () => {
	it('a real Postfix DSN forwarded as an attachment is the bounce it carries, with its correlation', async () => {
		const [direct] = await classifyMessage(fixture('postfix-dsn-userunknown.eml'));
		const results = await classifyMessage(fixture('forwarded-attachment.eml'));
		expect(results).toHaveLength(1);
		expect(results[0]).toEqual(direct);
		expect(results[0]).toMatchObject({ category: 'addressDead', invoiceId: 'RE-2026-0042', level: 2 });
	});

	it('a saved report attached as application/octet-stream "*.eml" (some clients and webmailers) is read as the message it is', async () => {
		const [direct] = await classifyMessage(fixture('postfix-dsn-userunknown.eml'));
		const inner = fixture('postfix-dsn-userunknown.eml').toString('base64').replace(/.{76}/g, '$&\r\n');
		const saved = forwardAsAttachment('dunning@example.test', 'X')
			.replace('Content-Type: message/rfc822\r\n\r\nX', `Content-Type: application/octet-stream; name="Undelivered Mail.eml"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename*=UTF-8''Undelivered%20Mail.eml\r\n\r\n${inner}`);
		expect((await classifyMessage(saved))[0]).toEqual(direct);
		// A name in RFC 2047 encoded words; a byte order mark or an mbox "From " line before the header.
		const encoded = saved.replace(`filename*=UTF-8''Undelivered%20Mail.eml`, 'filename="=?utf-8?B?VW56dXN0ZWxsYmFyLmVtbA==?="').replace('name="Undelivered Mail.eml"', 'name="x"');
		const prefixed = (prefix: string) => saved.replace(inner, Buffer.concat([Buffer.from(prefix), fixture('postfix-dsn-userunknown.eml')]).toString('base64').replace(/.{76}/g, '$&\r\n'));
		for (const variant of [encoded, prefixed('\uFEFF'), prefixed('From MAILER-DAEMON Tue Dec  1 09:31:00 2026\n')]) {
			expect((await classifyMessage(variant))[0]).toEqual(direct);
		}
		// Any other file, or bytes that are no message, stay an opaque attachment.
		for (const other of [saved.replace(/\.eml/g, '.bin'), saved.replace(inner, Buffer.from('%PDF-1.7 not a message').toString('base64'))]) {
			expect((await classifyMessage(other))[0]).toMatchObject({ kind: 'none', category: 'none' });
		}
	});

	it('Outlook\'s HTML forward has no marker line, only its header block under a forward subject ("WG:"): the report it carries', async () => {
		const forward = (subject: string, sent: string) =>
			[
				'From: Jonas Weiss <j.weiss@shop.example>',
				'To: Buchhaltung <dunning@shop.example>',
				`Subject: ${subject}`,
				'MIME-Version: 1.0',
				'Content-Type: text/html; charset=utf-8',
				'',
				'<html><body><p>Hallo, das kam heute zur&uuml;ck, die Adresse stimmt wohl nicht mehr.</p>',
				'<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">',
				'<p class="MsoNormal"><b>Von:</b> Microsoft Outlook &lt;postmaster@kunde.example&gt;<br>',
				`<b>Gesendet:</b> ${sent}<br>`,
				'<b>An:</b> Buchhaltung &lt;dunning@shop.example&gt;<br>',
				'<b>Betreff:</b> Unzustellbar: Zahlungserinnerung RE-2026-0042</p></div>',
				'<p>Ihre Nachricht hat anna@kunde.example nicht erreicht, weil die E-Mail-Adresse nicht gefunden wurde oder ung&uuml;ltig ist.</p>',
				"<p>anna@kunde.example<br>Remoteserver hat '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found' zur&uuml;ckgegeben</p>",
				'<p>Urspr&uuml;ngliche Nachrichtenkopfzeilen:</p>',
				'<p>From: Buchhaltung &lt;dunning@shop.example&gt;<br>To: anna@kunde.example<br>Message-ID: &lt;dunning.2.11112222333344445555666677778888@shop.example&gt;<br>X-Dunning-Invoice: RE-2026-0042<br>X-Dunning-Level: 2</p>',
				'</body></html>',
				'',
			].join('\r\n');
		const [r] = await classifyMessage(forward('WG: Unzustellbar: Zahlungserinnerung RE-2026-0042', 'Dienstag, 1. Dezember 2026 09:31'));
		expect(r).toMatchObject({ category: 'addressDead', reason: 'userunknown', recipient: 'anna@kunde.example', invoiceId: 'RE-2026-0042', level: 2 });
		// Not under a subject of another kind, nor a block without the time it was sent (a pasted note).
		for (const [subject, sent] of [['Unzustellbar: Zahlungserinnerung RE-2026-0042', 'Dienstag, 1. Dezember 2026 09:31'], ['WG: Unzustellbar: Zahlungserinnerung RE-2026-0042', 'Dienstag, 1. Dezember 2026']]) {
			expect((await classifyMessage(forward(subject, sent)))[0]).toMatchObject({ kind: 'none' });
		}
	});

	it('a customer passing on a report about their mail to us, naming nothing of ours, is no bounce of ours; our inbox rule\'s forward of a real bounce to a mailbox anywhere stays one', async () => {
		const forward = (from: string, to: string, failed: string) =>
			[
				`From: ${from}`,
				`To: ${to}`,
				'Subject: WG: Unzustellbar: Zahlungsavis',
				'Content-Type: text/plain; charset=utf-8',
				'',
				'Die Zahlung ist raus, aber Ihre Adresse kennt unser Server nicht?',
				'',
				'Von: Microsoft Outlook <postmaster@kunde.example>',
				'Gesendet: Dienstag, 1. Dezember 2026 09:31',
				`An: ${from}`,
				'Betreff: Unzustellbar: Zahlungsavis',
				'',
				`Ihre Nachricht hat ${failed} nicht erreicht, weil die E-Mail-Adresse nicht gefunden wurde oder ungültig ist.`,
				`Remoteserver hat '550 5.1.1 <${failed}>: Recipient address rejected: User unknown' zurückgegeben`,
				'',
			].join('\r\n');
		// About an address at the domain the forward went to (To or Cc), or at a provider that very address.
		for (const [to, failed] of [
			['Buchhaltung <billing@shop.example>', 'zahlung@shop.example'],
			['IT <it@kunde.example>\r\nCc: billing@shop.example', 'zahlung@shop.example'],
			['shop.billing@t-online.de', 'shop.billing@t-online.de'],
		]) {
			expect((await classifyMessage(forward('Anna Kunde <anna@kunde.example>', to, failed)))[0]).toMatchObject({ kind: 'none', recipient: null });
		}
		// Our own inbox rule passing a bounce about a customer on to the mailbox n8n reads, at another domain or the same provider.
		for (const [from, to, failed] of [
			['billing@shop.example', 'bounces@n8n-postfach.example', 'anna@kunde.example'],
			['shop.billing@t-online.de', 'shop.n8n@t-online.de', 'anna.kunde@t-online.de'],
		]) {
			expect((await classifyMessage(forward(from, to, failed)))[0]).toMatchObject({ category: 'addressDead', recipient: failed });
		}
	});

	it('Outlook for Mac\'s header block in Italian ("Da / Data / A / Oggetto") and Spanish ("De / Fecha / Para / Asunto")', async () => {
		const [direct] = await classifyMessage(fixture('postfix-dsn-userunknown.eml'));
		const report = fixture('postfix-dsn-userunknown.eml').toString('utf8');
		const body = report.slice(report.search(/\r?\n\r?\n/)).trim();
		for (const [from, date, to, subject] of [['Da', 'Data', 'A', 'Oggetto'], ['De', 'Fecha', 'Para', 'Asunto']]) {
			const forward = [
				'From: Kollege <kollege@example.test>',
				'To: dunning@example.test',
				'Subject: I: Undelivered Mail Returned to Sender',
				'Content-Type: text/plain; charset=utf-8',
				'',
				`${from}: Mail Delivery System <MAILER-DAEMON@mx.sandbox.example.test>`,
				`${date}: martedì 1 dicembre 2026 09:31`,
				`${to}: <dunning@example.test>`,
				`${subject}: Undelivered Mail Returned to Sender`,
				'',
				body,
				'',
			].join('\r\n');
			const [r] = await classifyMessage(forward);
			expect(r).toMatchObject({ category: direct.category, recipient: direct.recipient, reason: direct.reason });
		}
	});

	it('Gmail inline forward ("---------- Forwarded message ---------"): the report text, correlation from the forwarded headers attachment', async () => {
		const [r] = await classifyMessage(fixture('forwarded-inline-gmail.eml'));
		expect(r).toMatchObject({
			category: 'addressDead',
			recipient: 'kunde@example.net',
			status: '5.1.1',
			invoiceId: 'RE-2026-0077',
			level: 2,
			originalMessageId: '<dunning.2.11112222333344445555666677778888@shop.example>',
		});
	});

	it('Thunderbird German inline forward ("Weitergeleitete Nachricht", Von/An/Betreff) of an Exim report', async () => {
		const [r] = await classifyMessage(fixture('forwarded-inline-de-mailboxfull.eml'));
		expect(r).toMatchObject({ category: 'recipientRefused', reason: 'mailboxfull', recipient: 'voll@kunde.example', invoiceId: 'RE-2026-0099', level: 1 });
	});

	it('a customer "forwarding" a report about their own address is refused (the forwarder is not our mailbox)', async () => {
		const [r] = await classifyMessage(fixture('forwarded-forged-by-customer.eml'));
		expect(r).toMatchObject({ kind: 'none', category: 'none', isBounce: false });
		expect(r.diagnostic).toMatch(/forwarded by kunde@example\.net/);
	});

	it('a forwarded message that is not from a mail system is not taken as a bounce, even from our own mailbox', async () => {
		const personal = [
			'From: Kunde <kunde@example.net>',
			'To: billing@shop.example',
			'Subject: Undelivered Mail Returned to Sender',
			'',
			'This is the mail system. Your message could not be delivered.',
			'<kunde@example.net>: 550 5.1.1 User unknown',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(forwardAsAttachment('billing@shop.example', personal));
		expect(r.kind).toBe('none');
		expect(r.diagnostic).toMatch(/^forwarded \(attachment\) looks like a delivery report, but/);
	});

	it('a reminder that went to our own mailbox in Cc (a copy for the file): that mailbox forwarding its bounce is ours, not the customer', async () => {
		const inner = fixture('postfix-dsn-userunknown.eml').toString('utf8').replace('To: nobody@example.test', 'To: nobody@example.test\r\nCc: dunning@example.test');
		const [r] = await classifyMessage(forwardAsAttachment('dunning@example.test', inner));
		expect(r).toMatchObject({ category: 'addressDead', recipient: 'nobody@example.test' });
	});

	it('a forwarded report is taken only from the domain it was sent to', async () => {
		const inner = fixture('postfix-dsn-userunknown.eml').toString('utf8');
		expect((await classifyMessage(forwardAsAttachment('dunning@example.test', inner)))[0].category).toBe('addressDead');
		const [other] = await classifyMessage(forwardAsAttachment('someone@elsewhere.example', inner));
		expect(other.kind).toBe('none');
		// The organisation it was sent to: a report to our bounce subdomain forwarded from the main domain.
		const toSubdomain = inner.replace(/^(Delivered-To|To): dunning@example\.test/gm, '$1: bounces@mail.example.test');
		expect((await classifyMessage(forwardAsAttachment('dunning@example.test', toSubdomain)))[0].category).toBe('addressDead');
	});

	it('a customer passing on a report about their own forward (a reminder they forwarded to a dead address) is the customer writing: reply, no dead address', async () => {
		// The real Postfix report, as it comes back to a customer whose mailbox forwarded our reminder on.
		const id = '<dunning.2.0123456789abcdef0123456789abcdef@example.test>';
		const ours = fixture('postfix-dsn-userunknown.eml').toString('utf8').replace(/<reminder\.RE-2026-0042\.2\.mwt29qpa@example\.test>/, id);
		// Sent to the customer, whose mailbox passed it on (unchanged headers) to the address that failed.
		const toCustomer = ours.replace(/^(Delivered-To|To): (dunning|nobody)@example\.test/gm, '$1: kunde@kunde.example');
		const [r] = await classifyMessage(forwardAsAttachment('Kunde <kunde@kunde.example>', toCustomer));
		expect(r).toMatchObject({ category: 'reply', isBounce: false, recipient: 'kunde@kunde.example', originalMessageId: id, invoiceId: 'RE-2026-0042', level: 2 });
		// Sent to their IT (a list's owner) and passed on from there: the customer writing as well.
		const toTheirIt = ours.replace(/^(Delivered-To|To): dunning@example\.test/gm, '$1: it@kunde.example').replace(/^To: nobody@example\.test/m, 'To: kunde@kunde.example');
		const [it] = await classifyMessage(forwardAsAttachment('IT <it@kunde.example>', toTheirIt));
		expect(it).toMatchObject({ category: 'reply', recipient: 'it@kunde.example', originalMessageId: id });
		// The same report forwarded on our side is the bounce it carries, also from a mailbox in
		// another domain than our From (Gmail "send mail as": the report goes to the Gmail address).
		expect((await classifyMessage(forwardAsAttachment('dunning@example.test', ours)))[0]).toMatchObject({ category: 'addressDead', originalMessageId: id });
		const viaGmail = ours.replace(/^(Delivered-To|To): dunning@example\.test/gm, '$1: shop.billing@gmail.example');
		expect((await classifyMessage(forwardAsAttachment('shop.billing@gmail.example', viaGmail)))[0]).toMatchObject({ category: 'addressDead', originalMessageId: id });
	});

	it("a report about the forwarder's own mail (its returned message is not a reminder) is the customer writing when it answers our reminder; its failure at our own address is no dead customer", async () => {
		// The customer's answer to an address of ours that does not exist (nobody@example.test) bounced.
		const ownMail = (threading: string) =>
			fixture('postfix-dsn-userunknown.eml')
				.toString('utf8')
				.replace(/^Message-ID: <reminder\.RE-2026-0042\.2\.mwt29qpa@example\.test>/m, `Message-ID: <answer-0506@kunde.example>${threading}`)
				.replace(/^X-Dunning-[\w-]+:.*\r?\n/gim, '')
				.replace(/^(Delivered-To|To): dunning@example\.test/gm, '$1: kunde@kunde.example');
		const toUs = (inner: string, extra = '') => forwardAsAttachment('Kunde <kunde@kunde.example>', inner).replace('To: bounces@inbox.example.org', `To: dunning@example.test${extra}`);
		const id = '<dunning.2.0123456789abcdef0123456789abcdef@example.test>';
		// The forward answers our reminder, or the bounced answer did (its own In-Reply-To).
		for (const message of [toUs(ownMail(''), `\r\nIn-Reply-To: ${id}`), toUs(ownMail(`\r\nIn-Reply-To: ${id}`))]) {
			const [r] = await classifyMessage(message.replace('see attachment', 'Payment for RE-2026-0042 goes out on Wednesday.'));
			expect(r).toMatchObject({ category: 'reply', recipient: 'kunde@kunde.example', originalMessageId: id });
			expect(r.replyText).toMatch(/^Payment for RE-2026-0042/);
		}
		// Neither: a report that failed at our own address says nothing about a customer's address.
		const [n] = await classifyMessage(toUs(ownMail('')));
		expect(n).toMatchObject({ category: 'none', isBounce: false });
		expect(n.diagnostic).toMatch(/forwarder's own message \(<answer-0506@kunde\.example>\) to nobody@example\.test/);
		// A relay that rewrote our reminder's Message-ID (and returned no X-Dunning header) does not hide
		// a bounce a colleague of ours forwards (not the reminder's sender: that would be their own mail).
		const rewritten = fixture('postfix-dsn-userunknown.eml')
			.toString('utf8')
			.replace(/<reminder\.RE-2026-0042\.2\.mwt29qpa@example\.test>/, '<0102018c2a9b7d3e@eu-west-1.amazonses.com>')
			.replace(/^X-Dunning-[\w-]+:.*\r?\n/gim, '');
		expect((await classifyMessage(forwardAsAttachment('kollegin@example.test', rewritten)))[0]).toMatchObject({ category: 'addressDead', recipient: 'nobody@example.test' });
	});

	it('of two reports a colleague forwards, the one about our reminder decides; the other (her own mail) takes no reminder of ours from it', async () => {
		const ours = fixture('postfix-dsn-userunknown.eml').toString('utf8');
		const hers = ours
			.replace(/<reminder\.RE-2026-0042\.2\.mwt29qpa@example\.test>/, '<angebot-17@example.test>')
			.replace(/^X-Dunning-[\w-]+:.*\r?\n/gim, '')
			.replace(/^From: Beispiel Shop <dunning@example\.test>/m, 'From: Kollegin <kollegin@example.test>')
			.replace(/nobody@example\.test/g, 'einkauf@lieferant.example');
		const both = forwardAsAttachment('Kollegin <kollegin@example.test>', hers).replace('--f--', ['--f', 'Content-Type: message/rfc822', '', ours, '--f--'].join('\r\n'));
		const results = await classifyMessage(both);
		expect(results.map((r) => [r.recipient, r.category, r.invoiceId])).toEqual([['nobody@example.test', 'addressDead', 'RE-2026-0042']]);
		// Her own mail's report alone: her own message, nothing about a reminder (no invoice borrowed).
		const [alone] = await classifyMessage(forwardAsAttachment('Kollegin <kollegin@example.test>', hers));
		expect(alone).toMatchObject({ category: 'none', invoiceId: null });
	});

	it('reports about two reminders forwarded together are both taken; a delay notice and the final report of one reminder give the final one', async () => {
		const ours = fixture('postfix-dsn-userunknown.eml').toString('utf8');
		const other = ours
			.replace(/<reminder\.RE-2026-0042\.2\.mwt29qpa@example\.test>/, '<dunning.1.00000000000000000000000000000012@example.test>')
			.replace('X-Dunning-Invoice: RE-2026-0042', 'X-Dunning-Invoice: RE-2026-0012')
			.replace(/nobody@example\.test/g, 'einkauf@beta.example');
		const two = (first: string, second: string) => forwardAsAttachment('Kollegin <kollegin@example.test>', first).replace('--f--', ['--f', 'Content-Type: message/rfc822', '', second, '--f--'].join('\r\n'));
		const both = await classifyMessage(two(ours, other));
		expect(both.map((r) => [r.recipient, r.invoiceId, r.category])).toEqual([
			['nobody@example.test', 'RE-2026-0042', 'addressDead'],
			['einkauf@beta.example', 'RE-2026-0012', 'addressDead'],
		]);
		// A report whose returned header names only its invoice takes no Message-ID from the other report.
		const invoiceOnly = other.replace(/^Message-ID: <dunning\.1\.0+12@example\.test>\r?\n/m, '');
		const [, second] = await classifyMessage(two(ours, invoiceOnly));
		expect(second).toMatchObject({ recipient: 'einkauf@beta.example', invoiceId: 'RE-2026-0012', originalMessageId: null });
		// A first report that is not taken (a person's look-alike) does not hide the genuine one after it.
		const lookAlike = ['From: Kunde <kunde@kunde.example>', 'To: kollegin@example.test', 'Subject: Undelivered Mail Returned to Sender', '', 'Delivery to the following recipient failed permanently: kunde@kunde.example', '', 'X-Dunning-Invoice: RE-2026-0042'].join('\r\n');
		const [genuine] = await classifyMessage(two(lookAlike, other));
		expect(genuine).toMatchObject({ recipient: 'einkauf@beta.example', category: 'addressDead', invoiceId: 'RE-2026-0012' });
		const delay = ours.replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.1').replace(/550 5\.1\.1/g, '451 4.4.1');
		const final = await classifyMessage(two(delay, ours));
		expect(final.map((r) => [r.recipient, r.category, r.final])).toEqual([['nobody@example.test', 'addressDead', true]]);
		// A relay's success report ("relayed") and the next hop's failure for the same address: the failure.
		const relayed = ours.replace('Action: failed', 'Action: relayed').replace('Status: 5.1.1', 'Status: 2.0.0').replace(/550 5\.1\.1/g, '250 2.0.0');
		const afterRelay = await classifyMessage(two(relayed, ours));
		expect(afterRelay.map((r) => [r.recipient, r.category])).toEqual([['nobody@example.test', 'addressDead']]);
	});

	it('the same, forwarded inline by the customer', async () => {
		const message = [
			'From: Kunde <kunde@kunde.example>',
			'To: billing@shop.example',
			'Subject: Fwd: Undelivered Mail Returned to Sender',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Was ist das? Kam nach Ihrer Mahnung.',
			'',
			'---------- Forwarded message ---------',
			'From: Mail Delivery System <MAILER-DAEMON@mx.kunde.example>',
			'Subject: Undelivered Mail Returned to Sender',
			'To: <kunde@kunde.example>',
			'',
			'This is the mail system at host mx.kunde.example.',
			'',
			"I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
			'',
			'<alt@frueher.example>: host mx.frueher.example[192.0.2.1] said: 550 5.1.1 <alt@frueher.example> User unknown (in reply to RCPT TO command)',
			'',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'To: kunde@kunde.example',
			'X-Dunning-Invoice: RE-1',
			'X-Dunning-Level: 2',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(message);
		expect(r).toMatchObject({ category: 'reply', recipient: 'kunde@kunde.example', invoiceId: 'RE-1', level: 2 });
		expect(r.replyText).toMatch(/^Was ist das\? Kam nach Ihrer Mahnung\./);
	});

	it('a forward of an ordinary mail (our reminder) is no bounce: from the customer it went to or a colleague there, the customer writing; from anyone else, nothing', async () => {
		const reminder = ['From: billing@shop.example', 'To: kunde@example.net', 'Subject: Mahnung', 'X-Dunning-Invoice: RE-1', '', 'Bitte zahlen.', ''].join('\r\n');
		const [customer] = await classifyMessage(forwardAsAttachment('kunde@example.net', reminder));
		expect(customer).toMatchObject({ kind: 'none', isBounce: false, category: 'reply', recipient: 'kunde@example.net', invoiceId: 'RE-1', replyText: 'see attachment' });
		const [theirColleague] = await classifyMessage(forwardAsAttachment('h.meier@example.net', reminder));
		expect(theirColleague).toMatchObject({ category: 'reply', recipient: 'h.meier@example.net', invoiceId: 'RE-1' });
		const [subsidiary] = await classifyMessage(forwardAsAttachment('erika@de.example.net', reminder));
		expect(subsidiary).toMatchObject({ category: 'reply', invoiceId: 'RE-1' });
		const [colleague] = await classifyMessage(forwardAsAttachment('kollegin@shop.example', reminder));
		expect(colleague).toMatchObject({ kind: 'none', category: 'none', diagnostic: 'not a bounce, auto-reply or feedback report' });
	});

	it("someone at the customer's domain passing on a report that was sent to us (their IT keeps copies) is the customer writing; a third party passing it on is nothing", async () => {
		const id = '<dunning.2.0123456789abcdef0123456789abcdef@example.test>';
		const ours = fixture('postfix-dsn-userunknown.eml').toString('utf8').replace(/<reminder\.RE-2026-0042\.2\.mwt29qpa@example\.test>/, id);
		// The report as it came to us; the reminder in it went to the customer.
		const toUs = ours.replace(/^To: nobody@example\.test/m, 'To: kunde@kunde.example');
		const [it] = await classifyMessage(forwardAsAttachment('IT <it@kunde.example>', toUs));
		expect(it).toMatchObject({ category: 'reply', isBounce: false, recipient: 'it@kunde.example', originalMessageId: id });
		const [other] = await classifyMessage(forwardAsAttachment('Someone <someone@elsewhere.example>', toUs));
		expect(other).toMatchObject({ category: 'none', isBounce: false });
		// Our colleague at our subdomain, whom the reminder also went to in Cc, forwards it: our forward.
		const ccUs = toUs.replace(/^To: kunde@kunde\.example/m, 'To: kunde@kunde.example\r\nCc: kollege@mail.example.test');
		const [colleague] = await classifyMessage(forwardAsAttachment('Kollege <kollege@mail.example.test>', ccUs));
		expect(colleague.category).not.toBe('reply');
	});

	it("Outlook's Russian forward header (От/Отправлено/Кому/Тема), its addressee named by name only, from the customer's IT: the customer writing", async () => {
		const raw = [
			'From: Ivan Petrov <i.petrov@kunde.example>',
			'To: billing@shop.example',
			'Subject: FW: Undeliverable: 2. Mahnung',
			'Content-Type: text/plain; charset=utf-8',
			'',
			'Ящик удалён, пишите на buh@kunde.example.',
			'',
			'________________________________',
			'От: Mail Delivery System <MAILER-DAEMON@mx.kunde.example>',
			'Отправлено: 9 марта 2026 г. 9:01',
			'Кому: Shop Billing',
			'Тема: Undeliverable: 2. Mahnung',
			'',
			'Delivery has failed to these recipients or groups:',
			'',
			'einkauf@kunde.example',
			"Remote Server returned '550 5.1.1 <einkauf@kunde.example>: Recipient address rejected: User unknown'",
			'',
			'Original message headers:',
			'',
			'From: Shop <billing@shop.example>',
			'To: einkauf@kunde.example',
			'Subject: 2. Mahnung',
			'Message-ID: <dunning.2.0123456789abcdef0123456789abcdef@shop.example>',
			'X-Dunning-Invoice: INV-9',
			'',
		].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ category: 'reply', recipient: 'i.petrov@kunde.example', originalMessageId: '<dunning.2.0123456789abcdef0123456789abcdef@shop.example>' });
	});

	it("a forward from Outlook on the web (HTML, set off by <hr> only) is read like its plain-text form", async () => {
		const html = [
			'<div>Kannst du das bitte prüfen?</div><hr>',
			'<div><b>Von:</b> Mail Delivery System &lt;MAILER-DAEMON@relay.shop.example&gt;<br><b>Gesendet:</b> Montag, 9. März 2026 09:01<br><b>An:</b> billing@shop.example<br><b>Betreff:</b> Undelivered Mail Returned to Sender</div>',
			'<div>This is the mail system at host relay.shop.example.<br>I\'m sorry to have to inform you that your message could not be delivered to one or more recipients.<br><br>&lt;kunde@example.net&gt;: host mx.example.net[192.0.2.5] said: 550 5.1.1 &lt;kunde@example.net&gt;: Recipient address rejected: User unknown (in reply to RCPT TO command)</div>',
			'<div>Message-ID: &lt;dunning.2.0123456789abcdef0123456789abcdef@shop.example&gt;<br>X-Dunning-Invoice: INV-9</div>',
		].join('');
		const raw = ['From: Kollegin <kollegin@shop.example>', 'To: billing@shop.example', 'Subject: WG: Undelivered Mail Returned to Sender', 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n');
		const [r] = await classifyMessage(raw);
		expect(r).toMatchObject({ isBounce: true, recipient: 'kunde@example.net', category: 'addressDead' });
	});

	it("Spanish Outlook's forward header names its date \"Enviado el:\"", () => {
		const carried = inlineForward('________________________________\nDe: postmaster@a.example\nEnviado el: lunes, 9 de marzo de 2026 9:01\nPara: b@shop.example\nAsunto: No se puede entregar\n\nbody');
		expect(carried?.headers.get('to')).toEqual(['b@shop.example']);
		expect(carried?.headers.get('date')).toEqual(['lunes, 9 de marzo de 2026 9:01']);
	});

	it('inline markers of Apple Mail and Outlook; header names mapped; no From line = no forward', () => {
		expect(inlineForward('x\n\nBegin forwarded message:\n\nFrom: MAILER-DAEMON@a.example\nTo: b@shop.example\n\nbody')?.headers.get('to')).toEqual(['b@shop.example']);
		expect(inlineForward('________________________________\nVon: postmaster@a.example\nGesendet: heute\nAn: b@shop.example\nBetreff: Unzustellbar\n\nbody')?.headers.get('subject')).toEqual(['Unzustellbar']);
		expect(inlineForward('---------- Forwarded message ---------\nSubject: x\n\nbody')).toBeNull();
		expect(inlineForward('no marker here\nFrom: a@b.example')).toBeNull();
	});
});
