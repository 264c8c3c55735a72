/**
 * The refusal count on an invoice (emailRefusals for emailRefusedLevel), as the shipped workflows
 * write it after a reminder the recipient's side refused, or one refused because of our sender. The expressions are taken from the
 * workflow JSON and evaluated by n8n's engine (a Set-like test node), fed by a node of the same name as the
 * one they read the reminder row from (the Data Table update itself needs a real n8n; see e2e).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { decide } from '../dunning/at-deadline';
import { invoice as inv } from '../dunning/helpers';
import { chain, node, runWorkflow } from '../harness/engine';
import { applyDataTableNode, follow, invoicesTable, remindersTable, SETTINGS, type Path } from './bounce-tables';

type Row = IDataObject;

function updateOf(workflow: string, nodeName: string): { values: Record<string, string>; reads: string; timezone: string } {
	const wf = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', `${workflow}.json`), 'utf8')) as {
		nodes: Array<{ name: string; parameters: IDataObject }>;
		settings: { timezone: string };
	};
	const update = wf.nodes.find((n) => n.name === nodeName);
	if (!update) throw new Error(`${workflow}.json has no "${nodeName}"`);
	const values = (update.parameters.columns as { value: Record<string, string> }).value;
	// The reminder row's node: the first one read, other than the sender's item (SENT, see written).
	const reads = [...values.emailRefusals.matchAll(/\$\('([^']+)'\)\.item\.json/g)].map((m) => m[1]).find((name) => name !== SENT);
	if (!reads) throw new Error(`"${nodeName}" reads no reminder row`);
	return { values, reads, timezone: wf.settings.timezone };
}

/** The sender's node whose item (paired with the reminder row) says how the send went (`delivery`). */
const SENT = 'Send Reminder Email';

/**
 * The invoice row as the update would write it, for this reminder row and the invoice as loaded;
 * `sent`, the item Send Reminder Email output for the reminder (the sender's chain reads it).
 */
async function written(workflow: string, nodeName: string, reminder: Row, invoice: Row, sent?: Row): Promise<Row> {
	const { values, reads, timezone } = updateOf(workflow, nodeName);
	const fields = ['emailRefusals', 'emailRefusedAt', 'emailRefusedLevel', ...(values.currentLevel ? ['currentLevel'] : [])];
	const update = [
		node('evaluate', 'Invoice', { json: JSON.stringify(invoice) }),
		node('evaluate', 'Update', { json: `={{ { ${fields.map((f) => `${f}: ${values[f].replace(/^=\{\{|\}\}$/g, '')}`).join(', ')} } }}` }),
	];
	const r = await runWorkflow(
		sent
			? {
					nodes: [node('noOp', SENT), node('evaluate', reads, { json: JSON.stringify(reminder) }), ...update],
					connections: chain(SENT, reads, 'Invoice', 'Update'),
					input: { node: SENT, items: [{ json: sent }] },
					timezone,
				}
			: { nodes: [node('noOp', reads), ...update], connections: chain(reads, 'Invoice', 'Update'), input: { node: reads, items: [{ json: reminder }] }, timezone },
	);
	expect(r.status).toBe('success');
	return r.items('Update')[0].json;
}

/** Today in the workflow's time zone (Europe/Berlin), where its $now dates are taken. */
const todayIn = (workflow: string) => DateTime.now().setZone(updateOf(workflow, 'Take Back Level').timezone).toFormat('yyyy-MM-dd');
const reminder = (level: number): Row => ({ invoiceId: 'INV-1', level, previousLevel: level - 1, previousLastDunnedAt: '2026-11-01', bounceCategory: 'recipientRefused' });

describe('the refusal count the shipped workflows keep on an invoice', () => {
	test('bounce processing: a refusal of the level just sent counts for it, and the level goes back', async () => {
		const before = todayIn('bounce-processing');
		const out = await written('bounce-processing', 'Take Back Level', reminder(2), { invoiceId: 'INV-1', currentLevel: 2, emailRefusals: 0, emailRefusedLevel: null, emailRefusedAt: '' });
		expect(out).toMatchObject({ currentLevel: 1, emailRefusals: 1, emailRefusedLevel: 2 });
		// Before and after the run: it may cross midnight.
		expect([before, todayIn('bounce-processing')]).toContain(out.emailRefusedAt);
	});

	test('bounce processing: a late report about an older level keeps the count of the level being retried', async () => {
		// Level 2 was refused once and e-mailed again (the invoice is at 2); now level 1's first reminder is reported refused.
		const invoice = { invoiceId: 'INV-1', currentLevel: 2, emailRefusals: 1, emailRefusedLevel: 2, emailRefusedAt: '2026-11-28' };
		const out = await written('bounce-processing', 'Take Back Level', reminder(1), invoice);
		expect(out).toMatchObject({ currentLevel: 2, emailRefusals: 1, emailRefusedLevel: 2, emailRefusedAt: '2026-11-28' });
	});

	test('bounce processing: a second refusal of the same level adds up', async () => {
		const out = await written('bounce-processing', 'Take Back Level', reminder(2), { invoiceId: 'INV-1', currentLevel: 2, emailRefusals: 1, emailRefusedLevel: 2, emailRefusedAt: '2026-11-28' });
		expect(out).toMatchObject({ currentLevel: 1, emailRefusals: 2, emailRefusedLevel: 2 });
	});

	test('the sender: a refusal while sending counts for the level being sent (the invoice is still at the one before)', async () => {
		const out = await written('send-released', 'Count Refusal on Invoice', reminder(2), { invoiceId: 'INV-1', currentLevel: 1, emailRefusals: 0, emailRefusedLevel: null, emailRefusedAt: '' });
		expect(out).toMatchObject({ emailRefusals: 1, emailRefusedLevel: 2 });
	});

	test('the sender: a refusal of our sender for this reminder only counts as the recipient\'s does; one that stopped the run (our account, a failed DMARC check) counts nothing', async () => {
		const invoice = { invoiceId: 'INV-1', currentLevel: 0, emailRefusals: 0, emailRefusedLevel: null, emailRefusedAt: '' };
		const refused = { ...reminder(1), bounceCategory: 'senderRejected' };
		// Our provider's outbound filter refused the message at DATA: the run went on. Uncounted, the level would be released and refused every run.
		const filtered = { status: 'failed', reason: 'rejected', category: 'senderRejected', bounceReason: 'spamdetected', smtpStatus: '5.7.1', smtpCommand: 'DATA' };
		expect(await written('send-released', 'Count Refusal on Invoice', refused, invoice, { invoiceId: 'INV-1', delivery: filtered })).toMatchObject({ emailRefusals: 1, emailRefusedLevel: 1 });
		// The refusal that stopped the run (Send Reminder Email's stop marker): ours to fix, not the customer's.
		const stopping = { ...filtered, bounceReason: 'authfailure', smtpStatus: '5.7.26', stopKind: 'sender' };
		expect(await written('send-released', 'Count Refusal on Invoice', refused, invoice, { invoiceId: 'INV-1', delivery: stopping })).toMatchObject({ emailRefusals: 0, emailRefusedLevel: null, emailRefusedAt: '' });
		// The recipient's refusal counts, whatever the delivery says.
		expect(await written('send-released', 'Count Refusal on Invoice', reminder(1), invoice, { invoiceId: 'INV-1', delivery: { ...filtered, category: 'recipientRefused' } })).toMatchObject({ emailRefusals: 1 });
	});
});

/** `day` (YYYY-MM-DD) moved by `days`. */
const plusDays = (day: string, days: number): string => DateTime.fromISO(day, { zone: 'utc' }).plus({ days }).toISODate() ?? day;

describe('a refusal of our sender counts on the invoice as a refusal by the recipient\'s side does (bounce-processing.json)', () => {
	test('Take Back Level (Sender): the level goes back and the refusal counts for it', async () => {
		const before = todayIn('bounce-processing');
		const out = await written('bounce-processing', 'Take Back Level (Sender)', { ...reminder(1), bounceCategory: 'senderRejected' }, { invoiceId: 'INV-1', currentLevel: 1, emailRefusals: 0, emailRefusedLevel: null, emailRefusedAt: '' });
		expect(out).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedLevel: 1 });
		expect([before, todayIn('bounce-processing')]).toContain(out.emailRefusedAt);
		// A late report about an older level keeps the count of the level being retried, as in Take Back Level.
		const late = await written('bounce-processing', 'Take Back Level (Sender)', { ...reminder(1), bounceCategory: 'senderRejected' }, { invoiceId: 'INV-1', currentLevel: 2, emailRefusals: 1, emailRefusedLevel: 2, emailRefusedAt: '2026-11-28' });
		expect(late).toMatchObject({ currentLevel: 2, emailRefusals: 1, emailRefusedLevel: 2, emailRefusedAt: '2026-11-28' });
	});

	test('a customer whose server refuses our sender gets the level by e-mail once more, then on paper (never the same e-mail for ever)', async () => {
		const invoices = invoicesTable([{ invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', currentLevel: 0, emailRefusals: 0 }]);
		const reminders = remindersTable([]);
		const tables = { dunning_reminders: reminders, dunning_invoices: invoices };
		/** The invoice as Compute Dunning Level reads its row, due long before `today`. */
		const asRead = (today: string) => {
			const row = invoices.rows[0];
			return inv({
				invoiceId: 'RE-9',
				dueDate: plusDays(today, -60),
				currentLevel: Number(row.currentLevel ?? 0),
				lastDunnedAt: (row.lastDunnedAt as string) || null,
				emailRefusals: Number(row.emailRefusals ?? 0),
				emailRefusedAt: (row.emailRefusedAt as string) || null,
				emailRefusedLevel: row.emailRefusedLevel == null ? null : Number(row.emailRefusedLevel),
			});
		};
		/** The level-1 reminder sent (released, sent, the level advanced), then refused "because of our sender" (550 5.7.1 spam). */
		const sendAndRefuse = async (n: number) => {
			const messageId = `<dunning.1.${String(n).padStart(32, '0')}@shop.example>`;
			await reminders.service().insertRows([{ reminderKey: 'RE-9#1#email', invoiceId: 'RE-9', customerId: 'K-9', email: 'erika@kunde.example', level: 1, previousLevel: 0, previousLastDunnedAt: '', status: 'sent', messageId, mailbox: 'default' }] as never, 'all' as never);
			Object.assign(invoices.rows[0], { currentLevel: 1, lastDunnedAt: todayIn('bounce-processing') });
			const bounce = { category: 'senderRejected', reason: 'spamdetected', status: '5.7.1', originalMessageId: messageId, recipient: 'erika@kunde.example', diagnostic: '550 5.7.1 Message rejected as spam' };
			const before: Path = [...SETTINGS, ['Refused Elsewhere?', { bounce, elsewhere: false, note: '' }]];
			const [marked] = await applyDataTableNode('Mark Sender Refusal', before, tables);
			expect(marked).toMatchObject({ status: 'notDelivered', bounceCategory: 'senderRejected' });
			// Load Invoice (Sender) → Take Back Level (Sender), and Free Reminder Key: the next run may release the level again.
			await follow('Mark Sender Refusal', marked, tables, before);
		};

		await sendAndRefuse(1);
		const first = invoices.rows[0];
		expect(first).toMatchObject({ currentLevel: 0, emailRefusals: 1, emailRefusedLevel: 1 });
		expect(reminders.rows[0].reminderKey).toMatch(/^RE-9#1#email\/notDelivered-/);
		const refusedAt = String(first.emailRefusedAt);
		// Compute Dunning Level: a pause, then e-mail once more.
		expect(decide(asRead(refusedAt), {}, plusDays(refusedAt, 1))).toMatchObject({ action: 'none', reason: 'retryLater' });
		expect(decide(asRead(refusedAt), {}, plusDays(refusedAt, 7))).toMatchObject({ action: 'send', level: 1 });

		await sendAndRefuse(2);
		expect(invoices.rows[0]).toMatchObject({ currentLevel: 0, emailRefusals: 2, emailRefusedLevel: 1 });
		const again = String(invoices.rows[0].emailRefusedAt);
		expect(decide(asRead(again), {}, plusDays(again, 7))).toMatchObject({ action: 'paper', reason: 'emailRefused', level: 1 });
	});
});
