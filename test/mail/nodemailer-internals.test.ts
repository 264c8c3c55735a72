/**
 * Canary for the one nodemailer internal we rely on (lib/mail/smtp-data.ts): the DataStream that
 * SMTPConnection pipes a message into after DATA, and its counters. nodemailer is pinned to an
 * exact version for this; when an upgrade changes the internal, these tests fail and say what.
 */
import { Readable, Writable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endMessageData } from '../../lib/mail/smtp-data';
import { startTestServer, type TestServer } from './smtp-test-server';

const lines = (...l: string[]) => Buffer.from(l.join('\r\n') + '\r\n', 'latin1');

/** Everything a stream emits, with its counters once it ended. */
function drain(stream: InstanceType<typeof DataStream>): Promise<{ out: Buffer; inBytes: number; outBytes: number; lastByte: number | false }> {
	const chunks: Buffer[] = [];
	return new Promise((resolve, reject) => {
		stream.pipe(
			new Writable({
				write(chunk: Buffer, _enc, done) {
					chunks.push(chunk);
					done();
				},
			}),
		);
		stream.on('error', reject);
		stream.on('end', () => resolve({ out: Buffer.concat(chunks), inBytes: stream.inByteCount, outBytes: stream.outByteCount, lastByte: stream.lastByte }));
	});
}

describe('nodemailer internals that lib/mail/smtp-data.ts relies on', () => {
	test('nodemailer is pinned to an exact version, and that version is the one installed', () => {
		const root = join(__dirname, '..', '..');
		const wanted = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.nodemailer;
		const installed = (JSON.parse(readFileSync(join(root, 'node_modules', 'nodemailer', 'package.json'), 'utf8')) as { version: string }).version;
		expect(wanted).toMatch(/^\d+\.\d+\.\d+$/);
		expect(installed).toBe(wanted);
	});

	test('a fresh DataStream has the counters and last byte the fast path sets', () => {
		const stream = new DataStream();
		expect(stream.inByteCount).toBe(0);
		expect(stream.outByteCount).toBe(0);
		expect(stream.lastByte).toBe(false);
	});

	test.each([
		['ending in CRLF', lines('Subject: a', '', 'Offen: 12.50 EUR', 'Gruss')],
		['without a final line break', Buffer.from('Subject: a\r\n\r\nlast line', 'latin1')],
	])('the fast path gives the same bytes and counters as the escaping, message %s', async (_name, raw) => {
		const escaped = new DataStream();
		const escapedResult = drain(escaped);
		escaped.end(raw);
		const fast = new DataStream();
		const fastResult = drain(fast);
		endMessageData(fast, raw);
		const [a, b] = await Promise.all([escapedResult, fastResult]);
		expect(b.out.equals(a.out)).toBe(true);
		expect(b).toEqual(a);
		// The end-of-data marker is there, so the fast path did not skip what _flush adds.
		expect(b.out.subarray(-5).toString('latin1')).toBe('\r\n.\r\n');
	});

	describe('SMTPConnection still hands the message to a DataStream', () => {
		let server: TestServer;
		beforeAll(async () => {
			server = await startTestServer({ security: 'none' });
		});
		afterAll(() => server.close());

		test('the destination our message stream is piped into is a DataStream that has seen no bytes', async () => {
			const raw = lines('Subject: canary', '', 'body');
			const seen: Array<{ isDataStream: boolean; lastByte: unknown }> = [];
			class Probe extends Readable {
				override _read(): void {
					this.push(raw);
					this.push(null);
				}
				override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
					seen.push({ isDataStream: destination instanceof DataStream, lastByte: (destination as unknown as { lastByte?: unknown }).lastByte });
					return super.pipe(destination, options);
				}
			}
			const connection = new SMTPConnection({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });
			await new Promise<void>((resolve, reject) => {
				connection.once('error', reject);
				connection.connect(() => resolve());
			});
			const info = await new Promise<SMTPConnection.SentMessageInfo>((resolve, reject) =>
				connection.send({ from: 'shop@example.com', to: ['kunde@example.org'] }, new Probe(), (err, result) => (err ? reject(err) : resolve(result))),
			);
			connection.quit();
			expect(info.accepted).toEqual(['kunde@example.org']);
			expect(seen).toEqual([{ isDataStream: true, lastByte: false }]);
			expect(server.received.at(-1)?.raw.equals(raw)).toBe(true);
		});
	});
});
