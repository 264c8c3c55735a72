import { LIMITS, cut } from './text-bounds';

/**
 * fml, a mailing-list manager (fml.org), keeps a cache of the Message-IDs it has received and refuses
 * a message whose Message-ID it has seen as a mail loop: "$CHECK_MESSAGE_ID is 1 in default. FML
 * caches Message-Id: field of an in-coming mail against mail loops" (fml 4 documentation, "Loop
 * checks against mail loops", "Mail Loops: Message-ID: Cache"). It tells the list's maintainer in a
 * "Loop Alert: Duplicated Message-ID (<list> ML)" notice that names the list ("Duplicated Message-ID
 * in <list@domain>."), the refused message below, and marks its mail with "X-MLServer: fml […]".
 * The list did not pass the message on: the list system's refusal, nothing about an address.
 * The notice quotes the refused message after "Original mail as follows:", each line indented.
 */
const FML_SERVER = /^\s*fml\b/i;
const LOOP_ALERT_SUBJECT = /^\s*loop alert:\s*duplicated message-id\b/i;
const DUPLICATED_IN = /^[ \t]*(duplicated message-id in <([^<>\s@]{1,64}@[^<>\s@]{1,253})>)/im;
const ORIGINAL_FOLLOWS = /^original mail as follows:[ \t]*$/im;

export interface ListLoopAlert {
	/** The list address the message was refused for. */
	recipient: string;
	diagnostic: string;
	/** The quoted original's lines without the notice's indentation (its header fields name our reminder). */
	original: string;
}

export function fmlLoopAlert(headers: Map<string, string[]>, subject: string, text: string): ListLoopAlert | null {
	if (!FML_SERVER.test(headers.get('x-mlserver')?.[0] ?? '') || !LOOP_ALERT_SUBJECT.test(cut(subject, 1000))) return null;
	const m = DUPLICATED_IN.exec(cut(text, LIMITS.diagnosticChars));
	if (!m) return null;
	const follows = ORIGINAL_FOLLOWS.exec(cut(text, LIMITS.textChars));
	const quoted = follows ? text.slice(follows.index + follows[0].length, LIMITS.textChars).replace(/^\s*\n/, '') : '';
	const indent = /^[ \t]*/.exec(quoted)?.[0].length ?? 0;
	const original = quoted.split('\n').map((line) => withoutMargin(line, indent)).join('\n');
	return { recipient: m[2], diagnostic: m[1], original };
}

/** The line without up to `width` leading blanks (the notice's indentation of the quoted message). */
function withoutMargin(line: string, width: number): string {
	let k = 0;
	while (k < width && (line[k] === ' ' || line[k] === '\t')) k++;
	return line.slice(k);
}
