/**
 * Random and hostile messages (the shapes of issue 16, built by fast-check) fed to the public
 * entry. Time is measured by `npm run bench:bounce-adversarial`, never asserted here.
 */
import fc from 'fast-check';

import { BOUNCE_CATEGORIES, BOUNCE_REASONS, classifyMessage, type BounceResult } from '../../lib/bounce';
import { REPLY_TEXT_CHARS } from '../../lib/bounce/reply';
import { LIMITS } from '../../lib/bounce/text-bounds';
import { ADVERSARIAL_SHAPES, dsn, plainBounce, reply } from './adversarial-shapes';
import { buildDsn } from './dsn-builder';

// The same cases on every run, so that CI never fails on one nobody ran before; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) });

const KINDS = ['hard', 'soft', 'autoReply', 'complaint', 'delivered', 'none'];

/** The properties every result must have, whatever came in. */
function expectWellFormed(results: BounceResult[]): void {
	expect(results.length).toBeGreaterThanOrEqual(1);
	expect(results.length).toBeLessThanOrEqual(LIMITS.recipients);
	for (const r of results) {
		expect(typeof r.isBounce).toBe('boolean');
		expect(KINDS).toContain(r.kind);
		expect(r.isBounce).toBe(r.kind === 'hard' || r.kind === 'soft');
		if (r.reason !== null) expect(BOUNCE_REASONS).toContain(r.reason);
		if (r.kind === 'none') expect(r.reason).toBeNull();
		if (r.recipient !== null) {
			expect(r.recipient.length).toBeLessThanOrEqual(LIMITS.addressChars);
			expect(r.recipient).not.toMatch(/\s/);
		}
		if (r.status !== null) expect(r.status).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
		if (r.replyCode !== null) expect(r.replyCode).toMatch(/^[245]\d\d$/);
		if (r.diagnostic !== null) expect(r.diagnostic.length).toBeLessThanOrEqual(1000);
		for (const host of [r.remoteMta, r.reportingMta]) if (host !== null) expect(host.length).toBeLessThanOrEqual(LIMITS.hostChars);
		if (r.level !== null) expect(Number.isInteger(r.level)).toBe(true);
		expect(BOUNCE_CATEGORIES).toContain(r.category);
		expect(typeof r.final).toBe('boolean');
		if (r.category === 'addressDead') expect(r.kind).toBe('hard');
		if (r.replyText !== null) {
			expect(r.category).toBe('reply');
			expect(r.replyText.length).toBeLessThanOrEqual(REPLY_TEXT_CHARS);
		}
	}
}

/** A unit repeated many times: the runs that made backtracking patterns explode. */
const run = (units: string[], max = 3000) =>
	fc.tuple(fc.constantFrom(...units), fc.integer({ min: 1, max })).map(([u, n]) => u.repeat(n));

const hostileText = fc.oneof(
	run(['AW: ', 'Re: ', 'AW: Re: ', 'Fwd: ', ' ', '\t', 'a', 'a.', 'a@', '-', '=', '<', '<br', '<script', '(', '\'', '5.5.', '550-', ' :', '\r\n ', '\r\n', '{"emailAddress":']),
	fc.string({ maxLength: 300 }),
	fc.string({ unit: 'binary', maxLength: 300 }),
	fc.tuple(run(['a', ' ', '.', '-']), fc.constantFrom('', 'x', '@', ')', '>', '\u0001')).map(([a, b]) => a + b),
);

const address = fc.oneof(fc.emailAddress(), run(['a', 'a.', '<a@', 'x@example.org, '], 2000));

/** Messages of every shape: replies, plain reports, DSNs with hostile fields, HTML parts, nested MIME. */
const message = fc.oneof(
	fc.tuple(hostileText, hostileText).map(([subject, body]) => reply(subject, body)),
	fc.tuple(hostileText, hostileText).map(([to, body]) => reply('Rechnung', body, [`To: ${to}`])),
	fc.tuple(hostileText, hostileText).map(([subject, body]) => reply(subject, body, [`In-Reply-To: <dunning.2.${'a'.repeat(32)}@shop.example>`])),
	fc.tuple(hostileText, hostileText).map(([headers, body]) =>
		reply('Fwd: x', `---------- Forwarded message ---------\r\nFrom: MAILER-DAEMON@a.example\r\nTo: ${headers}\r\n\r\n${body}`),
	),
	fc.tuple(hostileText, address).map(([body, rcpt]) => plainBounce(`${rcpt}\r\n${body}`)),
	fc.tuple(hostileText, address).map(([subject, failed]) => plainBounce('550 5.1.1 User unknown', [`X-Failed-Recipients: ${failed}`], subject)),
	fc.tuple(address, hostileText, hostileText).map(([rcpt, status, diag]) =>
		dsn(`Final-Recipient: rfc822; ${rcpt}\r\nAction: failed\r\nStatus: 5.1.1 ${status}\r\nDiagnostic-Code: smtp; ${diag}`),
	),
	fc.tuple(address, hostileText).map(([rcpt, html]) => dsn(`Final-Recipient: rfc822; ${rcpt}\r\nStatus: 5.0.0`, '', html)),
	fc.tuple(fc.integer({ min: 1, max: 30 }), hostileText).map(([depth, body]) => {
		let m = plainBounce(body);
		for (let i = 0; i < depth; i++) m = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${m}\r\n--n${i}--\r\n`;
		return `From: MAILER-DAEMON@x.example\r\nReturn-Path: <>\r\n${m}`;
	}),
	fc.tuple(fc.array(hostileText, { maxLength: 5 }), hostileText).map(([headers, body]) => `${headers.map((h, i) => `X-H${i}: ${h}`).join('\r\n')}\r\n\r\n${body}`),
);

describe('Classify Bounce on random and hostile messages', () => {
	it('never rejects and always returns well-formed results', async () => {
		await fc.assert(
			fc.asyncProperty(message, async (m) => {
				expectWellFormed(await classifyMessage(m));
			}),
			{ numRuns: 300 },
		);
	});

	it('random bytes are never a hard bounce', async () => {
		await fc.assert(
			fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), async (bytes) => {
				const results = await classifyMessage(Buffer.from(bytes));
				expectWellFormed(results);
				expect(results.some((r) => r.kind === 'hard')).toBe(false);
			}),
			{ numRuns: 200 },
		);
	});

	it('a subject with any number of reply prefixes is read in linear time: an auto-reply only without them (with them, a person answers under its subject)', async () => {
		await fc.assert(
			fc.asyncProperty(run(['AW: ', 'Re: ', 'Fwd: ', 'WG: '], 500), fc.boolean(), async (prefixes, vacation) => {
				const [r] = await classifyMessage(reply(`${prefixes}${vacation ? 'Abwesenheitsnotiz' : 'Ihre Rechnung'}`));
				expect(r.kind).toBe('none');
			}),
			{ numRuns: 50 },
		);
		expect((await classifyMessage(reply('Abwesenheitsnotiz')))[0].kind).toBe('autoReply');
	});

	it('a giant list of failed recipients yields at most the recipient limit, each a real address', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), async (n) => {
				const list = Array.from({ length: n }, (_, i) => `user${i}@example.org`).join(', ');
				const results = await classifyMessage(plainBounce('550 5.1.1 User unknown', [`X-Failed-Recipients: ${list}`]));
				expectWellFormed(results);
				expect(results.length).toBe(Math.min(n, LIMITS.recipients));
				for (const r of results) expect(r.recipient).toMatch(/^user\d+@example\.org$/);
			}),
			{ numRuns: 20 },
		);
	});

	it('a report repeating one recipient group word for word still reads the recipient after the repeats (the limit counts different groups)', async () => {
		const full = { final: 'voll@example.org', status: '4.2.2', action: 'delayed', diagnostic: 'smtp; 452 4.2.2 Mailbox full' };
		const message = buildDsn({ recipients: [...Array.from({ length: 2 * LIMITS.recipients }, () => full), { final: 'weg@example.org', status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <weg@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)' }] });
		const results = await classifyMessage(message);
		expectWellFormed(results);
		expect(results.map((r) => r.recipient)).toEqual(['voll@example.org', 'weg@example.org']);
		expect(results[1]).toMatchObject({ category: 'addressDead', reason: 'userunknown' });
	});

	it('a report listing a hundred addresses on every line, in one part or in forty: one result per address, the same either way', async () => {
		const one = await classifyMessage(ADVERSARIAL_SHAPES.listedRecipientLines(120_000));
		const many = await classifyMessage(ADVERSARIAL_SHAPES.listedRecipientParts(40 * 120_000));
		expectWellFormed(one);
		expectWellFormed(many);
		expect(many.map((r) => r.recipient)).toEqual(Array.from({ length: 100 }, (_, i) => `a${i}@example.org`));
		expect(many.map((r) => [r.recipient, r.category, r.diagnostic])).toEqual(one.map((r) => [r.recipient, r.category, r.diagnostic]));
		// Nothing names a reason: a list of addresses proves nothing about any of them.
		expect(new Set(many.map((r) => r.category))).toEqual(new Set(['recipientRefused']));
	});
});
