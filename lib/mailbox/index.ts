export { appendToFolder, appendToSentFolder, DEFAULT_SENT_FOLDER, sentFolderFor, type AppendOptions, type AppendResult } from './append';
export { closeImap, connectImap, imapOptions, withImap } from './connection';
export { describeImapError, MailboxError, type MailboxErrorKind } from './errors';
export { folderNameProblem } from './folder-name';
export {
	readMailbox,
	type FetchedMessage,
	type MessageHandler,
	type PostAction,
	type ReadMailboxOptions,
	type ReadMailboxResult,
	type ReadMode,
	type UidState,
} from './fetch';
export { messageHeaders, readHeaderFields, type MessageHeaders } from './headers';
export { verifyMailbox, type MailboxCheck } from './verify';
export { moveMessages, type MessageRef, type MoveMessagesOptions, type MoveMessagesResult, type MoveOutcome } from './move';
