/**
 * n8n keeps processed-data records (the store behind `this.helpers.checkProcessedAndRecord`) in
 * its database; the in-process engine needs one handed in. This one keeps them in memory with the
 * same semantics per mode, so node tests exercise the real helper end to end.
 */
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

function scopeKey(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
	const workflowId = context.workflow.id;
	return scope === 'node' ? `${workflowId}/${context.node?.id ?? context.node?.name}` : workflowId;
}

export class InMemoryDeduplicator implements IDataDeduplicator {
	private readonly entries = new Map<string, DeduplicationItemTypes[]>();

	private latest = new Map<string, DeduplicationItemTypes>();

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = scopeKey(scope, context);
		if (options.mode === 'entries') {
			const seen = this.entries.get(key) ?? [];
			const result: IDeduplicationOutput = { new: [], processed: [] };
			for (const item of items) {
				if (seen.includes(item)) result.processed.push(item);
				else {
					result.new.push(item);
					seen.push(item);
				}
			}
			const max = options.maxEntries ?? Infinity;
			this.entries.set(key, seen.slice(Math.max(0, seen.length - max)));
			return result;
		}
		const toNumber = (value: DeduplicationItemTypes) =>
			options.mode === 'latestDate' ? new Date(value).getTime() : Number(value);
		const previous = this.latest.get(key);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		let highest = previous;
		for (const item of items) {
			if (previous !== undefined && toNumber(item) <= toNumber(previous)) result.processed.push(item);
			else result.new.push(item);
			if (highest === undefined || toNumber(item) > toNumber(highest)) highest = item;
		}
		if (highest !== undefined) this.latest.set(key, highest);
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<void> {
		const key = scopeKey(scope, context);
		this.entries.set(key, (this.entries.get(key) ?? []).filter((item) => !items.includes(item)));
	}

	async clearAllProcessedItems(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		const key = scopeKey(scope, context);
		this.entries.delete(key);
		this.latest.delete(key);
	}

	async getProcessedDataCount(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<number> {
		return this.entries.get(scopeKey(scope, context))?.length ?? 0;
	}

	/** Forget everything, e.g. between test files that reuse workflow ids. */
	reset() {
		this.entries.clear();
		this.latest.clear();
	}
}
