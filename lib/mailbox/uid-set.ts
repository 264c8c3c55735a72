/** Writes UIDs as a compact IMAP sequence set ("3:7,9,12:14") so commands stay short. */
export function uidSet(uids: number[]): string {
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
	return parts.join(',');
}
