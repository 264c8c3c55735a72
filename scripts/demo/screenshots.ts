/**
 * Opens every shipped workflow in the real n8n editor (headless Chromium through playwright-core),
 * fails if a node shows n8n's "install this node" placeholder, and saves a screenshot per workflow
 * to docs/screenshots/ for the README. (The same checks run under assertions in test/e2e/editor.e2e.ts.)
 *
 *   npx ts-node --transpile-only scripts/demo/screenshots.ts   (CHROMIUM=/usr/bin/chromium by default)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { openEditor, openWorkflow } from '../../test/e2e/editor';
import { PROJECT_ROOT } from '../../test/e2e/n8n';
import { startStack } from '../../test/e2e/stack';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
	const outDir = join(PROJECT_ROOT, 'docs', 'screenshots');
	mkdirSync(outDir, { recursive: true });
	const stack = await startStack({ log: (l) => say(`[screenshots] ${l}`) });
	const problems: string[] = [];
	try {
		const editor = await openEditor(stack.n8n.baseUrl);
		try {
			for (const [file, wf] of Object.entries(stack.workflows)) {
				const canvas = await openWorkflow(editor.page, stack.n8n.baseUrl, wf.id);
				if (canvas.placeholder) problems.push(`${file}: a node shows the "install this node" placeholder`);
				const path = join(outDir, `${file}.png`);
				await editor.page.screenshot({ path });
				say(`[screenshots] ${file}: ${path}`);
			}
		} finally {
			await editor.close();
		}
	} finally {
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
