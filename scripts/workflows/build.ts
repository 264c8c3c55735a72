/**
 * Writes the shipped workflows (workflows/*.json) from one place, so that node names, table names and
 * column lists stay consistent across the files. The JSON files are the product (users import them);
 * re-run this after changing anything here:  npm run workflows:build
 * (test/workflows/build.test.ts fails while the committed files differ from what this writes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bounceProcessing } from './bounce-processing';
import { dunningAlert } from './dunning-alert';
import { dunningRun } from './dunning-run';
import { dunningRunWebhook } from './dunning-run-webhook';
import { mailboxCheck } from './mailbox-check';
import { sendReleased } from './send-released';
import type { WorkflowBuilder } from './workflow-builder';

export const WORKFLOWS_DIR = resolve(__dirname, '..', '..', 'workflows');

/** File name in workflows/ -> the workflow written there. */
const WORKFLOWS: Record<string, () => WorkflowBuilder> = {
	'dunning-run.json': dunningRun,
	'send-released.json': sendReleased,
	'bounce-processing.json': bounceProcessing,
	'mailbox-check.json': mailboxCheck,
	'dunning-run-webhook.json': dunningRunWebhook,
	'dunning-alert.json': dunningAlert,
};

/** Each shipped workflow's file name and text. */
export function renderWorkflows(): Array<{ file: string; text: string }> {
	return Object.entries(WORKFLOWS).map(([file, build]) => ({ file, text: build().serialize() }));
}

/** Writes every shipped workflow into `dir`; returns the paths written. */
export function writeWorkflows(dir: string = WORKFLOWS_DIR): string[] {
	mkdirSync(dir, { recursive: true });
	return renderWorkflows().map(({ file, text }) => {
		const path = join(dir, file);
		writeFileSync(path, text);
		return path;
	});
}

if (require.main === module) {
	for (const path of writeWorkflows(process.argv[2] ? resolve(process.argv[2]) : WORKFLOWS_DIR)) console.log(path);
}
