/**
 * What Read Mailbox and On New Mailbox Message do with their parameters: pick the login, read the
 * folder through lib/mailbox, keep the "last UID" position in the node's static data, and turn
 * each message into an item (raw message as binary, headers as JSON).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { OAuth2CancelledError } from '../../lib/mail/oauth2';
import type { MailAuth, MailServer } from '../../lib/mail/server';
import {
	folderNameProblem,
	MailboxError,
	readMailbox,
	type FetchedMessage,
	type PostAction,
	type ReadMailboxOptions,
	type ReadMailboxResult,
	type ReadMode,
} from '../../lib/mailbox';
import { bareMessageId } from '../../lib/mailbox/fetch';
import { readNumberSetting, type NumberRule } from '../shared/number-setting';
import { timeoutMsFrom, withMailboxLogin, type MailboxNodeContext } from './login';
import { confirmStepStore, whenReadStore, type PositionStore, type SavePosition } from './position';
import { DEFAULT_MAX_MESSAGE_MB } from './properties';

export interface ReadParameters {
	folder: string;
	mode: ReadMode;
	firstRun: 'all' | 'newOnly';
	maxMessages: number;
	postAction: 'none' | 'seen' | 'delete' | 'move';
	moveToFolder: string;
	createFolder: boolean;
	binaryPropertyName: string;
	timeoutMs: number;
	maxMessageBytes: number;
	minAgeMs: number;
	/** When "New Since Last Run" moves its position: as it reads, or at a later Confirm Read Position step. */
	savePosition: SavePosition;
	/** "Only Message-ID" (Read Mailbox only), without brackets; undefined when empty. Never saves a position. */
	onlyMessageId?: string;
}

/** Poll and execute contexts take parameters differently (no item index in a poll). */
function param<T>(ctx: MailboxNodeContext, name: string, fallback: T): T {
	if ('getInputData' in ctx) return (ctx as IExecuteFunctions).getNodeParameter(name, 0, fallback) as T;
	return (ctx as IPollFunctions).getNodeParameter(name, fallback) as T;
}

/**
 * A folder name from a setting, refused before anything connects when IMAP cannot carry it (a line
 * break): the server's "Unquotable character" would not say which setting holds it.
 */
export function folderSetting(value: string, setting: string): string {
	const problem = folderNameProblem(value);
	if (problem) throw new MailboxError('invalidOptions', `${setting} ${problem}.`);
	return value;
}

/** Throws, naming the setting, for a value the node cannot use; the trigger and Read Mailbox read the same way. */
export function readParameters(ctx: MailboxNodeContext): ReadParameters {
	const options = param<IDataObject>(ctx, 'options', {});
	const mode = param<string>(ctx, 'mode', 'sinceUid');
	const rawPostAction = param<string>(ctx, 'postAction', 'none');
	const postAction = rawPostAction === 'seen' || rawPostAction === 'delete' || rawPostAction === 'move' ? rawPostAction : 'none';
	const moveToFolder = String(param(ctx, 'moveToFolder', '')).trim();
	return {
		folder: folderSetting(String(param(ctx, 'folder', '')).trim(), '"Folder" (folder)'),
		mode: mode === 'unseen' ? 'unseen' : 'sinceUid',
		firstRun: param<string>(ctx, 'firstRun', 'all') === 'newOnly' ? 'newOnly' : 'all',
		maxMessages: maxMessagesFrom(param<unknown>(ctx, 'maxMessages', DEFAULT_MAX_MESSAGES)),
		postAction,
		moveToFolder: postAction === 'move' ? folderSetting(moveToFolder, '"Move to Folder" (moveToFolder)') : moveToFolder,
		createFolder: param<boolean>(ctx, 'createFolder', false) === true,
		binaryPropertyName: String(options.binaryPropertyName ?? 'data').trim() || 'data',
		timeoutMs: timeoutMsFrom(options),
		maxMessageBytes: maxMessageBytesFrom(options),
		minAgeMs: minAgeMsFrom(options),
		// Only Read Mailbox offers the option: a trigger's execution has no step after it in the same poll.
		savePosition: 'getInputData' in ctx && options.savePosition === 'confirmStep' ? 'confirmStep' : 'whenRead',
		// Only Read Mailbox offers it (properties.ts); a trigger ignores it: its position must move on.
		...('getInputData' in ctx ? onlyMessageIdFrom(options.onlyMessageId) : {}),
	};
}

/**
 * The Options' "Only Message-ID" without angle brackets; none when empty (an expression giving "", null
 * or nothing reads what the mode selects, as the description says). Anything else that is not one
 * Message-ID fails naming the option: read as "no match" it would look like a message that never came.
 */
function onlyMessageIdFrom(value: unknown): { onlyMessageId?: string } {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return {};
	if (typeof value !== 'string') throw new MailboxError('invalidOptions', `Option "Only Message-ID" (onlyMessageId) must be text, got ${typeof value}.`);
	const id = bareMessageId(value);
	if (typeof id !== 'string') throw new MailboxError('invalidOptions', `Option "Only Message-ID" (onlyMessageId) ${id.problem}.`);
	return { onlyMessageId: id };
}

/** A number setting under `rule`; a value it refuses fails naming the setting, followed by `fix`. */
function numberSetting(value: unknown, setting: string, rule: NumberRule, fix: string): number {
	const read = readNumberSetting(value, rule);
	if ('value' in read) return read.value;
	throw new MailboxError('invalidOptions', `${setting} ${read.problem}. ${fix}`);
}

/** Default of "Max Messages" (the panel's). */
const DEFAULT_MAX_MESSAGES = 50;

/**
 * Most messages per run: more items than one n8n execution comfortably holds (each carries its
 * message as binary). A larger count is no sensible batch but a wrong value (an ID or a date from an
 * expression); to read everything there is 0.
 */
const MAX_MESSAGES_LIMIT = 100_000;

/**
 * "Max Messages": a whole number from 0 (no limit) to MAX_MESSAGES_LIMIT; the default when unset. An
 * expression giving "" or null was 0 (no limit) and "abc" failed as "got NaN" without naming the setting.
 */
function maxMessagesFrom(value: unknown): number {
	return numberSetting(
		value,
		'"Max Messages" (maxMessages)',
		{ min: 0, max: MAX_MESSAGES_LIMIT, whole: true, unsetIs: DEFAULT_MAX_MESSAGES },
		`Set how many messages to read per run (0 = all of them; the default is ${DEFAULT_MAX_MESSAGES}).`,
	);
}

/**
 * Longest "Min Age (Seconds)": 7 days. The wait is for what the messages answer to be recorded
 * (seconds to minutes; the shipped bounce processing waits 120 s), and a young message holds up every
 * message after it: beyond a week it is a unit mistake (milliseconds?), and 1e20 read nothing ever.
 */
const MAX_MIN_AGE_SECONDS = 7 * 24 * 3600;

/**
 * The Options' "Min Age (Seconds)" in ms (fractions allowed); 0 when unset. "abc", -5 or an object
 * were quietly 0 (no wait: a bounce read before its reminder is recorded), so they fail naming the option.
 */
function minAgeMsFrom(options: IDataObject): number {
	const rule: NumberRule = { min: 0, max: MAX_MIN_AGE_SECONDS, unit: 'seconds', maxInWords: '7 days', unsetIs: 0 };
	const seconds = numberSetting(options.minAgeSeconds, 'Option "Min Age (Seconds)" (minAgeSeconds)', rule, 'Remove the option to use the default (0: no wait).');
	return Math.round(seconds * 1000);
}

/**
 * The Options' "Max Message Size (MB)" in bytes; the default when unset. An expression may give
 * anything: "abc", "" or 0 would quietly be the default, so they fail naming the option (as Classify
 * Bounce's "Max Message Size (MB)" does). A number given as text is a number.
 */
function maxMessageBytesFrom(options: IDataObject): number {
	const rule: NumberRule = { min: 0, minExclusive: true, unsetIs: DEFAULT_MAX_MESSAGE_MB };
	const mb = numberSetting(options.maxMessageMb, 'Option "Max Message Size (MB)" (maxMessageMb)', rule, `Remove the option to use the default (${DEFAULT_MAX_MESSAGE_MB} MB).`);
	return Math.round(mb * 1024 * 1024);
}

export interface RunOptions {
	/** "Fetch Test Event" of the trigger: nothing is changed on the server or in the position. */
	preview: boolean;
	/** Stop reading when this fires (a poll's time budget); the rest waits for the next run. */
	signal?: AbortSignal;
	/** The execution's ID: a position left for a Confirm Read Position step is this execution's only. */
	executionId?: string;
}

/** A message that could not be made into an item (say, binary storage full); it was left untouched. */
export interface ItemFailure {
	/** The item's fields: which message, for an error item. */
	json: IDataObject;
	message: string;
}

export interface RunOutcome {
	items: INodeExecutionData[];
	result: ReadMailboxResult;
	failure?: ItemFailure;
	/** Words for messages moved or deleted but only flagged \Deleted (no UIDPLUS/MOVE on the server). */
	markedDeletedWarning?: string;
}

/**
 * Words for a run that stopped early after emitting messages (`result.stopped`): the messages are
 * kept and the position saved, and the next run starts with the one that stopped this run.
 */
export function stoppedWarning(result: ReadMailboxResult): string | undefined {
	if (!result.stopped) return undefined;
	const left = result.postActionFailed?.length ?? 0;
	// Only Unread Only fills readAgain (it has no position to go on after): the ones it could not
	// mark read come again; the position, or marking them read instead, keeps the others back.
	const again = result.readAgain?.length ?? 0;
	const readAgain = again
		? `${again} of them are still unread and are read again in the next run${again < left ? ', the others are not' : ''}.`
		: 'they are not read again. The next run goes on after them.';
	const after = left
		? ` ${left} of them may not have been marked, moved or deleted (their afterReading is "failed"): look at them in the folder; ${readAgain}`
		: ' The next run starts with the message that stopped this one.';
	return `Read ${result.fetched} message(s), then stopped: ${result.stopped.message}${after}`;
}

/** Words for a folder the server renumbered since the last run (its UIDVALIDITY changed). */
export function renumberedWarning(result: ReadMailboxResult, p: ReadParameters): string | undefined {
	if (!result.uidValidityChanged || p.mode !== 'sinceUid') return undefined;
	return p.firstRun === 'newOnly'
		? 'The mail server renumbered this folder since the last run (its UIDVALIDITY changed; a migration or a repair). The messages that arrived since the last run were read; the next runs go on from here.'
		: 'The mail server renumbered this folder since the last run (its UIDVALIDITY changed; a migration or a repair), so the folder was read from the start: messages passed on before may have come again.';
}

/** Position per mailbox and folder, so changing either starts afresh instead of skipping mail. */
function stateKey(server: MailServer, auth: MailAuth, folder: string): string {
	return `${auth.user}@${server.host}:${server.port}/${folder}`;
}

function actionLabel(postAction: PostAction): string {
	return { none: 'none', seen: 'markedRead', delete: 'deleted', move: 'moved' }[postAction.type];
}

export async function runReadMailbox(ctx: MailboxNodeContext, p: ReadParameters, run: RunOptions): Promise<RunOutcome> {
	const store = positionStore(ctx, p, run);
	const items: INodeExecutionData[] = [];
	let folderRead = '';
	let mailbox = '';

	const result = await withMailboxLogin(ctx, p.timeoutMs, ({ inboxFolder, processedFolder, oauth2 }) => {
		const folder = p.folder || folderSetting(inboxFolder, 'The "Inbox Folder" of the IMAP credential (used as "Folder" is empty)');
		const postAction = postActionFor(p, run, processedFolder, oauth2);
		return async (server: MailServer, auth: MailAuth): Promise<ReadMailboxResult> => {
			items.length = 0;
			const key = stateKey(server, auth, folder);
			const options: ReadMailboxOptions = {
				folder,
				mode: p.mode,
				state: store.start(key),
				firstRun: run.preview ? 'all' : p.firstRun,
				maxMessages: p.maxMessages,
				postAction,
				signal: run.signal,
				maxMessageBytes: p.maxMessageBytes,
				minAgeMs: p.minAgeMs,
				...(p.onlyMessageId !== undefined ? { onlyMessageId: p.onlyMessageId } : {}),
			};
			// Each item is complete before its message is marked, moved or deleted; one that cannot be
			// built stops the run there (readMailbox leaves that message and the rest untouched).
			const read = await readMailbox(server, auth, options, async (message) => {
				items.push(await toItem(ctx, message, auth.user, p, postAction));
			});
			folderRead = folder;
			mailbox = auth.user;
			// No position when none was known (cancelled before the folder was opened on a first run), nor
			// after "Only Message-ID": the messages it skipped were not read (lib returns the state unchanged too).
			if (!run.preview && p.mode === 'sinceUid' && p.onlyMessageId === undefined && read.state.uidValidity !== '') store.save(key, read.state, items.length > 0);
			return read;
		};
	}, run.signal).catch((error: unknown) => nothingReadIfCut(error, run.signal));
	if (result.markedDeleted) {
		const marked = new Set(result.markedDeleted);
		for (const item of items) if (marked.has(item.json.uid as number)) item.json.markedDeleted = true;
	}
	if (result.postActionFailed) {
		const left = new Set(result.postActionFailed);
		for (const item of items) {
			if (!left.has(item.json.uid as number) || item.json.afterReading === 'none') continue;
			item.json.afterReading = 'failed';
			delete item.json.movedTo;
		}
	}
	return {
		items,
		result,
		failure: result.failed && itemFailure(result.failed.uid, result.failed.error, folderRead, mailbox, result.state.uidValidity),
		markedDeletedWarning: result.markedDeleted && markedDeletedWarning(result.markedDeleted.length, folderRead, p.postAction === 'delete' ? 'delete' : 'move'),
	};
}

/**
 * A login the run's signal cut (a cancelled execution, the trigger's poll budget) before it signed in:
 * for a password lib/mailbox's readMailbox answers "nothing read" and leaves the position; an OAuth2
 * token refresh cut the same way (OAuth2CancelledError) gets that answer here, as nothing was read and
 * nothing saved. Any other error, a failed refresh too, is thrown on.
 */
function nothingReadIfCut(error: unknown, signal: AbortSignal | undefined): ReadMailboxResult {
	if (!(error instanceof OAuth2CancelledError && signal?.aborted)) throw error;
	// As readMailbox's own cut before it knew the folder: `more`, and no position to save (`uidValidity` '').
	return { fetched: 0, state: { uidValidity: '', lastUid: 0 }, more: true, uidValidityChanged: false, folderCreated: false };
}

/** Where the position is kept: see position.ts. */
function positionStore(ctx: MailboxNodeContext, p: ReadParameters, run: RunOptions): PositionStore {
	const nodeData = ctx.getWorkflowStaticData('node');
	if (p.savePosition !== 'confirmStep' || p.mode !== 'sinceUid') return whenReadStore(nodeData);
	if (!run.executionId) throw new MailboxError('invalidOptions', 'Option "Save Position" is "At a Confirm Position Step", but this run has no execution ID to tag the position with.');
	return confirmStepStore(ctx.getWorkflowStaticData('global'), nodeData, run.executionId);
}

function itemFailure(uid: number, error: unknown, folder: string, mailbox: string, uidValidity: string): ItemFailure {
	const reason = error instanceof Error ? error.message : String(error);
	return {
		json: { mailbox, folder, uid, uidValidity },
		message:
			`Message UID ${uid} in "${folder}" could not be passed on: ${reason.replace(/\.?$/, '.')} ` +
			'It and the messages after it were left as they were (not marked, moved or deleted) and are read in the next run.',
	};
}

/**
 * Why messages were only marked as deleted, for the output pane: a delete needs UIDPLUS to remove
 * just ours, a move MOVE or UIDPLUS (lib/mailbox/remove.ts).
 */
export function markedDeletedWarning(count: number, folder: string, action: 'delete' | 'move'): string {
	const lacks = action === 'delete' ? 'has no UIDPLUS' : 'supports neither MOVE nor UIDPLUS';
	const what = action === 'delete' ? 'only marked as deleted (and read)' : 'copied, and the originals only marked as deleted (and read),';
	return (
		`The mail server ${lacks}, so ${count} message(s) were ${what} in "${folder}": they stay there, struck through, ` +
		'until your mail program expunges the folder (e.g. "Compact" or "Purge deleted items"). ' +
		'Removing them here would also remove messages that others marked as deleted.'
	);
}

/** The rest of the "no destination folder" error: where else a folder could come from, if anywhere. */
export function noProcessedFolder(oauth2: boolean): string {
	return oauth2 ? '(a Microsoft 365 or Google sign-in has no Processed Folder to fall back on)' : '(or the Processed Folder of the IMAP credential)';
}

function postActionFor(p: ReadParameters, run: RunOptions, processedFolder: string, oauth2: boolean): PostAction {
	if (run.preview || p.postAction === 'none') return { type: 'none' };
	if (p.postAction !== 'move') return { type: p.postAction };
	const folder = p.moveToFolder || folderSetting(processedFolder, 'The "Processed Folder" of the IMAP credential (used as "Move to Folder" is empty)');
	if (!folder) {
		throw new MailboxError(
			'invalidOptions',
			`"After Reading" is "Move to Folder", but no folder is set: fill in "Move to Folder" ${noProcessedFolder(oauth2)}.`,
		);
	}
	return { type: 'move', folder, createFolder: p.createFolder };
}

async function toItem(
	ctx: MailboxNodeContext,
	m: FetchedMessage,
	mailbox: string,
	p: ReadParameters,
	postAction: PostAction,
): Promise<INodeExecutionData> {
	if (m.tooLarge || m.noContent) {
		// Never deleted unread (lib/mailbox marks it as read instead), so say what really happened to it.
		const applied: PostAction = postAction.type === 'delete' ? { type: 'seen' } : postAction;
		const mb = Math.round((p.maxMessageBytes / 1024 / 1024) * 10) / 10;
		return {
			json: {
				mailbox,
				folder: m.folder,
				uid: m.uid,
				uidValidity: m.uidValidity,
				// Too large: subject, from, date… from the server's envelope (empty when it sent none),
				// so that a person can find the message in a mail program; the UID alone does not say.
				...(m.tooLarge ? m.headers : {}),
				size: m.size,
				tooLarge: m.tooLarge,
				...(m.noContent ? { noContent: true } : {}),
				error: m.tooLarge
					? `Message UID ${m.uid} in "${m.folder}" is larger than the Max Message Size (${mb} MB) and was not read. Look at it in the mailbox, or raise "Max Message Size (MB)".`
					: `Message UID ${m.uid} in "${m.folder}": the server sent no content for it${m.serverText ? ` ("${m.serverText}")` : ''} (it may be damaged in the server's store). Look at it in the mailbox or in webmail.`,
				afterReading: actionLabel(applied),
				...(applied.type === 'move' ? { movedTo: applied.folder } : {}),
			},
			pairedItem: { item: 0 },
		};
	}
	const json: IDataObject = {
		mailbox,
		folder: m.folder,
		uid: m.uid,
		uidValidity: m.uidValidity,
		...m.headers,
		size: m.size,
		tooLarge: false,
		flags: m.flags,
		internalDate: m.internalDate,
		afterReading: actionLabel(postAction),
		...(postAction.type === 'move' ? { movedTo: postAction.folder } : {}),
	};
	// Always give a MIME type: without one n8n sniffs the type with an ESM-only package.
	const binary = await ctx.helpers.prepareBinaryData(m.source, `message-${m.uid}.eml`, 'message/rfc822');
	// A source node: every message stems from the run's single (first) input item.
	return { json, binary: { [p.binaryPropertyName]: binary }, pairedItem: { item: 0 } };
}
