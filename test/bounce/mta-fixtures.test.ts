import { existsSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';

import { classifyMessage, type BounceResult } from '../../lib/bounce';

/**
 * DSNs written by real MTAs (Postfix, Exim, OpenSMTPD, Sendmail, Courier) for failures provoked on
 * loopback by scripts/bounce-generator (npm run bounce:generate). expected.json holds what each one
 * must be classified as, from the situation and the standards, not from the classifier.
 */
const ROOT = join(__dirname, '..', 'fixtures', 'bounce');
const MTAS = ['postfix-standalone', 'exim', 'opensmtpd', 'sendmail', 'courier'].filter((m) => existsSync(join(ROOT, m, 'expected.json')));

interface Result {
	category: string;
	reason: string;
	final: boolean;
	recipient: string;
	status?: string;
}

interface Expectation extends Result {
	invoiceId: string;
	level: number;
	originalMessageId: string;
	/** Further failed recipients of the same reminder, reported in the same DSN (in any order). */
	alsoFailed?: Result[];
}

type Field = 'category' | 'reason' | 'final' | 'status';

/**
 * Fixtures the classifier gets wrong today, by field, with why. The test asserts they still miss:
 * whoever fixes one must move it out of this list.
 */
const KNOWN_MISSES: Record<string, { fields: Field[]; why: string }> = {
	'exim/host-unknown.eml': {
		fields: ['reason'],
		why: "Exim says only 'Unrouteable address' (5.0.0) for an NXDOMAIN domain, as for an unknown local part: addressDead is right, but nothing tells hostunknown from userunknown",
	},
	'opensmtpd/user-unknown-after-data.eml': {
		fields: ['reason'],
		why: "OpenSMTPD's report quotes the reply but not the command it answered (Status 5.0.0): recipientRefused is right, since nothing proves the address dead, but nothing shows the refusal came after DATA, so the reason stays the server's words, userunknown, not filtered",
	},
};

const expectations = (mta: string): Record<string, Expectation> =>
	JSON.parse(readFileSync(join(ROOT, mta, 'expected.json'), 'utf8')) as Record<string, Expectation>;

const actualOf = (r: BounceResult, field: Field): unknown => r[field];

describe('real MTA bounces (scripts/bounce-generator)', () => {
	it('fixtures come from at least four different MTAs', () => {
		expect(MTAS.length).toBeGreaterThanOrEqual(4);
	});

	it.each(MTAS)('%s: every fixture file has an expectation and every expectation a file', (mta) => {
		const files = readdirSync(join(ROOT, mta)).filter((f) => f.endsWith('.eml')).sort();
		expect(Object.keys(expectations(mta)).sort()).toEqual(files);
		expect(files.length).toBeGreaterThan(0);
	});

	it('every known miss names a fixture that exists', () => {
		for (const key of Object.keys(KNOWN_MISSES)) {
			const [mta, file] = key.split('/');
			expect(expectations(mta)[file]).toBeDefined();
		}
	});

	const cases = MTAS.flatMap((mta) => Object.entries(expectations(mta)).map(([file, want]) => ({ mta, file, want })));

	it.each(cases)('$mta/$file', async ({ mta, file, want }) => {
		const results = await classifyMessage(readFileSync(join(ROOT, mta, file)));
		// One result per failed recipient, none for one that was delivered. The DSN lists them in the
		// order the MTA tried them (OpenSMTPD's order varies from run to run), so match by address.
		const wanted: Result[] = [want, ...(want.alsoFailed ?? [])];
		expect(results.map((r) => r.recipient).sort()).toEqual(wanted.map((w) => w.recipient).sort());
		const miss = KNOWN_MISSES[`${mta}/${file}`];
		results.forEach((r) => {
			const expected = wanted.find((w) => w.recipient === r.recipient) as Result;
			// Correlation with the reminder: Send Reminder Email's headers, carried back in the DSN.
			expect({ invoiceId: r.invoiceId, level: r.level, originalMessageId: r.originalMessageId }).toEqual({
				invoiceId: want.invoiceId,
				level: want.level,
				originalMessageId: want.originalMessageId,
			});
			const fields: Field[] = ['category', 'reason', 'final', ...(expected.status ? (['status'] as const) : [])];
			for (const field of fields) {
				if (miss?.fields.includes(field)) expect(actualOf(r, field)).not.toEqual(expected[field]);
				else expect({ recipient: r.recipient, [field]: actualOf(r, field) }).toEqual({ recipient: expected.recipient, [field]: expected[field] });
			}
		});
	});
});
