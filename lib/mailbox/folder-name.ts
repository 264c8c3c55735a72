/**
 * A folder name IMAP can carry: imapflow sends it as a quoted string, which cannot hold CR, LF or
 * NUL ("Unquotable character in IMAP string value"), and no other control character belongs in a
 * folder name either (a value pasted with a line break, an expression that joined two lines).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** What is wrong with a folder name, as the end of a sentence ("… contains a line break: …"); null when nothing. */
export function folderNameProblem(name: string): string | null {
	const found = CONTROL.exec(name);
	if (!found) return null;
	const char = found[0];
	const what = char === '\r' || char === '\n' ? 'a line break' : `a control character (U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
	return `contains ${what}: ${JSON.stringify(name)}. A folder name is one line of text without control characters`;
}
