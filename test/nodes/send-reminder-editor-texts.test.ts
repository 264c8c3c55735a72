/**
 * Send Reminder Email as the editor presents it and as it keeps what it says (UX review): not an
 * AI tool, texts that state the node's real behaviour, a Customer ID field name the payment
 * reference reads, and a dry run that previews Max Emails per Run as the real run applies it.
 * Runs go through the real n8n engine to a real SMTP server on loopback.
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { SendReminderEmail } from '../../nodes/SendReminderEmail/SendReminderEmail.node';
import type { RunResult } from '../harness/engine';
import { deliveryOf, reminderItem as invoice, runSendReminder, smtpServersPerTest } from '../harness/send-reminder-node';
import { COMPANY } from '../letters/fixtures';

const smtp = smtpServersPerTest();

/** Runs the node; the runs of one test send to the same server. */
async function run(parameters: IDataObject, items: INodeExecutionData[], workflowId = `wf-texts-${Math.random()}`): Promise<RunResult> {
	return await runSendReminder(await smtp.current(), items, { parameters, workflowId });
}

const { description } = new SendReminderEmail();
/** A property of the panel by name, also inside collections and their options. */
function property(name: string, within: readonly INodeProperties[] = description.properties): INodeProperties {
	for (const p of within) {
		if (p.name === name) return p;
		const nested = (p.options ?? []).filter((o): o is INodeProperties => 'type' in o);
		const found = nested.length ? findIn(name, nested) : undefined;
		if (found) return found;
	}
	throw new Error(`No property ${name}`);
}
function findIn(name: string, within: readonly INodeProperties[]): INodeProperties | undefined {
	try {
		return property(name, within);
	} catch {
		return undefined;
	}
}

describe('Send Reminder Email: editor texts and what they promise (real engine, real SMTP server)', () => {
	test('is not offered to AI agents as a tool: every call sends real reminders, with fees, to customers', () => {
		expect(description.usableAsTool).toBeUndefined();
	});

	test('the texts say what the node does: never twice within this workflow, lower-case template keys, how long a full run takes, what a wrong IBAN does', () => {
		expect(description.description).toBe(
			'Send payment reminders (Zahlungserinnerung, Mahnung) from your own mailbox, paced and never twice for the same invoice and level within this workflow',
		);
		const itemField = property('templateSource').options?.find((o) => 'value' in o && o.value === 'itemField') as { description: string };
		expect(itemField.description).toMatch(/the keys subject, html and text, in lower case/);
		expect(property('templateField').description).toMatch(/under the keys subject, html and text \(lower case/);
		expect(property('maxPerRun').description).toMatch(/about this many times Min Seconds Between Emails: 50 at 60 seconds is about 50 minutes/);
		expect(property('saveToSentFolder').description).toMatch(/Microsoft 365, Outlook\.com and Gmail .* no copy is stored for them .* with a password or app password as with OAuth2/);
		// The IBAN text is shared with Create Reminder Letter: true for both.
		expect(property('iban').description).toMatch(/Send Reminder Email fails each item with it, naming the IBAN, and the run goes on; Create Reminder Letter stops the run when it is wrong for every item/);
	});

	test('an item whose template field has its keys in another case fails naming the lower-case keys', async () => {
		const r = await run({ dryRun: true, templateSource: 'itemField', templateField: 'texts' }, [invoice(1, { texts: 'Betreff' })]);
		expect(deliveryOf(r.items('Send')[0])).toMatchObject({
			status: 'failed',
			reason: 'invalidInput',
			error: 'Item 0: The template field "texts" is missing or not an object with the keys subject, html and text (lower case)',
		});
	});

	test('Field Names › Customer ID: the {customerId} of the payment reference reads the renamed field', async () => {
		const companyJson = JSON.stringify({ ...COMPANY, paymentReference: 'Kunde {customerId} {invoiceNumber}' });
		const r = await run({ dryRun: true, companySource: 'json', companyJson, fieldNames: { customerId: 'kunde.nummer' } }, [
			invoice(1, { kunde: { nummer: 'K-4711' } }),
			// The default name is no longer read once the field is renamed.
			invoice(2, { customerId: 'K-0815' }),
		]);
		const [renamed, unnamed] = r.items('Send');
		expect(deliveryOf(renamed)).toMatchObject({ status: 'preview' });
		expect((renamed.json.preview as IDataObject).text).toContain('Verwendungszweck: Kunde K-4711 RE-1');
		expect(deliveryOf(unnamed)).toMatchObject({ status: 'failed', reason: 'invalidInput', error: expect.stringMatching(/uses \{customerId\}, which is empty/) });
		expect(property('customerId', [property('fieldNames')])).toMatchObject({ displayName: 'Customer ID Field', default: 'customerId' });
	});

	test('Dry Run keeps Max Emails per Run as the real run does: items past it would not be sent in this run; duplicates take no place', async () => {
		// inv-1 twice: the second is a duplicate of the first, in the preview as in the real run.
		const items = [invoice(1), invoice(1), invoice(2), invoice(3), invoice(4)];
		const workflowId = 'wf-texts-max-per-run';
		const view = (r: RunResult) => r.items('Send').map((i) => [deliveryOf(i).status, deliveryOf(i).reason, deliveryOf(i).duplicate ?? false]);

		const dry = await run({ dryRun: true, maxPerRun: 2 }, items, workflowId);
		expect(view(dry)).toEqual([
			['preview', undefined, false],
			['preview', undefined, true],
			['preview', undefined, false],
			['preview', 'maxPerRun', false],
			['preview', 'maxPerRun', false],
		]);
		expect(deliveryOf(dry.items('Send')[3]).warning).toBe(
			'Would not be sent in this run: the limit of 2 messages per run (Max Emails per Run) would be reached; it would go out in a later run',
		);
		expect((await smtp.current()).received).toHaveLength(0);

		const real = await run({ maxPerRun: 2 }, items, workflowId);
		expect(view(real)).toEqual([
			['sent', undefined, false],
			['sent', undefined, true],
			['sent', undefined, false],
			['notSent', 'maxPerRun', false],
			['notSent', 'maxPerRun', false],
		]);
		expect((await smtp.current()).received).toHaveLength(2);
	});
});
