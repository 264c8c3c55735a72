/**
 * Create Reminder Letter through the real n8n engine, with company details that have no IBAN: a
 * letter with the shipped closing and no payment link asks for a transfer to no account. It fails as
 * wrong company details do (a setting: wrong for every item, the run stops), and the shipped dunning
 * run's "Check Company Details" stops the run before anything is released, naming "iban".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { WORKFLOWS_DIR } from '../../scripts/workflows/build';
import { DETAILS_CHECK_REMINDER } from '../../scripts/workflows/paper-letters';
import { node, runWorkflow } from '../harness/engine';
import { COMPANY, invoiceItem } from '../letters/fixtures';

const NO_BANK = { ...COMPANY, iban: '', bic: '', bankName: '' };
const noBank = { companySource: 'json', companyJson: JSON.stringify(NO_BANK) };
const asJson = (value: Record<string, unknown>) => value as IDataObject;
const NO_ACCOUNT = /^Item \d: Company details: "iban" is empty and invoice RE-2026-000\d has no payment link \("paymentLink"\): the reminder asks for a transfer but names no account to pay to\./;

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
}
const dunningRun = JSON.parse(readFileSync(join(WORKFLOWS_DIR, 'dunning-run.json'), 'utf8')) as { nodes: WorkflowNode[] };
const shipped = (name: string) => dunningRun.nodes.find((n) => n.name === name)!;

describe('Create Reminder Letter without an IBAN (real n8n engine)', () => {
	it('no letter of the run can be paid from: the run stops naming "iban", as for any wrong company detail', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'perItem', ...noBank })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2)) }] },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Letter')?.message).toMatch(NO_ACCOUNT);
	});

	it('a letter with a payment link is made; one without fails alone, naming the field', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'perItem', ...noBank })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1, { paymentLink: 'https://pay.example/r1' })) }, { json: asJson(invoiceItem(2)) }] },
		});
		expect(r.status).toBe('success');
		const out = r.items('Letter');
		expect(out.map((item) => item.json.letter)).toEqual([expect.objectContaining({ status: 'created' }), { status: 'failed', field: 'iban' }]);
		expect(out[0].json.letter).not.toHaveProperty('warnings');
		expect(String(out[1].json.error)).toMatch(NO_ACCOUNT);
	});

	it('with own Letter Texts (a closing) the letter is made, and letter.warnings says it names no account', async () => {
		const letterTexts = { text: [{ language: 'de', level: 2, closing: 'Bitte zahlen Sie in bar in unserem Laden.' }] };
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'perItem', ...noBank, letterTexts })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }] },
		});
		expect(r.status).toBe('success');
		const [letter] = r.items('Letter');
		expect(letter.json.letter).toMatchObject({
			status: 'created',
			paymentReference: null,
			warnings: ['The reminder names no account to pay to: "iban" is empty and invoice RE-2026-0001 has no payment link ("paymentLink"). Your own texts are used: check that they say how to pay'],
		});
	});

	it('the shipped dunning run’s Check Company Details fails on details without an IBAN, so the run stops before anything is released', async () => {
		const { parameters } = shipped('Check Company Details');
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Check', { ...parameters, companyJson: JSON.stringify(NO_BANK) }, { onError: 'continueErrorOutput' })],
			input: { node: 'Check', items: [{ json: DETAILS_CHECK_REMINDER as unknown as IDataObject }] },
		});
		expect(r.status).toBe('success');
		const [made, failed] = r.outputs('Check');
		expect(made ?? []).toEqual([]);
		expect(failed).toHaveLength(1);
		const error = String(failed[0].json.error);
		expect(error).toMatch(/^Item 0: Company details: "iban" is empty and invoice RE-CHECK-1 has no payment link/);
		// Correct Company Details stops the run with it; a letter failing so in the run is taken for wrong company details (Company Details Wrong?).
		expect(String(shipped('Correct Company Details').parameters.errorMessage)).toContain('$json.error.replace(/^Item \\d+: /, \'\')');
		expect(JSON.stringify(shipped('Company Details Wrong?').parameters)).toContain('/company details/i.test($json.error)');
		expect(/company details/i.test(error)).toBe(true);
	});
});
