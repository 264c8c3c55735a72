/**
 * The postal address of a letter abroad (Deutsche Post "Internationale Adressierung", UPU Postal
 * addressing systems S42): the destination's locality format, the country's name (also from an
 * ISO alpha-3 code) in capitals on the last line, no country prefix in the postal code, the sender's
 * country in the return address and the footer; and emoji left out of names and addresses.
 */
import { buildLetterModel, LetterInputError } from '../../lib/letters/letter-model';
import { COMPANY, groupItem, invoiceItem, letterOptions } from './fixtures';

const lines = (extra: Record<string, unknown>, company: Record<string, unknown> = COMPANY) => buildLetterModel(invoiceItem(1, extra), letterOptions({}, company)).recipient;
const model = (extra: Record<string, unknown>, company: Record<string, unknown> = COMPANY) => buildLetterModel(invoiceItem(1, extra), letterOptions({}, company));
const failure = (extra: Record<string, unknown>) => {
	try {
		return `built: ${lines(extra).join(' | ')}`;
	} catch (error) {
		return `${(error as LetterInputError).field}: ${(error as Error).message}`;
	}
};

describe('the locality line follows the destination country', () => {
	it('United Kingdom and Ireland: the town, then the postcode on a line of its own', () => {
		expect(lines({ street: '10 Downing Street', postalCode: 'sw1a 2aa', city: 'London', country: 'GB' })).toEqual(['Zofia Łukasiewicz-Çelik', '10 Downing Street', 'LONDON', 'SW1A 2AA', 'VEREINIGTES KÖNIGREICH']);
		// The same country written as a name, an alpha-3 code or "UK".
		expect(lines({ postalCode: 'SW1A 2AA', city: 'London', country: 'United Kingdom' }).slice(-3)).toEqual(['LONDON', 'SW1A 2AA', 'UNITED KINGDOM']);
		expect(lines({ postalCode: 'SW1A 2AA', city: 'London', country: 'GBR' }).slice(-3)).toEqual(['LONDON', 'SW1A 2AA', 'VEREINIGTES KÖNIGREICH']);
		expect(lines({ postalCode: 'SW1A 2AA', city: 'London', country: 'Großbritannien' }).slice(-3)).toEqual(['LONDON', 'SW1A 2AA', 'GROSSBRITANNIEN']);
		expect(lines({ postalCode: 'D02 X285', city: 'Dublin 2', country: 'IE' }).slice(-3)).toEqual(['DUBLIN 2', 'D02 X285', 'IRLAND']);
		// Without an Eircode the town stands alone.
		expect(lines({ postalCode: '', city: 'Galway', country: 'Ireland' }).slice(-2)).toEqual(['GALWAY', 'IRELAND']);
	});

	it('United States, Canada, Australia: the city, then state and postcode on one line', () => {
		expect(lines({ street: '350 Fifth Avenue', postalCode: 'NY 10118', city: 'New York', country: 'US' }).slice(-3)).toEqual(['350 Fifth Avenue', 'NEW YORK NY 10118', 'VEREINIGTE STAATEN']);
		expect(lines({ postalCode: 'NY 10118', city: 'New York', country: 'USA' }).at(-2)).toBe('NEW YORK NY 10118');
		expect(lines({ postalCode: 'ON K1A 0B1', city: 'Ottawa', country: 'CAN' }).slice(-2)).toEqual(['OTTAWA ON K1A 0B1', 'KANADA']);
		expect(lines({ postalCode: 'NSW 2000', city: 'Sydney', country: 'Australia' }).slice(-2)).toEqual(['SYDNEY NSW 2000', 'AUSTRALIA']);
	});

	it('every other country, and every domestic letter, as before: postcode then town', () => {
		expect(lines({ postalCode: '75001', city: 'Paris', country: 'FR' }).slice(-2)).toEqual(['75001 Paris', 'FRANKREICH']);
		expect(lines({ postalCode: '1010', city: 'Wien', country: 'AT' }).slice(-2)).toEqual(['1010 Wien', 'ÖSTERREICH']);
		expect(lines({ country: 'DE' }).slice(-2)).toEqual(['Dvořákova 12', '10117 Berlin']);
	});
});

describe('the country line', () => {
	it('an ISO alpha-3 code prints as the country’s name, in any case; an unknown code or a name as given', () => {
		expect(lines({ postalCode: '1012 AB', city: 'Amsterdam', country: 'NLD' }).at(-1)).toBe('NIEDERLANDE');
		expect(lines({ country: 'fra' }).at(-1)).toBe('FRANKREICH');
		expect(lines({ country: 'POL' }).at(-1)).toBe('POLEN');
		expect(lines({ country: 'XYZ' }).at(-1)).toBe('XYZ');
		expect(lines({ country: 'Narnia' }).at(-1)).toBe('NARNIA');
	});

	it('an alpha-3 code of the company’s own country is domestic, either way round', () => {
		expect(lines({ country: 'DEU' }).at(-1)).toBe('10117 Berlin');
		expect(lines({ country: 'NLD' }, { ...COMPANY, country: 'NL' }).at(-1)).toBe('10117 Berlin');
		expect(lines({ country: 'Nederland' }, { ...COMPANY, country: 'NLD' }).at(-1)).toBe('NEDERLAND');
		expect(lines({ country: 'FR' }, { ...COMPANY, country: 'FRA' }).at(-1)).toBe('10117 Berlin');
	});

	it('a country prefix in the postal code goes when the country line is printed (Deutsche Post: no prefix)', () => {
		expect(lines({ postalCode: 'CH-8001', city: 'Zürich', country: 'CH' }).slice(-2)).toEqual(['8001 Zürich', 'SCHWEIZ']);
		expect(lines({ postalCode: 'A-1010', city: 'Wien', country: 'Österreich' }).slice(-2)).toEqual(['1010 Wien', 'ÖSTERREICH']);
		expect(lines({ postalCode: 'nl-1012 AB', city: 'Amsterdam', country: 'NL' }).slice(-2)).toEqual(['1012 AB Amsterdam', 'NIEDERLANDE']);
		expect(lines({ postalCode: 'D-10117', city: 'Berlin', country: 'DE' }, { ...COMPANY, country: 'AT' }).slice(-2)).toEqual(['10117 Berlin', 'DEUTSCHLAND']);
		// Latvia and Moldova write the prefix as part of the postcode.
		expect(lines({ postalCode: 'LV-1050', city: 'Rīga', country: 'LV' }).slice(-2)).toEqual(['LV-1050 Rīga', 'LETTLAND']);
		// A domestic letter prints the postal code as given.
		expect(lines({ postalCode: 'D-10117', country: 'DE' }).at(-1)).toBe('D-10117 Berlin');
	});
});

describe('the sender’s country on a letter abroad', () => {
	it('the return address ends with the sender’s country in capitals; a domestic one has none', () => {
		expect(model({ postalCode: '1010', city: 'Wien', country: 'AT' }).returnAddress).toBe('Muster Handels GmbH · Hauptstraße 1 · 10115 Berlin · DEUTSCHLAND');
		expect(model({ country: 'DE' }).returnAddress).toBe('Muster Handels GmbH · Hauptstraße 1 · 10115 Berlin');
		expect(model({}).returnAddress).toBe('Muster Handels GmbH · Hauptstraße 1 · 10115 Berlin');
		const zurich = { ...COMPANY, postalCode: '8001', city: 'Zürich', country: 'CHE' };
		expect(model({ country: 'DE' }, zurich).returnAddress).toBe('Muster Handels GmbH · Hauptstraße 1 · 8001 Zürich · SCHWEIZ');
		expect(model({ country: 'Schweiz' }, zurich).returnAddress).toBe('Muster Handels GmbH · Hauptstraße 1 · 8001 Zürich');
	});

	it('the footer names the company’s country only on a letter abroad, by its name, never as a code', () => {
		expect(model({ country: 'DE' }, { ...COMPANY, country: 'DE' }).footer[0]).toEqual(['Muster Handels GmbH', 'Hauptstraße 1', '10115 Berlin']);
		expect(model({}, { ...COMPANY, country: 'DE' }).footer[0]).toEqual(['Muster Handels GmbH', 'Hauptstraße 1', '10115 Berlin']);
		expect(model({ country: 'AT' }, { ...COMPANY, country: 'DE' }).footer[0]).toEqual(['Muster Handels GmbH', 'Hauptstraße 1', '10115 Berlin', 'DEUTSCHLAND']);
		// A company without a country writes from Germany.
		expect(model({ country: 'AT' }).footer[0].at(-1)).toBe('DEUTSCHLAND');
		expect(model({ country: 'AT' }, { ...COMPANY, country: 'CH' }).footer[0].at(-1)).toBe('SCHWEIZ');
	});
});

describe('emoji in names and addresses', () => {
	it('are left out of the address and the salutation, and the letter says so in letter.warnings', () => {
		const m = model({ customerName: 'Anna 🌸 Schmidt', customerType: 'consumer' });
		expect(m.recipient[0]).toBe('Anna Schmidt');
		expect(m.intro.split('\n')[0]).toBe('Guten Tag Anna Schmidt,');
		expect(m.summary.warnings).toEqual(['The field "customerName" (customer name) has emoji or pictographs (🌸) the letter leaves out: it prints "Anna Schmidt"']);
		expect(lines({ customerName: 'Familie 👨‍👩‍👧 Meier' })[0]).toBe('Familie Meier');
		expect(lines({ customerName: 'Jan de Vries 🇳🇱' })[0]).toBe('Jan de Vries');
		expect(lines({ customerName: 'Café ☀️ Sonnenschein' })[0]).toBe('Café Sonnenschein');
		expect(lines({ customerName: '👍🏽 Shop' })[0]).toBe('Shop');
		const addition = model({ addressAddition: 'z. Hd. Buchhaltung 📒', street: 'Hauptstraße 1 🏠' });
		expect(addition.recipient.slice(1, 3)).toEqual(['z. Hd. Buchhaltung', 'Hauptstraße 1']);
		expect(addition.summary.warnings?.map((w) => w.split(' (')[0])).toEqual(['The field "addressAddition"', 'The field "street"']);
	});

	it('a group reads them from its first invoice as well', () => {
		const group = groupItem(2);
		(group.invoices as Array<Record<string, unknown>>)[0].customerName = 'Anna 🌸 Schmidt';
		const m = buildLetterModel(group, letterOptions());
		expect(m.recipient[0]).toBe('Anna Schmidt');
		expect(m.summary.warnings).toHaveLength(1);
	});

	it('a letter without them has no warnings; ©, ® and ™ are part of a name and stay', () => {
		expect(model({}).summary).not.toHaveProperty('warnings');
		const brand = model({ customerName: 'Acme® Trading™ GmbH' });
		expect(brand.recipient[0]).toBe('Acme® Trading™ GmbH');
		expect(brand.summary).not.toHaveProperty('warnings');
	});

	it('a name of emoji only, Chinese or right-to-left text still fails naming the field', () => {
		expect(failure({ customerName: '🌸🌸' })).toBe('customerName: The field "customerName" (customer name) has only emoji or pictographs (🌸): a letter needs the customer’s postal address');
		expect(failure({ customerName: '王小明 🌸' })).toBe(
			'customerName: The field "customerName" (customer name) has characters the letter font cannot print (王 小 明): write the postal address in Latin letters for a letter',
		);
		expect(failure({ city: 'תל אביב 🌸' })).toMatch(/^city: The field "city" \(city\) has right-to-left text \(ת ל א ב י\)/);
		// A country of a flag only is no country: left out, the letter would go as a domestic one.
		expect(failure({ country: '🇦🇹' })).toBe('country: The field "country" (country) has only emoji or pictographs: write the country\'s name or ISO code, a letter abroad needs it');
		// An address addition of emoji only is left out, with a warning.
		expect(model({ addressAddition: '📒' }).summary.warnings).toEqual(['The field "addressAddition" (address addition) has emoji or pictographs (📒) the letter leaves out: it prints nothing there']);
	});

	it('a name of 100 kB of flags costs time in proportion to its length, and the warning names at most five', () => {
		// Reading every grapheme of the run kept a copy of the whole name per grapheme: seconds and GBs.
		const m = model({ customerName: '🇦🇹'.repeat(25_000) + ' Anna', customerType: 'consumer' });
		expect(m.recipient[0]).toBe('Anna');
		expect(m.intro.split('\n')[0]).toBe('Guten Tag Anna,');
		expect(m.summary.warnings).toEqual(['The field "customerName" (customer name) has emoji or pictographs (🇦🇹) the letter leaves out: it prints "Anna"']);
		const many = model({ customerName: 'Anna 😀😃😄 Schmidt 😁😆😅🤣' });
		expect(many.summary.warnings).toEqual(['The field "customerName" (customer name) has emoji or pictographs (😀 😃 😄 😁 😆) the letter leaves out: it prints "Anna Schmidt"']);
		// A run cut in the middle of a flag names no half flag.
		expect(model({ customerName: `Anna 😀${'🇦🇹'.repeat(40)}` }).summary.warnings?.[0]).toContain('(😀 🇦🇹)');
	});
});
