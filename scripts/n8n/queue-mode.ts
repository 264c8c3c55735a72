/**
 * `npm run queue-mode`: n8n 2.41.1 in queue mode on loopback, for trying the shipped workflows as a
 * larger installation runs them: Debian's PostgreSQL and Redis, one main instance, two workers,
 * this package installed as a community package, every shipped workflow imported (credentials for
 * the loopback mail sandbox). Runs until Ctrl-C, then removes everything it started. Needs root.
 */
import { startQueueStack } from '../../test/e2e/queue-stack';
import { sandboxCredentials, shippedWorkflows, webhookTokenCredential } from '../../test/e2e/stack';
import { OWNER } from '../../test/e2e/n8n';

async function main(): Promise<void> {
	const workers = Number(process.env.WORKERS ?? 2);
	const stack = await startQueueStack({
		workers,
		verbose: process.env.VERBOSE === '1',
		log: (line) => console.log(`[queue-mode] ${line}`),
		prepare: async (n8n) => {
			// With the ERP webhook's token (random per start, in Credentials → Dunning ERP Token).
			await n8n.importCredentials([...sandboxCredentials(), webhookTokenCredential()]);
			await n8n.importWorkflows(Object.values(shippedWorkflows()));
		},
	});
	console.log(`[queue-mode] open http://127.0.0.1:${stack.port} and sign in as ${OWNER.email} / ${OWNER.password}`);
	console.log(`[queue-mode] ${workers} workers run the executions; Ctrl-C stops everything`);
	const stop = async () => {
		await stack.dispose();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	await new Promise(() => undefined);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
