import { formatDate, formatMoney } from '../templates/helpers';
import { printProblem } from './fonts';

/**
 * Why letters cannot be written in `locale`, or null: a locale whose months or digits are in a
 * script the letter font lacks (zh-CN, bn-BD, th-TH-u-nu-thai) or right-to-left (ar-EG) would fail
 * every letter. Checked once when the operator sets it, so the run names the option, not each item.
 */
export function letterLocaleProblem(locale: string): string | null {
	const sample = `${formatDate('2026-03-10', locale, 'long')} ${formatMoney(1234.56, 'EUR', locale)}`;
	const problem = printProblem(sample);
	return problem && `writes dates and amounts as "${sample}", which ${problem}; choose a locale written in Latin, Greek or Cyrillic letters, e.g. de-DE`;
}
