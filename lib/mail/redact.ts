/**
 * Removes secrets (passwords, OAuth2 tokens) from text meant for people: item errors, server
 * replies, node errors, credential test results. Mail servers echo what they were sent, and a
 * secret goes over the wire in several shapes, so each shape is looked for:
 *
 * - the secret itself, and its quoted-string form (IMAP LOGIN escapes `"` and `\`);
 * - its URL-encoded forms (a token endpoint's error body may quote the form-encoded request);
 * - the secret without surrounding whitespace (servers trim what they echo);
 * - base64 that carries it: AUTH LOGIN's password step (base64 of the secret alone), AUTH PLAIN
 *   (`\0user\0password`), XOAUTH2 (`user=…\x01auth=Bearer <token>\x01\x01`) and OAUTHBEARER.
 *
 * The base64 forms are found without knowing what surrounds the secret: inside any base64 text,
 * a secret that starts at byte offset k (mod 3) always encodes to the same run of characters
 * (those whose six bits come from the secret alone). Each of the three runs is computed, and a
 * base64 word containing one, or cut off inside one (a truncated echo), is replaced whole.
 *
 * A multi-line SMTP reply may cut an echoed secret at a line end, and the next line starts with
 * the reply code ("pass\r\n535 5.7.8 word"); nodemailer joins the lines with "\n", we join them
 * with a space. Every shape is therefore also looked for in the text with those seams taken out.
 */

const REDACTED = '[redacted]';
/** Shorter plain secrets would blank out ordinary words. */
const MIN_PLAIN_LENGTH = 3;
/** A shorter beginning of a secret where a text breaks off is more likely an ordinary word. */
const MIN_CUT_PLAIN = 6;
/** Shorter base64 runs match too much unrelated text by chance. */
const MIN_BASE64_CORE = 4;

/** A run of base64 or base64url characters with its padding. */
const BASE64_WORD = /[\w+/-]+=*/g;

/** The start of a continuation line: reply code, then maybe an enhanced status code. */
const CONTINUATION = String.raw`[2-5]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}[ \t]+)?`;
/**
 * Where two lines of one reply meet: a line break (as received) or a space (as joined), then the
 * next line's codes. A seam starts only where a run of blanks starts, so no run is scanned twice.
 */
export const LINE_SEAM = new RegExp(String.raw`(?<![ \t])(?:[ \t]*(?:\r\n|\r|\n)[ \t]*(?:${CONTINUATION})?|[ \t]+${CONTINUATION})`, 'g');

/** The base64 characters that depend on nothing but `secret`, for each of the three byte alignments. */
function base64Cores(secret: Buffer): string[] {
	const cores: string[] = [];
	for (let k = 0; k < 3; k++) {
		const encoded = Buffer.concat([Buffer.alloc(k), secret, Buffer.alloc(2)]).toString('base64');
		const firstBit = 8 * k;
		const endBit = 8 * (k + secret.length);
		const start = Math.ceil(firstBit / 6);
		const end = Math.floor(endBit / 6);
		if (end - start < MIN_BASE64_CORE) continue;
		const core = encoded.slice(start, end);
		cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return cores;
}

/** The text shapes of a secret: itself, its escaped quoted-string form and its URL encodings (either hex case). */
function plainForms(secret: string): string[] {
	const uri = encodeURIComponent(secret);
	const form = new URLSearchParams([['', secret]]).toString().slice(1);
	const encoded = [uri, uri.replace(/%20/g, '+'), form].flatMap((e) => [e, e.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())]);
	return [...new Set([secret, secret.replace(/[\\"]/g, '\\$&'), ...encoded])];
}

/**
 * The secrets to look for: each as given and trimmed. What counts for the minimum length is the
 * trimmed secret: a blank or nearly blank one would match the spaces and short words of any text.
 */
function usableSecrets(secrets: ReadonlyArray<string | undefined | null>): string[] {
	const long = secrets.filter((s): s is string => typeof s === 'string' && s.trim().length >= MIN_PLAIN_LENGTH);
	return [...new Set(long.flatMap((s) => [s, s.trim()]))];
}

type Span = [start: number, end: number];

/** Where in `text` a form (also one cut short at the end or before "..."), or a base64 word carrying a core, occurs. */
function spansIn(text: string, forms: readonly string[], cores: readonly string[]): Span[] {
	const spans: Span[] = [];
	for (const form of forms) {
		for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) spans.push([at, at + form.length]);
		const cut = cutShort(text, form);
		if (cut) spans.push(cut);
	}
	if (cores.length > 0) {
		for (const word of text.matchAll(BASE64_WORD)) {
			if (cores.some((core) => carries(word[0], core))) spans.push([word.index, word.index + word[0].length]);
		}
	}
	return spans;
}

/** `text` with the seams between reply lines taken out, and for each remaining character its index in `text`. */
function withoutLineSeams(text: string): { joined: string; origin: number[] } | undefined {
	let joined = '';
	const origin: number[] = [];
	let from = 0;
	for (const seam of text.matchAll(LINE_SEAM)) {
		joined += text.slice(from, seam.index);
		for (let i = from; i < seam.index; i++) origin.push(i);
		from = seam.index + seam[0].length;
	}
	if (from === 0) return undefined;
	joined += text.slice(from);
	for (let i = from; i < text.length; i++) origin.push(i);
	return { joined, origin };
}

/** Replaces every form of every secret in `text` with "[redacted]". Empty and very short secrets are skipped. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
	const usable = usableSecrets(secrets);
	if (usable.length === 0 || !text) return text;
	const forms = usable.flatMap(plainForms);
	const cores = usable.flatMap((s) => base64Cores(Buffer.from(s, 'utf8')));
	const spans = spansIn(text, forms, cores);
	const seamless = withoutLineSeams(text);
	if (seamless) {
		for (const [start, end] of spansIn(seamless.joined, forms, cores)) spans.push([seamless.origin[start], seamless.origin[end - 1] + 1]);
	}
	if (spans.length === 0) return text;
	// Overlapping finds (a secret containing another, a form found in both texts) become one.
	spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
	let out = '';
	let from = 0;
	for (const [start, end] of spans) {
		if (end <= from) continue;
		if (start >= from) out += text.slice(from, start) + REDACTED;
		from = end;
	}
	return out + text.slice(from);
}

/**
 * A form the text breaks off inside, just before a closing "...": n8n-core shows the first 100
 * characters of a token endpoint's non-JSON answer that way. Only there: a text that merely ends
 * with a word the secret begins with ("falsches Passwort" for "Passwort2024!") is left alone.
 */
function cutShort(text: string, form: string): Span | undefined {
	const body = text.replace(/(?:\.\.\.|\u2026)$/, '');
	if (body === text) return undefined;
	for (let n = Math.min(form.length - 1, body.length); n >= MIN_CUT_PLAIN; n--) {
		if (body.endsWith(form.slice(0, n))) return [body.length - n, body.length];
	}
	return undefined;
}

/** Whether a base64 word contains the core, or begins or ends inside it (an echo cut short). */
function carries(word: string, core: string): boolean {
	if (word.includes(core)) return true;
	for (let n = Math.min(core.length - 1, word.length); n >= MIN_BASE64_CORE; n--) {
		if (word.endsWith(core.slice(0, n)) || word.startsWith(core.slice(core.length - n))) return true;
	}
	return false;
}

/** `redactSecrets` over the text fields of an object (one level), e.g. an SmtpFailure or a Delivery. */
export function redactFields<T extends object>(value: T, secrets: ReadonlyArray<string | undefined | null>): T {
	const out = { ...value } as Record<string, unknown>;
	for (const [key, field] of Object.entries(out)) {
		if (typeof field === 'string') out[key] = redactSecrets(field, secrets);
	}
	return out as T;
}
