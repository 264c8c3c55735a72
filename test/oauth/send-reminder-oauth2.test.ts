/**
 * Send Reminder Email with Authentication = Microsoft 365 / Google OAuth2, through the real n8n
 * engine: the token comes from the credential, n8n-core's refreshOAuth2Token refreshes it against
 * the loopback token endpoint (and stores it), and a real SMTP server checks every XOAUTH2 token
 * against that endpoint's introspection.
 */
import { simpleParser } from 'mailparser';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { node, runWorkflow } from '../harness/engine';

import { useOAuth2MailFixture } from './fixture';

const MAILBOX = 'buchhaltung@shop.example';
const { tokens, smtp, credential } = useOAuth2MailFixture({ mailbox: MAILBOX });

function invoice(n: number): INodeExecutionData {
	return {
		json: {
			invoiceId: `oauth-inv-${n}`,
			invoiceNumber: `RE-2026-${String(n).padStart(4, '0')}`,
			customerName: `Kunde ${n}`,
			email: `kunde${n}@kunden.example`,
			language: 'de',
			invoiceDate: '2026-01-10',
			dueDate: '2026-02-09',
			currency: 'EUR',
			openAmount: 100 * n,
			dunning: { action: 'send', level: 1, stageName: 'Zahlungserinnerung', fee: 0, flatFee: 0, interest: 0, totalDue: 100 * n, deadline: '2099-03-02' },
		},
	};
}

let workflowCounter = 0;

/** One workflow (its own dedup scope) that can be run several times against a credential. */
function sendWorkflow(options: { authentication?: 'microsoftOAuth2' | 'googleOAuth2'; continueOnFail?: boolean } = {}) {
	const authentication = options.authentication ?? 'microsoftOAuth2';
	const type = authentication === 'microsoftOAuth2' ? 'dunningMicrosoftOAuth2Api' : 'dunningGoogleOAuth2Api';
	const send: INode = node(
		'sendReminderEmail',
		'Send',
		{ authentication, operation: 'sendReminder', minSecondsBetween: 0, maxPerRun: 0, options: { retryDelaySeconds: 0 } },
		{ credentials: { [type]: { id: 'oauth-cred', name: 'Shop mailbox' } }, ...(options.continueOnFail ? { continueOnFail: true } : {}) },
	);
	const workflowId = `oauth-send-${++workflowCounter}`;
	return async (cred: ICredentialDataDecryptedObject, items = [invoice(1), invoice(2)]) =>
		await runWorkflow({ workflowId, nodes: [send], input: { node: 'Send', items }, credentials: { 'oauth-cred': cred } });
}

const statuses = (items: INodeExecutionData[]) => items.map((i) => (i.json.delivery as IDataObject).status);

test('valid token: every reminder is sent over one XOAUTH2 sign-in, From = the mailbox', async () => {
	const run = sendWorkflow();
	const t = tokens.issue(MAILBOX);
	const r = await run(credential(tokens.tokenData(t)));
	expect(r.error?.message).toBeUndefined();
	expect(statuses(r.items('Send'))).toEqual(['sent', 'sent']);
	expect(smtp.logins).toEqual([expect.objectContaining({ user: MAILBOX, ok: true })]);
	expect(smtp.received.map((m) => m.to[0])).toEqual(['kunde1@kunden.example', 'kunde2@kunden.example']);
	const parsed = await simpleParser(smtp.received[0].raw);
	expect(parsed.from?.value[0].address).toBe(MAILBOX);
	expect(parsed.headers.get('x-dunning-invoice')).toBe('oauth-inv-1');
	expect(tokens.count('/token')).toBe(0);
});

test('expired token: refreshed once through n8n (stored in the credential), then sent', async () => {
	const run = sendWorkflow();
	const t = tokens.issue(MAILBOX, -60);
	const cred = credential(tokens.tokenData(t));
	const r = await run(cred);
	expect(r.error?.message).toBeUndefined();
	expect(statuses(r.items('Send'))).toEqual(['sent', 'sent']);
	expect(tokens.count('/token', 'refresh_token')).toBe(1);
	const stored = cred.oauthTokenData as IDataObject;
	expect(stored.access_token).not.toBe(t.accessToken);
	expect(tokens.validate(String(stored.access_token))).toBe(MAILBOX);
	expect(smtp.logins.map((l) => l.ok)).toEqual([true]);
	expect(JSON.stringify(r.run)).not.toContain(String(stored.access_token));
});

test('token refused by the server without a recorded expiry: one refresh, one retry, sent', async () => {
	const run = sendWorkflow();
	const t = tokens.issue(MAILBOX);
	tokens.expire(t.accessToken);
	const r = await run(credential(tokens.tokenData(t, { withExpiry: false })));
	expect(r.error?.message).toBeUndefined();
	expect(statuses(r.items('Send'))).toEqual(['sent', 'sent']);
	expect(tokens.count('/token', 'refresh_token')).toBe(1);
	expect(smtp.received).toHaveLength(2);
});

test('revoked access: the run stops with "reconnect the credential", nothing is sent; after reconnecting each reminder goes out once', async () => {
	const run = sendWorkflow();
	const t = tokens.issue(MAILBOX);
	tokens.revokeUser(MAILBOX);
	const revoked = credential(tokens.tokenData(t));

	for (let attempt = 0; attempt < 2; attempt++) {
		const r = await run(revoked);
		expect(r.status).toBe('error');
		expect(r.error?.message).toMatch(/^Sending stopped: .*Reconnect the credential "Shop mailbox" \(Microsoft 365\)/s);
		expect(JSON.stringify(r.run)).not.toContain(t.accessToken);
		expect(JSON.stringify(r.run)).not.toContain(t.refreshToken);
	}
	expect(smtp.received).toHaveLength(0);
	expect(tokens.count('/token', 'refresh_token')).toBe(2);

	// The user reconnects: a new token pair in the credential. Both reminders go out, once.
	const reconnected = credential(tokens.tokenData(tokens.issue(MAILBOX)));
	const after = await run(reconnected);
	expect(statuses(after.items('Send'))).toEqual(['sent', 'sent']);
	const again = await run(reconnected);
	expect(again.items('Send').map((i) => [(i.json.delivery as IDataObject).status, (i.json.delivery as IDataObject).duplicate])).toEqual([
		['sent', true],
		['sent', true],
	]);
	expect(smtp.received.map((m) => m.to[0])).toEqual(['kunde1@kunden.example', 'kunde2@kunden.example']);
});

test('revoked access with "Continue On Fail": every item is reported notSent with the reason', async () => {
	const run = sendWorkflow({ continueOnFail: true });
	const t = tokens.issue(MAILBOX);
	tokens.revokeUser(MAILBOX);
	const r = await run(credential(tokens.tokenData(t)));
	const deliveries = r.items('Send').map((i) => i.json.delivery as IDataObject);
	expect(deliveries.map((d) => [d.status, d.reason])).toEqual([
		['notSent', 'runStopped'],
		['notSent', 'runStopped'],
	]);
	expect(String(deliveries[0].error)).toMatch(/Reconnect the credential/);
	expect(smtp.received).toHaveLength(0);
});

test('Google credential with a "send as" address: From is the send-as address, the login the mailbox', async () => {
	const run = sendWorkflow({ authentication: 'googleOAuth2' });
	const t = tokens.issue(MAILBOX);
	const r = await run(credential(tokens.tokenData(t), { sendAs: 'mahnwesen@shop.example', scope: 'https://mail.google.com/' }), [invoice(1)]);
	expect(statuses(r.items('Send'))).toEqual(['sent']);
	expect(smtp.received[0].user).toBe(MAILBOX);
	expect(smtp.received[0].from).toBe('mahnwesen@shop.example');
	const parsed = await simpleParser(smtp.received[0].raw);
	expect(parsed.from?.value[0].address).toBe('mahnwesen@shop.example');
	expect(parsed.messageId).toMatch(/@shop\.example>$/);
});

test('"Send Test Mail" signs in with OAuth2 too (expired token refreshed), as merchants check a new mailbox', async () => {
	const t = tokens.issue(MAILBOX, -60);
	const send = node(
		'sendReminderEmail',
		'Send',
		{ authentication: 'microsoftOAuth2', operation: 'sendTestMail', testRecipient: 'pruefung@shop.example' },
		{ credentials: { dunningMicrosoftOAuth2Api: { id: 'oauth-cred', name: 'Shop mailbox' } } },
	);
	const r = await runWorkflow({
		workflowId: 'oauth-test-mail',
		nodes: [send],
		input: { node: 'Send', items: [{ json: {} }] },
		credentials: { 'oauth-cred': credential(tokens.tokenData(t)) },
	});
	expect(r.error?.message).toBeUndefined();
	expect(statuses(r.items('Send'))).toEqual(['sent']);
	expect(smtp.received.map((m) => m.to)).toEqual([['pruefung@shop.example']]);
	expect(tokens.count('/token', 'refresh_token')).toBe(1);
});
