/**
 * A node's own texts per level and language (Send Reminder Email's Texts, Create Reminder Letter's
 * Letter Texts: a fixedCollection whose entries are under `text`), read for each item. Read once,
 * for item 0, an n8n expression in a text ({{ $json.customerName }}, which dragging a field from
 * the input panel inserts) was the first customer's in every customer's reminder.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ownTextLookup, type OwnTextEntry, type OwnTextLookup } from '../../lib/templates/own-texts';

/** The texts parameter: its name, and its name as the panel shows it (for messages). */
export interface OwnTextsSetting {
	name: string;
	displayName: string;
}

/** The entries as the parameter holds them: for item `itemIndex`, or with their expressions unresolved. */
export function ownTextEntries<T extends OwnTextEntry>(ctx: IExecuteFunctions, setting: OwnTextsSetting, itemIndex: number, rawExpressions = false): T[] {
	let value: { text?: unknown } | null;
	try {
		value = ctx.getNodeParameter(setting.name, itemIndex, {}, { rawExpressions }) as { text?: unknown } | null;
	} catch (error) {
		// An expression in a text that fails for this item (a node it names is missing): the item fails, naming the setting.
		throw new NodeOperationError(ctx.getNode(), `${setting.displayName}: an n8n expression in them could not be read for this item: ${(error as Error).message}`, { itemIndex });
	}
	return Array.isArray(value?.text) ? (value.text as T[]) : [];
}

/**
 * Before any item: a text whose language is typed in (fixed) and is no language code throws, for
 * the run to stop as for a wrong setting; it could serve no item. A language given by an n8n
 * expression is that item's, checked with the item (its entry stands in here with a good code, so
 * that the others keep their numbers in the message). Nothing of the first item is read.
 */
export function checkFixedTextLanguages(ctx: IExecuteFunctions, setting: OwnTextsSetting): void {
	const fixed = ownTextEntries(ctx, setting, 0, true).map((entry) => (typeof entry.language === 'string' && entry.language.startsWith('=') ? { ...entry, language: 'de' } : entry));
	ownTextLookup(fixed, setting.displayName);
}

/** Distinct sets of texts kept per run; more (a text per customer, by expression) starts over. */
const MAX_TEXT_SETS = 1000;

/**
 * The own texts for each item, as `adapt` makes a node's lookup of ownTextLookup's. Read per item:
 * an n8n expression in a text is resolved for that item, never the first item's for every
 * customer. Each distinct set of texts becomes a lookup once (keyed by its JSON), and the template
 * environment compiles each distinct text once, so a run of fixed texts costs what it did. The
 * returned function throws, naming the setting, when an item's texts cannot be read (an expression
 * that fails for it) or used (a language by expression that is no code): that item fails alone.
 */
export function ownTextsPerItem<T extends OwnTextEntry, L>(ctx: IExecuteFunctions, setting: OwnTextsSetting, adapt: (own: OwnTextLookup<T>) => L): (itemIndex: number) => L {
	const lookups = new Map<string, L>();
	return (itemIndex) => {
		const entries = ownTextEntries<T>(ctx, setting, itemIndex);
		const key = JSON.stringify(entries);
		let lookup = lookups.get(key);
		if (lookup === undefined) {
			lookup = adapt(ownTextLookup(entries, setting.displayName));
			if (lookups.size >= MAX_TEXT_SETS) lookups.clear();
			lookups.set(key, lookup);
		}
		return lookup;
	};
}
