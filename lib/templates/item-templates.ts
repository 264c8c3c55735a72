/**
 * Texts an item carries in a field of its own (Templates: From a Field of the Item). A key in
 * another case ("Subject", "HTML"), another name ("body") or a value that is no text used to be
 * passed over, and the shipped text went out instead without a word: each is refused here,
 * naming the field and the key, so that the item fails and nothing unintended is sent.
 */
import { isObject } from '../json/is-object';
import type { CustomTemplates } from './render';

const KEYS = ['subject', 'html', 'text'] as const;
type Key = (typeof KEYS)[number];

const isKey = (key: string): key is Key => (KEYS as readonly string[]).includes(key);

/** A key as a message names it: long ones cut short. */
const shortened = (key: string): string => (key.length > 40 ? `${key.slice(0, 40)}…` : key);

/** What a value is, for a message: "a number", "a list", "an object". */
function kindOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (isObject(value)) return 'an object';
	return `a ${typeof value}`;
}

/**
 * The texts in `value`, the item's field `fieldName`. A key left out, empty or null takes the
 * shipped text (as in the node's own texts); anything else that is not text is refused, as is a
 * key other than subject, html and text, or an object with none of them.
 */
export function readItemTemplates(value: unknown, fieldName: string): CustomTemplates {
	const field = `The template field "${fieldName}"`;
	if (!isObject(value)) throw new Error(`${field} is missing or not an object with the keys subject, html and text (lower case)`);
	const keys = Object.keys(value);
	const unknown = keys.find((key) => !isKey(key));
	if (unknown !== undefined) throw new Error(`${field}: ${JSON.stringify(shortened(unknown))}: the keys are subject, html and text, in lower case`);
	if (keys.length === 0) throw new Error(`${field} is an empty object: give at least one of the keys subject, html and text (lower case)`);
	const templates: CustomTemplates = {};
	for (const key of KEYS) {
		const text: unknown = value[key];
		if (text === undefined || text === null) continue;
		if (typeof text !== 'string') throw new Error(`${field}: "${key}" must be text, not ${kindOf(text)}`);
		templates[key] = text;
	}
	return templates;
}
