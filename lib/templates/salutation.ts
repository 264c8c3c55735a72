import { isBlank } from '../mail/reminder-item';

/**
 * How the shipped texts greet the customer. German business letters greet a company "Sehr geehrte
 * Damen und Herren," ("Dear Sir or Madam,"), never "Guten Tag Müller GmbH,"; a person by name.
 */
export interface Salutation {
	/** The customer is a company: `customerType` "business" (as Compute Dunning Level reads it), or a legal form in its name. */
	addressAsCompany: boolean;
	/** The name to greet ("Guten Tag {{salutationName}},"): the customer name, '' for a company or without a name. */
	salutationName: string;
}

/**
 * Legal forms in a company's name (DE, AT, CH and the usual foreign ones), as the ERP writes them
 * ("MÜLLER GMBH" too). They catch companies whose customerType is blank (read as consumer): greeting
 * a person formally costs little, "Guten Tag Müller GmbH," reads wrong. The short capital forms are
 * matched in capitals only, so that no name part like "Se", "Ag" or "Og" counts. A form may be
 * followed by punctuation ("Müller GmbH.", "Bau AG, Werk Nord", "(Schulz KG)"). Among them: Sp. z
 * o.o. (Polish limited company), A.Ş. (Turkish joint-stock company; not the ASCII "A.S.", which is
 * also a person's initials). e.U. and s.r.o. are in LEGAL_FORM_SMALL, as written only.
 */
const LEGAL_FORM =
	/(?:^|[\s,(])(?:g?GmbH|GesmbH|Ges\.m\.b\.H\.|mbH|PartG(?:mbB)?|e\.\s?(?:K|Kfm|Kfr|V)\.|Ltd\.?|Limited|Inc\.?|Corp\.?|LLC|LLP|PLC|S\.A\.|SARL|Sàrl|S\.à r\.l\.|S\.r\.l\.|S\.p\.A\.|B\.V\.|N\.V\.|A\/S|ApS|Sp\.\s?z\s?o\.\s?o\.|A\.\s?Ş\.|& Co\.?)(?=$|[\s.,;)])/i;
// KEG, OEG: Austrian partnerships (Kommandit-/Offene Erwerbsgesellschaft, KG and OG since 2007, still in customer records).
const LEGAL_FORM_CAPITALS = /(?:^|[\s,(])(?:AG|KG|KGaA|OHG|oHG|OG|UG|GbR|GBR|SE|eG|KEG|OEG)(?=$|[\s.,;)])/;
/**
 * Forms whose letters are also a person's initials ("Eva E.U.", "Tom S. R. O."), so they count only as
 * written: a.s. (Czech and Slovak joint-stock company, akciová společnost) and s.r.o. / spol. s r.o.
 * (Czech and Slovak limited company) in small letters ("a. s.", "s. r. o." too), e.U. (Austrian sole
 * trader, eingetragenes Unternehmen) with its capital U ("e. U." too).
 */
const LEGAL_FORM_SMALL = /(?:^|[\s,(])(?:a\.\s?s\.|s(?:\.\s?|\s)r\.\s?o\.|e\.\s?U\.)(?=$|[\s,;)])/;
/**
 * Short forms that are also name parts ("Kim Sa", "Anna Sas", "Oy Lee") count only as the name's
 * last word after a space, written as the form is written (not "Sas", "Ab"), perhaps followed by
 * punctuation. SA: France, Switzerland, Belgium, Luxembourg, Spain, Poland (société anonyme,
 * sociedad anónima, spółka akcyjna). SAS, SASU, EURL: France. Sagl: Italian-speaking Switzerland.
 * Oy, Oyj (also "Oy Ab", "Oyj Abp"): Finland. AB: Sweden. BV, NV: the Netherlands and Belgium
 * (B.V., N.V. without dots). Srl, SpA: Italy (S.r.l., S.p.A. without dots).
 */
const LEGAL_FORM_AT_END = /[\s(](?:SA|SAS|SASU|EURL|Sagl|SAGL|Oyj?(?: Abp?)?|OYJ?(?: ABP?)?|AB|BV|NV|Srl|SRL|SpA|SPA)[.,;)]*\s*$/;

/** Business as Compute Dunning Level reads customerType: "business" or "b2b", in any case. */
function isBusiness(value: unknown): boolean {
	return typeof value === 'string' && ['business', 'b2b'].includes(value.trim().toLowerCase());
}


/**
 * The salutation for the item's customer. A group (Compute's Group by Customer) keeps customerType
 * on its invoices: any business one among them makes the customer a company, whatever their order;
 * a type given on the item itself wins.
 */
export function salutationOf(item: Record<string, unknown>, customerName: string): Salutation {
	const members: unknown[] = Array.isArray(item.invoices) ? item.invoices : [];
	const business = isBlank(item.customerType) ? members.some((m) => typeof m === 'object' && m !== null && isBusiness((m as Record<string, unknown>).customerType)) : isBusiness(item.customerType);
	const company = business || [LEGAL_FORM, LEGAL_FORM_CAPITALS, LEGAL_FORM_SMALL, LEGAL_FORM_AT_END].some((form) => form.test(customerName));
	return { addressAsCompany: company, salutationName: company ? '' : customerName };
}
