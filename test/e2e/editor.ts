/**
 * The n8n editor in headless Chromium (Debian's `chromium` through playwright-core), used as a
 * user would: sign in, open a workflow, test a credential. Shared by the editor e2e test and the
 * README screenshot script.
 */
import { existsSync } from 'node:fs';

import { chromium, type Browser, type Page } from 'playwright-core';

import { OWNER } from './n8n';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
	return existsSync(CHROMIUM);
}

export interface Editor {
	page: Page;
	close(): Promise<void>;
}

export async function openEditor(baseUrl: string): Promise<Editor> {
	const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
	try {
		const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
		await page.goto(`${baseUrl}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
		return { page, close: async () => await browser.close() };
	} catch (error) {
		await browser.close();
		throw error;
	}
}

export interface CanvasCheck {
	/** Nodes drawn on the canvas (sticky notes included). */
	rendered: number;
	/** True when n8n shows its placeholder for a node type it does not know. */
	placeholder: boolean;
}

/** Opens a workflow on the canvas and reports what was drawn. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<CanvasCheck> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.waitForSelector('.vue-flow__node', { timeout: 30_000 });
	// Nodes render in waves; wait until the count stops changing.
	let rendered = -1;
	for (let i = 0; i < 20; i++) {
		const now = await page.locator('.vue-flow__node').count();
		if (now === rendered) break;
		rendered = now;
		await page.waitForTimeout(300);
	}
	const text = (await page.content()).toLowerCase();
	return { rendered, placeholder: text.includes('install this node') || text.includes('node is not currently installed') };
}

export interface CredentialTestInEditor {
	/** What the server answered the editor's test request. */
	status: string;
	message: string;
	/** The banner the editor shows above the form. */
	banner: string;
}

/** Waits for the editor's own credential-test request that `click` sets off. */
async function credentialTestAfter(page: Page, click: () => Promise<void>): Promise<{ status: string; message: string }> {
	const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/rest/credentials/test'), { timeout: 30_000 }), click()]);
	const body = (await response.json()) as { data?: { status?: string; message?: string } };
	return { status: body.data?.status ?? '', message: body.data?.message ?? '' };
}

async function banner(page: Page): Promise<string> {
	const shown = page.getByText(/Connection tested successfully|Couldn’t connect with these settings/).first();
	await shown.waitFor({ timeout: 30_000 });
	return (await shown.innerText()).trim();
}

/** Opens a saved credential and presses "Retry" on the connection test, as a user would. */
export async function retestCredential(page: Page, baseUrl: string, credentialId: string): Promise<CredentialTestInEditor> {
	await page.goto(`${baseUrl}/home/credentials/${credentialId}`);
	// Opening a credential already tests it; wait for that banner, then test again by hand.
	await banner(page);
	const result = await credentialTestAfter(page, async () => await page.getByRole('button', { name: 'Retry' }).click());
	return { ...result, banner: await banner(page) };
}

/** Types a new password into the open credential and saves, which makes the editor test it. */
export async function saveCredentialWithPassword(page: Page, password: string): Promise<CredentialTestInEditor> {
	await page.locator('input[type="password"]').first().fill(password);
	const result = await credentialTestAfter(page, async () => await page.getByRole('button', { name: 'Save' }).click());
	return { ...result, banner: await banner(page) };
}
