/**
 * What was said on one SMTP connection during the current message, as nodemailer's documented
 * `logger` + `transactionLog` options report it: each command we sent (AUTH arguments masked by
 * nodemailer, message data never included) and each complete server reply. Nothing here is ever
 * output; it answers two questions nodemailer's callback cannot:
 *
 * - Did the server refuse the envelope before it closed the connection? With PIPELINING the
 *   replies to MAIL FROM and RCPT TO arrive before the reply to DATA; a server that answers 550
 *   to RCPT and then hangs up (as Exim's ACL `drop` does) leaves nodemailer with only "connection
 *   closed", and the 550 would be lost.
 * - Is the server still answering? Every complete reply is progress; a trickle of continuation
 *   lines ("250-…" without end) is not.
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
	/** Called for every complete server reply. */
	onReply: (() => void) | null = null;

	/** Forgets everything said before: call when a message starts. */
	begin(): void {
		this.commands = [];
		this.replies = [];
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

	private record(entry: unknown, message: unknown): void {
		const tnx = (entry as { tnx?: unknown } | null)?.tnx;
		if (typeof message !== 'string') return;
		if (tnx === 'client') this.commands.push(message);
		else if (tnx === 'server') {
			this.replies.push(message);
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
