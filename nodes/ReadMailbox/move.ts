/**
 * The "Move Messages" operation of Read Mailbox: moves the messages that incoming items point to
 * (e.g. only the bounces Classify Bounce found), so ordinary mail stays where it is.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { MailAuth, MailServer } from '../../lib/mail/server';
import { folderNameProblem, MailboxError, moveMessages, type MessageRef, type MoveOutcome } from '../../lib/mailbox';
import { errorItem } from '../shared/error-item';
import { timeoutMsFrom, withMailboxLogin } from './login';
import { folderSetting, markedDeletedWarning, noProcessedFolder } from './run';
import { FOLDER_NAME_HINT, timeoutOption } from './properties';

const show = { show: { operation: ['move'] } };

export const moveMessagesProperties: INodeProperties[] = [
	{
		displayName:
			'Moves the messages that the incoming items point to, e.g. the bounces from Classify Bounce, so that replies from customers stay in the inbox. The fields below take the UID and folder that Read Mailbox put on each item; leave them as they are unless you renamed those fields.',
		name: 'moveNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Message UID',
		name: 'uid',
		type: 'string',
		default: '={{ $json.uid }}',
		required: true,
		displayOptions: show,
		description: 'The IMAP UID of the message to move, as Read Mailbox outputs it in the "uid" field',
	},
	{
		displayName: 'From Folder',
		name: 'fromFolder',
		type: 'string',
		default: '={{ $json.folder }}',
		required: true,
		displayOptions: show,
		description: 'The folder the message is in now, as Read Mailbox outputs it in the "folder" field',
	},
	{
		displayName: 'Folder Version (UIDVALIDITY)',
		name: 'uidValidity',
		type: 'string',
		default: '={{ $json.uidValidity }}',
		displayOptions: show,
		description:
			'Guards against moving the wrong message: if the server renumbered the folder since it was read, the item fails instead. Leave as is; empty skips the check.',
	},
	{
		displayName: 'To Folder',
		name: 'toFolder',
		type: 'string',
		default: '',
		placeholder: 'e.g. Dunning/Bounces',
		displayOptions: show,
		description: 'Where the messages go, the same for all items. Empty = the Processed Folder set in the IMAP credential; with a Microsoft 365 or Google sign-in, fill it in.',
		hint: FOLDER_NAME_HINT,
	},
	{
		displayName: 'Create Folder If Missing',
		name: 'createFolder',
		type: 'boolean',
		default: false,
		displayOptions: show,
		description: 'Whether to create the destination folder if it does not exist. When off, a missing folder stops the run with an error before anything moves.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [timeoutOption],
	},
];

type ItemRef = { ok: true; ref: MessageRef } | { ok: false; error: string };

function present(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/** Reads one item's reference; a bad value fails that item only, naming the item and the field. */
function itemRef(ctx: IExecuteFunctions, i: number): ItemRef {
	const rawUid = ctx.getNodeParameter('uid', i, '') as unknown;
	const uid = typeof rawUid === 'string' && rawUid.trim() !== '' ? Number(rawUid) : rawUid;
	if (typeof uid !== 'number' || !Number.isInteger(uid) || uid <= 0) {
		return { ok: false, error: `Item ${i}: "Message UID" must be a whole number ≥ 1 (the "uid" field of Read Mailbox), got ${JSON.stringify(rawUid ?? null)}.` };
	}
	const folder = String(ctx.getNodeParameter('fromFolder', i, '') ?? '').trim();
	if (!folder) return { ok: false, error: `Item ${i}: "From Folder" is empty (the "folder" field of Read Mailbox).` };
	const problem = folderNameProblem(folder);
	if (problem) return { ok: false, error: `Item ${i}: "From Folder" ${problem}.` };
	const uidValidity = ctx.getNodeParameter('uidValidity', i, '') as unknown;
	return { ok: true, ref: { uid, folder, uidValidity: present(uidValidity) ? String(uidValidity) : undefined } };
}

export async function executeMoveMessages(ctx: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const refs = items.map((_, i) => itemRef(ctx, i));
	const valid = refs.flatMap((r) => (r.ok ? [r.ref] : []));
	const toFolder = folderSetting(String(ctx.getNodeParameter('toFolder', 0, '') ?? '').trim(), '"To Folder" (toFolder)');
	const createFolder = ctx.getNodeParameter('createFolder', 0, false) === true;
	const timeoutMs = timeoutMsFrom(ctx.getNodeParameter('options', 0, {}) as IDataObject);

	let outcomes: MoveOutcome[] = [];
	if (valid.length > 0) {
		// The cancel signal stops waiting for an OAuth2 token refresh; the moving itself does not watch it.
		const result = await withMailboxLogin(ctx, timeoutMs, ({ processedFolder, oauth2 }) => {
			const destination = toFolder || folderSetting(processedFolder, 'The "Processed Folder" of the IMAP credential (used as "To Folder" is empty)');
			if (!destination) {
				throw new MailboxError('invalidOptions', `No destination folder: fill in "To Folder" ${noProcessedFolder(oauth2)}.`);
			}
			return async (server: MailServer, auth: MailAuth) => await moveMessages(server, auth, valid, { destination, createFolder });
		}, ctx.getExecutionCancelSignal());
		outcomes = result.outcomes;
		if (result.markedDeleted > 0) {
			ctx.addExecutionHints({
				message: markedDeletedWarning(result.markedDeleted, 'their folder', 'move'),
				type: 'warning',
				location: 'outputPane',
			});
		}
	}
	let next = 0;
	const continueOnFail = ctx.continueOnFail();
	return items.map((item, i) => {
		const r = refs[i];
		const move: IDataObject = r.ok ? { ...outcomes[next++] } : { status: 'failed', error: r.error };
		// An item without a usable UID or folder is bad input; a message the server could not move is an outcome.
		if (!r.ok && continueOnFail) return errorItem(ctx, { ...item.json, move }, i, r.error, item.binary);
		return { json: { ...item.json, move }, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: i } };
	});
}
