/**
 * Opens every shipped workflow in the real n8n editor (headless Chromium through playwright-core),
 * checks that our nodes render (n8n shows a "?" placeholder and "install this node" for unknown
 * node types), and saves a screenshot per workflow to docs/screenshots/ for the README.
 *
 *   npx ts-node --transpile-only scripts/demo/screenshots.ts   (CHROMIUM=/usr/bin/chromium by default)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { PROJECT_ROOT } from '../../test/e2e/n8n';
import { startStack } from '../../test/e2e/stack';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const outDir = join(PROJECT_ROOT, 'docs', 'screenshots');
	mkdirSync(outDir, { recursive: true });
	const stack = await startStack({ log: (l) => say(`[screenshots] ${l}`) });
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
	const problems: string[] = [];
	try {
		const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
		await page.goto(`${stack.n8n.baseUrl}/signin`);
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill('owner@example.test');
		await page.locator('input[type="password"]').first().fill('Dunning-e2e-1');
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
		for (const [file, wf] of Object.entries(stack.workflows)) {
			await page.goto(`${stack.n8n.baseUrl}/workflow/${wf.id}`);
			await page.waitForSelector('.vue-flow__node', { timeout: 30_000 });
			await page.waitForTimeout(1500);
			const text = (await page.content()).toLowerCase();
			if (text.includes('install this node') || text.includes('node is not currently installed')) problems.push(`${file}: a node shows the "install this node" placeholder`);
			const path = join(outDir, `${file}.png`);
			await page.screenshot({ path });
			say(`[screenshots] ${file}: ${path}`);
		}
	} finally {
		await browser.close();
		await stack.dispose();
	}
	if (problems.length) {
		say(problems.join('\n'));
		process.exit(1);
	}
}

main().catch((error: unknown) => {
	say(`screenshots failed: ${(error as Error).message}`);
	process.exit(1);
});
