/**
 * The n8n side of OAuth2 mailboxes through the real engine: nodes/shared/mailbox-auth.ts takes the
 * token from the credential, and n8n-core's own refreshOAuth2Token (with @n8n/client-oauth2)
 * refreshes it against our loopback token endpoint and writes the new token back into the
 * credential store. A small test-only node sends one message per item over lib/mail's SMTP
 * session, so this file does not depend on the Send Reminder Email node (whose own OAuth2 tests
 * live beside it once it has the Authentication option).
 */
import { createServer, type AddressInfo } from 'node:net';

import { PollContext } from 'n8n-core';
import {
	NodeOperationError,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { openSmtpSession, SmtpConnectError, type SmtpSession } from '../../lib/mail/smtp-session';
import {
	connectOAuth2Mailbox,
	getMailboxAuthentication,
	isOAuth2Authentication,
	isOAuth2StopError,
	openOAuth2MailboxSession,
	smtpAuthenticationProperty,
} from '../../nodes/shared/mailbox-auth';
import { ReadMailboxTrigger } from '../../nodes/ReadMailbox/ReadMailboxTrigger.node';
import { loadPackage, node, registerNodeType, runWorkflow, TestCredentialsHelper } from '../harness/engine';

import { useOAuth2MailFixture } from './fixture';

class OAuth2SendProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OAuth2 Send Probe',
		name: 'oauth2SendProbe',
		group: ['output'],
		version: 1,
		description: 'Test-only: sends one short message per item through an OAuth2 mailbox',
		defaults: { name: 'OAuth2 Send Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'dunningMicrosoftOAuth2Api', required: true, displayOptions: { show: { authentication: ['microsoftOAuth2'] } } },
			{ name: 'dunningGoogleOAuth2Api', required: true, displayOptions: { show: { authentication: ['googleOAuth2'] } } },
		],
		properties: [smtpAuthenticationProperty],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const authentication = getMailboxAuthentication(this);
		if (!isOAuth2Authentication(authentication)) throw new NodeOperationError(this.getNode(), 'probe needs OAuth2');
		let connection;
		try {
			connection = await connectOAuth2Mailbox<SmtpSession>(this, authentication, 'smtp', (server, auth) => openSmtpSession(server, auth));
		} catch (error) {
			if (isOAuth2StopError(error)) throw new NodeOperationError(this.getNode(), error.message);
			throw error;
		}
		const session = connection.value;
		try {
			const out: INodeExecutionData[] = [];
			for (const [index, item] of this.getInputData().entries()) {
				const raw = Buffer.from(`From: ${connection.sender}\r\nTo: ${item.json.to}\r\nSubject: probe ${index}\r\n\r\nhello\r\n`);
				const reply = await session.send({ envelope: { from: connection.sender, to: [String(item.json.to)] }, raw });
				out.push({ json: { to: item.json.to, code: reply.code, refreshed: connection.refreshed }, pairedItem: { item: index } });
			}
			return [out];
		} finally {
			session.close();
		}
	}
}

/** How far the test has moved the clock (Date.now, which the token server, n8n-core and our session all read). */
let clockOffset = 0;

/**
 * Test-only: one connection per item through one token session, as a long sending run opens
 * them (re-connections after a break); `advanceMs` on an item moves the clock on first.
 */
class OAuth2ReconnectProbe implements INodeType {
	description: INodeTypeDescription = {
		...new OAuth2SendProbe().description,
		displayName: 'OAuth2 Reconnect Probe',
		name: 'oauth2ReconnectProbe',
		defaults: { name: 'OAuth2 Reconnect Probe' },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const authentication = getMailboxAuthentication(this);
		if (!isOAuth2Authentication(authentication)) throw new NodeOperationError(this.getNode(), 'probe needs OAuth2');
		const session = await openOAuth2MailboxSession(this, authentication);
		const connector = session.smtpConnector();
		const out: INodeExecutionData[] = [];
		for (const [index, item] of this.getInputData().entries()) {
			clockOffset += Number(item.json.advanceMs ?? 0);
			let smtpSession: SmtpSession;
			try {
				smtpSession = await connector.connect();
			} catch (error) {
				if (error instanceof SmtpConnectError) throw new NodeOperationError(this.getNode(), error.message);
				throw error;
			}
			try {
				const raw = Buffer.from(`From: ${session.sender}\r\nTo: ${item.json.to}\r\nSubject: probe ${index}\r\n\r\nhello\r\n`);
				const reply = await smtpSession.send({ envelope: { from: session.sender, to: [String(item.json.to)] }, raw });
				out.push({ json: { to: item.json.to, code: reply.code }, pairedItem: { item: index } });
			} finally {
				smtpSession.close();
			}
		}
		return [out];
	}
}

const MAILBOX = 'shop@example.test';
const { tokens, smtp, credential: microsoftCredential } = useOAuth2MailFixture({ mailbox: MAILBOX });

beforeAll(() => {
	registerNodeType('n8n-nodes-base.oauth2SendProbe', new OAuth2SendProbe());
	registerNodeType('n8n-nodes-base.oauth2ReconnectProbe', new OAuth2ReconnectProbe());
});

async function run(credential: ICredentialDataDecryptedObject, type = 'dunningMicrosoftOAuth2Api', authentication = 'microsoftOAuth2') {
	return await runWorkflow({
		nodes: [
			node('oauth2SendProbe', 'Send', { authentication }, {
				type: 'n8n-nodes-base.oauth2SendProbe',
				credentials: { [type]: { id: 'cred-1', name: 'Shop mailbox' } },
			}),
		],
		input: { node: 'Send', items: [{ json: { to: 'a@example.org' } }, { json: { to: 'b@example.org' } }] },
		credentials: { 'cred-1': credential },
	});
}

it('valid token: signs in once and sends every item', async () => {
	const t = tokens.issue(MAILBOX);
	const r = await run(microsoftCredential(tokens.tokenData(t)));
	expect(r.status).toBe('success');
	expect(r.items('Send').map((i) => i.json)).toEqual([
		{ to: 'a@example.org', code: 250, refreshed: false },
		{ to: 'b@example.org', code: 250, refreshed: false },
	]);
	expect(smtp.received.map((m) => m.to[0])).toEqual(['a@example.org', 'b@example.org']);
	expect(tokens.count('/token')).toBe(0);
});

it('expired token: n8n refreshes it through the token URL, stores it in the credential, then sends', async () => {
	const t = tokens.issue(MAILBOX, -30);
	const credential = microsoftCredential(tokens.tokenData(t));
	const r = await run(credential);
	expect(r.status).toBe('success');
	expect(r.items('Send').map((i) => i.json.refreshed)).toEqual([true, true]);
	expect(tokens.requests.filter((q) => q.path === '/token')).toEqual([
		{ path: '/token', grantType: 'refresh_token', result: 'ok', user: MAILBOX },
	]);
	// n8n wrote the new token back (and kept the refresh token, which this server does not rotate).
	const stored = credential.oauthTokenData as Record<string, string>;
	expect(stored.access_token).not.toBe(t.accessToken);
	expect(tokens.validate(stored.access_token)).toBe(MAILBOX);
	expect(stored.refresh_token).toBe(t.refreshToken);
	expect(Number(stored.n8n_expires_at)).toBeGreaterThan(Date.now());
	expect(smtp.logins.map((l) => l.ok)).toEqual([true]);
	expect(smtp.received).toHaveLength(2);
});

it('token refused by the server (no expiry recorded): refreshed once, retried, sent', async () => {
	const t = tokens.issue(MAILBOX);
	tokens.expire(t.accessToken);
	const r = await run(microsoftCredential(tokens.tokenData(t, { withExpiry: false })));
	expect(r.status).toBe('success');
	expect(tokens.count('/token', 'refresh_token')).toBe(1);
	expect(smtp.received).toHaveLength(2);
});

it('revoked access: the run stops with "reconnect the credential", nothing is sent, also on a re-run', async () => {
	const t = tokens.issue(MAILBOX);
	tokens.revokeUser(MAILBOX);
	const credential = microsoftCredential(tokens.tokenData(t));
	for (let attempt = 0; attempt < 2; attempt++) {
		const r = await run(credential);
		expect(r.status).toBe('error');
		expect(r.error?.message).toMatch(/Reconnect the credential "Shop mailbox" \(Microsoft 365\)/);
		expect(JSON.stringify(r.run)).not.toContain(t.accessToken);
		expect(JSON.stringify(r.run)).not.toContain(t.refreshToken);
	}
	expect(smtp.received).toHaveLength(0);
	expect(tokens.count('/token', 'refresh_token')).toBe(2);
});

it('Google credential: same flow with the Google type and "send as" address', async () => {
	const t = tokens.issue(MAILBOX);
	const credential = microsoftCredential(tokens.tokenData(t), {
		scope: 'https://mail.google.com/',
		authQueryParameters: 'access_type=offline&prompt=consent',
		sendAs: 'collections@example.test',
		smtpSecurity: 'starttls',
	});
	const r = await run(credential, 'dunningGoogleOAuth2Api', 'googleOAuth2');
	expect(r.status).toBe('success');
	expect(smtp.received[0].from).toBe('collections@example.test');
	expect(smtp.received[0].user).toBe(MAILBOX);
});

it('a credential that was never connected says so', async () => {
	const r = await run(microsoftCredential({}));
	expect(r.status).toBe('error');
	expect(r.error?.message).toMatch(/not connected yet.*Connect my account/s);
	expect(smtp.logins).toHaveLength(0);
});

describe('a run longer than the token lives, through n8n’s own refresh', () => {
	beforeEach(() => {
		clockOffset = 0;
		const real = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => real() + clockOffset);
	});
	afterEach(() => jest.restoreAllMocks());

	async function reconnectRun(credential: ICredentialDataDecryptedObject, advanceMs: number[]) {
		return await runWorkflow({
			nodes: [
				node('oauth2ReconnectProbe', 'Send', { authentication: 'microsoftOAuth2' }, {
					type: 'n8n-nodes-base.oauth2ReconnectProbe',
					credentials: { dunningMicrosoftOAuth2Api: { id: 'cred-1', name: 'Shop mailbox' } },
				}),
			],
			input: { node: 'Send', items: advanceMs.map((ms, i) => ({ json: { to: `c${i}@example.org`, advanceMs: ms } })) },
			credentials: { 'cred-1': credential },
		});
	}

	it('the token refreshed at the start expires mid-run: n8n refreshes it again, no login is tried with the dead token', async () => {
		const t = tokens.issue(MAILBOX, -30);
		const credential = microsoftCredential(tokens.tokenData(t));
		const r = await reconnectRun(credential, [0, 30 * 60_000, 90 * 60_000]);
		expect(r.error?.message).toBeUndefined();
		expect(r.status).toBe('success');
		expect(tokens.requests.filter((q) => q.path === '/token').map((q) => q.result)).toEqual(['ok', 'ok']);
		expect(smtp.logins.map((l) => l.ok)).toEqual([true, true, true]);
		expect(smtp.received).toHaveLength(3);
		// n8n stored the second refresh's token.
		expect(tokens.validate(String((credential.oauthTokenData as Record<string, unknown>).access_token))).toBe(MAILBOX);
	});

	it('a token endpoint throttling with an OAuth2 error body (429 temporarily_unavailable, as Entra ID): the run stops as authUnavailable, not "reconnect"', async () => {
		const t = tokens.issue(MAILBOX, 3600);
		tokens.refreshAnswer = () => ({ status: 429, contentType: 'application/json', body: JSON.stringify({ error: 'temporarily_unavailable', error_description: 'AADSTS50196: request throttled' }) });
		try {
			const r = await reconnectRun(microsoftCredential(tokens.tokenData(t)), [0, 2 * 3_600_000]);
			expect(r.status).toBe('error');
			// Before: "Reconnect the credential", kind auth, and the shipped sender paused the mailbox.
			expect(r.error?.message).not.toMatch(/Reconnect the credential/);
			expect(r.error?.message).toMatch(/the next run tries again/);
		} finally {
			tokens.refreshAnswer = undefined;
		}
	});

	it('a token endpoint answering the refresh with a page that quotes the request: the node error holds no part of the refresh token', async () => {
		const refreshToken = '1//0gAbC+dEf/GhI=jKl-MnO_pQr+StU/vWx=yZ';
		const t = tokens.issue(MAILBOX, 3600, refreshToken);
		const pages = [
			(body: string) => `Bad request from the gateway in front of the token endpoint, you sent: ${body}`,
			// The parameters sorted: the client secret falls within what n8n quotes.
			(body: string) => `Bad request: ${[...new URLSearchParams(body)].sort().map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
		];
		try {
			for (const page of pages) {
				tokens.refreshAnswer = (body) => ({ status: 400, contentType: 'text/plain', body: page(body) });
				const r = await reconnectRun(microsoftCredential(tokens.tokenData(t)), [0, 2 * 3_600_000]);
				expect(r.status).toBe('error');
				expect(r.error?.message).toMatch(/could not be refreshed.*Reconnect the credential "Shop mailbox".*\[redacted\]/s);
				const everything = JSON.stringify(r.run);
				const encoded = encodeURIComponent(refreshToken);
				// n8n quotes the first 100 characters of the page: the token may be cut anywhere; no 6 characters of it may show.
				for (let i = 0; i + 6 <= encoded.length; i++) expect(everything).not.toContain(encoded.slice(i, i + 6));
				expect(everything).not.toContain(refreshToken.slice(0, 8));
				expect(everything).not.toContain(tokens.clientSecret);
			}
		} finally {
			tokens.refreshAnswer = undefined;
		}
	});
});

/**
 * An IMAP server that refuses every XOAUTH2 sign-in (a scripted mock: the fault is an IMAP host that
 * refuses the token SMTP takes, e.g. IMAP switched off for the mailbox, which Dovecot behind the same
 * token endpoint will not do on demand). Counts the sign-ins it refused.
 */
async function refusingImap(): Promise<{ port: number; refused: () => number; close: () => void }> {
	let refused = 0;
	const server = createServer((socket) => {
		socket.on('error', () => undefined);
		socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready\r\n');
		let buffer = '';
		socket.on('data', (chunk) => {
			buffer += chunk.toString();
			for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
				const [tag, command] = buffer.slice(0, nl).split(' ');
				buffer = buffer.slice(nl + 2);
				if (!command) continue;
				if (/^AUTHENTICATE$/i.test(command)) {
					refused++;
					socket.write(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
				} else if (/^CAPABILITY$/i.test(command)) socket.write(`* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n${tag} OK done\r\n`);
				else if (/^LOGOUT$/i.test(command)) socket.end(`* BYE\r\n${tag} OK bye\r\n`);
				else socket.write(`${tag} OK\r\n`);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { port: (server.address() as AddressInfo).port, refused: () => refused, close: () => server.close() };
}

it('Save to Sent Folder whose IMAP host refuses the token SMTP took: tried in one run, then not again until the hour is over or the credential is reconnected', async () => {
	const imap = await refusingImap();
	try {
		const credential = microsoftCredential(tokens.tokenData(tokens.issue(MAILBOX)), { imapHost: '127.0.0.1', imapPort: imap.port, imapSecurity: 'none' });
		const send = node(
			'sendReminderEmail',
			'Send',
			{ authentication: 'microsoftOAuth2', operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, saveToSentFolder: true, sentFolder: 'Sent', options: { retryDelaySeconds: 0 } },
			{ credentials: { dunningMicrosoftOAuth2Api: { id: 'cred-sent', name: 'Shop mailbox' } } },
		);
		const refusedPerRun: number[] = [];
		const warnings: string[] = [];
		for (let run = 1; run <= 3; run++) {
			const before = imap.refused();
			const invoice = { invoiceId: `sent-${run}`, invoiceNumber: `RE-${run}`, email: `k${run}@kunden.example`, language: 'de', dueDate: '2026-02-09', currency: 'EUR', openAmount: 100, dunning: { action: 'send', level: 1, fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' } };
			const r = await runWorkflow({ workflowId: 'oauth-sent-folder', nodes: [send], input: { node: 'Send', items: [{ json: invoice }] }, credentials: { 'cred-sent': credential } });
			const delivery = r.items('Send')[0].json.delivery as IDataObject;
			expect(delivery.status).toBe('sent');
			warnings.push(String(delivery.warning));
			refusedPerRun.push(imap.refused() - before);
		}
		// Before: every run (every minute for the shipped sender) refreshed the token and failed two sign-ins.
		expect(refusedPerRun).toEqual([2, 0, 0]);
		expect(warnings[2]).toMatch(/^Sent, but the copy to the Sent folder failed: not tried, because the login was refused earlier/);
	} finally {
		imap.close();
	}
});

describe('cancelling the execution while n8n refreshes the token for IMAP (the token endpoint hangs)', () => {
	/** Far beyond the moment a honoured cancel takes; the old code waited for n8n's refresh (5 minutes). */
	const HANG_LIMIT_MS = 15_000;

	/** Runs the workflow and cancels it as soon as the token endpoint holds a refresh request. */
	async function cancelledDuringRefresh(options: Parameters<typeof runWorkflow>[0]) {
		tokens.holdRefreshes = true;
		const cancel = new AbortController();
		const poll = setInterval(() => tokens.count('/token', 'refresh_token') > 0 && cancel.abort(), 20);
		try {
			return await runWorkflow({ ...options, signal: cancel.signal });
		} finally {
			clearInterval(poll);
			tokens.releaseHeld();
		}
	}

	it(
		'Read Mailbox (the token expired): the run ends at the cancel; no IMAP sign-in is tried',
		async () => {
			const imap = await refusingImap();
			try {
				const credential = microsoftCredential(tokens.tokenData(tokens.issue(MAILBOX, -30)), { imapHost: '127.0.0.1', imapPort: imap.port, imapSecurity: 'none' });
				const r = await cancelledDuringRefresh({
					nodes: [
						node('readMailbox', 'Read', { authentication: 'microsoftOAuth2', folder: 'INBOX', mode: 'unseen', postAction: 'seen' }, {
							credentials: { dunningMicrosoftOAuth2Api: { id: 'cred-read', name: 'Shop mailbox' } },
						}),
					],
					input: { node: 'Read', items: [{ json: {} }] },
					credentials: { 'cred-read': credential },
				});
				expect(r.status).toBe('canceled');
				expect(tokens.requests.filter((q) => q.path === '/token').map((q) => q.result)).toEqual(['held']);
				expect(imap.refused()).toBe(0);
			} finally {
				imap.close();
			}
		},
		HANG_LIMIT_MS,
	);

	it(
		'Save to Sent Folder: the copy stops waiting at the cancel (the IMAP host refused the token SMTP took, so it needs a refresh)',
		async () => {
			const imap = await refusingImap();
			try {
				const credential = microsoftCredential(tokens.tokenData(tokens.issue(MAILBOX)), { imapHost: '127.0.0.1', imapPort: imap.port, imapSecurity: 'none' });
				const invoice = { invoiceId: 'sent-cancel', invoiceNumber: 'RE-1', email: 'k1@kunden.example', language: 'de', dueDate: '2026-02-09', currency: 'EUR', openAmount: 100, dunning: { action: 'send', level: 1, fee: 0, flatFee: 0, interest: 0, totalDue: 100, deadline: '2099-03-02' } };
				const r = await cancelledDuringRefresh({
					workflowId: 'oauth-sent-cancel',
					nodes: [
						node(
							'sendReminderEmail',
							'Send',
							{ authentication: 'microsoftOAuth2', operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, saveToSentFolder: true, sentFolder: 'Sent', options: { retryDelaySeconds: 0 } },
							{ credentials: { dunningMicrosoftOAuth2Api: { id: 'cred-sent-cancel', name: 'Shop mailbox' } } },
						),
					],
					input: { node: 'Send', items: [{ json: invoice }] },
					credentials: { 'cred-sent-cancel': credential },
				});
				expect(r.status).toBe('canceled');
				// Sent with the credential's token (no refresh for SMTP); the one refresh, held, was the copy's.
				expect(smtp.received).toHaveLength(1);
				expect(imap.refused()).toBe(1);
				expect(tokens.requests.filter((q) => q.path === '/token').map((q) => q.result)).toEqual(['held']);
			} finally {
				imap.close();
			}
		},
		HANG_LIMIT_MS,
	);
});

describe('IMAP Mailbox Trigger: the poll budget runs out while n8n refreshes the token (the token endpoint hangs)', () => {
	/** The poll's budget; it stops reading at 80 % of it (ReadMailboxTrigger's BUDGET_SHARE). */
	const BUDGET_MS = 500;

	/**
	 * A poll as n8n's poll manager runs it for an active workflow, with that budget. One credential ID
	 * per test: n8n-core shares a refresh in flight per credential, and a held one ends only after its test.
	 */
	async function pollTrigger(credentialId: string, credential: ICredentialDataDecryptedObject, staticData: IDataObject) {
		const { nodeTypes, credentialTypes } = loadPackage();
		const trigger = node('readMailboxTrigger', 'On Mail', { authentication: 'microsoftOAuth2', folder: 'INBOX', mode: 'sinceUid', postAction: 'seen' }, {
			credentials: { dunningMicrosoftOAuth2Api: { id: credentialId, name: 'Shop mailbox' } },
		});
		const workflow = new Workflow({ id: 'wf-oauth-poll', nodes: [trigger], connections: {}, active: true, nodeTypes, staticData });
		const additionalData = {
			credentialsHelper: new TestCredentialsHelper({ [credentialId]: credential }, credentialTypes),
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
		const ctx = new PollContext(workflow, trigger, additionalData, 'trigger', 'activate', undefined, undefined, undefined, undefined, undefined, () => BUDGET_MS);
		return await new ReadMailboxTrigger().poll.call(ctx);
	}

	/** Static data with a position already saved for the mailbox's INBOX on that IMAP port. */
	const withPosition = (imapPort: number): IDataObject => ({
		'node:On Mail': { positions: { [`${MAILBOX}@127.0.0.1:${imapPort}/INBOX`]: { uidValidity: '7', lastUid: 42 } } },
	});

	it(
		'the token expired and the refresh hangs: the poll ends at its budget with nothing read, no error, the position kept (as a password login cut by the budget)',
		async () => {
			const imap = await refusingImap();
			tokens.holdRefreshes = true;
			try {
				const credential = microsoftCredential(tokens.tokenData(tokens.issue(MAILBOX, -30)), { imapHost: '127.0.0.1', imapPort: imap.port, imapSecurity: 'none' });
				const staticData = withPosition(imap.port);
				const before = structuredClone(staticData);
				// Before: the poll failed with "The execution was cancelled while the OAuth2 access token … was being refreshed".
				expect(await pollTrigger('cred-poll-held', credential, staticData)).toBeNull();
				expect(staticData).toEqual(before);
				expect(tokens.requests.filter((q) => q.path === '/token').map((q) => q.result)).toEqual(['held']);
				expect(imap.refused()).toBe(0);
			} finally {
				tokens.releaseHeld();
				imap.close();
			}
		},
		15_000,
	);

	it('a refresh that fails (access revoked: invalid_grant) still fails the poll, saying to reconnect the credential', async () => {
		const imap = await refusingImap();
		try {
			const t = tokens.issue(MAILBOX, -30);
			tokens.revokeUser(MAILBOX);
			const credential = microsoftCredential(tokens.tokenData(t), { imapHost: '127.0.0.1', imapPort: imap.port, imapSecurity: 'none' });
			const staticData = withPosition(imap.port);
			const before = structuredClone(staticData);
			await expect(pollTrigger('cred-poll-revoked', credential, staticData)).rejects.toThrow(/Reconnect the credential "Shop mailbox" \(Microsoft 365\)/);
			expect(staticData).toEqual(before);
			expect(tokens.requests.filter((q) => q.path === '/token').map((q) => q.result)).toEqual(['error']);
		} finally {
			imap.close();
		}
	});
});
