/**
 * Texts of the editor panel that must say what the code does: the defaults they name, what a node
 * reads, what a credential needs, and the errors of folder settings per sign-in.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { DunningGoogleOAuth2Api } from '../../credentials/DunningGoogleOAuth2Api.credentials';
import { DunningImapApi } from '../../credentials/DunningImapApi.credentials';
import { DEFAULT_POLICY } from '../../lib/dunning';
import { ComputeDunningLevel } from '../../nodes/ComputeDunningLevel/ComputeDunningLevel.node';
import { CreateReminderLetter } from '../../nodes/CreateReminderLetter/CreateReminderLetter.node';
import { DunningPace } from '../../nodes/DunningPace/DunningPace.node';
import { MailboxHealth } from '../../nodes/MailboxHealth/MailboxHealth.node';
import { ReadMailbox } from '../../nodes/ReadMailbox/ReadMailbox.node';
import { ReadMailboxTrigger } from '../../nodes/ReadMailbox/ReadMailboxTrigger.node';
import { PACKAGE_PREFIX, loadPackage, node, runWorkflow } from '../harness/engine';

const notices = (properties: INodeProperties[]) => properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
const classifyDescription = (version: number) => loadPackage().nodeTypes.getByNameAndVersion(`${PACKAGE_PREFIX}.classifyBounce`, version).description;

describe('Compute Dunning Level notice', () => {
	const [notice] = notices(new ComputeDunningLevel().description.properties);

	it('says what to write back after sending, and what happens if not', () => {
		expect(notice).toContain('write dunning.level back to the invoice’s currentLevel and the send date to lastDunnedAt');
		expect(notice).toContain('else the next run decides the same level again');
	});

	it('names the timezone dates are read in: the default of Rules › Timezone and of the policy', () => {
		const rules = new ComputeDunningLevel().description.properties.find((p) => p.name === 'rules');
		const timezone = (rules?.options as INodeProperties[]).find((o) => o.name === 'timezone');
		expect(timezone?.default).toBe(DEFAULT_POLICY.timezone);
		expect(notice).toContain(`Dates and “today” are read in ${DEFAULT_POLICY.timezone} unless you add Rules › Timezone`);
	});
});

it('Dunning Pace’s notice does not claim to read the Data Table: the next sending time is passed in', () => {
	const [notice] = notices(new DunningPace().description.properties);
	expect(notice).not.toMatch(/^Reads/);
	expect(notice).toContain('this node reads no table');
	expect(new DunningPace().description.properties.map((p) => p.name)).toContain('nextSendAt');
});

it('subtitles are in Title Case; one-sentence notices end without a period', () => {
	const subtitles: Array<[INodeTypeDescription, string[]]> = [
		[new ComputeDunningLevel().description, ['Policy From JSON', 'Send / Paper / No Action']],
		[new CreateReminderLetter().description, ['Join Into Print Batch', 'One PDF per Reminder']],
		[new DunningPace().description, ['Plan Sending Slots']],
		[new MailboxHealth().description, ['Check Before Sending', 'Record Sender Refusals', 'Record Send Result']],
		[new ReadMailbox().description, ['Move to ', 'Processed Folder']],
		[classifyDescription(1), ['From Field ', 'From Email Trigger Fields', 'From Binary Field ']],
		[classifyDescription(2), ['From Field ', 'From Email Trigger Fields', 'From Binary Field ']],
	];
	for (const [description, parts] of subtitles) {
		for (const part of parts) expect(description.subtitle).toContain(part);
	}
	const oneSentence = [
		...notices(classifyDescription(2).properties).filter((n) => n.startsWith('For the most reliable results')),
		...notices(new ReadMailboxTrigger().description.properties).filter((n) => n.startsWith('"Fetch Test Event"')),
	];
	expect(oneSentence).toHaveLength(2);
	for (const n of oneSentence) expect(n).not.toMatch(/\.$/);
});

it('Classify Bounce reads what Read Mailbox passes on: Max Message Size defaults to 25 MB in both', () => {
	const option = (properties: INodeProperties[], name: string) => (properties.find((p) => p.name === 'options')?.options as INodeProperties[]).find((o) => o.name === name);
	const read = option(new ReadMailbox().description.properties, 'maxMessageMb');
	expect(read?.default).toBe(25);
	for (const version of [1, 2]) expect(option(classifyDescription(version).properties, 'maxSizeMb')?.default).toBe(read?.default);
});

describe('mailbox credentials and folder names', () => {
	it('Gmail needs no "IMAP enabled" step any more; GMX and Web.de still do', () => {
		const google = notices(new DunningGoogleOAuth2Api().properties).join(' ');
		const imap = notices(new DunningImapApi().properties).join(' ');
		expect(google).not.toMatch(/IMAP must be enabled/);
		expect(imap).toContain('GMX and Web.de also need IMAP switched on in the mailbox settings');
		expect(imap).not.toMatch(/Gmail[^.;]*IMAP switched on/);
	});

	it('the folder fields of Read Mailbox and Move Messages say how folder names are written', () => {
		const properties = new ReadMailbox().description.properties;
		for (const name of ['folder', 'moveToFolder', 'toFolder']) {
			const hint = properties.find((p) => p.name === name)?.hint;
			expect(hint).toContain('"INBOX.Dunning.Processed"');
			expect(hint).toContain('"[Gmail]/…"');
		}
	});

	it('Move Messages without To Folder: with a Microsoft 365 or Google sign-in the error names only "To Folder"', async () => {
		const move = (authentication: string) =>
			runWorkflow({
				nodes: [
					node('readMailbox', 'Move', { operation: 'move', authentication, toFolder: '' }, {
						credentials: { dunningImapApi: { id: '1', name: 'Shop mailbox' }, dunningMicrosoftOAuth2Api: { id: '2', name: 'Shop 365' } },
					}),
				],
				input: { node: 'Move', items: [{ json: { uid: 1, folder: 'INBOX' } }] },
				credentials: {
					dunningImapApi: { host: '127.0.0.1', port: 1, security: 'none', user: 'shop@example.test', password: 'x', processedFolder: '' },
					dunningMicrosoftOAuth2Api: { email: 'shop@example.test' },
				},
			});
		expect((await move('microsoftOAuth2')).nodeError('Move')?.message).toContain(
			'No destination folder: fill in "To Folder" (a Microsoft 365 or Google sign-in has no Processed Folder to fall back on).',
		);
		expect((await move('password')).nodeError('Move')?.message).toContain('No destination folder: fill in "To Folder" (or the Processed Folder of the IMAP credential).');
	});
});
