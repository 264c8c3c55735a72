/**
 * Create Reminder Letter through the real n8n engine, with company details that have no IBAN: a
 * letter with the shipped closing and no payment link asks for a transfer to no account. It fails as
 * wrong company details do (a setting: wrong for every item, the run stops), and the shipped dunning
 * run's "Check Company Details" stops the run before anything is released, naming "iban", unless
 * the run's invoices pay by link (a merchant who takes payment by links only). In the run's letters,
 * one invoice without a link fails alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { WORKFLOWS_DIR } from '../../scripts/workflows/build';
import { CHECK_PAYMENT_LINK, DETAILS_CHECK_REMINDER } from '../../scripts/workflows/paper-letters';
import { chain, node, runWorkflow } from '../harness/engine';
import { COMPANY, invoiceItem } from '../letters/fixtures';

const NO_BANK = { ...COMPANY, iban: '', bic: '', bankName: '' };
const noBank = { companySource: 'json', companyJson: JSON.stringify(NO_BANK) };
const asJson = (value: Record<string, unknown>) => value as IDataObject;
const NO_ACCOUNT = /^Item \d: Company details: "iban" is empty and invoice RE-2026-000\d has no payment link \("paymentLink"\): the reminder asks for a transfer but names no account to pay to\./;

interface WorkflowNode {
	name: string;
	parameters: Record<string, unknown>;
}
interface Workflow {
	nodes: Array<WorkflowNode & Record<string, unknown>>;
}
const workflow = (file: string) => JSON.parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
const dunningRun = workflow('dunning-run.json');
const webhookRun = workflow('dunning-run-webhook.json');
const shippedIn = (wf: Workflow, name: string) => wf.nodes.find((n) => n.name === name)!;

describe('Create Reminder Letter without an IBAN (real n8n engine)', () => {
	it('no letter of the run can be paid from: the run stops naming "iban", as for any wrong company detail', async () => {
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'perItem', ...noBank })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2)) }] },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Letter')?.message).toMatch(NO_ACCOUNT);
	});

	it('a GiroCode problem of the company details (a Swiss IBAN without BIC) stops the print batch once, naming "bic", instead of failing every letter', async () => {
		const swissNoBic = { companySource: 'json', companyJson: JSON.stringify({ ...COMPANY, iban: 'CH93 0076 2011 6238 5295 7', bic: '' }) };
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'printBatch', ...swissNoBic })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1)) }, { json: asJson(invoiceItem(2)) }] },
		});
		expect(r.status).toBe('error');
		expect(r.nodeError('Letter')).toMatchObject({ message: expect.stringMatching(/^Item 0: The GiroCode needs the BIC for an account outside the EEA \(IBAN from CH\)/), description: 'Field: bic' });
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

	/**
	 * The shipped check as it runs: `source` (the node its Made-Up Reminder reads the invoices from,
	 * outputting `found`), then Made-Up Reminder and Check Company Details as shipped, the details without an IBAN.
	 */
	async function shippedCheck(workflow: Workflow, source: string, found: IDataObject[]) {
		const made = node('evaluate', 'Made-Up Reminder', { json: shippedIn(workflow, 'Made-Up Reminder').parameters.jsonOutput as string });
		const { parameters } = shippedIn(workflow, 'Check Company Details');
		const r = await runWorkflow({
			nodes: [node('evaluate', source, { json: '={{ $json }}' }), made, node('createReminderLetter', 'Check', { ...parameters, companyJson: JSON.stringify(NO_BANK) }, { onError: 'continueErrorOutput' })],
			connections: chain(source, 'Made-Up Reminder', 'Check'),
			input: { node: source, items: found.map((json) => ({ json })) },
		});
		expect(r.status).toBe('success');
		const [letters, failed] = r.outputs('Check');
		return { reminder: r.items('Made-Up Reminder')[0]?.json, letters: letters ?? [], failed: failed ?? [] };
	}

	it('the shipped dunning run’s Check Company Details fails on details without an IBAN when no invoice has a payment link, so the run stops before anything is released', async () => {
		// The look-up found no row with a link: an empty item (alwaysOutputData), or an error item (no such column yet).
		for (const found of [{}, { error: 'unknown column paymentLink' }, { invoiceId: 'A', paymentLink: '  ' }]) {
			const { reminder, letters, failed } = await shippedCheck(dunningRun, 'Invoice with Payment Link', [found]);
			expect(reminder).toEqual({ ...DETAILS_CHECK_REMINDER, paymentLink: '' });
			expect(letters).toEqual([]);
			expect(failed).toHaveLength(1);
			const error = String(failed[0].json.error);
			expect(error).toMatch(/^Item 0: Company details: "iban" is empty and invoice RE-CHECK-1 has no payment link/);
			// Correct Company Details stops the run with it.
			expect(String(shippedIn(dunningRun, 'Correct Company Details').parameters.errorMessage)).toContain('$json.error.replace(/^Item \\d+: /, \'\')');
		}
		// It looks for one invoice row with a link, before the made-up reminder, which is made once.
		expect(shippedIn(dunningRun, 'Invoice with Payment Link').parameters).toMatchObject({ operation: 'get', limit: 1, filters: { conditions: [{ keyName: 'paymentLink', condition: 'isNotEmpty' }] } });
		expect(shippedIn(dunningRun, 'Invoice with Payment Link')).toMatchObject({ alwaysOutputData: true, onError: 'continueRegularOutput' });
		expect(shippedIn(dunningRun, 'Made-Up Reminder')).toMatchObject({ executeOnce: true });
	});

	it('a merchant who takes payment by links only (no IBAN) passes the check once an invoice row has a link', async () => {
		const { reminder, letters, failed } = await shippedCheck(dunningRun, 'Invoice with Payment Link', [{ invoiceId: 'A', paymentLink: 'https://pay.example/A' }]);
		expect(reminder).toEqual({ ...DETAILS_CHECK_REMINDER, paymentLink: CHECK_PAYMENT_LINK });
		expect(failed).toEqual([]);
		expect(letters).toHaveLength(1);
		expect(letters[0].json.letter).toMatchObject({ status: 'created' });
	});

	it('the webhook run’s check passes when a posted invoice has a link (bare list or under "invoices"), and stops when none has', async () => {
		const post = (invoices: unknown[], bare = false) => [{ body: bare ? invoices : { invoices } }];
		const withLink = [invoiceItem(1), null, invoiceItem(2, { paymentLink: 'https://pay.example/r2' })];
		for (const found of [post(withLink), post(withLink, true)]) {
			const { reminder, letters, failed } = await shippedCheck(webhookRun, 'Invoices in Request?', found as IDataObject[]);
			expect(reminder).toMatchObject({ paymentLink: CHECK_PAYMENT_LINK });
			expect([letters.length, failed.length]).toEqual([1, 0]);
		}
		const { failed } = await shippedCheck(webhookRun, 'Invoices in Request?', post([invoiceItem(1), invoiceItem(2, { paymentLink: '' })]) as IDataObject[]);
		expect(String(failed[0]?.json.error)).toMatch(/^Item 0: Company details: "iban" is empty and invoice RE-CHECK-1 has no payment link/);
	});

	it('in the letters branch, one letter without a link (no IBAN) fails alone; wrong company details still stop the run', async () => {
		const condition = (shippedIn(dunningRun, 'Company Details Wrong?').parameters as { conditions: { conditions: Array<{ leftValue: string }> } }).conditions.conditions[0].leftValue;
		const wrong = async (error: string) => {
			const r = await runWorkflow({
				nodes: [node('evaluate', 'Give Back Failed Letter', { json: JSON.stringify({ error }) }), node('evaluate', 'Result', { json: `={{ { wrong: ${condition.replace(/^=\{\{|\}\}$/g, '')} } }}` })],
				connections: chain('Give Back Failed Letter', 'Result'),
				input: { node: 'Give Back Failed Letter', items: [{ json: {} }] },
			});
			return r.items('Result')[0].json.wrong;
		};
		// The letter's real error (the node's error output).
		const r = await runWorkflow({
			nodes: [node('createReminderLetter', 'Letter', { operation: 'perItem', ...noBank }, { onError: 'continueErrorOutput' })],
			input: { node: 'Letter', items: [{ json: asJson(invoiceItem(1, { paymentLink: 'https://pay.example/r1' })) }, { json: asJson(invoiceItem(2)) }] },
		});
		const noLink = String(r.outputs('Letter')[1][0].json.error);
		expect(noLink).toMatch(NO_ACCOUNT);
		expect(await wrong(noLink)).toBe(false);
		expect(await wrong('Item 0: Company details: "city" (city) is missing; it is the sender on every letter')).toBe(true);
		expect(await wrong('Item 0: Company details: the IBAN "DE88 3704 0044 0532 0130 00" has wrong check digits')).toBe(true);
		expect(await wrong('Item 0: The field "street" (street) is missing')).toBe(false);
	});
});
