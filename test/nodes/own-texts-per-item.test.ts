import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkFixedTextLanguages, ownTextEntries, ownTextsPerItem } from '../../nodes/shared/own-texts-per-item';

/**
 * The one reader of a node's own texts per item (Send Reminder Email's Texts, Create Reminder
 * Letter's Letter Texts), against a stand-in for n8n's getNodeParameter: `resolved(i)` is what n8n
 * gives for item i (or throws, as an expression that fails does), `raw` what it gives with
 * rawExpressions. The nodes' tests run it through the real engine.
 */
interface Entry {
	language?: unknown;
	level?: unknown;
	subject?: string;
}

const setting = { name: 'letterTexts', displayName: 'Letter Texts' };

function context(resolved: (i: number) => unknown, raw: unknown = resolved(0)) {
	const calls: Array<{ name: string; itemIndex: number; rawExpressions: boolean }> = [];
	const ctx = {
		getNode: () => ({ name: 'Letter' }) as INode,
		getNodeParameter: (name: string, itemIndex: number, _fallback: unknown, options: { rawExpressions?: boolean } = {}) => {
			calls.push({ name, itemIndex, rawExpressions: options.rawExpressions === true });
			return options.rawExpressions ? raw : resolved(itemIndex);
		},
	} as unknown as IExecuteFunctions;
	return { ctx, calls };
}

const customers = ['Anna', 'Bernd', 'Anna'];

describe('ownTextsPerItem', () => {
	it('reads the texts for each item: an expression is that item’s, never the first item’s', () => {
		const { ctx, calls } = context((i) => ({ text: [{ language: 'de', level: 1, subject: `Mahnung an ${customers[i]}` }] }));
		const textsOf = ownTextsPerItem<Entry, (language: string, level: number) => Entry | undefined>(ctx, setting, (own) => own);
		expect([0, 1, 2].map((i) => textsOf(i)('de', 1)?.subject)).toEqual(['Mahnung an Anna', 'Mahnung an Bernd', 'Mahnung an Anna']);
		expect(calls).toEqual([0, 1, 2].map((itemIndex) => ({ name: 'letterTexts', itemIndex, rawExpressions: false })));
	});

	it('makes one lookup per distinct set of texts: fixed texts cost one for the whole run', () => {
		const adapt = jest.fn((own: (language: string, level: number) => Entry | undefined) => own);
		const fixed = context(() => ({ text: [{ language: 'de', level: 1, subject: 'Mahnung' }] }));
		const fixedOf = ownTextsPerItem(fixed.ctx, setting, adapt);
		const lookups = [0, 1, 2, 3].map((i) => fixedOf(i));
		expect(adapt).toHaveBeenCalledTimes(1);
		expect(new Set(lookups).size).toBe(1);

		adapt.mockClear();
		const byCustomer = context((i) => ({ text: [{ language: 'de', level: 1, subject: `Mahnung an ${customers[i]}` }] }));
		const byCustomerOf = ownTextsPerItem(byCustomer.ctx, setting, adapt);
		expect([0, 1, 2].map((i) => byCustomerOf(i)('de', 1)?.subject)).toEqual(['Mahnung an Anna', 'Mahnung an Bernd', 'Mahnung an Anna']);
		// Anna's texts again for item 2: the lookup made for item 0.
		expect(adapt).toHaveBeenCalledTimes(2);
	});

	it('no texts (unset, null, not a list) is no own text', () => {
		for (const value of [{}, null, { text: 'x' }]) {
			const { ctx } = context(() => value);
			expect(ownTextsPerItem<Entry, (language: string, level: number) => Entry | undefined>(ctx, setting, (own) => own)(0)('de', 1)).toBeUndefined();
		}
	});

	it('an expression that fails for an item throws for that item alone, naming the setting', () => {
		const { ctx } = context((i) => {
			if (i === 1) throw new Error("Referenced node doesn't exist");
			return { text: [{ language: 'de', level: 1, subject: 'Mahnung' }] };
		});
		const textsOf = ownTextsPerItem<Entry, (language: string, level: number) => Entry | undefined>(ctx, setting, (own) => own);
		expect(textsOf(0)('de', 1)).toEqual({ language: 'de', level: 1, subject: 'Mahnung' });
		let thrown: unknown;
		try {
			textsOf(1);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect((thrown as Error).message).toBe("Letter Texts: an n8n expression in them could not be read for this item: Referenced node doesn't exist");
		expect(textsOf(2)('de', 1)?.subject).toBe('Mahnung');
	});

	it('a language by expression that is no code for an item throws for that item, naming setting and entry', () => {
		const languages = ['de', 'Deutsch'];
		const { ctx } = context((i) => ({ text: [{ language: 'en', level: 1 }, { language: languages[i], level: 2 }] }));
		const textsOf = ownTextsPerItem(ctx, { name: 'templates', displayName: 'Texts' }, (own) => own);
		expect(textsOf(0)('de', 2)).toEqual({ language: 'de', level: 2 });
		expect(() => textsOf(1)).toThrow('Texts: text 2 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT');
	});
});

describe('checkFixedTextLanguages', () => {
	it('a language typed in that is no code throws, naming the setting and the entry', () => {
		const { ctx } = context(() => ({ text: [{ language: 'de', level: 1 }, { language: 'Deutsch', level: 2 }] }));
		expect(() => checkFixedTextLanguages(ctx, setting)).toThrow('Letter Texts: text 2 (level 2) has "Deutsch" as its language, which is no language code, so it would never be used; write one like de, en or de-AT');
	});

	it('reads the texts unresolved: a language by expression is left to each item, nothing of item 0 is read', () => {
		const { ctx, calls } = context(
			() => {
				throw new Error('item 0 must not be read');
			},
			{ text: [{ language: '={{ $json.language }}', level: 1 }, { language: 'de-AT', level: 1 }] },
		);
		expect(() => checkFixedTextLanguages(ctx, setting)).not.toThrow();
		expect(calls).toEqual([{ name: 'letterTexts', itemIndex: 0, rawExpressions: true }]);
		// The entry by expression keeps its place: a wrong fixed language after it is named by its own number.
		const after = context(() => ({}), { text: [{ language: '={{ $json.language }}', level: 1 }, { language: 'xx-yy-zz-1', level: 3 }] });
		expect(() => checkFixedTextLanguages(after.ctx, setting)).toThrow(/^Letter Texts: text 2 \(level 3\) has "xx-yy-zz-1" as its language/);
	});

	it('no texts are fine', () => {
		for (const raw of [{}, null, { text: [] }]) expect(() => checkFixedTextLanguages(context(() => raw, raw).ctx, setting)).not.toThrow();
	});
});

describe('ownTextEntries', () => {
	it('gives the entries as n8n holds them, for an item or unresolved', () => {
		const entries = [{ language: 'de', level: 1, subject: 'S' }];
		const { ctx, calls } = context(() => ({ text: entries }), { text: [{ language: '={{ 1 }}' }] });
		expect(ownTextEntries(ctx, setting, 4)).toBe(entries);
		expect(ownTextEntries(ctx, setting, 0, true)).toEqual([{ language: '={{ 1 }}' }]);
		expect(calls.map((c) => [c.itemIndex, c.rawExpressions])).toEqual([
			[4, false],
			[0, true],
		]);
	});
});
