import { createTransport } from 'nodemailer';

import { MTA_PORT, SENDER } from './layout';

export interface SentReminder {
	messageId: string;
	invoiceId: string;
	level: number;
}

/** A few invoice lines: the reminder must be over the 2,000-byte limit of HOSTS.small. */
function reminderText(invoiceId: string): string {
	const lines = Array.from({ length: 24 }, (_, i) => `  Position ${String(i + 1).padStart(2, '0')}  Artikel ${1000 + i}  Menge 1  19,90 EUR`);
	return [
		'Guten Tag,',
		'',
		`unsere Rechnung ${invoiceId} ist noch offen. Zur Übersicht die Positionen:`,
		'',
		...lines,
		'',
		'Bitte überweisen Sie den offenen Betrag innerhalb von sieben Tagen.',
		'',
		'Mit freundlichen Grüßen',
		'Beispiel Shop',
		'',
	].join('\n');
}

/**
 * Submits a reminder-like message with our correlation headers (as Send Reminder Email writes
 * them, see test/servers/generate-bounce-fixtures.ts) to the MTA under test.
 */
export async function submitReminder(to: readonly string[], invoiceId: string, level: number, run: string): Promise<SentReminder> {
	const transport = createTransport({ host: '127.0.0.1', port: MTA_PORT, secure: false, ignoreTLS: true, name: 'shop.test' });
	const messageId = `<reminder.${invoiceId}.${level}.${run}@shop.test>`;
	try {
		await transport.sendMail({
			envelope: { from: SENDER, to: [...to] },
			from: { name: 'Beispiel Shop', address: SENDER },
			to: [...to],
			subject: `Zahlungserinnerung zur Rechnung ${invoiceId}`,
			text: reminderText(invoiceId),
			messageId,
			headers: {
				'Auto-Submitted': 'auto-generated',
				'X-Dunning-Invoice': invoiceId,
				'X-Dunning-Level': String(level),
				'X-Dunning-Run': `run-${run}`,
			},
		});
	} finally {
		transport.close();
	}
	return { messageId, invoiceId, level };
}
