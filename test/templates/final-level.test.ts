/**
 * "Wir bitten Sie letztmalig" / "for the last time" only in the policy's last reminder: a 2. Mahnung
 * followed by a 3. Mahnung must not have promised to be the last. Decided by the real decider,
 * read, rendered and laid out as Send Reminder Email and Create Reminder Letter do.
 */
import { compilePolicy, createDecider, groupByCustomer, validateInvoice, type DunningPolicyInput, type InvoiceInput } from '../../lib/dunning';
import { buildLetterModel } from '../../lib/letters/letter-model';
import { DEFAULT_FIELD_NAMES, readReminderItem } from '../../lib/mail/reminder-item';
import { buildTemplateContext } from '../../lib/templates/context';
import { TemplateEnvironment } from '../../lib/templates/environment';
import { isFinalLevel } from '../../lib/templates/final-level';
import { localeFor, renderReminder, resolveTemplates } from '../../lib/templates/render';
import { letterOptions } from '../letters/fixtures';

const stage = (name: string, fee: number) => ({ name, daysAfterPrevious: 7, fee, chargeInterest: false });
const FOUR_STAGES: DunningPolicyInput = { stages: [stage('Zahlungserinnerung', 0), stage('1. Mahnung', 5), stage('2. Mahnung', 5), stage('3. Mahnung', 5)] };
const THREE_STAGES: DunningPolicyInput = { stages: FOUR_STAGES.stages!.slice(0, 3) };
/** Stages 1–3 by e-mail, the 4th a hand-over to a collection agency that sends the customer nothing. */
const HANDOVER: DunningPolicyInput = { stages: [...THREE_STAGES.stages!, { name: 'Inkasso', daysAfterPrevious: 14, channel: 'none' }] };
const AS_OF = '2026-03-10';

function raw(level: number, over: Record<string, unknown> = {}): Record<string, unknown> {
	const previous = level - 1;
	return {
		invoiceId: `INV-${level}`,
		invoiceNumber: `RE-2026-000${level}`,
		customerId: 'K-1',
		customerType: 'consumer',
		customerName: 'Jürgen Müller',
		street: 'Lindenallee 4',
		postalCode: '80331',
		city: 'München',
		email: 'kunde@example.test',
		language: 'de',
		invoiceDate: '2026-01-15',
		dueDate: '2026-02-01',
		currency: 'EUR',
		amount: 100,
		openAmount: 100,
		currentLevel: previous,
		lastDunnedAt: previous ? '2026-02-26' : null,
		firstDunnedAt: previous ? '2026-02-10' : null,
		...over,
	};
}

/** The items Compute Dunning Level puts out, decided by the real decider. */
function decided(raws: Array<Record<string, unknown>>, policy: DunningPolicyInput): Array<Record<string, unknown>> {
	const compiled = compilePolicy(policy);
	const decider = createDecider(compiled, AS_OF);
	return raws.map((r) => {
		const v = validateInvoice(r as InvoiceInput, compiled);
		if (!v.ok) throw new Error(JSON.stringify(v.problems));
		return { ...r, dunning: decider.decide(v.invoice) };
	});
}

/** A customer group as Compute Dunning Level's Group by Customer writes it (no nextActionDate of its own; `finalReminder` unless `older`). */
function grouped(items: Array<Record<string, unknown>>, older = false): Record<string, unknown> {
	const entries = items.map((item) => ({ customerKey: 'K-1', customerId: 'K-1', email: 'kunde@example.test', decision: item.dunning as never, item }));
	const [g] = groupByCustomer(entries);
	const { action, level, stageName, count, currency, openAmount, fee, flatFee, interest, totalDue, deadline, finalReminder, asOf } = g;
	const dunning = { action, level, stageName, count, currency, openAmount, fee, flatFee, interest, totalDue, deadline, asOf, timezone: 'Europe/Berlin', ...(older ? {} : { finalReminder }) };
	return { customerId: 'K-1', customerName: 'Jürgen Müller', street: 'Lindenallee 4', postalCode: '80331', city: 'München', email: 'kunde@example.test', language: items[0].language, invoices: g.members, dunning };
}

const env = new TemplateEnvironment();

function email(json: Record<string, unknown>) {
	const reminder = readReminderItem(json, DEFAULT_FIELD_NAMES, 'EUR', 'Europe/Berlin');
	if (reminder.kind !== 'email') throw new Error('expected an e-mail');
	const resolved = resolveTemplates(reminder.language, reminder.values.level, 'de', undefined, reminder.values.invoiceCount > 1);
	const context = buildTemplateContext(json, { ...reminder.values, senderName: 'Muster Handels GmbH' }, { language: resolved.language, locale: localeFor(resolved.language), currency: 'EUR' });
	return renderReminder(env, resolved, context);
}

const letterClosing = (json: Record<string, unknown>) => buildLetterModel(json, letterOptions({ date: AS_OF })).closing;

const LAST = { de: 'Wir bitten Sie letztmalig, den Gesamtbetrag', en: 'We ask you for the last time to transfer the total' };
const AGAIN = { de: 'Wir fordern Sie nochmals auf, den Gesamtbetrag', en: 'We ask you once again to transfer the total' };

describe('"for the last time" only in the last reminder of the policy', () => {
	test.each(['de', 'en'] as const)('%s, four stages: the 2. Mahnung (level 3) asks once again, the 3. Mahnung (level 4) for the last time; e-mail and letter alike', (language) => {
		const [third, fourth] = decided([raw(3, { language }), raw(4, { language })], FOUR_STAGES);
		expect((third.dunning as { nextActionDate: string | null }).nextActionDate).not.toBeNull();
		expect((fourth.dunning as { nextActionDate: string | null }).nextActionDate).toBeNull();
		for (const [item, said, notSaid] of [
			[third, AGAIN[language], /letztmalig|last time/],
			[fourth, LAST[language], /nochmals|once again/],
		] as const) {
			const r = email(item);
			for (const body of [r.text, r.html]) {
				expect(body).toContain(said);
				expect(body).not.toMatch(notSaid);
			}
			expect(letterClosing(item)).toContain(said);
			expect(letterClosing(item)).not.toMatch(notSaid);
		}
		expect(email(third).subject).toBe(language === 'de' ? '2. Mahnung zu Rechnung RE-2026-0003' : 'Second dunning notice for invoice RE-2026-0003');
		expect(email(fourth).subject).toBe(language === 'de' ? 'Letzte Mahnung zu Rechnung RE-2026-0004' : 'Final dunning notice for invoice RE-2026-0004');
	});

	test('three stages: the 2. Mahnung is the last and says so', () => {
		const [third] = decided([raw(3)], THREE_STAGES);
		expect(email(third).text).toContain(LAST.de);
		expect(letterClosing(third)).toContain(LAST.de);
	});

	test('Max Level 3 of four stages: level 3 is the last', () => {
		const [third] = decided([raw(3)], { ...FOUR_STAGES, maxLevel: 3 });
		expect((third.dunning as { nextActionDate: string | null }).nextActionDate).toBeNull();
		expect(email(third).text).toContain(LAST.de);
	});

	test.each(['de', 'en'] as const)('%s: a collective reminder asks as its invoices’ decisions say', (language) => {
		const members = (policy: DunningPolicyInput) => decided([raw(3, { language, invoiceId: 'A', invoiceNumber: 'RE-A' }), raw(3, { language, invoiceId: 'B', invoiceNumber: 'RE-B' })], policy);
		const notLast = grouped(members(FOUR_STAGES));
		const last = grouped(members(THREE_STAGES));
		expect(email(notLast).subject).toBe(language === 'de' ? '2. Mahnung zu 2 Rechnungen' : 'Second dunning notice for 2 invoices');
		expect(email(notLast).text).toContain(AGAIN[language]);
		expect(email(notLast).html).toContain(AGAIN[language]);
		expect(letterClosing(notLast)).toContain(AGAIN[language]);
		expect(email(last).text).toContain(LAST[language]);
		expect(letterClosing(last)).toContain(LAST[language]);
	});

	test.each(['de', 'en'] as const)('%s, a last stage that sends nothing (collection agency): the 2. Mahnung (level 3) is the last the customer reads and says so; e-mail and letter alike', (language) => {
		const [second, third] = decided([raw(2, { language }), raw(3, { language })], HANDOVER);
		// Stage 4 follows (a next-stage date), but sends the customer nothing.
		expect((third.dunning as { nextActionDate: string | null }).nextActionDate).not.toBeNull();
		for (const [item, said, notSaid] of [
			[third, LAST[language], /nochmals|once again/],
			[second, undefined, /letztmalig|last time/],
		] as const) {
			const r = email(item);
			for (const body of [r.text, r.html, letterClosing(item)]) {
				if (said) expect(body).toContain(said);
				expect(body).not.toMatch(notSaid);
			}
		}
	});

	test.each(['de', 'en'] as const)('%s, a last stage that sends nothing: a collective reminder at level 3 says so, by its own finalReminder or its invoices’', (language) => {
		const members = decided([raw(3, { language, invoiceId: 'A', invoiceNumber: 'RE-A' }), raw(3, { language, invoiceId: 'B', invoiceNumber: 'RE-B' })], HANDOVER);
		for (const group of [grouped(members), grouped(members, true)]) {
			expect(email(group).text).toContain(LAST[language]);
			expect(email(group).html).toContain(LAST[language]);
			expect(letterClosing(group)).toContain(LAST[language]);
		}
	});

	test('an item without dunning.nextActionDate keeps the wording of before: level 3 is the last, a later level is not', () => {
		const item = (level: number) => ({ ...raw(level), dunning: { level, fee: 5, interest: 0, deadline: '2026-03-24' } });
		expect(email(item(3)).text).toContain(LAST.de);
		expect(email(item(4)).text).toContain(AGAIN.de);
		expect(email(item(5)).text).toContain(AGAIN.de);
	});
});

describe('the last reminder says so in its subject, e-mail and letter alike', () => {
	const stages = (count: number): DunningPolicyInput => ({ stages: FOUR_STAGES.stages!.slice(0, count) });
	const letterSubject = (json: Record<string, unknown>) => buildLetterModel(json, letterOptions({ date: AS_OF })).subject;
	const LAST_SUBJECT = {
		de: (level: number, what: string) => `${level === 1 ? 'Letzte Zahlungserinnerung' : 'Letzte Mahnung'} zu ${what}`,
		en: (level: number, what: string) => `${level === 1 ? 'Final payment reminder' : 'Final dunning notice'} for ${what}`,
	};
	const ONE = { de: (level: number) => `Rechnung RE-2026-000${level}`, en: (level: number) => `invoice RE-2026-000${level}` };
	const TWO = { de: '2 Rechnungen', en: '2 invoices' };
	// Whether it hands over to a collection agency or a court is the merchant's to say: the shipped texts announce neither.
	const announcement = /Inkasso|gericht|Mahnbescheid|Anwalt|collection agency|court|lawyer|legal action/i;

	test.each((['de', 'en'] as const).flatMap((language) => [1, 2, 3, 4].map((level) => [language, level] as const)))('%s: a policy of %d stages: its last level is titled as the last', (language, level) => {
		const [item] = decided([raw(level, { language })], stages(level));
		expect((item.dunning as { finalReminder: boolean }).finalReminder).toBe(true);
		const subject = LAST_SUBJECT[language](level, ONE[language](level));
		const r = email(item);
		expect(r.subject).toBe(subject);
		expect(letterSubject(item)).toBe(subject);
		for (const text of [r.subject, r.text, r.html, letterSubject(item)]) expect(text).not.toMatch(announcement);
	});

	test.each(['de', 'en'] as const)('%s: the levels before the last keep their titles', (language) => {
		const items = decided([1, 2, 3].map((level) => raw(level, { language })), FOUR_STAGES);
		const titles = items.map((item) => [email(item).subject, letterSubject(item)]);
		const expected = language === 'de' ? ['Zahlungserinnerung zu Rechnung RE-2026-0001', '1. Mahnung zu Rechnung RE-2026-0002', '2. Mahnung zu Rechnung RE-2026-0003'] : ['Payment reminder for invoice RE-2026-0001', 'First dunning notice for invoice RE-2026-0002', 'Second dunning notice for invoice RE-2026-0003'];
		expect(titles).toEqual(expected.map((title) => [title, title]));
	});

	test.each(['de', 'en'] as const)('%s: a stage that sends nothing after level 2 (collection agency) makes the 1. Mahnung the last, titled so', (language) => {
		const [item] = decided([raw(2, { language })], { stages: [...stages(2).stages!, { name: 'Inkasso', daysAfterPrevious: 14, channel: 'none' }] });
		expect(email(item).subject).toBe(LAST_SUBJECT[language](2, ONE[language](2)));
		expect(letterSubject(item)).toBe(LAST_SUBJECT[language](2, ONE[language](2)));
		expect(email(item).subject).not.toMatch(announcement);
	});

	test.each((['de', 'en'] as const).flatMap((language) => [1, 3].map((level) => [language, level] as const)))('%s: a collective reminder at level %d that is the last says so; one that is not keeps its title', (language, level) => {
		const members = (policy: DunningPolicyInput) => decided([raw(level, { language, invoiceId: 'A', invoiceNumber: 'RE-A' }), raw(level, { language, invoiceId: 'B', invoiceNumber: 'RE-B' })], policy);
		for (const group of [grouped(members(stages(level))), grouped(members(stages(level)), true)]) {
			expect(email(group).subject).toBe(LAST_SUBJECT[language](level, TWO[language]));
			expect(letterSubject(group)).toBe(LAST_SUBJECT[language](level, TWO[language]));
		}
		const notLast = grouped(members(FOUR_STAGES));
		const title = { de: level === 1 ? 'Zahlungserinnerung zu 2 Rechnungen' : '2. Mahnung zu 2 Rechnungen', en: level === 1 ? 'Payment reminder for 2 invoices' : 'Second dunning notice for 2 invoices' }[language];
		expect(email(notLast).subject).toBe(title);
		expect(letterSubject(notLast)).toBe(title);
	});
});

describe('isFinalLevel', () => {
	const at = (nextActionDate: unknown) => ({ dunning: { level: 3, nextActionDate } });
	test('no next stage (null, or blank as a table stores it): final; a next day: not; no such field: level 3 only', () => {
		expect(isFinalLevel(at(null), 3)).toBe(true);
		expect(isFinalLevel(at(' '), 2)).toBe(true);
		expect(isFinalLevel(at('2026-03-17'), 3)).toBe(false);
		expect(isFinalLevel(at('2026-03-17'), 7)).toBe(false);
		expect(isFinalLevel({ dunning: { level: 3 } }, 3)).toBe(true);
		expect(isFinalLevel({ dunning: { level: 4 } }, 4)).toBe(false);
		expect(isFinalLevel({}, 2)).toBe(false);
	});

	test('a group: final when its invoices’ decisions have no next stage; its own field first', () => {
		const group = (...dates: unknown[]) => ({ invoices: dates.map((d) => (d === undefined ? {} : at(d))), dunning: { level: 3 } });
		expect(isFinalLevel(group(null, null), 3)).toBe(true);
		expect(isFinalLevel(group('2026-03-17', '2026-03-17'), 3)).toBe(false);
		expect(isFinalLevel(group(null, '2026-03-17'), 3)).toBe(false);
		expect(isFinalLevel(group(undefined, undefined), 4)).toBe(false);
		expect(isFinalLevel({ ...group('2026-03-17'), dunning: { level: 3, nextActionDate: null } }, 3)).toBe(true);
	});

	test('dunning.finalReminder first (a boolean, or yes/no text as a table stores it); blank or unreadable: the next-stage date decides', () => {
		const with3 = (finalReminder: unknown, nextActionDate: unknown = '2026-03-17') => ({ dunning: { level: 3, nextActionDate, finalReminder } });
		expect(isFinalLevel(with3(true), 3)).toBe(true);
		expect(isFinalLevel(with3('true'), 3)).toBe(true);
		expect(isFinalLevel(with3('WAHR'), 3)).toBe(true);
		expect(isFinalLevel(with3(false, null), 3)).toBe(false);
		expect(isFinalLevel(with3('false', null), 3)).toBe(false);
		expect(isFinalLevel(with3('', null), 3)).toBe(true);
		expect(isFinalLevel(with3(null, '2026-03-17'), 3)).toBe(false);
		expect(isFinalLevel(with3('perhaps', null), 4)).toBe(true);
		// Without a next-stage date either: level 3 as before.
		expect(isFinalLevel({ dunning: { level: 4, finalReminder: true } }, 4)).toBe(true);
		expect(isFinalLevel({ dunning: { level: 3, finalReminder: 'nein' } }, 3)).toBe(false);
	});

	test('a group: its own finalReminder, else its invoices’ (all of them), before any next-stage date', () => {
		const invoice = (finalReminder: unknown) => ({ dunning: { level: 3, nextActionDate: '2026-03-17', finalReminder } });
		expect(isFinalLevel({ invoices: [invoice(false)], dunning: { level: 3, finalReminder: true } }, 3)).toBe(true);
		expect(isFinalLevel({ invoices: [invoice(true), invoice('true')], dunning: { level: 3 } }, 3)).toBe(true);
		expect(isFinalLevel({ invoices: [invoice(true), invoice(false)], dunning: { level: 3 } }, 3)).toBe(false);
		// Its own next-stage date yields to its invoices' finalReminder.
		expect(isFinalLevel({ invoices: [invoice(true)], dunning: { level: 3, nextActionDate: '2026-03-17' } }, 3)).toBe(true);
		expect(isFinalLevel({ invoices: [invoice(false)], dunning: { level: 3, nextActionDate: null } }, 3)).toBe(false);
	});

	test('an item field of the same name does not decide it: the context’s finalLevel is the decision’s', () => {
		const context = buildTemplateContext({ finalLevel: true, dunning: { nextActionDate: '2026-03-17' } }, { level: 3, invoices: [] } as never, { language: 'de', locale: 'de-DE', currency: 'EUR' });
		expect(context.finalLevel).toBe(false);
	});
});
