/** Runs of consecutive UIDs as IMAP sequence-set parts ("3:7", "9"), ascending, each UID once. */
function uidRanges(uids: number[]): string[] {
	const sorted = [...new Set(uids)].sort((a, b) => a - b);
	const parts: string[] = [];
	let start = sorted[0];
	let prev = sorted[0];
	for (let i = 1; i <= sorted.length; i++) {
		const u = sorted[i];
		if (u === prev + 1) {
			prev = u;
			continue;
		}
		if (start !== undefined) parts.push(start === prev ? String(start) : `${start}:${prev}`);
		start = u;
		prev = u;
	}
	return parts;
}

/** Writes UIDs as a compact IMAP sequence set ("3:7,9,12:14") so commands stay short. */
export function uidSet(uids: number[]): string {
	return uidRanges(uids).join(',');
}

/**
 * RFC 7162 §4 asks clients to keep a command line near 8192 octets; servers refuse or cut longer
 * ones (Dovecot at imap_max_line_length, 64 KiB by default; others far sooner). A set of this many
 * characters leaves room for the command around it.
 */
export const MAX_UID_SET_CHARS = 4000;

/**
 * The UIDs as compact sequence sets of at most `maxChars` characters each (a single range longer
 * than that cannot occur: two 10-digit UIDs), for one command per set. A scattered folder (no two
 * UIDs adjacent) does not compress, so one set for all of it could exceed any line limit.
 */
export function uidSets(uids: number[], maxChars = MAX_UID_SET_CHARS): string[] {
	const sets: string[] = [];
	let current = '';
	for (const part of uidRanges(uids)) {
		if (current && current.length + 1 + part.length > maxChars) {
			sets.push(current);
			current = '';
		}
		current = current ? `${current},${part}` : part;
	}
	if (current) sets.push(current);
	return sets;
}
