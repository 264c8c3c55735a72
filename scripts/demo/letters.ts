/**
 * The demo's reminder letters: the sample invoices decided with the default policy as of today
 * (lib/dunning, as Compute Dunning Level does), grouped by customer, written as PDFs with
 * Create Reminder Letter's core, one print batch of all, and page images (pdftoppm) of one single
 * and one collective letter next to reminders.html. The sample invoices' postal addresses are
 * used; an invoice without one gets a made-up address here.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { compilePolicy, createDecider, validateInvoice, type InvoiceInput } from '../../lib/dunning';
import { groupByCustomer } from '../../lib/dunning/group';
import { buildLetterModel, DEFAULT_ADDRESS_FIELDS, type LetterOptions } from '../../lib/letters/letter-model';
import { LetterPdf, renderLetterPdf } from '../../lib/letters/pdf';
import { DEFAULT_FIELD_NAMES } from '../../lib/mail/reminder-item';
import { readBusinessDetails } from '../../lib/payment/details';
import { TemplateEnvironment } from '../../lib/templates/environment';
import type { SampleInvoice } from '../../test/e2e/sample-data';

export const DEMO_COMPANY = {
	name: 'Beispiel Shop GmbH',
	street: 'Musterstraße 12',
	postalCode: '10115',
	city: 'Berlin',
	seat: 'Berlin',
	registerCourt: 'Amtsgericht Berlin-Charlottenburg',
	registerNumber: 'HRB 987654 B',
	managingDirectors: 'Erika Mustermann',
	vatId: 'DE123456789',
	phone: '+49 30 123456-0',
	email: 'buchhaltung@shop.example',
	website: 'www.shop.example',
	iban: 'DE89 3704 0044 0532 0130 00',
	bic: 'COBADEFFXXX',
	bankName: 'Commerzbank Berlin',
};

const STREETS = ['Lindenallee 4', 'Am Markt 17', 'Schillerstraße 2a', 'Hafenweg 9', 'Bergstraße 33'];
const CITIES: Array<[string, string]> = [['80331', 'München'], ['20095', 'Hamburg'], ['50667', 'Köln'], ['04109', 'Leipzig'], ['01067', 'Dresden']];

export interface DemoLetters {
	batch: string;
	letters: number;
	pages: string[];
}

/** Writes the letters and page images into `outDir`; page images need pdftoppm (poppler-utils). */
export async function writeDemoLetters(invoices: SampleInvoice[], outDir: string, today: string): Promise<DemoLetters> {
	const compiled = compilePolicy({});
	const decider = createDecider(compiled, today);
	const entries = invoices.flatMap((raw, k) => {
		const v = validateInvoice(raw as unknown as InvoiceInput, compiled);
		if (!v.ok) return [];
		const decision = decider.decide(v.invoice);
		if (decision.action === 'none') return [];
		// The sample's own address; made-up ones only for an invoice that has none.
		const [postalCode, city] = CITIES[k % CITIES.length];
		const item = raw.street ? { ...raw, dunning: decision } : { ...raw, street: STREETS[k % STREETS.length], postalCode, city, dunning: decision };
		return [{ customerKey: raw.customerId, customerId: raw.customerId, email: v.invoice.email, decision, item }];
	});
	const items = groupByCustomer(entries).map((g) =>
		g.members.length === 1 ? g.members[0] : { customerId: g.customerId, language: g.members[0].language, invoices: g.members, dunning: { level: g.level, deadline: g.deadline, asOf: g.asOf } },
	) as Array<Record<string, unknown>>;
	const options: LetterOptions = {
		fields: DEFAULT_FIELD_NAMES,
		address: DEFAULT_ADDRESS_FIELDS,
		details: readBusinessDetails(DEMO_COMPANY),
		env: new TemplateEnvironment(),
		fallbackLanguage: 'de',
		form: 'B',
		defaultCurrency: 'EUR',
		logo: null,
	};

	const batch = new LetterPdf({ title: `Mahnungen ${today}`, author: DEMO_COMPANY.name });
	for (const item of items) batch.add(buildLetterModel(item, options));
	const batchFile = join(outDir, `letters-${today}.pdf`);
	writeFileSync(batchFile, await batch.end());

	const single = items.find((i) => !Array.isArray(i.invoices));
	const collective = items.find((i) => Array.isArray(i.invoices));
	const pages: string[] = [];
	for (const [name, item] of [['letter-single', single], ['letter-collective', collective]] as const) {
		if (!item) continue;
		const { pdf } = await renderLetterPdf(buildLetterModel(item, options));
		const file = join(outDir, `${name}.pdf`);
		writeFileSync(file, pdf);
		try {
			execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', file, join(outDir, name)], { stdio: 'ignore' });
		} catch {
			continue;
		}
		// pdftoppm numbers its pages (name-1.png); one page, one plain name.
		const image = readdirSync(outDir).find((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
		if (image) {
			renameSync(join(outDir, image), join(outDir, `${name}.png`));
			pages.push(join(outDir, `${name}.png`));
		}
	}
	return { batch: batchFile, letters: items.length, pages };
}
