import fc from 'fast-check';

import { AddressTooLongError } from '../../lib/letters/address-block';
import { buildLetterModel, LetterInputError, type LetterModel } from '../../lib/letters/letter-model';
import { renderLetterPdf } from '../../lib/letters/pdf';
import { groupItem, invoiceItem, letterOptions } from './fixtures';

// The same cases on every run, so that CI never fails on one nobody ran before; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) });

/**
 * Hostile values in an item's fields (one invoice, or one invoice of a customer group): the letter is
 * a PDF, or fails with an error that names the field (or the address that does not fit the window),
 * never a TypeError, NaN on paper or a hang. How long it takes is measured in bench/letters.ts.
 */
const HOSTILE: unknown[] = [
	'', ' ', null, undefined, 0, -1, -0.004, NaN, Infinity, 1e20, 1e308, '1e400', '12,50', 'abc', 'x'.repeat(5000), 'Wort '.repeat(800),
	'\u0000\u0007\u001b', '\u202eevil', '😀👍🏽', '漢字', 'e\u0301\u0301\u0301', 'a\nb\r\nc', {}, [], [1, 2], true,
	'2026-02-30', '2026-13-01', '9999-12-31', '30.02.2026', '<b>&amp;</b>', '{{customerName}}', '\ud800', '\u200b'.repeat(50),
];
const FIELDS = [
	'customerName', 'street', 'postalCode', 'city', 'country', 'invoiceNumber', 'invoiceId', 'openAmount', 'currency', 'language', 'dueDate', 'invoiceDate',
	'customerId', 'paymentLink', 'dunning.level', 'dunning.totalDue', 'dunning.fee', 'dunning.flatFee', 'dunning.interest', 'dunning.deadline', 'dunning.asOf',
	'dunning.stageName', 'dunning.interestPeriods', 'dunning.action', 'dunning',
];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
	const parts = path.split('.');
	const parent = parts.slice(0, -1).reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], target);
	if (typeof parent === 'object' && parent !== null) (parent as Record<string, unknown>)[parts[parts.length - 1]] = value;
}

test('hostile field values give a letter or an error naming the field', async () => {
	const change = fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...HOSTILE), fc.boolean());
	await fc.assert(
		fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), fc.boolean(), async (changes, group) => {
			const item = group ? (JSON.parse(JSON.stringify(groupItem(3))) as Record<string, unknown>) : invoiceItem(1);
			const invoice = group ? (item.invoices as Array<Record<string, unknown>>)[1] : item;
			// In a group, a change goes to the group's own fields or to one of its invoices.
			for (const [path, value, onGroup] of changes) setPath(onGroup ? item : invoice, path, value);
			let model: LetterModel;
			let pdf: Buffer;
			try {
				model = buildLetterModel(item, letterOptions());
				pdf = (await renderLetterPdf(model)).pdf;
			} catch (error) {
				if (error instanceof AddressTooLongError) return;
				expect(error).toBeInstanceOf(LetterInputError);
				expect((error as LetterInputError).field).not.toBe('');
				expect((error as Error).message).toMatch(/^(?:The field|Company details|The address)/);
				return;
			}
			expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
			// What the letter claims is owed: amounts and dates, never a placeholder of a failed computation.
			const owed = [...model.rows.flatMap((row) => row.cells.slice(1)), ...model.totals.map((total) => total.value)];
			for (const cell of owed) expect(cell).not.toMatch(/NaN|undefined|null|Infinity|Invalid/);
		}),
		{ numRuns: 150 },
	);
});
