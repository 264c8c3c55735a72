/**
 * A text setting as a node reads it (a file name, a field name, a language or currency code),
 * often from an expression: empty (unset, null, blank) gives `fallback`, text is trimmed, and
 * anything else (a number or a date from an expression) is the problem in words ("must be …, not
 * 5") for the caller to name the item and the setting, never a JavaScript error such as "….trim is
 * not a function". Pure: Create Reminder Letter fails an item with the problem, Send Reminder
 * Email stops the run.
 */
import { onlyText, showValue } from '../../lib/dunning/field-value';

export interface TextSettingOptions {
	/** A list with one text (`["de"]`, as a multi-select column gives it) counts as that text, as an item's language does. */
	acceptOneElementList?: boolean;
}

export type TextSettingRead = { value: string } | { problem: string };

export function readTextSetting(value: unknown, fallback: string, expected: string, options: TextSettingOptions = {}): TextSettingRead {
	const text = options.acceptOneElementList ? (onlyText(value) ?? value) : value;
	if (text === undefined || text === null) return { value: fallback };
	if (typeof text !== 'string') return { problem: `must be ${expected}, not ${showValue(text)}` };
	const trimmed = text.trim();
	return { value: trimmed === '' ? fallback : trimmed };
}
