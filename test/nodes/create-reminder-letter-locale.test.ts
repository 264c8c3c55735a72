/**
 * Create Reminder Letter's Locale option, through the real n8n engine: set, every letter of the run
 * writes amounts and dates for it (one letter per item and the print batch); empty, each letter
 * follows its reader's region as before (de-CH → Swiss amounts); a value that is no locale stops
 * the run naming the option, as Send Reminder Email's Locale does. The PDFs are read back with poppler.
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { CreateReminderLetter } from '../../nodes/CreateReminderLetter/CreateReminderLetter.node';
import { SendReminderEmail } from '../../nodes/SendReminderEmail/SendReminderEmail.node';
import { localeProperty } from '../../nodes/shared/locale-property';
import { node, runWorkflow } from '../harness/engine';
import { COMPANY, invoiceItem } from '../letters/fixtures';
import { describeWithPdfTools, pdfPages } from '../letters/pdf-tools';

const company = { companySource: 'json', companyJson: JSON.stringify(COMPANY) };

/** A Swiss customer's reminder over 1234.56 € plus a fee of 5, dated 10 January 2099 (dunning.asOf). */
function swissItem(k: number): IDataObject {
	const base = invoiceItem(k);
	return {
		...base,
		language: 'de-CH',
		openAmount: 1234.56,
		dunning: { ...(base.dunning as IDataObject), fee: 5, flatFee: 0, interest: 0, interestPeriods: [], totalDue: 1239.56, deadline: '2099-02-01', asOf: '2099-01-10' },
	} as IDataObject;
}

const run = (parameters: IDataObject, extra: Parameters<typeof node>[3] = {}) =>
	runWorkflow({
		nodes: [node('createReminderLetter', 'Letter', { ...company, ...parameters }, extra)],
		input: { node: 'Letter', items: [{ json: swissItem(1) }, { json: swissItem(2) }] },
	});

const money = (locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(1239.56);
const longDate = (locale: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2099, 0, 10));
/** Text as compared: pdftotext spaces differently (no-break spaces, layout columns). */
const squeeze = (text: string) => text.replace(/\s+/g, '');
const textOf = (item: INodeExecutionData, property = 'letter') => squeeze(pdfPages(Buffer.from(item.binary![property].data, 'base64')).join('\n'));

describe('Create Reminder Letter: the Locale option in the panel', () => {
	it('an option of Options with an empty default, between Letter Date and Logo; the node stays version 1', () => {
		const { description } = new CreateReminderLetter();
		const options = description.properties.find((p) => p.name === 'options')!.options as Array<{ name: string; default?: unknown; description?: string }>;
		const names = options.map((o) => o.name);
		expect(names.indexOf('locale')).toBe(names.indexOf('letterDate') + 1);
		expect(names.indexOf('logoBinaryProperty')).toBe(names.indexOf('locale') + 1);
		expect(options.find((o) => o.name === 'locale')).toMatchObject({ default: '', description: expect.stringMatching(/^Format amounts and dates .* A value that is no locale stops the run\.$/) });
		expect(description.version).toBe(1);
	});

	it('is the field Send Reminder Email’s Locale is (nodes/shared/locale-property), but for what its description says it formats', () => {
		const localeOf = (properties: INodeProperties[]) =>
			properties.flatMap((p) => (p.options ?? []) as INodeProperties[]).find((o) => o.displayName === 'Locale')!;
		const letter = localeOf(new CreateReminderLetter().description.properties);
		const email = localeOf(new SendReminderEmail().description.properties);
		expect(letter).toEqual(localeProperty(letter.description!));
		expect(email).toEqual(localeProperty(email.description!));
		expect(letter).toEqual({ ...email, description: letter.description });
		expect(letter.description).toContain('in the letters');
		expect(email.description).toContain('in the email and in an attached letter');
	});
});

describeWithPdfTools('Create Reminder Letter: amounts and dates in the Locale option’s format (real engine, PDF read back)', () => {
	it('Locale de-AT: a de-CH customer’s letter shows Austrian amounts and dates; without it, Swiss amounts as before', async () => {
		const austrian = await run({ operation: 'perItem', options: { locale: 'de-AT' } });
		expect(austrian.status).toBe('success');
		const letters = austrian.items('Letter');
		expect(letters.map((i) => (i.json.letter as IDataObject).status)).toEqual(['created', 'created']);
		for (const letter of letters) {
			const text = textOf(letter);
			// Before: the option did not exist, and the letter printed "EUR 1’239.56" as for Switzerland.
			expect(text).toContain(squeeze(money('de-AT')));
			expect(text).toContain(squeeze(longDate('de-AT')));
			expect(text).not.toContain(squeeze(money('de-CH')));
		}

		const swiss = await run({ operation: 'perItem' });
		expect(swiss.status).toBe('success');
		const text = textOf(swiss.items('Letter')[0]);
		expect(text).toContain(squeeze(money('de-CH')));
		expect(text).toContain(squeeze(longDate('de-CH')));
		expect(text).not.toContain(squeeze(money('de-AT')));
	});

	it('in a print batch every letter follows the Locale; its file name keeps the ISO date', async () => {
		const r = await run({ operation: 'printBatch', options: { locale: 'de-AT' } });
		expect(r.status).toBe('success');
		const [batch] = r.items('Letter');
		expect(batch.json.printBatch).toMatchObject({ status: 'created', letters: 2, fileName: 'letters-2099-01-10.pdf', date: '2099-01-10' });
		const text = textOf(batch);
		expect(text.split(squeeze(longDate('de-AT'))).length - 1).toBeGreaterThanOrEqual(2);
		expect(text).toContain(squeeze(money('de-AT')));
		expect(text).not.toContain(squeeze(money('de-CH')));
	});
});

describe('Create Reminder Letter: a Locale that is no locale stops the run naming the option', () => {
	it.each(['perItem', 'printBatch'])('%s: "deutsch" stops the run before any letter; "de_AT" is told to use a hyphen', async (operation) => {
		const bad = await run({ operation, options: { locale: 'deutsch' } });
		expect(bad.status).toBe('error');
		expect(bad.nodeError('Letter')).toMatchObject({
			message:
				'Item 0: The option "Locale" ("deutsch") is not a locale this system can format amounts and dates for; use a locale tag like de-DE, de-AT or en-GB (read once per run, from the first item)',
			description: 'Field: locale',
		});
		const underscore = await run({ operation, options: { locale: 'de_AT' } });
		expect(underscore.nodeError('Letter')?.message).toBe('Item 0: The option "Locale" ("de_AT") is not a locale tag like de-DE, de-AT or en-GB: write it with a hyphen, de-AT (read once per run, from the first item)');
	});

	it('with Continue (using error output) every item comes out failed naming the option; no letter is passed on', async () => {
		const r = await runWorkflow({
			nodes: [
				node('noOp', 'Feed'),
				node('createReminderLetter', 'Letter', { ...company, operation: 'perItem', options: { locale: 'deutsch' } }, { onError: 'continueErrorOutput' }),
			],
			connections: { Feed: { main: [[{ node: 'Letter', type: 'main' as never, index: 0 }]] } },
			input: { node: 'Feed', items: [{ json: swissItem(1) }, { json: swissItem(2) }] },
		});
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Letter');
		expect(ok).toEqual([]);
		expect(errors.map((i) => [i.pairedItem, i.binary?.letter, String(i.json.error)])).toEqual([
			[{ item: 0 }, undefined, expect.stringMatching(/^Item 0: The option "Locale" \("deutsch"\) is not a locale/)],
			[{ item: 1 }, undefined, expect.stringMatching(/^Item 0: The option "Locale" \("deutsch"\) is not a locale/)],
		]);
	});

	it('a locale whose dates or digits the letter font cannot print stops the run naming the option, not each item\'s language', async () => {
		const r = await run({ operation: 'perItem', options: { locale: 'ar-EG' } });
		expect(r.status).toBe('error');
		expect(r.nodeError('Letter')?.message).toMatch(/^Item 0: The option "Locale" \("ar-EG"\) writes dates and amounts as ".*", which has right-to-left text .*; choose a locale written in Latin, Greek or Cyrillic letters, e\.g\. de-DE \(read once per run, from the first item\)$/);
	});

	it('an expression that cannot be read stops the run naming the option', async () => {
		const r = await run({ operation: 'perItem', options: { locale: "={{ $('No Such Node').first().json.locale }}" } });
		expect(r.status).toBe('error');
		expect(r.nodeError('Letter')?.message).toBe('Item 0: "Locale" (locale) could not be read: Referenced node doesn\'t exist (read once per run, from the first item)');
	});
});
