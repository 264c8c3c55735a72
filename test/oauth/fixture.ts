/**
 * The loopback OAuth2 set-up the OAuth tests share: a token endpoint (with introspection) and an
 * XOAUTH2-only SMTP server that checks every token against it, started once per file and reset
 * before each test. Call at the top of a file or inside a describe block.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { OAuth2TestServer } from './token-server';
import { startXOAuth2SmtpServer, type XOAuth2SmtpServer } from './xoauth2-smtp-server';

export interface OAuth2MailFixture {
	tokens: OAuth2TestServer;
	/** Filled in before the first test. */
	smtp: XOAuth2SmtpServer;
	/** What n8n stores for a connected Microsoft or Google mailbox credential, pointing at the loopback servers. */
	credential(tokenData: IDataObject, extra?: IDataObject): ICredentialDataDecryptedObject;
}

export function useOAuth2MailFixture(options: { mailbox: string; introspectionPort?: number }): OAuth2MailFixture {
	const tokens = new OAuth2TestServer();
	const smtp = { port: 0, logins: [], received: [], close: async () => undefined } as XOAuth2SmtpServer;

	beforeAll(async () => {
		await tokens.start(0, options.introspectionPort).catch((error: Error) => {
			throw new Error(`Cannot start the OAuth2 token server (fixed port ${options.introspectionPort ?? 'none'}): ${error.message}`);
		});
		Object.assign(smtp, await startXOAuth2SmtpServer({ introspectionUrl: `${tokens.url}/introspect`, security: 'starttls' }));
	});

	afterAll(async () => {
		await smtp.close();
		await tokens.stop();
	});

	beforeEach(() => {
		smtp.logins.length = 0;
		smtp.received.length = 0;
		tokens.requests.length = 0;
	});

	const credential = (tokenData: IDataObject, extra: IDataObject = {}) =>
		({
			...tokens.microsoftCredentialData(
				options.mailbox,
				{ smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpSecurity: 'starttls', imapHost: '127.0.0.1', imapPort: 993, imapSecurity: 'tls' },
				tokenData,
			),
			...extra,
		}) as ICredentialDataDecryptedObject;

	return { tokens, smtp, credential };
}
