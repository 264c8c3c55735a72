/**
 * The header block Outlook (and the webmailers that copy it) writes above a quoted or forwarded
 * message, with no marker line when the message is HTML ("From: … / Sent: … / To: … / Subject: …"),
 * in the clients' languages; and the subject prefixes of a forward.
 */
import { cut } from './text-bounds';

/** Forward prefixes as mail clients write them: Fwd/FW, WG (German), TR (French), RV (Spanish), ENC (Portuguese), I (Italian), Doorst (Dutch), PD (Polish), VB (Swedish). */
const FORWARD_SUBJECT = /^\s*(?:fwd?|wg|tr|rv|enc|i|doorst|pd|vb|转发|轉寄)\s?[:：]/i;

export function isForwardSubject(subject: string): boolean {
	return FORWARD_SUBJECT.test(cut(subject, 200));
}

/** Outlook's quote header: "From: …" / "Von: …" followed by "Sent:" / "Gesendet:" lines. */
export const OUTLOOK_FROM = /^\*?(?:from|von|de|da|van|od|от|kimden|fra|från|发件人|寄件者|差出人|보낸 사람)\s?[:：]\*?\s*/i;
const OUTLOOK_SENT = /^\*?(?:sent|gesendet|date|datum|envoy[ée]|enviado(?: el)?|inviato|data|fecha|verzonden|wysłano|odesláno|sendt|skickat|отправлено|дата|gönderildi|tarih|发送时间|寄件日期|送信日時|보낸 날짜)\s?[:：]/i;
const OUTLOOK_SUBJECT = /^\*?(?:subject|betreff|objet|oggetto|asunto|assunto|onderwerp|temat|předmět|emne|ämne|konu|тема|主题|主旨|件名|제목)\s?[:：]/i;
const OUTLOOK_NEXT = /^\*?(?:sent|gesendet|date|datum|envoy[ée]|enviado|inviato|data|fecha|verzonden|wysłano|odesláno|sendt|skickat|enviado el|to|an|отправлено|дата|кому|gönderildi|tarih|kime|发送时间|收件人|寄件日期|送信日時|宛先|보낸 날짜)\s?[:：]/i;

/**
 * The header lines from `from` on ("Name: value", blank lines between them skipped as HTML leaves
 * them, a wrapped Cc list's lines of addresses), up to the first line of text.
 */
export function headerBlock(lines: string[], from: number): string[] {
	const block: string[] = [];
	for (let j = from; j < Math.min(lines.length, from + 60) && block.length < 16; j++) {
		const t = lines[j].trim();
		if (!t) continue;
		if (!HEADER_LIKE.test(t) && !(block.length && /[@;]/.test(t))) break;
		block.push(t);
	}
	return block;
}

const HEADER_LIKE = /^\*?[^\s:：]{1,25}(?: [^\s:：]{1,25}){0,2}\s?[:：]/;

/**
 * Outlook's header block starts at line `i`: "From:", then "Sent:" or "To:", and the block names the
 * subject and the time it was sent: pasted bank data ("Von: Konto … / An: … / Datum: …") and a
 * letter head ("Datum: 02.03.2026 / Betreff: …") do not.
 */
export function outlookHeaderAt(lines: string[], i: number): boolean {
	if (!OUTLOOK_FROM.test(lines[i].trim())) return false;
	// (The lines with text after it: HTML turned into text leaves blank lines between the header's lines.)
	const block = headerBlock(lines, i + 1);
	return OUTLOOK_NEXT.test(block[0] ?? '') && block.some((l) => OUTLOOK_SUBJECT.test(l)) && block.some((l) => OUTLOOK_SENT.test(l) && /\b\d{1,2}:\d{2}\b/.test(l));
}
