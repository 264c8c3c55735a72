/**
 * "Send Test Mail": a short mail stating when it was sent, to an address the user gives — the
 * "save and send test mail" button merchants know from their shop systems. It proves the whole
 * path (connection, login, sender address accepted, delivery) with the same code the reminders use.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { emptyDelivery, type Delivery } from '../../../lib/mail/delivery';
import { buildPlainMessage } from '../../../lib/mail/message';
import { classifySmtpError } from '../../../lib/mail/smtp-error';
import { SmtpConnectError, SmtpSendError, type SmtpSession } from '../../../lib/mail/smtp-session';
import { prepareMailbox } from '../transport';

const show = { operation: ['sendTestMail'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Send Test Mail To',
		name: 'testRecipient',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'you@example.com',
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
	const mailbox = await prepareMailbox(this);
	const endpoint = { host: mailbox.server.host, port: mailbox.server.port };
	let session: SmtpSession | null = null;
	const out: INodeExecutionData[] = [];
	try {
		for (let i = 0; i < items.length; i++) {
			const to = (this.getNodeParameter('testRecipient', i, '') as string).trim();
			let delivery: Delivery;
			try {
				const now = new Date();
				const { subject, text } = testMailText(now, mailbox.sender.address);
				const message = await buildPlainMessage({ sender: mailbox.sender, to, subject, text, date: now });
				delivery = emptyDelivery('notSent', { messageId: message.messageId });
				if (!session || !session.open) session = await mailbox.connector.connect();
				delivery.attempts = 1;
				const reply = await session.send(message);
				delivery = { ...delivery, status: 'sent', smtpCode: reply.code, smtpResponse: reply.response, sentAt: now.toISOString() };
			} catch (error) {
				const failure =
					error instanceof SmtpConnectError || error instanceof SmtpSendError
						? error.failure
						: error instanceof Error && error.name === 'HeaderValueError'
							? { kind: 'rejected' as const, code: null, response: null, message: error.message }
							: classifySmtpError(error, endpoint);
				if (!this.continueOnFail()) {
					throw new NodeOperationError(this.getNode(), `Test mail not sent: ${failure.message}`, { itemIndex: i });
				}
				delivery = emptyDelivery(failure.kind === 'rejected' ? 'failed' : 'notSent', {
					smtpCode: failure.code,
					smtpResponse: failure.response,
					error: failure.message,
				});
			}
			out.push({ json: { to, delivery: delivery as unknown as IDataObject }, pairedItem: { item: i } });
		}
	} finally {
		(session as SmtpSession | null)?.close();
	}
	return [out];
}
