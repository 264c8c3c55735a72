/**
 * Countries on a letter: which country an ERP's value stands for, its name on the country line, and
 * how the destination's post writes the locality (letters abroad only).
 */
import { ALPHA3_TO_ALPHA2 } from './country-codes';

/**
 * The ways an ERP writes the countries letters are sent from most, and those whose addresses are
 * written otherwise (LOCALITY_FORMATS): the German and English names, the German car code, "UK",
 * so that "DE" and "Deutschland" are one country. ISO codes are read before (countryKey); any other
 * name stands for itself.
 */
const COUNTRY_NAMES: ReadonlyArray<[string, RegExp]> = [
	['DE', /^(?:DE|D|DEUTSCHLAND|BUNDESREPUBLIK DEUTSCHLAND|GERMANY)$/],
	['AT', /^(?:AT|A|ÖSTERREICH|OESTERREICH|AUSTRIA)$/],
	['CH', /^(?:CH|SCHWEIZ|SUISSE|SVIZZERA|SWITZERLAND)$/],
	['GB', /^(?:GB|UK|GROSSBRITANNIEN|VEREINIGTES KÖNIGREICH|UNITED KINGDOM|GREAT BRITAIN|ENGLAND|SCOTLAND|WALES|NORTHERN IRELAND|NORDIRLAND|SCHOTTLAND)$/],
	['IE', /^(?:IE|IRLAND|IRELAND|ÉIRE|EIRE)$/],
	['US', /^(?:US|VEREINIGTE STAATEN|VEREINIGTE STAATEN VON AMERIKA|UNITED STATES|UNITED STATES OF AMERICA)$/],
	['CA', /^(?:CA|KANADA|CANADA)$/],
	['AU', /^(?:AU|AUSTRALIEN|AUSTRALIA)$/],
];

/** The country an ERP's value stands for: an ISO alpha-2 code where known ("NLD", "nl", "Deutschland" → "NL", "NL", "DE"), else the value in capitals. */
export function countryKey(name: string): string {
	const upper = name.trim().toUpperCase();
	const code = /^[A-Z]{3}$/.test(upper) && Object.hasOwn(ALPHA3_TO_ALPHA2, upper) ? ALPHA3_TO_ALPHA2[upper] : upper;
	return COUNTRY_NAMES.find(([, names]) => names.test(code))?.[0] ?? code;
}

/**
 * The country line of a letter abroad: its name in capitals, in German (the letter is posted in a
 * German-speaking country; Deutsche Post takes German, French or English), also where the ERP gives
 * an ISO code ("AT", "AUT" → "ÖSTERREICH"). A name, or a code no country has, prints as given.
 */
export function countryLine(country: string): string {
	const upper = country.trim().toUpperCase();
	if (!/^[A-Z]{1,3}$/.test(upper)) return upper;
	const code = countryKey(upper);
	if (!/^[A-Z]{2}$/.test(code)) return upper;
	const name = new Intl.DisplayNames('de', { type: 'region', fallback: 'code' }).of(code);
	return (name ?? upper).toUpperCase();
}

/**
 * Where the destination's post writes the locality otherwise than "postcode town" (UPU, Postal
 * addressing systems, S42; Deutsche Post, "Internationale Adressierung" and its notes by country),
 * keyed by countryKey, for letters abroad:
 * - GB (Royal Mail): the post town, then the postcode on a line of its own: "LONDON" / "SW1A 2AA".
 * - IE (An Post): the town or county, then the Eircode on a line of its own: "DUBLIN 2" / "D02 X285".
 * - US, CA, AU (USPS, Canada Post, Australia Post): city, state or province and postcode on one
 *   line: "NEW YORK NY 10118". The address fields have no state: it is written in the postal code
 *   field ("NY 10118") or after the city ("New York NY"), and printed after the city as given.
 * These posts, as Deutsche Post for every letter abroad, ask for the locality in capitals. Every
 * other country keeps "postcode town", as it is printed today.
 */
const LOCALITY_FORMATS: Readonly<Record<string, 'townThenPostcodeLine' | 'townAndPostcode'>> = {
	GB: 'townThenPostcodeLine',
	IE: 'townThenPostcodeLine',
	US: 'townAndPostcode',
	CA: 'townAndPostcode',
	AU: 'townAndPostcode',
};

/** The locality of an address in `key`'s country (see LOCALITY_FORMATS): one line, or two. */
export function localityLines(postalCode: string, city: string, key: string | null): string[] {
	const format = key === null ? undefined : LOCALITY_FORMATS[key];
	const join = (parts: string[]) => parts.filter((p) => p !== '').join(' ');
	if (format === 'townThenPostcodeLine') return [city, postalCode].filter((p) => p !== '').map((p) => p.toUpperCase());
	if (format === 'townAndPostcode') return [join([city, postalCode]).toUpperCase()];
	return [join([postalCode, city])];
}

/** Latvia and Moldova write their country code as part of the postcode (LV-1050, MD-2001). */
const PREFIXED_POSTCODES = new Set(['LV', 'MD']);

/**
 * A postal code abroad without the country prefix an ERP may keep from before 1999 ("CH-8001" →
 * "8001"): Deutsche Post asks for none, the country line says the country.
 */
export function postalCodeAbroad(postalCode: string, key: string): string {
	const prefix = /^([A-Za-z]{1,3})-(?=\S)/.exec(postalCode);
	if (!prefix || (PREFIXED_POSTCODES.has(key) && prefix[1].toUpperCase() === key)) return postalCode;
	return postalCode.slice(prefix[0].length);
}
