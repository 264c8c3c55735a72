export { checkBic, type BicCheck } from './bic';
export { BUSINESS_DETAIL_FIELDS, DetailsError, readBusinessDetails, type BusinessDetails, type CompanyDetails, type PaymentDetails } from './details';
export { buildEpcPayload, epcAmount, EpcPayloadError, EPC_MAX_PAYLOAD_BYTES, type EpcTransfer } from './epc-qr';
export { checkIban, formatIban, ibanMod97, normalizeIban, type IbanCheck } from './iban';
export { DEFAULT_REFERENCE_PATTERN, paymentReference, checkReferencePattern } from './reference';
