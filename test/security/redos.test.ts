/**
 * Regular expressions built at run time (`new RegExp(…)`) escape eslint-plugin-regexp, which only
 * sees literals. n8n runs nodes on its main event loop, so each is checked here with recheck for
 * super-linear backtracking, built the way the code builds it. A new `new RegExp` in lib/ or nodes/
 * fails the inventory below until it is added to the checked list.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { checkSync } from 'recheck';

import { ADDRESS_IN_TEXT_SOURCE, ADDRESS_SOURCE } from '../../lib/bounce/text-bounds';
import { SENDMAIL_SUMMARY } from '../../lib/bounce/plain-text-bounce';
import { lastReplyLinePattern, replyLinePattern } from '../../lib/bounce/report-text';
import { sesFieldPattern } from '../../lib/bounce/ses-notification';
import { continuationPrefixPattern } from '../../lib/bounce/classify';
import { LINE_SEAM } from '../../lib/mail/redact';
import { legalFormAtEnd } from '../../lib/payment/details';
import { ABSENCE, CONTACT_GONE, DELETED_UNREAD, LEAVE, LEFT, UNREAD } from '../../lib/bounce/auto-reply';
import { DIGEST, LISTS_HELD } from '../../lib/bounce/quarantine-digest';
import { phrasesOf } from '../../lib/bounce/phrases';

interface Checked {
	name: string;
	source: string;
	flags: string;
}

const re = (name: string, pattern: RegExp): Checked => ({ name, source: pattern.source, flags: pattern.flags });

/** Every pattern built at run time, with the arguments the code passes (codes, statuses, field names). */
const CHECKED: Checked[] = [
	// Searched for with "g" in header values, diagnostics and report lines.
	{ name: 'address in text', source: ADDRESS_IN_TEXT_SOURCE, flags: 'g' },
	// Only ever used sticky or anchored (headings, Sendmail summaries).
	{ name: 'address at a position', source: ADDRESS_SOURCE, flags: 'y' },
	re('Sendmail summary line', SENDMAIL_SUMMARY),
	re('multi-line reply line with status', replyLinePattern('552', '5.7.0')),
	re('multi-line reply line without status', replyLinePattern('550', null)),
	re('last line of a multi-line reply', lastReplyLinePattern('552')),
	re('continuation prefix with status', continuationPrefixPattern('550', '5.7.1')),
	re('continuation prefix without status', continuationPrefixPattern('421', '')),
	// Run over every error text a secret might hide in (seams between the lines of an SMTP reply).
	re('SMTP reply line seam', LINE_SEAM),
	// Built from the operator's legal form and run over the company name (details.ts companyFullName).
	re('legal form at the end of a name, with addition', legalFormAtEnd('GmbH & Co. KG', true)),
	re('legal form at the end of a name', legalFormAtEnd('e.K.', false)),
	...['reportingMTA', 'bounceSubType', 'complaintFeedbackType', 'smtpResponse'].map((field) => re(`SES field ${field}`, sesFieldPattern(field))),
	// Phrase tables (phrases.ts, anyPhrase) run over automatic answers and notices: one top-level
	// alternation costs the sum of its phrases, so each phrase is proved with the table's flags.
	...Object.entries({ 'contact gone': CONTACT_GONE, unread: UNREAD, 'deleted unread': DELETED_UNREAD, absence: ABSENCE, left: LEFT, leave: LEAVE, 'digest words': DIGEST, 'digest list': LISTS_HELD }).flatMap(([table, built]) =>
		phrasesOf(built).map((phrase, i) => ({ name: `phrase table ${table} #${i + 1}`, source: phrase.source, flags: built.flags })),
	),
];

/** Files and how many `new RegExp(` each holds; every one of them is among CHECKED. */
const INVENTORY: Record<string, number> = {
	'lib/bounce/classify.ts': 1,
	'lib/bounce/diagnostic-reason.ts': 1,
	'lib/bounce/message-headers.ts': 1,
	'lib/bounce/phrases.ts': 1,
	'lib/bounce/plain-text-bounce.ts': 3,
	'lib/bounce/report-text.ts': 2,
	'lib/bounce/ses-notification.ts': 1,
	'lib/mail/redact.ts': 1,
	'lib/payment/details.ts': 1,
};

const root = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return tsFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

describe('regular expressions built at run time', () => {
	it('are all in the checked list (lib/ and nodes/)', () => {
		const found: Record<string, number> = {};
		for (const file of [...tsFiles(join(root, 'lib')), ...tsFiles(join(root, 'nodes'))]) {
			const count = readFileSync(file, 'utf8').split('new RegExp(').length - 1;
			if (count) found[relative(root, file)] = count;
		}
		expect(found).toEqual(INVENTORY);
	});

	it.each(CHECKED.map((c) => [c.name, c] as const))('%s is safe from ReDoS', (_name, c) => {
		// The automaton checker proves small patterns; the fuzzer takes over where bounded
		// repetitions ({1,64}) make the automaton too large. Both give up after the timeout, which
		// leaves room under the test's own 30 s. The fuzzer's own limits count characters read, not
		// milliseconds (recheck's attack and incubation timeouts off): on a busy machine a slow run
		// otherwise reads as an attack, and the verdict would depend on the load.
		const result = checkSync(c.source, c.flags, { timeout: 25_000, attackTimeout: null, incubationTimeout: null, seedingTimeout: null });
		expect({ status: result.status, source: c.source }).toEqual({ status: 'safe', source: c.source });
	});
});
