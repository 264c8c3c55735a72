import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CreateReminderLetter } from '../../nodes/CreateReminderLetter/CreateReminderLetter.node';
import { giroCodePng } from '../../lib/payment/girocode-image';
import { node, runWorkflow } from '../harness/engine';
import { COMPANY, groupItem, invoiceItem } from '../letters/fixtures';
import { pdfPages } from '../letters/pdf-tools';
import { withChunk } from '../letters/png-chunks';

const asJson = (value: Record<string, unknown>) => value as IDataObject;

/**
 * Create Reminder Letter through the real n8n engine: after Compute Dunning Level's Paper output
 * (single and grouped), on its own with company details from JSON, the print batch, and bad input
 * with and without Continue On Fail. PDFs are checked by their header and size here; their
 * content is read back in test/letters/pdf-readback.test.ts.
 */
const company = { companySource: 'json', companyJson: JSON.stringify(COMPANY) };
const pdfOf = (item: INodeExecutionData, property = 'letter') => Buffer.from(item.binary![property].data, 'base64');
const address = { customerName: 'Jörg Weiß', street: 'Gartenweg 3', postalCode: '80331', city: 'München' };

const paperBranch: IConnections = {
	Compute: { main: [[], [{ node: 'Letter', type: 'main' as never, index: 0 }], []] },
};

function computeNode(options: Record<string, unknown> = {}) {
	return node('computeDunningLevel', 'Compute', {
		policySource: 'fields',
		rules: { minOpenAmount: 1 },
		options: { asOfDate: '2026-11-23T00:00:00', ...options },
	});
}

describe('Create Reminder Letter node (real n8n engine)', () => {
	it('is not offered to AI agents as a tool: a tool answers with JSON, and the letter is a PDF', () => {
		expect(new CreateReminderLetter().description.usableAsTool).toBeUndefined();
	});

	it('drops in after Compute Dunning Level’s Paper output: one PDF per reminder, item kept, paired', async () => {
		const invoices = [
			{ invoiceId: 'I1', invoiceNumber: 'RE-1', dueDate: '2026-11-01', email: '', openAmount: 120, amount: 120, currency: 'EUR', ...address },
			{ invoiceId: 'I2', invoiceNumber: 'RE-2', dueDate: '2026-11-01', email: 'kunde@example.test', openAmount: 80, amount: 80, currency: 'EUR', ...address },
			{ invoiceId: 'I3', invoiceNumber: 'RE-3', dueDate: '2026-11-02', email: 'bad', openAmount: 50, amount: 50, currency: 'EUR', language: 'en', ...address },
		];
		const r = await runWorkflow({
			nodes: [computeNode(), node('createReminderLetter', 'Letter', { operation: 'perItem', ...company })],
			connections: paperBranch,
			input: { node: 'Compute', items: invoices.map((json) => ({ json })) },
		});
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		expect(out.map((i) => (i.json.letter as { fileName: string }).fileName)).toEqual(['Mahnung-RE-1-1.pdf', 'Reminder-RE-3-1.pdf']);
		expect(out.map((i) => i.json.invoiceId)).toEqual(['I1', 'I3']);
		expect(out[0].json.letter).toMatchObject({ status: 'created', pages: 1, level: 1, totalDue: 120, currency: 'EUR', paymentReference: 'RE-1', girocode: true, language: 'de', form: 'B' });
		expect(out[0].binary!.letter).toMatchObject({ mimeType: 'application/pdf', fileName: 'Mahnung-RE-1-1.pdf' });
		expect(pdfOf(out[0]).subarray(0, 5).toString()).toBe('%PDF-');
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('reads invoices whose fields have other names (Field Names, as in Send Reminder Email): the letter is made from them', async () => {
		// As an ERP exports them, no dunning object: every value the letter prints under its own name.
		const erp = {
			rechnung: { id: 'R-77', nummer: 'RE-2026-0077', datum: '2026-01-15', faellig: '2026-02-14', offen: 250, brutto: 300, waehrung: 'EUR' },
			kunde: { name: 'Jörg Weiß', strasse: 'Gartenweg 3', plz: '80331', ort: 'München', sprache: 'de' },
			mahnung: { stufe: 2, bezeichnung: '1. Mahnung', tage: 24, gebuehr: 5, zinsen: 0, summe: 255, frist: '2026-03-24' },
		};
		const fieldNames = {
			invoiceId: 'rechnung.id',
			invoiceNumber: 'rechnung.nummer',
			invoiceDate: 'rechnung.datum',
			dueDate: 'rechnung.faellig',
			openAmount: 'rechnung.offen',
			amount: 'rechnung.brutto',
			currency: 'rechnung.waehrung',
			language: 'kunde.sprache',
			level: 'mahnung.stufe',
			stageName: 'mahnung.bezeichnung',
			daysOverdue: 'mahnung.tage',
			fee: 'mahnung.gebuehr',
			interest: 'mahnung.zinsen',
			totalDue: 'mahnung.summe',
			deadline: 'mahnung.frist',
		};
		const addressFields = { nameField: 'kunde.name', streetField: 'kunde.strasse', postalCodeField: 'kunde.plz', cityField: 'kunde.ort' };
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, fieldNames, addressFields, options: { letterDate: '2026-03-10' } })],
			input: { node: 'Letter', items: [{ json: erp }] },
		});
		expect(r.status).toBe('success');
		const [out] = r.items('Letter');
		expect(out.json.error).toBeUndefined();
		expect(out.json.letter).toMatchObject({ status: 'created', fileName: 'Mahnung-RE-2026-0077-2.pdf', level: 2, totalDue: 255, currency: 'EUR', paymentReference: 'RE-2026-0077', language: 'de' });
		const text = pdfPages(pdfOf(out)).join('\n');
		expect(text).toContain('Jörg Weiß');
		expect(text).toContain('RE-2026-0077');
		expect(text).toContain('14.02.2026');
	});

	it('the Field Names options are Send Reminder Email’s, without the e-mail ones; a name that is no text fails naming it', async () => {
		const letter = new CreateReminderLetter().description.properties.find((p) => p.name === 'fieldNames');
		const names = (letter?.options ?? []).map((o) => o.name);
		expect(names).toEqual(expect.arrayContaining(['invoiceId', 'invoiceNumber', 'dueDate', 'openAmount', 'level', 'totalDue', 'deadline']));
		expect(names).not.toContain('email');
		expect(names).not.toContain('emailBlocked');
		// The greeting's name is Customer Address Fields' Customer Name Field: one option, not two of one label.
		expect(names).not.toContain('customerName');
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, fieldNames: { dueDate: '={{ 5 }}' } })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }] },
		});
		expect(r.nodeError('Letter')?.message).toBe('Item 0: "Field Names › Due Date Field" (fieldNames.dueDate) must be the name of a field of the items as text, e.g. dueDate, not 5');
	});

	it('a customer group from Compute’s Group by Customer becomes one collective letter', async () => {
		const invoices = [1, 2, 3].map((k) => ({ invoiceId: `I${k}`, invoiceNumber: `RE-${k}`, customerId: 'K-9', dueDate: '2026-11-01', email: '', openAmount: 10 * k, amount: 10 * k, currency: 'EUR', ...address }));
		const r = await runWorkflow({
			nodes: [computeNode({ groupByCustomer: true }), node('createReminderLetter', 'Letter', { ...company, binaryPropertyName: 'pdf' })],
			connections: paperBranch,
			input: { node: 'Compute', items: invoices.map((json) => ({ json })) },
		});
		expect(r.status).toBe('success');
		const [letter] = r.items('Letter');
		expect(letter.json.letter).toMatchObject({ status: 'created', fileName: 'Mahnung-K-9-1.pdf', invoiceIds: ['I1', 'I2', 'I3'], totalDue: 60, paymentReference: 'RE-1 RE-2 RE-3' });
		expect(letter.binary!.pdf.fileName).toBe('Mahnung-K-9-1.pdf');
	});

	it('Join Into Print Batch: one PDF with every letter, listed with its first page', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'printBatch', ...company, options: { letterDate: '2026-03-10' } })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(groupItem(40)) }, { json: asJson(invoiceItem(2, { language: 'en' })) }] },
		});
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		expect(out).toHaveLength(1);
		const batch = out[0].json.printBatch as { letters: number; pages: number; fileName: string };
		expect(batch).toMatchObject({ status: 'created', letters: 3, failed: 0, fileName: 'letters-2026-03-10.pdf' });
		const letters = out[0].json.letters as Array<{ item: number; firstPage: number; pages: number; fileName: string }>;
		expect(letters.map((l) => [l.item, l.firstPage, l.fileName])).toEqual([
			[0, 1, 'Mahnung-RE-2026-0001-2.pdf'],
			[1, 2, 'Mahnung-K-1001-2.pdf'],
			[2, 2 + letters[1].pages, 'Reminder-RE-2026-0002-2.pdf'],
		]);
		expect(batch.pages).toBe(letters.reduce((n, l) => n + l.pages, 0));
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const pdf = pdfOf(out[0]);
		// Each page is one "/Type /Page" object; the page tree is "/Type /Pages".
		expect(pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length).toBe(batch.pages);
	});

	it('own letter texts per level and language replace the shipped ones; a template naming an unknown field fails the item', async () => {
		const letterTexts = {
			text: [
				{ language: 'de', level: 2, subject: 'Letzte freundliche Erinnerung {{invoiceNumber}}', intro: 'Hallo {{customerName}},\n\nbitte denken Sie an {{invoiceNumber}}.', closing: '' },
				{ language: 'en', level: 2, subject: '', intro: 'Hi {{nickname}}', closing: '' },
			],
		};
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, letterTexts }, { onError: 'continueRegularOutput' })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2, { language: 'en' })) }] },
		});
		expect(r.status).toBe('success');
		const [own, bad] = r.items('Letter');
		expect(own.json.letter).toMatchObject({ status: 'created', language: 'de' });
		expect(bad.json.error).toMatch(/^Item 1: Template "en level 2 text \(node letter intro\)": the variable "nickname" is missing/);
		// Regular output: the input item, its letter status naming the field, and the error.
		expect(bad.json).toEqual({ ...invoiceItem(2, { language: 'en' }), letter: { status: 'failed', field: 'letterTexts' }, error: bad.json.error });
	});

	it('own letter texts are matched to languages as items are ("de-DE" serves a German item); a language that is no code stops the node naming the entry', async () => {
		// The own intro names a field the item lacks: its error shows that the own text was chosen.
		const letterTexts = (language: string) => ({ text: [{ language, level: 2, subject: '', intro: 'Hallo {{ownTextChosen}}', closing: '' }] });
		for (const language of ['de-DE', 'de_DE', 'DE']) {
			const r = await runWorkflow({
				nodes: [node('createReminderLetter', 'Letter', { ...company, letterTexts: letterTexts(language) }, { onError: 'continueRegularOutput' })],
				input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }] },
			});
			expect([language, r.items('Letter')[0].json.error]).toEqual([language, expect.stringMatching(/^Item 0: Template "de level 2 text \(node letter intro\)": the variable "ownTextChosen" is missing/)]);
		}
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, letterTexts: letterTexts('Deutsch') })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }] },
		});
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe('Letter Texts: text 1 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT');
	});

	describe('Letter Texts with an n8n expression are read for each item (dragging a field in makes one): every letter is its own customer’s', () => {
		const own = (over: Record<string, string> = {}) => ({
			text: [{ language: 'de', level: 2, subject: '={{ "Mahnung an " + $json.customerName }}', intro: '={{ "Guten Tag " + $json.customerName + "," }}\n\nbitte denken Sie an Ihre Rechnung.', closing: '', ...over }],
		});
		const letters = (letterTexts: { text: Array<Record<string, string | number>> }, items: Array<Record<string, unknown>>, parameters: Record<string, unknown> = {}) =>
			runWorkflow({ nodes: [node('createReminderLetter', 'Letter', { ...company, letterTexts, ...parameters })], input: { node: 'Letter', items: items.map((json) => ({ json: asJson(json) })) } });
		/** A letter's title, which is its subject: in the PDF's document information, unpacked (plain ASCII here), also without PDF_TOOLS. */
		const titleOf = (pdf: Buffer) => {
			const text = pdf.toString('latin1');
			const object = /\/Title (\d+) 0 R/.exec(text)?.[1];
			return object === undefined ? undefined : new RegExp(`(?:^|\\n)${object} 0 obj\\n\\(([^)]*)\\)\\nendobj`).exec(text)?.[1];
		};
		const anna = invoiceItem(1, { customerName: 'Anna Muster' });
		const bernd = invoiceItem(2, { customerName: 'Bernd Beispiel' });

		it('one letter per item: each subject and salutation names its own customer, never the first item’s', async () => {
			const r = await letters(own(), [anna, bernd]);
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out.map((i) => (i.json.letter as IDataObject).status)).toEqual(['created', 'created']);
			// Before, both letters were "Mahnung an Anna Muster": n8n resolved the texts for item 0 only.
			expect(out.map((i) => titleOf(pdfOf(i)))).toEqual(['Mahnung an Anna Muster', 'Mahnung an Bernd Beispiel']);
			if (process.env.PDF_TOOLS === '1') {
				const texts = out.map((i) => pdfPages(pdfOf(i)).join('\n').replace(/\s+/g, ' '));
				expect(texts[0]).toContain('Guten Tag Anna Muster,');
				expect(texts[0]).toContain('Mahnung an Anna Muster');
				expect(texts[0]).not.toContain('Bernd');
				expect(texts[1]).toContain('Guten Tag Bernd Beispiel,');
				expect(texts[1]).toContain('Mahnung an Bernd Beispiel');
				expect(texts[1]).not.toContain('Anna');
			}
		});

		it('in a print batch too: each letter of the batch names its own customer', async () => {
			const r = await letters(own(), [anna, bernd], { operation: 'printBatch' });
			expect(r.status).toBe('success');
			expect(r.items('Letter')[0].json.printBatch).toMatchObject({ status: 'created', letters: 2, failed: 0 });
			if (process.env.PDF_TOOLS === '1') {
				const pages = pdfPages(pdfOf(r.items('Letter')[0])).map((page) => page.replace(/\s+/g, ' '));
				const first = (r.items('Letter')[0].json.letters as IDataObject[]).map((e) => (e.firstPage as number) - 1);
				expect(pages[first[0]]).toContain('Guten Tag Anna Muster,');
				expect(pages[first[1]]).toContain('Guten Tag Bernd Beispiel,');
				expect(pages[first[1]]).not.toContain('Anna');
			}
		});

		it('an expression that cannot be read for one item fails that letter alone, naming item and Letter Texts; the others are made', async () => {
			const unreadable = own({ intro: "={{ $itemIndex === 1 ? $('No Such Node').first().json.name : 'Hallo ' + $json.customerName }}" });
			const r = await letters(unreadable, [anna, bernd, invoiceItem(3, { customerName: 'Carla Test' })]);
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out.map((i) => [i.pairedItem, i.json.letter])).toEqual([
				[{ item: 0 }, expect.objectContaining({ status: 'created' })],
				[{ item: 1 }, { status: 'failed', field: 'letterTexts' }],
				[{ item: 2 }, expect.objectContaining({ status: 'created' })],
			]);
			expect(out[1].json.error).toBe("Item 1: Letter Texts: an n8n expression in them could not be read for this item: Referenced node doesn't exist");
			expect(titleOf(pdfOf(out[2]))).toBe('Mahnung an Carla Test');
			expect(r.run.data.resultData.runData.Letter[0].hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/^1 of 3 letters could not be made/) })]);

			// In a print batch it is listed as failed with the reason; the batch holds the other two.
			const b = await letters(unreadable, [anna, bernd, invoiceItem(3)], { operation: 'printBatch' });
			expect(b.status).toBe('success');
			expect(b.items('Letter')[0].json.printBatch).toMatchObject({ status: 'created', letters: 2, failed: 1 });
			expect((b.items('Letter')[0].json.letters as IDataObject[])[1]).toEqual({
				item: 1,
				status: 'failed',
				field: 'letterTexts',
				error: "Letter Texts: an n8n expression in them could not be read for this item: Referenced node doesn't exist",
			});
		});

		it('a language by expression that is no code for one item fails that letter alone; the others get their texts', async () => {
			const r = await letters(own({ language: '={{ $json.textLanguage }}' }), [{ ...anna, textLanguage: 'de' }, { ...bernd, textLanguage: 'Deutsch' }]);
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out.map((i) => [(i.json.letter as IDataObject).status, i.json.error ?? null])).toEqual([
				['created', null],
				['failed', 'Item 1: Letter Texts: text 1 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT'],
			]);
			expect(titleOf(pdfOf(out[0]))).toBe('Mahnung an Anna Muster');
		});

		it('texts that fail for every item stop the run naming item 0 and Letter Texts, as an option wrong for every item does', async () => {
			const language = await letters(own({ language: '={{ $json.textLanguage }}' }), [{ ...anna, textLanguage: 'Deutsch' }, { ...bernd, textLanguage: 'English' }]);
			expect(language.status).toBe('error');
			expect(language.nodeError('Letter')?.message).toBe('Item 0: Letter Texts: text 1 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT');
			const unreadable = await letters(own({ closing: "={{ $('No Such Node').first().json.closing }}" }), [anna, bernd]);
			expect(unreadable.status).toBe('error');
			expect(unreadable.nodeError('Letter')?.message).toBe("Item 0: Letter Texts: an n8n expression in them could not be read for this item: Referenced node doesn't exist");
			// With Continue On Fail every letter fails, named, and none looks made.
			const continued = await runWorkflow({
				nodes: [node('createReminderLetter', 'Letter', { ...company, letterTexts: own({ closing: "={{ $('No Such Node').first().json.closing }}" }) }, { onError: 'continueRegularOutput' })],
				input: { node: 'Letter', items: [{ json: asJson(anna) }, { json: asJson(bernd) }] },
			});
			expect(continued.status).toBe('success');
			expect(continued.items('Letter').map((i) => [i.json.letter, i.json.error])).toEqual([
				[{ status: 'failed', field: 'letterTexts' }, expect.stringMatching(/^Item 0: Letter Texts: an n8n expression in them could not be read/)],
				[{ status: 'failed', field: 'letterTexts' }, expect.stringMatching(/^Item 1: Letter Texts: an n8n expression in them could not be read/)],
			]);
		});

		it('a language typed in that is no code still stops the run before any letter, also beside a language by expression', async () => {
			const letterTexts = { text: [own({ language: '={{ $json.textLanguage }}' }).text[0], { language: 'Deutsch', level: 1, subject: '', intro: 'Hallo', closing: '' }] };
			const r = await letters(letterTexts, [{ ...anna, textLanguage: 'de' }]);
			expect(r.status).toBe('error');
			expect(r.error?.message).toBe('Letter Texts: text 2 (level 1) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT');
		});

		it('the panel says how to write placeholders and that an expression is read per item', () => {
			const field = new CreateReminderLetter().description.properties.find((p) => p.name === 'letterTexts')!;
			expect(field.hint).toMatch(/^Type placeholders as {{customerName}} \(fixed mode\). An n8n expression here is read for each item, and the values it inserts become template text: not HTML-escaped/);
		});
	});

	it('prints a logo from a binary field; bytes that are no image fail the item naming the logo', async () => {
		const png = await giroCodePng('logo stand-in');
		const logo = (data: Buffer, mimeType: string) => ({ logo: { data: data.toString('base64'), mimeType, fileName: 'logo' } });
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, options: { logoBinaryProperty: 'logo' } }, { onError: 'continueRegularOutput' })],
			input: {
				node: 'Letter',
				items: [
					{ json: asJson(invoiceItem(1)), binary: logo(png, 'image/png') },
					{ json: asJson(invoiceItem(2)), binary: logo(Buffer.from('not an image'), 'image/png') },
				],
			},
		});
		const [ok, broken] = r.items('Letter');
		expect(pdfOf(ok).toString('latin1')).toMatch(/\/Subtype \/Image/);
		expect(ok.binary!.logo).toBeDefined();
		expect(broken.json).toEqual({ ...invoiceItem(2), letter: { status: 'failed', field: 'logo' }, error: expect.stringMatching(/^Item 1: The logo is not a PNG or JPEG image/) });
		// The failed item keeps its input binary (the bad logo) but gets no letter.
		expect(Object.keys(broken.binary ?? {})).toEqual(['logo']);
		// In a print batch the same file fails only its own letter.
		const b = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, operation: 'printBatch', options: { logoBinaryProperty: 'logo' } }, { onError: 'continueRegularOutput' })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)), binary: logo(png, 'image/png') }, { json: asJson(invoiceItem(2)), binary: logo(Buffer.from('GIF89a'), 'image/gif') }] },
		});
		expect(b.status).toBe('success');
		expect(b.items('Letter')[0].json.printBatch).toMatchObject({ letters: 1, failed: 1 });
	});

	it('a damaged logo fails its own letter, also in a print batch: the process neither ends nor hangs', async () => {
		const png = await giroCodePng('logo stand-in');
		// The GiroCode PNG has an alpha channel, which pdfkit decodes asynchronously when the PDF ends;
		// before the logo check, zlib's error on this file was thrown where nothing could catch it.
		const damagedPng = withChunk(png, 'IDAT', (data) => data.fill(7, 0, 16));
		const damagedJpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03]);
		const logo = (data: Buffer, mimeType: string) => ({ logo: { data: data.toString('base64'), mimeType, fileName: 'logo' } });
		const items = [
			{ json: asJson(invoiceItem(1)), binary: logo(png, 'image/png') },
			{ json: asJson(invoiceItem(2)), binary: logo(damagedPng, 'image/png') },
			{ json: asJson(invoiceItem(3)), binary: logo(damagedJpeg, 'image/jpeg') },
			{ json: asJson(invoiceItem(4)), binary: logo(png, 'image/png') },
			// A header claiming 30,000 × 30,000 pixels: decoding it would take 3.6 GB.
			{ json: asJson(invoiceItem(5)), binary: logo(withChunk(png, 'IHDR', (data) => data.writeUInt32BE(30000, 0) && data.writeUInt32BE(30000, 4)), 'image/png') },
		];
		for (const operation of ['perItem', 'printBatch']) {
			const r = await runWorkflow({
				nodes: [node('createReminderLetter', 'Letter', { ...company, operation, options: { logoBinaryProperty: 'logo' } }, { onError: 'continueRegularOutput' })],
				input: { node: 'Letter', items },
			});
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			const failures = out.filter((item) => (item.json.letter as IDataObject | undefined)?.status === 'failed');
			expect(failures.map((item) => item.json.error)).toEqual([
				expect.stringMatching(/^Item 1: The logo is a damaged PNG file: /),
				expect.stringMatching(/^Item 2: The logo is a damaged JPEG file: /),
				'Item 4: The logo is 30000 × 30000 pixels; use a smaller file (a logo needs about 1,000 pixels across, at most 16 million pixels, 20,000 on a side)',
			]);
			if (operation === 'printBatch') {
				expect(out[0].json.printBatch).toMatchObject({ status: 'created', letters: 2, failed: 3 });
				expect((out[0].json.letters as IDataObject[]).map((e) => e.status)).toEqual(['included', 'failed', 'failed', 'included', 'failed']);
				expect(pdfOf(out[0]).subarray(0, 5).toString()).toBe('%PDF-');
			} else {
				const letters = out.filter((item) => (item.json.letter as IDataObject).status === 'created');
				expect(letters.map((item) => pdfOf(item).toString('latin1'))).toEqual([expect.stringMatching(/\/Subtype \/Image/), expect.stringMatching(/\/Subtype \/Image/)]);
			}
		}
	});

	it('without Continue On Fail a bad item fails alone: the other letters are made, the bad one comes out failed naming item and field', async () => {
		const run = (parameters: Record<string, unknown>, second: Record<string, unknown>, binary?: INodeExecutionData['binary']) =>
			runWorkflow({
				nodes: [node('createReminderLetter', 'Letter', { ...company, ...parameters })],
				input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(second), ...(binary ? { binary } : {}) }, { json: asJson(invoiceItem(3)) }] },
			});
		const street = await run({}, invoiceItem(2, { street: ' ' }));
		expect(street.status).toBe('success');
		const out = street.items('Letter');
		expect(out.map((i) => [i.pairedItem, (i.json.letter as { status: string }).status])).toEqual([
			[{ item: 0 }, 'created'],
			[{ item: 1 }, 'failed'],
			[{ item: 2 }, 'created'],
		]);
		expect([pdfOf(out[0]), pdfOf(out[2])].map((pdf) => pdf.subarray(0, 5).toString())).toEqual(['%PDF-', '%PDF-']);
		// The item as it came in, its letter status naming the field, and the error naming item and field: as with Continue (regular output).
		expect(out[1].json).toEqual({
			...invoiceItem(2, { street: ' ' }),
			letter: { status: 'failed', field: 'street' },
			error: 'Item 1: The field "street" (street) is missing or empty: a letter needs the customer’s postal address',
		});
		expect(out[1].binary).toBeUndefined();
		// The editor shows that not every letter was made.
		expect(street.run.data.resultData.runData.Letter[0].hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/^1 of 3 letters could not be made/), type: 'warning' })]);

		// A logo missing on one item fails that item only.
		const logo = await run({ options: { logoBinaryProperty: 'logo' } }, invoiceItem(2), { logo: { data: 'eA==', mimeType: 'image/png', fileName: 'logo.png' } });
		expect(logo.status).toBe('success');
		expect(logo.items('Letter').map((i) => [(i.json.letter as { status: string }).status, (i.json.letter as { field?: string }).field, i.json.error])).toEqual([
			['failed', 'logo', expect.stringMatching(/^Item 0: The logo binary field "logo" is not on this item/)],
			['failed', 'logo', expect.stringMatching(/^Item 1: The logo is not a PNG or JPEG image/)],
			['failed', 'logo', expect.stringMatching(/^Item 2: The logo binary field "logo" is not on this item/)],
		]);
	});

	it('without Continue On Fail a bad item in a print batch is listed as failed; the batch holds the good letters', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'printBatch', ...company, options: { letterDate: '2026-03-10' } })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2, { street: '' })) }, { json: asJson(invoiceItem(3)) }] },
		});
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		// One item, as a print batch always is: the failed letter is in its list, not an item of its own.
		expect(out).toHaveLength(1);
		expect(out[0].json.printBatch).toMatchObject({ status: 'created', letters: 2, failed: 1, fileName: 'letters-2026-03-10.pdf' });
		expect((out[0].json.letters as IDataObject[]).map((e) => [e.item, e.status, e.field ?? null, e.error ?? null])).toEqual([
			[0, 'included', null, null],
			[1, 'failed', 'street', 'The field "street" (street) is missing or empty: a letter needs the customer’s postal address'],
			[2, 'included', null, null],
		]);
		expect(out[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const pdf = pdfOf(out[0]);
		expect(pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length).toBe((out[0].json.printBatch as { pages: number }).pages);
	});

	it('a wrong setting still stops the run without Continue On Fail, naming item and setting: company details, an option of the wrong type', async () => {
		const run = (parameters: Record<string, unknown>) =>
			runWorkflow({ nodes: [node('createReminderLetter', 'Letter', { ...company, ...parameters })], input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2)) }] } });
		const iban = await run({ companyJson: JSON.stringify({ ...COMPANY, iban: 'DE89 3704 0044 0532 0130 01' }) });
		expect(iban.status).toBe('error');
		expect(iban.nodeError('Letter')?.message).toMatch(/^Item 0: Company details: the IBAN "DE89 3704 0044 0532 0130 01" has wrong check digits/);
		// Numbers from an expression where text belongs: named, never "….trim is not a function".
		const date = await run({ options: { letterDate: '={{ 20260310 }}' } });
		expect(date.nodeError('Letter')?.message).toBe('Item 0: "Letter Date" (letterDate) must be a date as text like 2026-03-10 (for today: {{ $today.toISODate() }}), not 20260310');
		const logo = await run({ options: { logoBinaryProperty: '={{ 5 }}' } });
		expect(logo.nodeError('Letter')?.message).toBe('Item 0: "Logo (Input Binary Field)" (logoBinaryProperty) must be the name of a binary field as text, e.g. logo, not 5');
		const currency = await run({ options: { defaultCurrency: '={{ 978 }}' } });
		expect(currency.nodeError('Letter')?.message).toBe('Item 0: "Default Currency" (defaultCurrency) must be a three-letter currency code as text, e.g. EUR, not 978');
		const language = await run({ options: { fallbackLanguage: 'Deutsch' } });
		expect(language.nodeError('Letter')?.message).toBe('Item 0: "Fallback Language" (fallbackLanguage) must be a language code like de, en or de-AT, not "Deutsch"');
		const form = await run({ options: { form: '={{ "C" }}' } });
		expect(form.nodeError('Letter')?.message).toBe('Item 0: "Layout" (form) must be A or B (DIN 5008 form A or B), not "C"');
		const street = await run({ addressFields: { streetField: '={{ 7 }}' } });
		expect(street.nodeError('Letter')?.message).toBe('Item 0: "Customer Address Fields › Street Field" (streetField) must be the name of a field of the items as text, e.g. street, not 7');
		const today = await run({ options: { letterDate: '={{ $today }}' } });
		expect(today.nodeError('Letter')?.message).toMatch(/^Item 0: "Letter Date" \(letterDate\) must be a date like 2026-03-10 \(for today: \{\{ \$today\.toISODate\(\) \}\}\), not "\d{4}-\d{2}-\d{2}T00:00:00/);
		const batchName = await run({ operation: 'printBatch', options: { batchFileName: '={{ 5 }}' } });
		expect(batchName.nodeError('Letter')?.message).toBe(
			'Item 0: "Batch File Name" (batchFileName) must be a file name as text, e.g. letters-{date}.pdf, not 5 (read once per run, from the first item)',
		);
	});

	describe('an option from an expression that is wrong for some items only fails those letters alone; one wrong for every item stops the run', () => {
		const three = (parameters: Record<string, unknown>, dates: unknown[] = ['2026-03-10', 'abc', '2026-03-11']) =>
			runWorkflow({
				nodes: [node('createReminderLetter', 'Letter', { ...company, ...parameters })],
				input: { node: 'Letter', items: dates.map((d, k) => ({ json: asJson(invoiceItem(k + 1, { d })) })) },
			});
		const letterDateAbc = 'Item 1: "Letter Date" (letterDate) must be a date like 2026-03-10 (for today: {{ $today.toISODate() }}), not "abc"';

		it('Letter Date {{ $json.d }} with one item’s d = "abc": two letters made, that one failed naming item, option and value', async () => {
			const r = await three({ options: { letterDate: '={{ $json.d }}' } });
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out.map((i) => [i.pairedItem, i.json.letter])).toEqual([
				[{ item: 0 }, expect.objectContaining({ status: 'created' })],
				[{ item: 1 }, { status: 'failed', field: 'letterDate' }],
				[{ item: 2 }, expect.objectContaining({ status: 'created' })],
			]);
			expect(out[1].json.error).toBe(letterDateAbc);
			expect([pdfOf(out[0]), pdfOf(out[2])].map((pdf) => pdf.subarray(0, 5).toString())).toEqual(['%PDF-', '%PDF-']);
			expect(r.run.data.resultData.runData.Letter[0].hints).toEqual([expect.objectContaining({ message: expect.stringMatching(/^1 of 3 letters could not be made/) })]);
		});

		it('in a print batch the failed letter is listed with option and value; the batch holds the other two', async () => {
			const r = await three({ operation: 'printBatch', options: { letterDate: '={{ $json.d }}' } });
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out).toHaveLength(1);
			expect(out[0].json.printBatch).toMatchObject({ status: 'created', letters: 2, failed: 1, fileName: 'letters-2026-03-10.pdf' });
			expect((out[0].json.letters as IDataObject[]).map((e) => [e.item, e.status, e.field ?? null, e.error ?? null])).toEqual([
				[0, 'included', null, null],
				[1, 'failed', 'letterDate', letterDateAbc.replace(/^Item 1: /, '')],
				[2, 'included', null, null],
			]);
		});

		it('the other options and the address field names too: each named with the value, the good letters made', async () => {
			const cases: Array<[Record<string, unknown>, unknown[], string]> = [
				[{ options: { fallbackLanguage: '={{ $json.d }}' } }, ['de', 'Deutsch', 'en'], 'Item 1: "Fallback Language" (fallbackLanguage) must be a language code like de, en or de-AT, not "Deutsch"'],
				[{ options: { defaultCurrency: '={{ $json.d }}' } }, ['EUR', 978, 'EUR'], 'Item 1: "Default Currency" (defaultCurrency) must be a three-letter currency code as text, e.g. EUR, not 978'],
				[{ options: { form: '={{ $json.d }}' } }, ['A', 'C', 'B'], 'Item 1: "Layout" (form) must be A or B (DIN 5008 form A or B), not "C"'],
				[{ options: { logoBinaryProperty: '={{ $json.d }}' } }, ['', 5, ''], 'Item 1: "Logo (Input Binary Field)" (logoBinaryProperty) must be the name of a binary field as text, e.g. logo, not 5'],
				[{ addressFields: { streetField: '={{ $json.d }}' } }, ['street', 7, 'street'], 'Item 1: "Customer Address Fields › Street Field" (streetField) must be the name of a field of the items as text, e.g. street, not 7'],
				[{ binaryPropertyName: '={{ $json.d }}' }, ['letter', 7, 'pdf'], 'Item 1: "Put Output File in Field" (binaryPropertyName) must be the name of a binary field as text, e.g. letter, not 7'],
			];
			for (const [parameters, values, message] of cases) {
				const r = await three(parameters, values);
				expect(r.status).toBe('success');
				expect(r.items('Letter').map((i) => [(i.json.letter as { status: string }).status, i.json.error ?? null])).toEqual([
					['created', null],
					['failed', message],
					['created', null],
				]);
			}
		});

		it('an expression that cannot be evaluated for one item fails that item naming the option; the others are made', async () => {
			const r = await three({ options: { letterDate: "={{ $itemIndex === 1 ? $('No Such Node').first().json.d : $json.d }}" } }, ['2026-03-10', '', '2026-03-11']);
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out.map((i) => (i.json.letter as { status: string }).status)).toEqual(['created', 'failed', 'created']);
			expect(out[1].json.letter).toEqual({ status: 'failed', field: 'letterDate' });
			expect(out[1].json.error).toBe('Item 1: "Letter Date" (letterDate) could not be read: Referenced node doesn\'t exist');
		});

		it('company details from an expression with a wrong IBAN for one item fail that letter alone', async () => {
			const bad = { ...COMPANY, iban: 'DE89 3704 0044 0532 0130 01' };
			const r = await three({ companyJson: `={{ $itemIndex === 1 ? ${JSON.stringify(bad)} : ${JSON.stringify(COMPANY)} }}` }, [null, null, null]);
			expect(r.status).toBe('success');
			const out = r.items('Letter');
			expect(out.map((i) => (i.json.letter as { status: string }).status)).toEqual(['created', 'failed', 'created']);
			expect(out[1].json.error).toMatch(/^Item 1: Company details: the IBAN "DE89 3704 0044 0532 0130 01" has wrong check digits/);
		});

		it('a value wrong for every item stops the run naming the setting at item 0, though the values differ', async () => {
			const r = await three({ options: { letterDate: '={{ $json.d }}' } }, ['abc', 'xyz', '10.03.2026']);
			expect(r.status).toBe('error');
			expect(r.nodeError('Letter')?.message).toBe('Item 0: "Letter Date" (letterDate) must be a date like 2026-03-10 (for today: {{ $today.toISODate() }}), not "abc"');
		});

		it('a constant wrong setting is not hidden by another option wrong for item 0 alone: the run stops naming the constant one', async () => {
			const r = await three({ options: { letterDate: '={{ $json.d }}', defaultCurrency: '={{ 978 }}' } }, ['abc', '2026-03-10', '2026-03-11']);
			expect(r.status).toBe('error');
			expect(r.nodeError('Letter')?.message).toBe('Item 0: "Default Currency" (defaultCurrency) must be a three-letter currency code as text, e.g. EUR, not 978');
		});

		it('Batch File Name stays one per run: read from the first item, so an expression over the item names the file after item 0', async () => {
			const r = await three({ operation: 'printBatch', options: { letterDate: '2026-03-10', batchFileName: '={{ "letters-" + $json.invoiceId + ".pdf" }}' } }, [null, null, null]);
			expect(r.status).toBe('success');
			expect(r.items('Letter')[0].json.printBatch).toMatchObject({ status: 'created', letters: 3, fileName: 'letters-inv-1.pdf' });
		});
	});

	describe('a wrong setting with Continue On Fail: every item comes out failed naming the setting, none passed on as if its letter were made', () => {
		const fed = (parameters: Record<string, unknown>, onError: 'continueErrorOutput' | 'continueRegularOutput') =>
			runWorkflow({
				nodes: [node('noOp', 'Feed'), node('createReminderLetter', 'Letter', { ...company, ...parameters }, { onError })],
				connections: { Feed: { main: [[{ node: 'Letter', type: 'main' as never, index: 0 }]] } },
				input: { node: 'Feed', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2)) }] },
			});

		it.each([
			['perItem', { letterDate: '={{ 20260310 }}' }, /^Item (\d): "Letter Date" \(letterDate\) must be a date as text like 2026-03-10/],
			['printBatch', { letterDate: '={{ 20260310 }}' }, /^Item (\d): "Letter Date" \(letterDate\) must be a date as text like 2026-03-10/],
			['perItem', { logoBinaryProperty: '={{ 5 }}' }, /^Item (\d): "Logo \(Input Binary Field\)" \(logoBinaryProperty\) must be the name of a binary field as text, e\.g\. logo, not 5$/],
			['printBatch', { logoBinaryProperty: '={{ 5 }}' }, /^Item (\d): "Logo \(Input Binary Field\)" \(logoBinaryProperty\) must be/],
		])('%s, options %j', async (operation, options, message) => {
			const r = await fed({ operation, options }, 'continueErrorOutput');
			expect(r.status).toBe('success');
			const [ok, errors] = r.outputs('Letter');
			// Nothing looks printed: no item without a letter on the success output (a print batch says it is empty).
			expect(ok.filter((i) => !i.json.printBatch)).toEqual([]);
			if (operation === 'printBatch') expect(ok.map((i) => i.json.printBatch)).toEqual([expect.objectContaining({ status: 'empty', letters: 0, failed: 2 })]);
			expect(errors.map((i) => [i.pairedItem, String(i.json.error).match(message)?.[1]])).toEqual([
				[{ item: 0 }, '0'],
				[{ item: 1 }, '1'],
			]);
		});

		it('a Batch File Name that is no text: both items on the error output, no batch', async () => {
			const r = await fed({ operation: 'printBatch', options: { batchFileName: '={{ 5 }}' } }, 'continueErrorOutput');
			expect(r.status).toBe('success');
			const [ok, errors] = r.outputs('Letter');
			expect(ok).toEqual([]);
			const message = 'Item 0: "Batch File Name" (batchFileName) must be a file name as text, e.g. letters-{date}.pdf, not 5 (read once per run, from the first item)';
			expect(errors.map((i) => [i.pairedItem, i.json])).toEqual([
				[{ item: 0 }, { ...invoiceItem(1), error: message }],
				[{ item: 1 }, { ...invoiceItem(2), error: message }],
			]);
		});

		it('Letter Texts with a language that is no code: every item failed naming Letter Texts (regular output)', async () => {
			const letterTexts = { text: [{ language: 'Deutsch', level: 2, subject: '', intro: 'Hallo', closing: '' }] };
			const r = await fed({ letterTexts }, 'continueRegularOutput');
			expect(r.status).toBe('success');
			const message = 'Letter Texts: text 1 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT';
			expect(r.items('Letter').map((i) => i.json)).toEqual([
				{ ...invoiceItem(1), letter: { status: 'failed', field: 'letterTexts' }, error: message },
				{ ...invoiceItem(2), letter: { status: 'failed', field: 'letterTexts' }, error: message },
			]);
		});
	});

	it('interest periods that contradict the interest asked for fail their item naming item and field; the other letters are made', async () => {
		const bad = invoiceItem(2);
		(bad.dunning as IDataObject).interestPeriods = [
			{ from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 11.27, amount: 99 },
			{ from: '2026-03-10', to: '2026-02-15', days: 5000, ratePct: -42, amount: -50 },
		];
		const over = invoiceItem(3);
		(over.dunning as IDataObject).interestPeriods = [{ from: '2026-02-15', to: '2026-03-10', days: 24, ratePct: 11.27, amount: 99 }];
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, options: { letterDate: '2026-03-10' } })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(bad) }, { json: asJson(over) }] },
		});
		expect(r.status).toBe('success');
		expect(r.items('Letter').map((i) => [(i.json.letter as { status: string }).status, (i.json.letter as { field?: string }).field, i.json.error])).toEqual([
			['created', undefined, undefined],
			['failed', 'dunning.interestPeriods', 'Item 1: The field "dunning.interestPeriods[1].to" (2026-02-15) lies before its "from" (2026-03-10): a period must end on or after the day it starts'],
			[
				'failed',
				'dunning.interestPeriods',
				'Item 2: The field "dunning.interestPeriods" lists periods adding up to 99.00, but "dunning.interest" is 1.23: the periods printed under the invoice must add up to the interest it asks for',
			],
		]);
	});

	it('interest periods from Compute Dunning Level across a base-rate change are printed as computed', async () => {
		// Due Sunday 1 June 2025, so payable until Monday 2 June (§193 BGB); Interest From the day after
		// the due date, decided on 20 July: 3 June–30 June at 2.27 + 5 %, 1 July–20 July at 1.27 + 5 %
		// (the base rate changed on 1 July 2025).
		const invoice = { invoiceId: 'Z1', invoiceNumber: 'RE-Z1', dueDate: '2025-06-01', email: '', openAmount: 1000, amount: 1000, currency: 'EUR', currentLevel: 1, lastDunnedAt: '2025-07-07', ...address };
		const r = await runWorkflow({
			nodes: [
				node('computeDunningLevel', 'Compute', { policySource: 'fields', rules: { minOpenAmount: 1, interestFrom: 'dueDate', paymentArrivalDays: 0 }, options: { asOfDate: '2025-07-20' } }),
				node('createReminderLetter', 'Letter', { operation: 'perItem', ...company }),
			],
			connections: paperBranch,
			input: { node: 'Compute', items: [{ json: invoice }] },
		});
		expect(r.status).toBe('success');
		const [item] = r.items('Letter');
		const dunning = item.json.dunning as { interest: number; interestPeriods: Array<{ from: string; to: string; days: number; ratePct: number; amount: number }> };
		expect(dunning.interestPeriods.map((p) => [p.from, p.to, p.days, p.ratePct])).toEqual([
			['2025-06-03', '2025-06-30', 28, 7.27],
			['2025-07-01', '2025-07-20', 20, 6.27],
		]);
		expect(dunning.interestPeriods.reduce((cents, p) => cents + Math.round(p.amount * 100), 0)).toBe(Math.round(dunning.interest * 100));
		expect(item.json.letter).toMatchObject({ status: 'created', level: 2 });
		if (process.env.PDF_TOOLS === '1') {
			const text = pdfPages(pdfOf(item)).join('\n').replace(/\s+/g, ' ');
			expect(text).toContain('Verzugszinsen 7,27 % p. a. vom 03.06.2025 bis 30.06.2025 (28 Tage)');
			expect(text).toContain('Verzugszinsen 6,27 % p. a. vom 01.07.2025 bis 20.07.2025 (20 Tage)');
		}
	});

	it('with Continue On Fail every item comes out: letters for good ones, an error naming the field for bad ones', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { ...company, addressFields: { cityField: 'address.city' } }, { onError: 'continueRegularOutput' })],
			input: {
				node: 'Letter',
				items: [{ json: asJson(invoiceItem(1, { address: { city: 'Köln' } })) }, { json: asJson(invoiceItem(2)) }, { json: asJson(invoiceItem(3, { address: { city: 'Bonn' }, dunning: { level: 0 } })) }],
			},
		});
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		const status = (i: INodeExecutionData) => i.json.letter as { status: string; field?: string };
		expect(out.map((i) => [i.pairedItem, status(i).status, status(i).field])).toEqual([
			[{ item: 0 }, 'created', undefined],
			[{ item: 1 }, 'failed', 'address.city'],
			[{ item: 2 }, 'failed', 'dunning.level'],
		]);
		expect(out[1].json.error).toBe('Item 1: The field "address.city" (city) is missing or empty: a letter needs the customer’s postal address');
		expect(out[1].binary).toBeUndefined();
		// Regular output: the input item with its letter status and the error, nothing else.
		expect(out[1].json).toEqual({ ...invoiceItem(2), letter: { status: 'failed', field: 'address.city' }, error: out[1].json.error });
	});

	it('one letter per item with Continue (using error output): a bad item goes to the error output naming the field; the good ones keep their letters', async () => {
		// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
		const r = await runWorkflow({
			nodes: [node('noOp', 'Feed'), node('createReminderLetter', 'Letter', { operation: 'perItem', ...company }, { onError: 'continueErrorOutput' })],
			connections: { Feed: { main: [[{ node: 'Letter', type: 'main' as never, index: 0 }]] } },
			input: { node: 'Feed', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2, { street: ' ' })) }, { json: asJson(invoiceItem(3)) }] },
		});
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Letter');
		expect(ok.map((i) => [i.pairedItem, (i.json.letter as { status: string }).status])).toEqual([
			[{ item: 0 }, 'created'],
			[{ item: 2 }, 'created'],
		]);
		expect(ok.every((i) => pdfOf(i).subarray(0, 5).toString() === '%PDF-')).toBe(true);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(errors[0].json).toEqual({ ...invoiceItem(2, { street: ' ' }), error: 'Item 1: The field "street" (street) is missing or empty: a letter needs the customer’s postal address' });
		expect(errors[0].binary).toBeUndefined();
	});

	it('a reference that would be cut, empty or unreadable to a bank fails its item naming the field; the other letters are made', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { companySource: 'json', companyJson: JSON.stringify({ ...COMPANY, paymentReference: 'Kunde {customerId} {invoiceNumber}' }) }, { onError: 'continueRegularOutput' })],
			input: {
				node: 'Letter',
				items: [
					{ json: asJson(invoiceItem(1)) },
					{ json: asJson(invoiceItem(2, { invoiceNumber: `RE-${'9'.repeat(200)}` })) },
					{ json: asJson(invoiceItem(3, { customerId: '' })) },
					{ json: asJson(invoiceItem(4, { invoiceNumber: 'RE-\u202e1234' })) },
					{ json: asJson(invoiceItem(5)) },
				],
			},
		});
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		expect(out.map((i) => [(i.json.letter as { status: string }).status, (i.json.letter as { field?: string }).field, (i.json.letter as { paymentReference?: string }).paymentReference])).toEqual([
			['created', undefined, 'Kunde K-1001 RE-2026-0001'],
			['failed', 'invoiceNumber', undefined],
			['failed', 'customerId', undefined],
			['failed', 'invoiceNumber', undefined],
			['created', undefined, 'Kunde K-1001 RE-2026-0005'],
		]);
		expect(out[1].json.error).toMatch(/^Item 1: The payment reference would have 216 characters even with one invoice, more than the 140 a bank transfer carries/);
		expect(out[2].json.error).toMatch(/^Item 2: The payment reference "Kunde \{customerId\} \{invoiceNumber\}" uses \{customerId\}, which is empty/);

		// A company name the font cannot print fails every letter, naming the detail.
		const cjk = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { companySource: 'json', companyJson: JSON.stringify({ ...COMPANY, name: '山田商事株式会社' }) })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }] },
		});
		expect(cjk.nodeError('Letter')?.message).toMatch(/^Item 0: Company details: "name" has characters the letter font cannot print \(山 田 商 事 株\)/);
	});

	it('the print batch with Continue On Fail keeps the good letters and lists the failed ones', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'printBatch', ...company }, { onError: 'continueErrorOutput' })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2, { customerName: '' })) }] },
		});
		expect(r.status).toBe('success');
		const [ok, errors] = r.outputs('Letter');
		expect(ok).toHaveLength(1);
		expect(ok[0].json.printBatch).toMatchObject({ letters: 1, failed: 1 });
		// Seeded at the node itself (no previous node), so the error item is what the node returned: `error` alone.
		expect(errors.map((i) => [i.pairedItem, i.json])).toEqual([[{ item: 1 }, { error: expect.stringMatching(/^Item 1: The field "customerName"/) }]]);
		// The batch lists the failed letter with its field.
		expect(ok[0].json.letters).toEqual(expect.arrayContaining([expect.objectContaining({ item: 1, status: 'failed', field: 'customerName' })]));
	});
});

describe('Create Reminder Letter: a letter never asks for payment by a day before its date', () => {
	const withDeadline = (k: number, deadline: string) => invoiceItem(k, { dunning: { ...(invoiceItem(k).dunning as object), deadline } });
	const run = (operation: string) =>
		runWorkflow({
			// No Days in the Post: the letter arrives on its date (with the default 3, one due that day would fail too).
			nodes: [node('createReminderLetter', 'Letter', { operation, ...company, options: { letterDate: '2026-03-25', daysInPost: 0 } })],
			input: { node: 'Letter', items: [withDeadline(1, '2026-03-24'), withDeadline(2, '2026-03-25'), withDeadline(3, '2026-04-08')].map((json) => ({ json: asJson(json) })) },
		});
	const passed = 'The field "dunning.deadline" (deadline) is 2026-03-24, before the letter date 2026-03-25 (the Letter Date option): it would ask for payment by a day already past. Run Compute Dunning Level again for a fresh deadline';

	it('Letter Date after one item’s deadline: that letter fails naming dunning.deadline, the others (one due the day it arrives) are made', async () => {
		const r = await run('perItem');
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		expect(out.map((i) => [i.pairedItem, (i.json.letter as IDataObject).status, (i.json.letter as IDataObject).field])).toEqual([
			[{ item: 0 }, 'failed', 'dunning.deadline'],
			[{ item: 1 }, 'created', undefined],
			[{ item: 2 }, 'created', undefined],
		]);
		expect(out[0].json.error).toBe(`Item 0: ${passed}`);
	});

	it('in a print batch the letter is listed as failed; the batch holds the other two', async () => {
		const r = await run('printBatch');
		expect(r.status).toBe('success');
		const [batch] = r.items('Letter');
		expect(batch.json.printBatch).toMatchObject({ status: 'created', letters: 2, failed: 1, date: '2026-03-25' });
		expect((batch.json.letters as IDataObject[]).map((e) => [e.item, e.status, e.field ?? null, e.error ?? null])).toEqual([
			[0, 'failed', 'dunning.deadline', passed],
			[1, 'included', null, null],
			[2, 'included', null, null],
		]);
	});
});
