/**
 * The n8n side of OAuth2 mailboxes through the real engine: nodes/shared/mailbox-auth.ts takes the
 * token from the credential, and n8n-core's own refreshOAuth2Token (with @n8n/client-oauth2)
 * refreshes it against our loopback token endpoint and writes the new token back into the
 * credential store. A small test-only node sends one message per item over lib/mail's SMTP
 * session, so this file does not depend on the Send Reminder Email node (whose own OAuth2 tests
 * live beside it once it has the Authentication option).
 */
import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { openSmtpSession, type SmtpSession } from '../../lib/mail/smtp-session';
import {
	connectOAuth2Mailbox,
	getMailboxAuthentication,
	isOAuth2Authentication,
	isOAuth2StopError,
	smtpAuthenticationProperty,
} from '../../nodes/shared/mailbox-auth';
import { node, registerNodeType, runWorkflow } from '../harness/engine';

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

const MAILBOX = 'shop@example.test';
const { tokens, smtp, credential: microsoftCredential } = useOAuth2MailFixture({ mailbox: MAILBOX });

beforeAll(() => {
	registerNodeType('n8n-nodes-base.oauth2SendProbe', new OAuth2SendProbe());
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
