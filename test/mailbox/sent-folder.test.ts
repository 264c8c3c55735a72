/**
 * The Sent-folder copy where the credential's default "Sent" does not exist: it goes to the folder
 * the server marks \Sent (RFC 6154). The sandbox's Dovecot always has "Sent" (auto-created, marked
 * \Sent), so the scripted server plays a mailbox whose Sent folder is "Gesendet".
 */
import { appendToSentFolder, MailboxError, sentFolderFor } from '../../lib/mailbox';
import type { MailAuth, MailServer } from '../../lib/mail/server';
import { startRawImapServer, type RawImapServer } from './raw-imap-server';

describe('sentFolderFor', () => {
	const folders = ['INBOX', 'Gesendet', 'Archiv'];

	it('keeps a configured folder that exists', () => {
		expect(sentFolderFor('Archiv', folders, 'Gesendet')).toBe('Archiv');
		expect(sentFolderFor('Sent', ['INBOX', 'Sent', 'Gesendet'], 'Gesendet')).toBe('Sent');
	});

	it('the default "Sent" that does not exist is the folder the server marks \\Sent', () => {
		expect(sentFolderFor('Sent', folders, 'Gesendet')).toBe('Gesendet');
		expect(sentFolderFor(' Sent ', folders, 'Gesendet')).toBe('Gesendet');
	});

	it('a name the operator typed is never swapped for another; no marked folder, no fallback', () => {
		expect(sentFolderFor('Gesendete Objekte', folders, 'Gesendet')).toBeUndefined();
		expect(sentFolderFor('sent', folders, 'Gesendet')).toBeUndefined();
		expect(sentFolderFor('Sent', folders, undefined)).toBeUndefined();
	});

	it('empty: the marked folder first, else "Sent" where it exists', () => {
		expect(sentFolderFor('', ['INBOX', 'Sent', 'Gesendet'], 'Gesendet')).toBe('Gesendet');
		expect(sentFolderFor('', ['INBOX', 'Sent'], undefined)).toBe('Sent');
		expect(sentFolderFor('', folders, undefined)).toBeUndefined();
	});
});

describe('appendToSentFolder against a scripted server', () => {
	let imap: RawImapServer;
	const auth: MailAuth = { method: 'password', user: 'shop@example.test', password: 'pw' };
	const server = (): MailServer => ({ host: '127.0.0.1', port: imap.port, security: 'none', allowSelfSigned: false, timeoutMs: 5000 });
	const raw = 'From: shop@example.test\r\nTo: kunde@example.org\r\nSubject: Zahlungserinnerung\r\n\r\nHallo\r\n';

	afterEach(async () => {
		await imap.stop();
	});

	it('stores the copy in the server\'s Sent folder ("Gesendet") when the default "Sent" does not exist', async () => {
		imap = await startRawImapServer({
			messages: [],
			loginCapabilities: 'IMAP4rev1 UIDPLUS MOVE SPECIAL-USE',
			onlyFolders: ['INBOX', 'Gesendet', 'Entwürfe'],
			folderFlags: { Gesendet: '\\Sent' },
		});
		const result = await appendToSentFolder(server(), auth, 'Sent', raw);
		expect(result.folder).toBe('Gesendet');
		expect(imap.appended).toEqual([{ folder: 'Gesendet', message: raw }]);
	});

	it('a typed name that does not exist is an error naming it and the existing folders; nothing is stored', async () => {
		imap = await startRawImapServer({
			messages: [],
			loginCapabilities: 'IMAP4rev1 UIDPLUS MOVE SPECIAL-USE',
			onlyFolders: ['INBOX', 'Gesendet'],
			folderFlags: { Gesendet: '\\Sent' },
		});
		const error = await appendToSentFolder(server(), auth, 'Gesendete Objekte', raw).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MailboxError);
		expect(error).toMatchObject({ kind: 'folderMissing', message: expect.stringContaining('"Gesendete Objekte" does not exist in this mailbox. Existing folders: INBOX, Gesendet.') });
		expect(imap.appended).toEqual([]);
	});
});
