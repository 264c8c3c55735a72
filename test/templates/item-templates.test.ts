/**
 * Texts from a field of the item (Templates: From a Field of the Item): a key in another case or
 * under another name, or a value that is no text, is refused naming the field and the key, never
 * passed over for the shipped text.
 */
import { readItemTemplates } from '../../lib/templates/item-templates';
import { resolveTemplates } from '../../lib/templates/render';

/** The message readItemTemplates refuses `value` with, or "read". */
function refusal(value: unknown): string {
	try {
		readItemTemplates(value, 'templates');
	} catch (error) {
		return (error as Error).message;
	}
	return 'read';
}

describe('readItemTemplates', () => {
	it('reads subject, html and text; a key left out, empty or null takes the shipped text', () => {
		expect(readItemTemplates({ subject: 'S {{invoiceNumber}}', html: '<p>H</p>', text: 'T' }, 'templates')).toEqual({ subject: 'S {{invoiceNumber}}', html: '<p>H</p>', text: 'T' });
		const own = readItemTemplates({ subject: 'Meine Mahnung', html: null, text: '' }, 'templates');
		expect(own).toEqual({ subject: 'Meine Mahnung', text: '' });
		expect(resolveTemplates('de', 1, 'de', () => ({ templates: own, source: 'item field templates' })).sources).toEqual({ subject: 'item field templates', html: 'default', text: 'default' });
	});

	it.each([
		[{ Subject: 'Meine Mahnung', HTML: '<p>Mein Text</p>' }, 'The template field "templates": "Subject": the keys are subject, html and text, in lower case'],
		[{ subject: 'Meine Mahnung', body: '<p>Mein Text</p>' }, 'The template field "templates": "body": the keys are subject, html and text, in lower case'],
		[{ subject: 'S', html: ['<p>a</p>'] }, 'The template field "templates": "html" must be text, not a list'],
		[{ subject: 'S', text: 42 }, 'The template field "templates": "text" must be text, not a number'],
		[{ subject: { de: 'S' } }, 'The template field "templates": "subject" must be text, not an object'],
		[{}, 'The template field "templates" is an empty object: give at least one of the keys subject, html and text (lower case)'],
		['Betreff', 'The template field "templates" is missing or not an object with the keys subject, html and text (lower case)'],
		[[{ subject: 'S' }], 'The template field "templates" is missing or not an object with the keys subject, html and text (lower case)'],
		[undefined, 'The template field "templates" is missing or not an object with the keys subject, html and text (lower case)'],
	])('%j is refused', (value, message) => {
		expect(refusal(value)).toBe(message);
	});

	it('a long wrong key is named cut short', () => {
		expect(refusal({ ['x'.repeat(500)]: 'a' })).toBe(`The template field "templates": "${'x'.repeat(40)}…": the keys are subject, html and text, in lower case`);
	});
});
