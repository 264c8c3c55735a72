import { classifyMessage } from '../../lib/bounce';

/**
 * fml (fml.org), a mailing-list manager, caches the Message-IDs it receives and refuses a message
 * whose Message-ID it has seen as a mail loop (fml 4 docs, "Mail Loops: Message-ID: Cache";
 * "$CHECK_MESSAGE_ID is 1 in default"). It tells the list maintainer in a "Loop Alert" notice that
 * names the list. Synthetic messages in that shape.
 */

const LIST = 'mahnung-liste@kunde.example';

function loopAlert(opts: { mlServer?: string | null; subject?: string; line?: string } = {}): string {
	const mlServer = opts.mlServer === undefined ? 'fml [fml 4.0.3 release (20011202/4.0.3)]' : opts.mlServer;
	return [
		'Return-Path: <mahnung-liste-admin@kunde.example>',
		'From: mahnung-liste-admin@kunde.example',
		'To: mahnung-liste-admin@kunde.example',
		`Subject: ${opts.subject ?? 'Loop Alert: Duplicated Message-ID (mahnung-liste ML)'}`,
		'Message-Id: <200901011200.FMLAAA00001.mahnung-liste@kunde.example>',
		...(mlServer ? [`X-MLServer: ${mlServer}`] : []),
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=us-ascii',
		'',
		opts.line ?? `Duplicated Message-ID in <${LIST}>.`,
		'',
		'',
		'Original mail as follows:',
		'',
		'   Return-Path: <billing@shop.example>',
		`   Delivered-To: ${LIST}`,
		'   From: Buchhaltung <billing@shop.example>',
		`   To: ${LIST}`,
		'   Subject: Zahlungserinnerung RE-2024-17',
		'   Message-ID: <dunning.1.abc@shop.example>',
		'   X-Dunning-Invoice: RE-2024-17',
		'',
		'   Sehr geehrte Damen und Herren,',
		'',
	].join('\r\n');
}

describe('fml loop alert (duplicated Message-ID)', () => {
	it('is a soft refusal by the list system for the list address, never a dead address', async () => {
		const [r, ...rest] = await classifyMessage(loopAlert());
		expect(rest).toHaveLength(0);
		expect(r.kind).toBe('soft');
		expect(r.reason).toBe('systemerror');
		expect(r.category).toBe('recipientRefused');
		expect(r.recipient).toBe(LIST);
		expect(r.final).toBe(true);
		// The refused message is quoted indented below the notice: it still names our reminder.
		expect(r.originalMessageId).toBe('<dunning.1.abc@shop.example>');
		expect(r.invoiceId).toBe('RE-2024-17');
	});

	it('needs fml as the list server: the same words from anyone else stay what they were', async () => {
		const [r] = await classifyMessage(loopAlert({ mlServer: null }));
		expect(r.kind).toBe('none');
	});

	it('needs the loop alert itself: another fml notice to the maintainer is no refusal', async () => {
		const [r] = await classifyMessage(loopAlert({ subject: 'Subscribe request result (mahnung-liste ML)', line: `New member added to <${LIST}>.` }));
		expect(r.kind).toBe('none');
	});
});
