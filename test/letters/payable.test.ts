/**
 * A letter matters when it can be paid from. With company details but no IBAN and no payment link,
 * the shipped closing still said "Bitte überweisen Sie den Gesamtbetrag von 147,23 € …" and named no
 * account, reference or GiroCode. Now such a letter fails as company details no letter can be made
 * with (LetterDetailsError naming "iban"); with an own closing it is made, with a warning.
 */
import { buildLetterModel, LetterDetailsError, type LetterModel } from '../../lib/letters/letter-model';
import { COMPANY, groupItem, invoiceItem, letterOptions } from './fixtures';

const NO_BANK = { ...COMPANY, iban: '', bic: '', bankName: '', accountHolder: '' };
const OWN_CLOSING = { customTexts: () => ({ closing: 'Bitte zahlen Sie in bar in unserem Laden.' }) };

/** The LetterDetailsError's field and message, or the summary of the letter made. */
function outcome(build: () => LetterModel): string {
	try {
		return `made: ${JSON.stringify(build().summary.warnings ?? [])}`;
	} catch (error) {
		return error instanceof LetterDetailsError ? `${error.field}: ${error.message}` : `not a LetterDetailsError: ${String(error)}`;
	}
}

type Group = Record<string, unknown> & { invoices: Array<Record<string, unknown>> };
function groupWithLinks(links: string[], charged = true): Group {
	const group = groupItem(links.length) as Group;
	links.forEach((link, k) => (group.invoices[k].paymentLink = link || undefined));
	if (!charged) {
		for (const member of group.invoices) Object.assign(member.dunning as object, { fee: 0, flatFee: 0, interest: 0, interestPeriods: [], totalDue: member.openAmount });
		const open = group.invoices.reduce((s, m) => s + Math.round((m.openAmount as number) * 100), 0) / 100;
		Object.assign(group.dunning as object, { level: 1, fee: 0, flatFee: 0, interest: 0, totalDue: open });
		for (const member of group.invoices) (member.dunning as Record<string, unknown>).level = 1;
	}
	return group;
}

describe('a letter names a way to pay', () => {
	it.each(['de', 'en'])('with the shipped %s closing, no IBAN and no payment link fails naming "iban" and "paymentLink"', (language) => {
		expect(outcome(() => buildLetterModel(invoiceItem(1, { language }), letterOptions({}, NO_BANK)))).toBe(
			'iban: Company details: "iban" is empty and invoice RE-2026-0001 has no payment link ("paymentLink"): the reminder asks for a transfer but names no account to pay to. ' +
				'Enter the IBAN in the company details (field "iban"), or give the invoice a payment link ("paymentLink")',
		);
	});

	it('names the payment link field as the operator set it (Customer Address Fields › Payment Link)', () => {
		const options = letterOptions({}, NO_BANK);
		expect(outcome(() => buildLetterModel(invoiceItem(1), { ...options, address: { ...options.address, paymentLink: 'payUrl' } }))).toMatch(/has no payment link \("payUrl"\)/);
		const linked = buildLetterModel(invoiceItem(1, { payUrl: 'https://pay.example/r1' }), { ...options, address: { ...options.address, paymentLink: 'payUrl' } });
		expect(linked.payment?.link).toBe('https://pay.example/r1');
	});

	it('a payment link is a way to pay: the letter is made with its payment block, without a warning', () => {
		const model = buildLetterModel(invoiceItem(1, { paymentLink: 'https://pay.example/r1' }), letterOptions({}, NO_BANK));
		expect(model.payment).toMatchObject({ link: 'https://pay.example/r1', epcPayload: null });
		expect(model.summary.warnings).toBeUndefined();
	});

	it('with an IBAN nothing changes', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions());
		expect(model.payment?.lines).toContainEqual(['IBAN', 'DE89 3704 0044 0532 0130 00']);
		expect(model.summary.warnings).toBeUndefined();
	});

	it('with an own closing the letter is made, and letter.warnings says it names no account', () => {
		const model = buildLetterModel(invoiceItem(1), letterOptions(OWN_CLOSING, NO_BANK));
		expect(model.closing).toBe('Bitte zahlen Sie in bar in unserem Laden.');
		expect(model.payment).toBeNull();
		expect(model.summary.warnings).toEqual([
			'The reminder names no account to pay to: "iban" is empty and invoice RE-2026-0001 has no payment link ("paymentLink"). Your own texts are used: check that they say how to pay',
		]);
		// An own subject or introduction alone keeps the shipped closing, which asks for a transfer.
		expect(outcome(() => buildLetterModel(invoiceItem(1), letterOptions({ customTexts: () => ({ intro: 'Guten Tag,' }) }, NO_BANK)))).toMatch(/^iban: Company details: /);
	});

	describe('a collective letter without an IBAN', () => {
		it('is made when every invoice has its own link (printed under its row) and nothing is charged beyond them', () => {
			const model = buildLetterModel(groupWithLinks(['https://pay.example/1', 'https://pay.example/2'], false), letterOptions({}, NO_BANK));
			expect(model.rows.map((row) => row.notes.find((n) => n.startsWith('Online bezahlen')))).toEqual(['Online bezahlen: https://pay.example/1', 'Online bezahlen: https://pay.example/2']);
			expect(model.summary.warnings).toBeUndefined();
		});

		it('fails naming the invoices without a link', () => {
			expect(outcome(() => buildLetterModel(groupWithLinks(['https://pay.example/1', '', '']), letterOptions({}, NO_BANK)))).toMatch(
				/^iban: Company details: "iban" is empty and invoices RE-2026-0002, RE-2026-0003 of this collective reminder have no payment link \("paymentLink"\)/,
			);
		});

		it('fails when fees, flat fees and interest are left to be transferred separately, to no account', () => {
			expect(outcome(() => buildLetterModel(groupWithLinks(['https://pay.example/1', 'https://pay.example/2']), letterOptions({}, NO_BANK)))).toMatch(
				/^iban: Company details: "iban" is empty and the payment links \("paymentLink"\) pay only each invoice's open amount: the reminder asks for the fees, flat fees and interest to be transferred separately/,
			);
		});
	});
});
