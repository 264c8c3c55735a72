/**
 * The allow-list of scripts/package/scan.ts, on findings written as n8n's scanner reports them
 * (ESLint's stylish format, as analyzePackage returns it in `details`).
 */
import { isAllowed, parseStylish } from '../../scripts/package/scan';

const root = '/tmp/scan/package';
const report = [
	'',
	`${root}/dist/lib/mail/smtp-session.js`,
	"   12:43  error  Require of 'nodemailer/lib/smtp-connection' is not allowed. n8n Cloud does not allow community nodes with dependencies  @n8n/community-nodes/no-restricted-imports",
	"  172:13  error  Use of restricted global 'setTimeout' is not allowed. Use the 'sleep' helper from 'n8n-workflow' instead                 @n8n/community-nodes/no-restricted-globals",
	'',
	`${root}/dist/lib/templates/defaults.js`,
	"   5:19  error  Require of 'node:fs' is not allowed. n8n Cloud does not allow community nodes with dependencies  @n8n/community-nodes/no-restricted-imports",
	"  10:44  error  Use of restricted global '__dirname' is not allowed                                              @n8n/community-nodes/no-restricted-globals",
	'',
	`${root}/dist/nodes/SendReminderEmail/SendReminderEmail.node.js`,
	"   3:1  error  Require of 'axios' is not allowed. n8n Cloud does not allow community nodes with dependencies  @n8n/community-nodes/no-restricted-imports",
	"   9:5  error  Use of restricted global 'setTimeout' is not allowed. Use the 'sleep' helper from 'n8n-workflow' instead  @n8n/community-nodes/no-restricted-globals",
	"  20:7  error  Unexpected console statement  no-console",
	"  21:7  error  Require of 'node:child_process' is not allowed. n8n Cloud does not allow community nodes with dependencies  @n8n/community-nodes/no-restricted-imports",
	'',
	`${root}/package.json`,
	'  81:3  error  The "dependencies" field must be empty or absent in community node packages.  @n8n/community-nodes/no-runtime-dependencies',
	'',
	'✖ 9 problems (9 errors, 0 warnings)',
].join('\n');

describe('scan:package allow-list', () => {
	const findings = parseStylish(report, root);

	test('reads every finding with its file, position and rule', () => {
		expect(findings).toHaveLength(9);
		expect(findings[0]).toEqual({
			file: 'dist/lib/mail/smtp-session.js',
			line: '12:43',
			message: "Require of 'nodemailer/lib/smtp-connection' is not allowed. n8n Cloud does not allow community nodes with dependencies",
			rule: '@n8n/community-nodes/no-restricted-imports',
		});
		expect(findings[8]).toMatchObject({ file: 'package.json', rule: '@n8n/community-nodes/no-runtime-dependencies' });
	});

	test('runtime dependencies, the Node modules it needs and socket timers in lib/mail pass; anything else does not', () => {
		expect(findings.map((f) => [f.file, f.line, isAllowed(f)])).toEqual([
			['dist/lib/mail/smtp-session.js', '12:43', true],
			['dist/lib/mail/smtp-session.js', '172:13', true],
			['dist/lib/templates/defaults.js', '5:19', true],
			['dist/lib/templates/defaults.js', '10:44', true],
			// Not a dependency of ours, a timer outside lib/mail, a console call, a module not on the list.
			['dist/nodes/SendReminderEmail/SendReminderEmail.node.js', '3:1', false],
			['dist/nodes/SendReminderEmail/SendReminderEmail.node.js', '9:5', false],
			['dist/nodes/SendReminderEmail/SendReminderEmail.node.js', '20:7', false],
			['dist/nodes/SendReminderEmail/SendReminderEmail.node.js', '21:7', false],
			['package.json', '81:3', true],
		]);
	});
});
