/**
 * The "Field Names" collections (Compute Dunning Level, Send Reminder Email, Create Reminder
 * Letter's Customer Address Fields): where each value the node reads is in the operator's items.
 * Built here so that all of them read alike in the panel: "<What> Field" labels in alphabetical
 * order (n8n's guideline for optional fields), the default name in each description, the same
 * "Add Field Name" button.
 */
import type { INodeProperties } from 'n8n-workflow';

/** One field the node reads: the option's parameter name, what it holds (label without "Field"), a sentence on it, its default name. */
export interface FieldNameEntry {
	name: string;
	label: string;
	description: string;
	default: string;
}

/** The option's label, as the panel shows it and as error messages name it: "Street Field". */
export function fieldNameLabel(label: string): string {
	return `${label} Field`;
}

/** The collection's options, sorted by label (n8n sorts collection options alphabetically). */
export function fieldNameOptions(entries: readonly FieldNameEntry[]): INodeProperties[] {
	return entries
		.map((entry) => ({
			displayName: fieldNameLabel(entry.label),
			name: entry.name,
			type: 'string' as const,
			default: entry.default,
			// One period between the two sentences, also after a description that ends with one.
			description: `${entry.description.replace(/\.$/, '')}. Default: ${entry.default}.`,
		}))
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** A Field Names collection of `entries`: label, name, description and where it shows are the caller's. */
export function fieldNamesCollection(
	collection: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'displayOptions'>,
	entries: readonly FieldNameEntry[],
): INodeProperties {
	return { ...collection, type: 'collection', placeholder: 'Add Field Name', default: {}, options: fieldNameOptions(entries) };
}
