/** Parameters shared by Read Mailbox and On New Mailbox Message, in the order the panel shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { mailboxAuthenticationProperty } from '../shared/mailbox-auth';
import { MAX_TIMEOUT_SECONDS } from '../shared/timeout';


/** Default of "Max Message Size (MB)": what common providers accept per message (Gmail: 25 MB). */
export const DEFAULT_MAX_MESSAGE_MB = 25;

/** Shared by reading and moving (login.ts reads it); each operation shows it in its own Options. */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS, numberPrecision: 0 },
	default: 30,
	description:
		'How long to wait for the server to connect or answer before giving up (at most 3600). Also the longest one message may take to arrive: raise it for large messages over a slow connection.',
};

/**
 * Read Mailbox's "Save Position" (position.ts). Not on the trigger: its poll ends before the
 * workflow it starts runs, so there is no later step in the same execution to confirm.
 */
export const SAVE_POSITION_OPTION: INodeProperties = {
	displayName: 'Save Position',
	name: 'savePosition',
	type: 'options',
	displayOptions: { show: { '/mode': ['sinceUid'] } },
	options: [
		{
			name: 'At a Confirm Position Step',
			value: 'confirmStep',
			description:
				'Remember where this run read to only when a later "Confirm Read Position" step of Read Mailbox is reached. If the run fails before it (a table error, a lost connection), the next run reads the same messages again instead of losing them, so make the steps after this node safe to repeat. Only what is still in the folder is read again: messages moved or deleted by After Reading (or by a later step) are not. Read Mailbox nodes with this option on the same folder of the same mailbox share one position: in one run, the second reads only what came after the first.',
		},
		{
			name: 'When Read',
			value: 'whenRead',
			description: 'Remember where this node read to at once. If a later step of the run fails, the messages of that run are not read again.',
		},
	],
	default: 'whenRead',
	description: 'When "New Since Last Run" moves on past the messages this run read',
};

/**
 * Read Mailbox's "Only Message-ID" (lib/mailbox/fetch.ts searches it with IMAP SEARCH HEADER, and looks
 * through the envelopes of what the mode selects where the server refuses that search or its index
 * lags). Not on the trigger: a poll that waits for one known message is no trigger, and its position
 * must move on.
 */
export const ONLY_MESSAGE_ID_OPTION: INodeProperties = {
	displayName: 'Only Message-ID',
	name: 'onlyMessageId',
	type: 'string',
	default: '',
	placeholder: 'e.g. <abc.123@example.com>',
	description:
		'Read only the message with this Message-ID (with or without angle brackets), e.g. to find one message you sent. Empty: all messages the mode selects. The server searches for it; where it cannot, or has not indexed a message that just arrived, the Message-ID in the envelope (a few header fields, not the content) of each message the mode selects is compared instead. Either way no other message is downloaded, and Max Messages counts only the matches. A run with this option never moves the "New Since Last Run" position.',
};

/** Where folder names go wrong: the separator and provider prefixes. */
export const FOLDER_NAME_HINT =
	'The folder’s full name as the server lists it, with its separator: "Dunning/Processed" on most servers, "INBOX.Dunning.Processed" on some (Courier, many cPanel hosts), "[Gmail]/…" for Gmail’s own folders. A wrong name fails naming the existing folders.';

export function readMailboxProperties(trigger: boolean): INodeProperties[] {
	const properties: INodeProperties[] = [
		mailboxAuthenticationProperty('IMAP'),
		{
			displayName: 'Folder',
			name: 'folder',
			type: 'string',
			default: '',
			placeholder: 'e.g. INBOX',
			description:
				'Folder to read, e.g. INBOX. Empty = the inbox folder set in the IMAP credential (INBOX for Microsoft 365 and Google).',
			hint: FOLDER_NAME_HINT,
		},
		{
			displayName: 'Read',
			name: 'mode',
			type: 'options',
			options: [
				{
					name: 'New Since Last Run',
					value: 'sinceUid',
					description:
						'Messages that arrived after the last one this node read (by IMAP UID). Works with any post-action; a message is read once (a manual run in the editor does not move the position, so the next run reads its messages again).',
				},
				{
					name: 'Unread Only',
					value: 'unseen',
					description: 'Every message not marked as read. Combine with "Mark as Read", "Move to Folder" or "Delete", or the same messages come back every run.',
				},
			],
			default: 'sinceUid',
		},
		{
			displayName: 'On First Run',
			name: 'firstRun',
			type: 'options',
			displayOptions: { show: { mode: ['sinceUid'] } },
			options: [
				{
					name: 'Read Messages Already There',
					value: 'all',
					description: 'Start with the oldest message in the folder (at most "Max Messages" per run)',
				},
				{
					name: 'Only Messages Arriving From Now On',
					value: 'newOnly',
					description: 'Remember where the folder ends now and read only what arrives later',
				},
			],
			default: 'all',
			description: 'What to do when this node has not read the folder before (or the server renumbered the folder)',
		},
		{
			displayName: 'Max Messages',
			name: 'maxMessages',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100000, numberPrecision: 0 },
			default: 50,
			description: 'At most this many messages per run; the rest are read in the next run. 0 = no limit.',
		},
		{
			displayName: 'After Reading',
			name: 'postAction',
			type: 'options',
			options: [
				{ name: 'Delete', value: 'delete', description: 'Delete the message from the server, not into Trash (Gmail keeps it in All Mail; a server without UIDPLUS only marks it as deleted)' },
				{ name: 'Do Nothing', value: 'none', description: 'Leave the message as it is' },
				{ name: 'Mark as Read', value: 'seen', description: 'Mark the message as read on the server' },
				{ name: 'Move to Folder', value: 'move', description: 'Move the message to another folder, e.g. "Dunning/Processed"' },
			],
			default: 'seen',
			description: 'What happens on the server to each message this node read. Applies to every message read, not only bounces.',
			hint: 'Applies to ordinary customer mail too: in a shared inbox prefer "Do Nothing" or "Mark as Read", and move only the bounces later in the workflow (Read Mailbox → Move Messages).',
		},
		{
			displayName:
				'With "Unread Only" and "Do Nothing" the same unread messages are read again on every run: fine for a one-off look (as the shipped Mailbox check does). In a workflow that runs on a schedule, choose "Mark as Read" or "Move to Folder" under After Reading, or read "New Since Last Run".',
			name: 'unreadAgainNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { mode: ['unseen'], postAction: ['none'] } },
		},
		{
			displayName: 'Move to Folder',
			name: 'moveToFolder',
			type: 'string',
			default: '',
			placeholder: 'e.g. Dunning/Processed',
			displayOptions: { show: { postAction: ['move'] } },
			description: 'Destination folder. Empty = the Processed Folder set in the IMAP credential; with a Microsoft 365 or Google sign-in, fill it in.',
			hint: FOLDER_NAME_HINT,
		},
		{
			displayName: 'Create Folder If Missing',
			name: 'createFolder',
			type: 'boolean',
			default: false,
			displayOptions: { show: { postAction: ['move'] } },
			description: 'Whether to create the destination folder if it does not exist. When off, a missing folder stops the run with an error before anything is read.',
		},
		...(trigger
			? [
					{
						displayName: '"Fetch Test Event" shows messages without marking, moving or deleting them, and does not move the "last run" position',
						name: 'testNotice',
						type: 'notice',
						default: '',
					} satisfies INodeProperties,
				]
			: []),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			// Sorted by label, as n8n sorts collection options.
			options: [
				{
					displayName: 'Max Message Size (MB)',
					name: 'maxMessageMb',
					type: 'number',
					typeOptions: { minValue: 1, numberPrecision: 0 },
					default: DEFAULT_MAX_MESSAGE_MB,
					description:
						'Larger messages are not read: counted on the bytes as they arrive, not on the size the server announces, so a broken or hostile server cannot fill n8n\'s memory. Each one becomes an item with "tooLarge": true, its UID, no binary and, when the server announced its size, its subject, sender, recipients, date and Message-ID; "Delete" leaves it in the folder.',
				},
				{
					displayName: 'Min Age (Seconds)',
					name: 'minAgeSeconds',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 604800, numberPrecision: 0 },
					default: 0,
					description:
						'Leave messages that arrived less than this long ago (and every message after them) for a later run. Use it when what the messages answer is recorded a little after sending: the shipped bounce processing waits 120 s, so that a quick bounce is never read before the sender has recorded its reminder\'s Message-ID. At most 604800 (7 days).',
				},
				...(trigger ? [] : [ONLY_MESSAGE_ID_OPTION]),
				{
					displayName: 'Put Output File in Field',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
					description: 'Name of the output binary field that receives the raw message (.eml), e.g. for the Classify Bounce node',
				},
				...(trigger ? [] : [SAVE_POSITION_OPTION]),
				timeoutOption,
			],
		},
	];
	if (!trigger) return readNodeProperties(properties);
	// A trigger reacts to what arrives from now on and, by default, leaves the mailbox as it is.
	const triggerDefaults: Record<string, string> = { firstRun: 'newOnly', postAction: 'none' };
	return properties.map((p) => (p.name in triggerDefaults ? { ...p, default: triggerDefaults[p.name] } : p));
}

/**
 * Read Mailbox's own differences. Version 1.1 reads with "After Reading: Do Nothing" by default
 * (the safe choice in a shared inbox). n8n stores only parameters that differ from their default, so
 * version 1 keeps "Mark as Read": a version 1 node saved with that default keeps marking after an
 * update, instead of reading the same unread messages again in every run.
 */
function readNodeProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((p) => {
		if (p.name === 'mode') return [{ ...p, hint: MANUAL_RUN_HINT }];
		if (p.name !== 'postAction') return [p];
		const forVersions = (version: NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>['@version']) => ({
			...p.displayOptions,
			show: { ...p.displayOptions?.show, '@version': version },
		});
		return [
			{ ...p, default: 'seen', displayOptions: forVersions([1]) },
			{ ...p, default: 'none', displayOptions: forVersions([{ _cnd: { gte: 1.1 } }]) },
		];
	});
}

/**
 * True of n8n, not of this node: the node keeps its position in the workflow's static data on every
 * run, but n8n saves static data only after runs that are not manual (Schedule, Webhook, an active
 * trigger, `n8n execute`). "After Reading" does act in a manual run.
 */
export const MANUAL_RUN_HINT =
	'A manual run in the editor (Execute Workflow or Execute Step) does not move the saved position: "New Since Last Run" advances only in runs started by a trigger, e.g. Schedule. "After Reading" does act in a manual run.';
