/**
 * The Locale option of Send Reminder Email and Create Reminder Letter: one field, so that both
 * panels read the same tag the same way (checked by localeOption in lib/templates/locale.ts).
 * Named localeProperty, not localeOption, so it is not taken for that check.
 */
import type { INodeProperties } from 'n8n-workflow';

/** The Locale field; `description` says what the node formats with it. */
export function localeProperty(description: string): INodeProperties {
	return {
		displayName: 'Locale',
		name: 'locale',
		type: 'string',
		default: '',
		placeholder: 'e.g. de-AT',
		description,
	};
}
