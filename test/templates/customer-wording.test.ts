/**
 * What the customer reads first and where they click: the salutation (a company is greeted
 * "Sehr geehrte Damen und Herren,", a person by name) and the payment link of each invoice in a
 * collective e-mail, rendered from the shipped texts as Send Reminder Email renders them.
 */
import { buildLetterModel } from '../../lib/letters/letter-model';
import { readReminderItem, ReminderInputError } from '../../lib/mail/reminder-item';
import { buildTemplateContext } from '../../lib/templates/context';
import { salutationOf } from '../../lib/templates/salutation';
import { DEFAULT_LANGUAGES, DEFAULT_LEVELS } from '../../lib/templates/defaults';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { groupItem, invoiceItem, letterOptions } from '../letters/fixtures';

const env = new TemplateEnvironment();

/** The shipped e-mail for an item, as Send Reminder Email renders it (without company details). */
function email(json: Record<string, unknown>, language: string, level = 1) {
	const reminder = readReminderItem(json);
	if (reminder.kind !== 'email') throw new Error(`expected an e-mail reminder, got ${reminder.kind}`);
	const values = { ...reminder.values, level };
	const context = buildTemplateContext(json, { ...values, senderName: 'Muster Handels GmbH' }, { language, locale: localeFor(language), currency: reminder.currency });
	return renderReminder(env, resolveTemplates(language, level, 'de', undefined, values.invoiceCount > 1), context);
}

const GREETING = { de: ['Guten Tag ', 'Sehr geehrte Damen und Herren,'], en: ['Dear ', 'Dear Sir or Madam,'] } as const;
const cases = DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.flatMap((level) => [false, true].map((group) => [language, level, group] as const)));

describe('salutation', () => {
	const single = (extra: Record<string, unknown>, language: string) => invoiceItem(1, { language, ...extra });
	const several = (extra: Record<string, unknown>, language: string) => {
		const item = groupItem(2);
		item.language = language;
		for (const member of item.invoices as Array<Record<string, unknown>>) Object.assign(member, extra);
		return item;
	};

	test.each(cases)('%s level %d (collective: %s): a business customer is greeted as a company in text and HTML', (language, level, group) => {
		const item = (group ? several : single)({ customerName: 'Müller Logistik', customerType: 'business' }, language);
		const r = email(item, language, level);
		const [byName, company] = GREETING[language as 'de' | 'en'];
		expect(r.text.split('\n')[0]).toBe(company);
		expect(r.html).toContain(`<p>${company}</p>`);
		expect(`${r.text}${r.html}`).not.toContain(`${byName}Müller`);
	});

	test.each(cases)('%s level %d (collective: %s): a consumer is greeted by name, as before', (language, level, group) => {
		const item = (group ? several : single)({ customerName: 'Erika Mustermann', customerType: 'consumer' }, language);
		const r = email(item, language, level);
		const [byName] = GREETING[language as 'de' | 'en'];
		expect(r.text.split('\n')[0]).toBe(`${byName}Erika Mustermann,`);
		expect(r.html).toContain(`<p>${byName}Erika Mustermann,</p>`);
	});

	test('a legal form in the name greets a company also where customerType is blank (read as consumer)', () => {
		const r = email(invoiceItem(1, { customerName: 'Müller GmbH' }), 'de');
		expect(r.text.split('\n')[0]).toBe('Sehr geehrte Damen und Herren,');
	});

	test('a legal form followed by a full stop: no "Guten Tag Müller GmbH.," in the e-mail or the letter', () => {
		for (const name of ['Müller GmbH.', 'Huber OG', 'Dupont Sàrl']) {
			const r = email(invoiceItem(1, { customerName: name }), 'de', 2);
			expect(r.text.split('\n')[0]).toBe('Sehr geehrte Damen und Herren,');
			expect(r.html).toContain('<p>Sehr geehrte Damen und Herren,</p>');
			expect(buildLetterModel(invoiceItem(1, { customerName: name }), letterOptions()).intro.split('\n')[0]).toBe('Sehr geehrte Damen und Herren,');
		}
		expect(email(invoiceItem(1, { customerName: 'Olga Og' }), 'de', 2).text.split('\n')[0]).toBe('Guten Tag Olga Og,');
	});

	test.each([
		['Müller GmbH', true],
		['MÜLLER GMBH', true],
		['Schmidt GmbH & Co. KG', true],
		['Beispiel AG', true],
		['Bau UG (haftungsbeschränkt)', true],
		['Blumen Meier e.K.', true],
		['Sportverein Nord e. V.', true],
		['Volksbank Mitte eG', true],
		['Acme Ltd.', true],
		['Acme, Inc.', true],
		['Müller & Co.', true],
		// Followed by punctuation, as ERPs and hand-typed names write it.
		['Müller GmbH.', true],
		['MÜLLER AG.', true],
		['Schulz KG.', true],
		['Bau AG, Werk Nord', true],
		['Meier KG; z. Hd. Frau Meier', true],
		['Holz (Schulz KG)', true],
		// Austrian OG, Swiss Sàrl.
		['Huber & Partner OG', true],
		['Huber OG.', true],
		['Boulangerie Dupont Sàrl', true],
		['Dupont SÀRL', true],
		// Foreign legal forms (salutation.ts says which countries).
		['Dupont SA', true],
		['Dupont SA.', true],
		// All in capitals (as ERP exports write names) a short form at the end counts as well: "KIM SA"
		// cannot be told from "ACME SA", and greeting a person formally costs little (salutation.ts).
		['DUPONT FRERES SA', true],
		['BOULANGERIE DUPONT SARL', true],
		['VIRTANEN OY AB', true],
		['DUPONT SA', true],
		['ACME SA', true],
		['KIM SA', true],
		['MARK BV.', true],
		['Dupont SAS', true],
		['Dupont SASU', true],
		['Dupont EURL', true],
		['Dupont SARL', true],
		['Rossi Sagl', true],
		['Kowalski Sp. z o.o.', true],
		['KOWALSKI SP. Z O.O.', true],
		['Kowalski sp. z o. o.', true],
		['Novák s.r.o.', true],
		['Novák spol. s r.o.', true],
		['Novák s. r. o.', true],
		// e.U. and s.r.o. count only as written: in other letters they are a person's initials.
		['Eva E.U.', false],
		['Tom S. R. O.', false],
		['Tom S.R.O.', false],
		['Anna E. u.', false],
		['Huber e. U.', true],
		['Huber e.U., Wien', true],
		['Dvořák a.s.', true],
		['Dvořák a. s.', true],
		['Yılmaz Tekstil A.Ş.', true],
		['Huber e.U.', true],
		['Holz KEG', true],
		['Holz OEG', true],
		['Rossi S.p.A.', true],
		['Rossi SpA', true],
		['Rossi Srl', true],
		['Rossi S.r.l.', true],
		['Jansen B.V.', true],
		['Jansen BV', true],
		['Peeters N.V.', true],
		['Peeters NV', true],
		['Virtanen Oy', true],
		['Virtanen Oyj', true],
		['Virtanen Oy Ab', true],
		['Svensson AB', true],
		['Hansen ApS', true],
		['Hansen A/S', true],
		['Erika Mustermann', false],
		// Person names with the letters of a short form: not the last word, not as the form is written.
		['Lisa', false],
		['Lisa Sa', false],
		['Kim Sa', false],
		['Sa Kim', false],
		['SA Kim', false],
		['Anna Sas', false],
		['Lisa Sasu', false],
		['Oy Lee', false],
		['Annika Ab', false],
		['Abby Nv', false],
		['Jan Spa', false],
		['Bev Keg', false],
		['Anna Schmidt A.S.', false],
		['John Miller Sr. O.', false],
		['Agnes Ag', false],
		['Ute Kg', false],
		['Olga Og', false],
		['Olga Og.', false],
		['Zofia Łukasiewicz-Çelik', false],
		['Agnes Kgosi', false],
		['Minh Se', false],
		['Ag Ueber', false],
		['', false],
	])('"%s" is a company: %s', (name, company) => {
		expect(salutationOf({}, name)).toEqual({ addressAsCompany: company, salutationName: company ? '' : name });
	});

	test('customerType is read as Compute Dunning Level reads it, from a group’s first invoice too', () => {
		expect(salutationOf({ customerType: ' B2B ' }, 'Max Mustermann')).toEqual({ addressAsCompany: true, salutationName: '' });
		expect(salutationOf({ customerType: 'Business' }, 'Max Mustermann').addressAsCompany).toBe(true);
		expect(salutationOf({ customerType: 'b2c' }, 'Max Mustermann').addressAsCompany).toBe(false);
		expect(salutationOf({ invoices: [{ customerType: 'business' }] }, 'Max Mustermann').addressAsCompany).toBe(true);
		// The item's own type wins over its invoices'.
		expect(salutationOf({ customerType: 'consumer', invoices: [{ customerType: 'business' }] }, 'Max Mustermann').addressAsCompany).toBe(false);
		// Not the first invoice's alone: a business invoice anywhere in the group.
		expect(salutationOf({ invoices: [{ customerType: 'consumer' }, { customerType: 'B2B' }] }, 'Max Mustermann').addressAsCompany).toBe(true);
		expect(salutationOf({ invoices: [{}, { customerType: 'business' }] }, 'Max Mustermann').addressAsCompany).toBe(true);
	});

	test('initials are no legal form: e.U. and s.r.o. count only as written', () => {
		expect(buildLetterModel(invoiceItem(1, { customerName: 'Eva E.U.' }), letterOptions()).intro.split('\n')[0]).toBe('Guten Tag Eva E.U.,');
		expect(email(invoiceItem(1, { customerName: 'DUPONT FRERES SA' }), 'de', 2).text.split('\n')[0]).toBe('Sehr geehrte Damen und Herren,');
	});

	test.each([
		['de', false, 'Sehr geehrte Damen und Herren,'],
		['de', true, 'Sehr geehrte Damen und Herren,'],
		['en', false, 'Dear Sir or Madam,'],
		['en', true, 'Dear Sir or Madam,'],
	] as const)('%s letter (collective: %s) greets a business customer as a company', (language, group, greeting) => {
		const item = group ? several({ customerName: 'Müller Logistik', customerType: 'business' }, language) : single({ customerName: 'Müller Logistik', customerType: 'business' }, language);
		expect(buildLetterModel(item, letterOptions()).intro.split('\n')[0]).toBe(greeting);
		const person = group ? several({ customerName: 'Erika Mustermann' }, language) : single({ customerName: 'Erika Mustermann' }, language);
		expect(buildLetterModel(person, letterOptions()).intro.split('\n')[0]).toBe(language === 'de' ? 'Guten Tag Erika Mustermann,' : 'Dear Erika Mustermann,');
	});
});

describe('payment link per invoice in collective e-mails', () => {
	const withLinks = (language: string, links: unknown[]) => {
		const item = groupItem(links.length);
		item.language = language;
		(item.invoices as Array<Record<string, unknown>>).forEach((member, k) => {
			if (links[k] !== undefined) member.paymentLink = links[k];
		});
		return item;
	};

	test.each(DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.map((level) => [language, level] as const)))('%s level %d: each invoice line carries its own link, none where an invoice has none', (language, level) => {
		const r = email(withLinks(language, ['https://pay.example/r1', undefined, 'www.pay.example/r3']), language, level);
		const label = language === 'de' ? 'Online bezahlen' : 'Pay online';
		const lines = r.text.split('\n');
		const row = (k: number) => lines.findIndex((l) => l.startsWith(language === 'de' ? `- Rechnung RE-2026-000${k}` : `- Invoice RE-2026-000${k}`));
		// Each invoice of the fixture carries one interest period: it is stated under the invoice, before its link (as in the letter).
		const period = /^ {2}(Verzugszinsen 11,27 % p\. a\.|Late payment interest 11\.27 % p\.a\.) /;
		for (const k of [1, 2, 3]) expect(lines[row(k) + 1]).toMatch(period);
		expect(lines[row(1) + 2]).toBe(`  ${label}: https://pay.example/r1`);
		expect(lines[row(2) + 2]).toMatch(/^- (Rechnung|Invoice) RE-2026-0003/);
		expect(lines[row(3) + 2]).toBe(`  ${label}: https://www.pay.example/r3`);
		// No blank line crept in before the sums.
		expect(lines[row(3) + 3]).toMatch(/^(Offen insgesamt|Open in total):/);
		const pay = (n: string) => (language === 'de' ? `Rechnung ${n} online bezahlen` : `Pay invoice ${n} online`);
		expect(r.html).toContain(`<a href="https://pay.example/r1">${pay('RE-2026-0001')}</a>`);
		expect(r.html).toContain(`<a href="https://www.pay.example/r3">${pay('RE-2026-0003')}</a>`);
		expect(r.html).not.toContain(pay('RE-2026-0002'));
	});

	/** The sentence after the list: a link pays only its invoice's open amount; the charges (when any) are transferred. */
	const LINK_NOTE = {
		de: {
			start: 'Ein Zahlungslink begleicht nur den offenen Betrag seiner Rechnung',
			charges: (amount: string) => `; zahlen Sie online, überweisen Sie Mahngebühren, Pauschalen und Zinsen (${amount}) bitte gesondert.`,
		},
		en: {
			start: 'A payment link pays only the open amount of its invoice',
			charges: (amount: string) => `; if you pay online, please transfer the reminder fees, flat-rate compensation and interest (${amount}) separately.`,
		},
	} as const;
	/** Fees, flat fees and interest of the group of three: 3 × (5 + 40 + 1.23). */
	const CHARGES = { de: '138,69\u00a0€', en: '€138.69' } as const;

	/** The item without fee, flat fee or interest (a payment reminder): total due = open amount. */
	const withoutCharges = (item: Record<string, unknown>) => {
		for (const entry of [item, ...((item.invoices as Array<Record<string, unknown>> | undefined) ?? [])]) {
			const open = (entry.dunning as Record<string, unknown>).openAmount ?? entry.openAmount;
			entry.dunning = { ...(entry.dunning as object), fee: 0, flatFee: 0, interest: 0, interestPeriods: [], totalDue: open };
		}
		return item;
	};

	test.each(DEFAULT_LANGUAGES.flatMap((language) => DEFAULT_LEVELS.map((level) => [language, level] as const)))(
		'%s level %d: after the list and its sums, one sentence says a link pays only its invoice, the charges go by transfer',
		(language, level) => {
			const note = LINK_NOTE[language as 'de' | 'en'];
			const sentence = `${note.start}${note.charges(CHARGES[language as 'de' | 'en'])}`;
			const r = email(withLinks(language, ['https://pay.example/r1', undefined, 'https://pay.example/r3']), language, level);
			const lines = r.text.split('\n');
			const at = lines.indexOf(sentence);
			expect(at).toBeGreaterThan(lines.findIndex((l) => /^(Zu zahlender Gesamtbetrag|Total due):/.test(l)));
			expect(lines.filter((l) => l.includes(note.start))).toHaveLength(1);
			expect(r.html).toContain(`</table>\n    <p>${sentence}</p>`);
		},
	);

	test.each(DEFAULT_LANGUAGES)('%s: no sentence without a link; without charges only its first part', (language) => {
		const note = LINK_NOTE[language as 'de' | 'en'];
		const plain = email(withLinks(language, [undefined, undefined, undefined]), language, 2);
		expect(`${plain.text}${plain.html}`).not.toContain(note.start);
		const free = email(withoutCharges(withLinks(language, [undefined, 'https://pay.example/r2'])), language, 1);
		expect(free.text.split('\n')).toContain(`${note.start}.`);
		expect(free.html).toContain(`<p>${note.start}.</p>`);
	});

	test.each(DEFAULT_LANGUAGES)('%s collective letter: the same sentence after the totals where an invoice prints its link', (language) => {
		const note = LINK_NOTE[language as 'de' | 'en'];
		const letter = (links: unknown[]) => buildLetterModel(withLinks(language, links), letterOptions());
		const model = letter(['https://pay.example/r1', undefined, undefined]);
		expect(model.rows[0].notes.some((n) => n.endsWith('https://pay.example/r1'))).toBe(true);
		expect(model.closing.split('\n')[0]).toBe(`${note.start}${note.charges(CHARGES[language as 'de' | 'en'])}`);
		expect(letter([undefined, undefined, undefined]).closing).not.toContain(note.start);
		const free = buildLetterModel(withoutCharges(withLinks(language, ['https://pay.example/r1', undefined])), letterOptions());
		expect(free.closing.split('\n')[0]).toBe(`${note.start}.`);
	});

	test('the context says whether any invoice has a link, and the charges in the currency’s minor unit', () => {
		const context = (json: Record<string, unknown>, change: { openAmount?: number; totalDue?: number } = {}) => {
			const reminder = readReminderItem(json);
			if (reminder.kind !== 'email') throw new Error('expected e-mail');
			return buildTemplateContext(json, { ...reminder.values, ...change, senderName: 'S' }, { language: 'de', locale: 'de-DE', currency: reminder.currency });
		};
		expect(context(withLinks('de', [undefined, 'https://pay.example/r2']))).toMatchObject({ someInvoiceLink: true, charges: 92.46 });
		expect(context(withLinks('de', [undefined, undefined]))).toMatchObject({ someInvoiceLink: false, charges: 92.46 });
		// No float residue (0.1 + 0.7 = 0.7999999999999999), and never negative.
		expect(context(groupItem(2), { openAmount: 0.7, totalDue: 0.1 + 0.7 }).charges).toBe(0.1);
		expect(context(groupItem(2), { openAmount: 203, totalDue: 200 }).charges).toBe(0);
	});

	test('without any link the list reads as before', () => {
		const r = email(withLinks('de', [undefined, undefined]), 'de');
		expect(r.text).not.toContain('Online bezahlen');
		expect(r.html).not.toContain('online bezahlen');
	});

	test('a link that is no web address fails the reminder naming the invoice, as the single link does', () => {
		expect(() => email(withLinks('de', ['https://pay.example/r1', 'javascript:alert(1)']), 'de')).toThrow(
			new ReminderInputError('paymentLink', 'The field "paymentLink" (payment link) of invoice 2 in "invoices" must be a web address starting with https:// or http://, got "javascript:alert(1)"'),
		);
	});

	test('the templates see each invoice’s link, and one invoice’s own', () => {
		const json = withLinks('de', ['https://pay.example/r1', undefined]);
		const reminder = readReminderItem(json);
		if (reminder.kind !== 'email') throw new Error('expected e-mail');
		const ctx = buildTemplateContext(json, { ...reminder.values, senderName: 'S' }, { language: 'de', locale: 'de-DE', currency: 'EUR' });
		expect(ctx.invoices.map((l) => l.paymentLink)).toEqual(['https://pay.example/r1', '']);
		const one = invoiceItem(1, { paymentLink: 'https://pay.example/one' });
		const single = readReminderItem(one);
		if (single.kind !== 'email') throw new Error('expected e-mail');
		expect(buildTemplateContext(one, { ...single.values, senderName: 'S' }, { language: 'de', locale: 'de-DE', currency: 'EUR' }).invoices[0].paymentLink).toBe('https://pay.example/one');
	});

	test('a group of one (Group by Customer writes one for every customer) reads its invoice’s link and checks it', () => {
		const context = (json: Record<string, unknown>) => {
			const reminder = readReminderItem(json);
			if (reminder.kind !== 'email') throw new Error('expected e-mail');
			return buildTemplateContext(json, { ...reminder.values, senderName: 'S' }, { language: 'de', locale: 'de-DE', currency: 'EUR' });
		};
		expect(context(withLinks('de', ['https://pay.example/r1'])).invoices[0].paymentLink).toBe('https://pay.example/r1');
		expect(() => context(withLinks('de', ['javascript:alert(1)']))).toThrow(/of invoice 1 in "invoices" must be a web address/);
	});
});
