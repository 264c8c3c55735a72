/**
 * Removes secrets (passwords, OAuth2 tokens) from text meant for people: item errors, server
 * replies, node errors, credential test results. Mail servers echo what they were sent, and a
 * secret goes over the wire in several shapes, so each shape is looked for:
 *
 * - the secret itself, and its quoted-string form (IMAP LOGIN escapes `"` and `\`);
 * - base64 that carries it: AUTH LOGIN's password step (base64 of the secret alone), AUTH PLAIN
 *   (`\0user\0password`), XOAUTH2 (`user=…\x01auth=Bearer <token>\x01\x01`) and OAUTHBEARER.
 *
 * The base64 forms are found without knowing what surrounds the secret: inside any base64 text,
 * a secret that starts at byte offset k (mod 3) always encodes to the same run of characters
 * (those whose six bits come from the secret alone). Each of the three runs is computed, and a
 * base64 word containing one, or cut off inside one (a truncated echo), is replaced whole.
 */

const REDACTED = '[redacted]';
/** Shorter plain secrets would blank out ordinary words. */
const MIN_PLAIN_LENGTH = 3;
/** Shorter base64 runs match too much unrelated text by chance. */
const MIN_BASE64_CORE = 4;

/** A run of base64 or base64url characters with its padding. */
const BASE64_WORD = /[\w+/-]+=*/g;

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

/** The plain shapes of a secret: itself and its escaped quoted-string form. */
function plainForms(secret: string): string[] {
	const escaped = secret.replace(/[\\"]/g, '\\$&');
	return escaped === secret ? [secret] : [escaped, secret];
}

/** Replaces every form of every secret in `text` with "[redacted]". Empty and very short secrets are skipped. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
	const usable = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_PLAIN_LENGTH))];
	if (usable.length === 0 || !text) return text;
	// Longest first, so that a secret containing another is replaced whole.
	usable.sort((a, b) => b.length - a.length);
	let out = text;
	for (const secret of usable) {
		for (const form of plainForms(secret)) out = out.split(form).join(REDACTED);
	}
	const cores = usable.flatMap((s) => base64Cores(Buffer.from(s, 'utf8')));
	if (cores.length === 0) return out;
	return out.replace(BASE64_WORD, (word) => (cores.some((core) => carries(word, core)) ? REDACTED : word));
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
