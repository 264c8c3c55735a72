import { messageHeaders, readHeaderFields } from '../../lib/mailbox/headers';
import { uidSet } from '../../lib/mailbox/uid-set';

describe('uidSet', () => {
	it('writes sorted, de-duplicated UIDs as compact ranges', () => {
		expect(uidSet([7, 3, 4, 5, 9, 12, 13, 14, 4])).toBe('3:5,7,9,12:14');
		expect(uidSet([42])).toBe('42');
		expect(uidSet([])).toBe('');
	});
});

describe('readHeaderFields / messageHeaders', () => {
	const raw = Buffer.from(
		[
			'Return-Path: <>',
			'Auto-Submitted: auto-replied',
			'References: <a@x>',
			'\t<b@x>',
			'X-Dunning-Invoice: RE-1',
			'X-Dunning-Level: 2',
			'Content-Type: multipart/report; report-type=delivery-status;',
			'  boundary="b1"',
			'',
			'--b1',
			'X-Dunning-Invoice: NOT-THIS-ONE',
			'',
		].join('\r\n'),
	);

	it('unfolds continuation lines and reads only the top-level header block', () => {
		const fields = readHeaderFields(raw);
		expect(fields.get('references')).toBe('<a@x> <b@x>');
		expect(fields.get('content-type')).toBe('multipart/report; report-type=delivery-status; boundary="b1"');
		expect(fields.get('x-dunning-invoice')).toBe('RE-1');
	});

	it('ends the header block at the first empty line, LF or CRLF: a CRLF body under LF-only headers adds no fields', () => {
		const mixed = Buffer.from('From: customer@example.org\nSubject: Re: Mahnung\n\nX-Dunning-Invoice: RE-QUOTED\nsee the quote\r\n\r\nbody\r\n');
		expect(readHeaderFields(mixed).has('x-dunning-invoice')).toBe(false);
		const crlf = Buffer.from('X-Dunning-Invoice: RE-9\r\n\r\nline\n\nX-Dunning-Level: 3\n');
		expect([...readHeaderFields(crlf)]).toEqual([['x-dunning-invoice', 'RE-9']]);
	});

	it('combines the server ENVELOPE with the raw fields', () => {
		const h = messageHeaders(
			{
				from: [{ name: 'Mail Delivery System', address: 'MAILER-DAEMON@mx.example' }],
				to: [{ address: 'shop@example.test' }],
				subject: 'Undelivered Mail Returned to Sender',
				date: new Date('2026-11-23T09:00:00Z'),
				messageId: '<dsn@mx.example>',
			},
			raw,
		);
		expect(h).toMatchObject({
			from: 'Mail Delivery System <MAILER-DAEMON@mx.example>',
			fromAddress: 'MAILER-DAEMON@mx.example',
			to: ['shop@example.test'],
			date: '2026-11-23T09:00:00.000Z',
			references: ['<a@x>', '<b@x>'],
			autoSubmitted: 'auto-replied',
			returnPath: '<>',
			dunningInvoice: 'RE-1',
			dunningLevel: '2',
			inReplyTo: '',
		});
	});

	it('copes with a message without a body separator or an envelope', () => {
		const h = messageHeaders(undefined, Buffer.from('Subject: only headers\nAuto-Submitted: auto-generated'));
		expect(h.autoSubmitted).toBe('auto-generated');
		expect(h.subject).toBe('');
		expect(h.date).toBeNull();
	});
});

describe('messageHeaders bounds what a server\'s ENVELOPE puts on an item', () => {
	it('cuts a 10 MiB subject, long names and ids, and keeps at most 100 addresses per list', () => {
		const huge = 'x'.repeat(10 * 1024 * 1024);
		const many = Array.from({ length: 1000 }, (_, i) => ({ name: `Name ${i}`, address: `a${i}@example.org` }));
		const h = messageHeaders(
			{
				subject: huge,
				from: [{ name: huge, address: `${huge}@example.org` }],
				replyTo: [{ name: huge, address: 'r@example.org' }],
				to: many,
				cc: many,
				messageId: `<${huge}>`,
				inReplyTo: `<${huge}>`,
			},
			Buffer.alloc(0),
		);
		expect(h.subject).toHaveLength(1000);
		expect(h.from.length).toBeLessThanOrEqual(1000 + 254 + 3);
		expect(h.fromAddress.length).toBeLessThanOrEqual(254);
		expect(h.replyTo).toBe(`${'x'.repeat(1000)} <r@example.org>`);
		expect(h.messageId.length).toBeLessThanOrEqual(998);
		expect(h.inReplyTo.length).toBeLessThanOrEqual(998);
		expect(h.to).toHaveLength(100);
		expect(h.cc).toHaveLength(100);
		expect(h.to[0]).toBe('Name 0 <a0@example.org>');
		expect(h.to[99]).toBe('Name 99 <a99@example.org>');
		expect(JSON.stringify(h).length).toBeLessThan(64 * 1024);
	});

	it('leaves ordinary values as they are and does not split a surrogate pair at the cut', () => {
		const h = messageHeaders({ subject: `${'a'.repeat(999)}😀tail`, messageId: '<id@example.org>', to: [{ address: 'x@example.org' }] }, Buffer.alloc(0));
		expect(h.subject).toBe('a'.repeat(999));
		expect(h.messageId).toBe('<id@example.org>');
		expect(h.to).toEqual(['x@example.org']);
	});
});
