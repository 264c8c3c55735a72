import { buildReminderMessage } from '../../lib/mail/message';
import { isInWireForm } from '../../lib/mail/smtp-data';
import { openSmtpSession } from '../../lib/mail/smtp-session';
import { startTestServer, type TestServer } from './smtp-test-server';

const lines = (...l: string[]) => Buffer.from(l.join('\r\n') + '\r\n', 'latin1');

describe('isInWireForm: bytes that may follow DATA unchanged (RFC 5321 §4.5.2)', () => {
	test.each([
		['CRLF lines only', lines('Subject: a', '', 'body', 'more'), true],
		['a dot inside a line', lines('Subject: a', '', 'Total 12.50 EUR'), true],
		['a line starting with a dot', lines('Subject: a', '', '.hidden'), false],
		['a line that is a single dot', lines('Subject: a', '', '.', 'after'), false],
		['a dot as the very first byte', lines('.Subject: a', '', 'body'), false],
		['a bare LF', Buffer.from('Subject: a\r\n\r\nline one\nline two\r\n'), false],
		['a LF as the first byte', Buffer.from('\nSubject: a\r\n'), false],
		['a bare CR', Buffer.from('Subject: a\r\n\r\nline one\rline two\r\n'), false],
		['a CR as the last byte', Buffer.from('Subject: a\r\n\r\nbody\r'), false],
	])('%s', (_name, raw, expected) => {
		expect(isInWireForm(raw)).toBe(expected);
	});
});

describe('the message bytes a real SMTP server receives', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer({ security: 'none' });
	});
	afterAll(() => server.close());

	// smtp-server removes the dots the client doubled: what it hands on must be the message itself.
	async function roundTrip(raw: Buffer): Promise<Buffer> {
		const session = await openSmtpSession({ host: '127.0.0.1', port: server.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 }, undefined);
		const before = server.received.length;
		try {
			const reply = await session.send({ envelope: { from: 'shop@example.com', to: ['kunde@example.org'] }, raw });
			expect(reply.code).toBe(250);
		} finally {
			session.close();
		}
		expect(server.received).toHaveLength(before + 1);
		return server.received[before].raw;
	}

	test('a message in wire form arrives byte for byte', async () => {
		const raw = lines('Subject: wire form', '', 'Offen: 12.50 EUR', 'Gruss');
		expect(isInWireForm(raw)).toBe(true);
		expect((await roundTrip(raw)).equals(raw)).toBe(true);
	});

	test('lines starting with a dot, a lone dot included, are escaped and arrive whole', async () => {
		const raw = lines('Subject: dots', '', '.hidden', '.', '..two', 'end');
		expect((await roundTrip(raw)).equals(raw)).toBe(true);
	});

	test('bare line breaks arrive as CRLF', async () => {
		const received = await roundTrip(Buffer.from('Subject: breaks\r\n\r\none\ntwo\rthree\r\n'));
		expect(received.toString('latin1')).toBe('Subject: breaks\r\n\r\none\r\ntwo\r\nthree\r\n');
	});

	test('a composed reminder with a bare CR and dotted lines in its text still arrives as composed', async () => {
		const message = await buildReminderMessage({
			sender: { address: 'shop@example.com' },
			to: 'kunde@example.org',
			subject: 'Zahlungserinnerung',
			text: 'Zeile eins\rZeile zwei\n.\n.punkt\r\nEnde',
			html: '<p>x</p>\r.\n',
			invoiceId: 'inv-1',
			level: 1,
			runId: 'run-1',
		});
		expect(message.raw.includes('\r\n')).toBe(true);
		const received = await roundTrip(message.raw);
		expect(received.equals(message.raw)).toBe(true);
	});

	test('composed reminders hold CRLF pairs only, whatever line breaks their text had', async () => {
		for (const text of ['a\rb', 'a\nb', 'a\r\nb', 'a\r\rb\n\nc', 'Ümlaut\rzeile\n']) {
			const message = await buildReminderMessage({
				sender: { address: 'shop@example.com' },
				to: 'kunde@example.org',
				subject: 'S',
				text,
				html: `<p>${text}</p>`,
				invoiceId: 'inv-1',
				level: 1,
				runId: 'run-1',
			});
			expect(isInWireForm(message.raw)).toBe(true);
		}
	});
});
