import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Expected } from './scenarios';

export const FIXTURE_ROOT = join(__dirname, '..', '..', 'test', 'fixtures', 'bounce');

/** What test/bounce/mta-fixtures.test.ts checks for one fixture file. */
export interface FixtureExpectation extends Expected {
	invoiceId: string;
	level: number;
	originalMessageId: string;
	/** How the failure was provoked (scenarios.ts). */
	how: string;
	/** Further failed recipients the same DSN reports, in any order (scenarios.ts `alsoTo`). */
	alsoFailed?: Expected[];
}

export type ExpectedFile = Record<string, FixtureExpectation>;

export function readExpected(mta: string): ExpectedFile {
	const file = join(FIXTURE_ROOT, mta, 'expected.json');
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ExpectedFile) : {};
}

/**
 * Writes this run's DSNs and merges their expectations into expected.json: a kind this run did
 * not produce keeps its earlier fixture rather than vanishing.
 */
export function writeFixtures(mta: string, produced: { file: string; source: Buffer; expected: FixtureExpectation }[]): void {
	const dir = join(FIXTURE_ROOT, mta);
	mkdirSync(dir, { recursive: true });
	const expected = readExpected(mta);
	for (const p of produced) {
		writeFileSync(join(dir, p.file), p.source);
		expected[p.file] = p.expected;
	}
	const sorted = Object.fromEntries(Object.keys(expected).sort().map((k) => [k, expected[k]]));
	writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(sorted, null, '\t')}\n`);
}
