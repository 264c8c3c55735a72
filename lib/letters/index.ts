export { AddressTooLongError, fitAddress } from './address-block';
export { formGeometry, type FormGeometry, type LetterForm } from './din5008';
export { layoutLetter, type DrawOp, type LetterLayout } from './layout';
export { buildLetterModel, DEFAULT_ADDRESS_FIELDS, LetterDetailsError, LetterInputError, letterToday, type AddressFieldNames, type LetterModel, type LetterOptions } from './letter-model';
export { LogoError, prepareLogo } from './logo';
export { LetterPdf, renderLetterPdf } from './pdf';
export { resolveLetterTexts, type LetterTextLookup, type LetterTexts } from './texts';
