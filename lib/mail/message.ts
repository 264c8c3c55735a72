/**
 * Builds the reminder as it goes on the wire: headers for the customer (From with the shop's name,
 * Reply-To), headers for machines (Auto-Submitted so auto-responders stay quiet, and the
 * correlation headers bounce handling maps back with), the MIME body and attachments.
 */
import { createHash, randomBytes } from 'node:crypto';
import { asciiDomain, domainOf, isPlainAscii, isValidAddress } from './address';
import { ARCHIVE_COPY_HEADER, archiveCopyMark } from './archive-copy';
import { assertFoldable, assertHeaderValue, HeaderValueError } from './header-value';
import { asciiAddress, attachmentContentType, composeMime, type InlineImage, type MimeMessage } from './mime';
import { formatRecipients, parseRecipients, type Recipient } from './recipients';

export interface Sender {
	address: string;
	name?: string;
	replyTo?: string;
	/** A copy of every reminder for the merchant's records, sent as a blind copy. */
	bcc?: string;
}

export interface Attachment {
	filename: string;
	contentType: string;
	content: Buffer;
}

export interface ReminderMessageInput {
	sender: Sender;
	/** One address, a `Name <address>` pair, a list of either (`,` or `;`), or parsed recipients. */
	to: string | Recipient[];
	subject: string;
	text: string;
	html?: string;
	invoiceId: string;
	level: number;
	/** The ledger row this reminder goes out for (the shipped sender's claim), if any: see reminderMessageId. */
	ledgerRow?: string;
	runId: string;
	attachments?: Attachment[];
	/** Images the HTML shows by Content-ID, such as the GiroCode. */
	inline?: InlineImage[];
	date?: Date;
}

export interface OutgoingMessage {
	messageId: string;
	envelope: { from: string; to: string[] };
	/** The customer's addresses in the envelope (ASCII), without the BCC copy. */
	recipients: string[];
	/** Our Reply-To address (domain in ASCII), when the mailbox has one: a header, not the envelope. */
	replyTo?: string;
	/**
	 * The complete RFC 5322 message (without Bcc), sent as is and reused for every retry. Composed
	 * on first read, so a run can compose the next message while the server handles the current one
	 * (and a dry run composes none); everything that can fail was checked when the message was built.
	 */
	readonly raw: Buffer;
	/**
	 * The same message (Message-ID, headers, text, attachments) for the customer's ASCII addresses
	 * only, for a server without SMTPUTF8 (RFC 6531): an address with letters beyond ASCII before
	 * the @ may then go neither in the envelope nor in the To header. Only on a message whose list
	 * has addresses of both kinds (with none beyond ASCII it is not needed, with none in ASCII no
	 * one is left to send to); such a message keeps its parts, to compose this after `raw`.
	 */
	readonly asciiOnly?: () => OutgoingMessage;
	/** What a person reviewing a dry run wants to see. */
	summary: MessageSummary;
}

export interface MessageSummary {
	messageId: string;
	from: string;
	to: string;
	replyTo: string | null;
	bcc: string | null;
	subject: string;
	headers: Record<string, string>;
	text: string;
	html: string | null;
	attachments: Array<{ filename: string; contentType: string; size: number }>;
}

export const DUNNING_HEADERS = {
	invoice: 'X-Dunning-Invoice',
	level: 'X-Dunning-Level',
	run: 'X-Dunning-Run',
} as const;

/**
 * Our Message-ID for (sender, invoice, level), and the ledger row when the reminder has one. It is
 * deterministic on purpose: when a reminder is sent again after an unclear outcome (the connection
 * dropped before the server confirmed it), the second copy carries the same Message-ID, which
 * receiving systems use to collapse duplicates, and bounce handling maps both to the same
 * reminder. A level released again after its reminder did not reach the customer is a new row,
 * so it gets a Message-ID of its own: a late report about the first one does not mark the second.
 */
export function reminderMessageId(senderAddress: string, invoiceId: string, level: number, ledgerRow?: string): string {
	const digest = createHash('sha256')
		.update(`${senderAddress.toLowerCase()}\u0000${invoiceId}\u0000${level}${ledgerRow === undefined ? '' : `\u0000${ledgerRow}`}`)
		.digest('hex')
		.slice(0, 32);
	return `<dunning.${level}.${digest}@${idDomain(senderAddress)}>`;
}

/** A fresh Message-ID for one-off mail such as the test mail. */
export function randomMessageId(senderAddress: string): string {
	return `<dunning.${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${idDomain(senderAddress)}>`;
}

/** The sender's domain in ASCII (A-labels), as in its From: a Message-ID is a plain RFC 5322 header. */
function idDomain(senderAddress: string): string {
	const domain = domainOf(senderAddress);
	return asciiDomain(domain) ?? domain;
}

/** Validates the sender settings once per run; errors name the credential field. */
export function checkSender(sender: Sender): void {
	const check = (field: string, value: string | undefined) => {
		if (value === undefined || value === '') return;
		assertHeaderValue(field, value);
		if (field !== 'sender name' && !isValidAddress(value)) {
			throw new HeaderValueError(field, `The ${field} "${value}" is not a valid e-mail address`);
		}
	};
	if (!sender.address) throw new HeaderValueError('sender address', 'The sender address (From) is empty: set it in the SMTP credential');
	check('sender address', sender.address);
	check('sender name', sender.name);
	check('reply-to address', sender.replyTo);
	check('BCC copy address', sender.bcc);
}

export async function buildReminderMessage(input: ReminderMessageInput): Promise<OutgoingMessage> {
	checkSender(input.sender);
	const to = recipientsOf(input.to);
	assertFoldable('subject', input.subject);
	assertFoldable('invoice id', input.invoiceId);
	assertFoldable('run id', input.runId);
	for (const a of input.attachments ?? []) {
		assertHeaderValue('attachment file name', a.filename);
		assertHeaderValue('attachment MIME type', a.contentType);
	}
	const messageId = reminderMessageId(input.sender.address, input.invoiceId, input.level, input.ledgerRow);
	const headers: Record<string, string> = {
		'Auto-Submitted': 'auto-generated',
		[DUNNING_HEADERS.invoice]: input.invoiceId,
		[DUNNING_HEADERS.level]: String(input.level),
		[DUNNING_HEADERS.run]: input.runId,
	};
	const bcc = separateBcc(input.sender.bcc, to);
	if (bcc) headers[ARCHIVE_COPY_HEADER] = archiveCopyMark(messageId, bcc);
	return compose({ ...input, to, messageId, headers });
}

export interface PlainMessageInput {
	sender: Sender;
	to: string | Recipient[];
	subject: string;
	text: string;
	headers?: Record<string, string>;
	date?: Date;
}

/** A simple message (the test mail): same sender handling, no dunning headers. */
export async function buildPlainMessage(input: PlainMessageInput): Promise<OutgoingMessage> {
	checkSender(input.sender);
	const to = recipientsOf(input.to);
	assertFoldable('subject', input.subject);
	return compose({ ...input, to, messageId: randomMessageId(input.sender.address), headers: { 'Auto-Submitted': 'auto-generated', ...input.headers } });
}

/** The recipients, each checked; the error names the entry that is not an address. */
function recipientsOf(to: string | Recipient[]): Recipient[] {
	if (typeof to !== 'string') {
		for (const r of to) {
			assertHeaderValue('recipient address', r.address);
			if (r.name !== undefined) assertHeaderValue('recipient name', r.name);
			if (!isValidAddress(r.address)) throw new HeaderValueError('recipient address', `The recipient address "${r.address}" is not a valid e-mail address`);
		}
		if (to.length === 0) throw new HeaderValueError('recipient address', 'The reminder has no recipient');
		return to;
	}
	assertHeaderValue('recipient address', to);
	const list = parseRecipients(to);
	if (!list.ok) {
		const shown = list.invalid ?? to;
		throw new HeaderValueError('recipient address', list.invalid !== undefined || list.reason === 'noEmail'
			? `The recipient address "${shown}" is not a valid e-mail address`
			: list.error.replace(/: send this reminder on paper$/, ''));
	}
	return list.recipients;
}

/**
 * The BCC copy's envelope address (ASCII), unless it is one of the recipients already: then it
 * gets no second copy, and no archive mark, which would make a report about the customer's
 * address look like one about the archive.
 */
function separateBcc(bcc: string | undefined, to: Recipient[]): string | null {
	if (!bcc) return null;
	const address = asciiAddress(bcc);
	return to.some((r) => asciiAddress(r.address).toLowerCase() === address.toLowerCase()) ? null : address;
}

function compose(input: {
	sender: Sender;
	to: Recipient[];
	subject: string;
	text: string;
	html?: string;
	attachments?: Attachment[];
	inline?: InlineImage[];
	date?: Date;
	messageId: string;
	headers: Record<string, string>;
}): OutgoingMessage {
	const { sender } = input;
	let mime: (Omit<MimeMessage, 'date'> & { date?: Date }) | null = {
		from: { address: sender.address, name: sender.name || undefined },
		to: input.to,
		replyTo: sender.replyTo || undefined,
		subject: input.subject,
		messageId: input.messageId,
		date: input.date,
		headers: input.headers,
		text: input.text,
		html: input.html || undefined,
		attachments: input.attachments ?? [],
		inline: input.inline ?? [],
	};
	let raw: Buffer | null = null;
	// Bcc only in the envelope: the copy reaches the archive without the customer seeing it.
	const recipients = input.to.map((r) => asciiAddress(r.address));
	const bcc = separateBcc(sender.bcc, input.to);
	const envelope = { from: asciiAddress(sender.address), to: [...recipients, ...(bcc ? [bcc] : [])] };
	const from = sender.name ? `"${sender.name.replace(/["\\]/g, '')}" <${sender.address}>` : sender.address;
	const inAscii = input.to.filter((r) => isPlainAscii(asciiAddress(r.address)));
	// The closure keeps `input` (attachments included) for the life of the message: only for lists that mix.
	const asciiOnly = inAscii.length > 0 && inAscii.length < input.to.length ? () => compose({ ...input, to: inAscii }) : null;
	return {
		messageId: input.messageId,
		envelope,
		recipients,
		...(sender.replyTo ? { replyTo: asciiAddress(sender.replyTo) } : {}),
		...(asciiOnly ? { asciiOnly } : {}),
		get raw() {
			if (!raw) {
				// Dated when composed, just before it goes out, not when the run built it: the last
				// of a long run would otherwise carry a Date hours old (spam filters score that).
				raw = composeMime({ ...mime!, date: mime!.date ?? new Date() });
				// The bytes hold everything now; let the parts (attachments above all) go.
				mime = null;
			}
			return raw;
		},
		summary: {
			messageId: input.messageId,
			from,
			to: formatRecipients(input.to),
			replyTo: sender.replyTo || null,
			bcc: sender.bcc || null,
			subject: input.subject,
			headers: { ...input.headers },
			text: input.text,
			html: input.html || null,
			// The type as it goes out (see attachmentContentType), so a dry run shows what is sent.
			attachments: (input.attachments ?? []).map((a) => ({ filename: a.filename, contentType: attachmentContentType(a.contentType, a.filename), size: a.content.length })),
		},
	};
}
