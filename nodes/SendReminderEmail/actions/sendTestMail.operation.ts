/**
 * "Send Test Mail": a short mail stating when it was sent, to an address the user gives — the
 * "save and send test mail" button merchants know from their shop systems. It proves the whole
 * path (connection, login, sender address accepted, delivery) with the same code the reminders use.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { emptyDelivery, type Delivery } from '../../../lib/mail/delivery';
import { buildPlainMessage } from '../../../lib/mail/message';
import { redactFields } from '../../../lib/mail/redact';
import { errorItem } from '../../shared/error-item';
import { n8nClock } from '../../shared/n8n-clock';
import { runSendJobs, type SendJob } from '../../../lib/mail/send-run';
import { prepareMailbox, type Mailbox } from '../transport';
import { shown } from './settings';

const show = { operation: ['sendTestMail'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Send Test Mail To',
		name: 'testRecipient',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. you@example.com',
		description: 'Address that receives the test mail, usually your own',
		displayOptions: { show },
	},
];

export function testMailText(now: Date, senderAddress: string): { subject: string; text: string } {
	const de = now.toLocaleString('de-DE', { dateStyle: 'full', timeStyle: 'long', timeZone: 'Europe/Berlin' });
	const en = now.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'long', timeZone: 'UTC' });
	return {
		subject: `Testmail / test mail – n8n dunning (${now.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
		text:
			`Diese Testmail wurde am ${de} von n8n über das Postfach ${senderAddress} gesendet. ` +
			'Wenn Sie sie lesen können, funktioniert der Versand der Zahlungserinnerungen.\n\n' +
			`This test mail was sent by n8n through the mailbox ${senderAddress} on ${en}. ` +
			'If you can read it, sending payment reminders works.\n',
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	let mailbox: Mailbox;
	try {
		mailbox = await prepareMailbox(this);
	} catch (error) {
		// No credential, or one without host or sender: nothing can be sent. With On Error › Continue
		// every item says so (n8n would pass them on unchanged, as if each test mail had gone out).
		if (!this.continueOnFail()) throw error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), (error as Error).message);
		const delivery = emptyDelivery('notSent', { reason: 'runStopped', stopKind: 'settings', error: `Nothing was sent: ${(error as Error).message}` });
		return [items.map((item, i) => errorItem(this, { to: null, delivery: delivery as unknown as IDataObject }, i, `Item ${i}: Test mail not sent: ${delivery.error}`))];
	}
	const deliveries: Delivery[] = new Array(items.length);
	const recipients: string[] = [];
	const jobs: SendJob[] = [];
	for (let i = 0; i < items.length; i++) {
		const value = this.getNodeParameter('testRecipient', i, '');
		const to = typeof value === 'string' ? value.trim() : '';
		recipients.push(to);
		try {
			if (typeof value !== 'string') throw new TypeError(`An address as text is needed, not ${shown(value)}`);
			const now = new Date();
			const { subject, text } = testMailText(now, mailbox.sender.address);
			jobs.push({ key: i, message: await buildPlainMessage({ sender: mailbox.sender, to, subject, text, date: now }) });
		} catch (error) {
			// The recipient is the only input of an item; the sender was checked with the credential.
			const message = `${(error as Error).message} (field "Send Test Mail To")`;
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), `Item ${i}: Test mail not sent: ${message}`, { itemIndex: i });
			deliveries[i] = emptyDelivery('failed', { reason: 'invalidInput', error: message });
		}
	}
	// The sending loop of the reminders: one connection and at most one login per execution,
	// however many items come in (a failed login is not tried again for every item, which would
	// lock the mailbox), and its timeouts and cancel handling. A test reports a temporary refusal
	// at once instead of retrying it.
	if (jobs.length > 0) {
		const run = await runSendJobs(mailbox.connector, jobs, { minSecondsBetween: 0, maxAttempts: 1, signal: this.getExecutionCancelSignal(), clock: n8nClock });
		run.deliveries.forEach((delivery, n) => (deliveries[jobs[n].key] = delivery));
	}
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const delivery = redactFields(deliveries[i], mailbox.secrets());
		if (delivery.status !== 'sent' && !this.continueOnFail()) {
			throw new NodeOperationError(this.getNode(), `Item ${i}: Test mail not sent: ${delivery.error ?? delivery.status}`, { itemIndex: i });
		}
		const json: IDataObject = { to: recipients[i], delivery: delivery as unknown as IDataObject };
		out.push(delivery.status === 'sent' ? { json, pairedItem: { item: i } } : errorItem(this, json, i, `Item ${i}: Test mail not sent: ${delivery.error ?? delivery.status}`));
	}
	return [out];
}
