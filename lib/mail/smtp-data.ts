/**
 * The message bytes after SMTP DATA. RFC 5321 §4.5.2 wants CRLF line breaks and a second dot in
 * front of every line that starts with one; nodemailer's DataStream does both byte by byte, which
 * costs about a quarter of what a reminder costs us on an open connection (bench/send.ts). Our
 * composer writes CRLF only (lib/mail/mime.ts), and a line starting with a dot is rare, so almost
 * every reminder is already in its wire form: two native searches prove it, and then the bytes go
 * to the connection as they are. Anything else takes nodemailer's escaping.
 *
 * This is the one place that relies on a nodemailer internal (the DataStream class and its
 * counters, which nodemailer does not document): no documented API sends bytes past the escaping,
 * and doing without costs about a fifth of the send rate (bench/send.ts: 4.8× instead of 6.3× a
 * transport per item over TLS, below the 5× target). So nodemailer is pinned to an exact version
 * in package.json, and test/mail/nodemailer-internals.test.ts fails when the internal changes.
 */
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;

/** True when `raw` needs no escaping after DATA: every CR and LF is a CRLF pair, and no line starts with a dot. */
export function isInWireForm(raw: Buffer): boolean {
	if (raw[0] === DOT || raw.includes('\n.')) return false;
	for (let lf = raw.indexOf(LF); lf >= 0; lf = raw.indexOf(LF, lf + 1)) {
		if (raw[lf - 1] !== CR) return false;
	}
	for (let cr = raw.indexOf(CR); cr >= 0; cr = raw.indexOf(CR, cr + 2)) {
		if (raw[cr + 1] !== LF) return false;
	}
	return true;
}

/**
 * Writes the whole message into the stream nodemailer sends after DATA, and ends it (which adds
 * the end-of-data marker). A message already in wire form is pushed past the escaping, with the
 * stream's counters and last byte set as its own transform would have set them, so that its end
 * marker comes out the same.
 */
export function endMessageData(destination: NodeJS.WritableStream, raw: Buffer): void {
	if (destination instanceof DataStream && destination.lastByte === false && raw.length > 0 && isInWireForm(raw)) {
		destination.inByteCount += raw.length;
		destination.outByteCount += raw.length;
		destination.lastByte = raw[raw.length - 1];
		destination.push(raw);
		destination.end();
		return;
	}
	destination.end(raw);
}
