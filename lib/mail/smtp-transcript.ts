/**
 * What was said on one SMTP connection during the current message, as nodemailer's documented
 * `logger` + `transactionLog` options report it: each command we sent (AUTH arguments masked by
 * nodemailer, message data never included) and each complete server reply. Nothing here is ever
 * output; it answers questions nodemailer's callback cannot:
 *
 * - Did the server refuse the envelope before it closed the connection? With PIPELINING the
 *   replies to MAIL FROM and RCPT TO arrive before the reply to DATA; a server that answers 550
 *   to RCPT and then hangs up (as Exim's ACL `drop` does) leaves nodemailer with only "connection
 *   closed", and the 550 would be lost.
 * - Is the server still answering? Every complete reply is progress; a trickle of continuation
 *   lines ("250-…" without end) is not.
 * - Which extensions did the server offer in its answer to EHLO (the last one, after STARTTLS)?
 *   nodemailer sends an address beyond ASCII without SMTPUTF8 when the server lacks it.
 * - Which command did the latest reply answer? nodemailer reads a reply to MAIL FROM, RCPT TO or
 *   DATA by its first digit alone; a reply of mixed codes must be caught before it acts on it.
 *   nodemailer logs each reply before it acts on it, so `onReply` runs first.
 */
export interface EnvelopeRefusal {
	/** The command the server refused: "MAIL FROM" or "RCPT TO". */
	command: 'MAIL FROM' | 'RCPT TO';
	/** The server's reply, e.g. "550 5.1.1 <x@example.org>: Recipient address rejected". */
	response: string;
	responseCode: number;
}

const RCPT = /^RCPT TO:<([^>]*)>/i;

/** A bunyan-style logger (what nodemailer's `logger` option takes) that keeps the transaction log. */
export class SmtpTranscript {
	private commands: string[] = [];
	private replies: string[] = [];
	private lastCommand = '';
	private offered = new Set<string>();
	/** Called for every complete server reply. */
	onReply: (() => void) | null = null;

	/** Forgets everything said before: call when a message starts. */
	begin(): void {
		this.commands = [];
		this.replies = [];
	}

	/** True when the server's answer to EHLO lists `keyword` (e.g. "SMTPUTF8"), RFC 5321 §4.1.1.1. */
	offers(keyword: string): boolean {
		return this.offered.has(keyword.toUpperCase());
	}

	/**
	 * The server's refusal of this message's sender, or of `recipient`, among the replies that
	 * arrived before the message data was due. Null when it accepted them or had not answered yet.
	 */
	envelopeRefusal(recipient: string): EnvelopeRefusal | null {
		const wanted = recipient.trim().toLowerCase();
		for (let i = 0; i < this.commands.length && i < this.replies.length; i++) {
			const command = this.commands[i];
			const response = this.replies[i];
			if (!/^[45]\d\d/.test(response)) continue;
			const responseCode = Number(response.slice(0, 3));
			if (/^MAIL FROM:/i.test(command)) return { command: 'MAIL FROM', response, responseCode };
			const to = RCPT.exec(command)?.[1];
			if (to !== undefined && to.trim().toLowerCase() === wanted) return { command: 'RCPT TO', response, responseCode };
		}
		return null;
	}

	/**
	 * The latest reply of this message with the command it answers (replies come in the order of
	 * the commands, also pipelined); `command` is '' for a reply to no logged command (the one to
	 * the data: the data is not logged). Null before the first reply.
	 */
	latestReply(): { command: string; response: string } | null {
		const i = this.replies.length - 1;
		return i < 0 ? null : { command: this.commands[i] ?? '', response: this.replies[i] };
	}

	private record(entry: unknown, message: unknown): void {
		const tnx = (entry as { tnx?: unknown } | null)?.tnx;
		if (typeof message !== 'string') return;
		if (tnx === 'client') {
			this.commands.push(message);
			this.lastCommand = message;
		} else if (tnx === 'server') {
			this.replies.push(message);
			if (/^(?:EHLO|LHLO|HELO)\b/i.test(this.lastCommand)) this.offered = extensionsOf(message);
			this.onReply?.();
		}
	}

	// nodemailer's transaction log arrives at debug level; everything else it logs is not needed.
	debug(entry?: unknown, message?: unknown): void {
		this.record(entry, message);
	}
	level(): void {}
	trace(): void {}
	info(): void {}
	warn(): void {}
	error(): void {}
	fatal(): void {}
}

/**
 * The keywords of an answer to EHLO: every line after the greeting, "250-SIZE 1000" → "SIZE" (and
 * the old "250-AUTH=LOGIN" → "AUTH"). A refusal (or HELO's one line) offers none.
 */
function extensionsOf(reply: string): Set<string> {
	const lines = reply.split(/\r?\n/);
	if (!/^250[ -]/.test(lines[0])) return new Set();
	return new Set(lines.slice(1).map((line) => line.slice(4).trim().split(/[\s=]/, 1)[0].toUpperCase()).filter(Boolean));
}
