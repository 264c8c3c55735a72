/**
 * An item that failed, as n8n expects it with "Continue On Fail".
 *
 * Under "Continue (using error output)" the item is n8n's own shape, `{ json: { error }, pairedItem }`:
 * n8n moves it to the error output and adds the input item's fields back. Nothing else may sit
 * beside `error`: n8n before 2.34.6 routes an item only when its json is `error` (and `message`),
 * and keeps one with, say, `details` on the success output, where the next node would take a
 * failure for a result. (An item-level `error` routes too, but n8n then replaces the json, input
 * fields included, with the message.) Under "Continue (using regular output)" every item keeps its
 * fields and status, with `error` added, as the nodes' contract promises one output item per input item.
 */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export function errorItem(
	ctx: IExecuteFunctions,
	json: IDataObject,
	itemIndex: number,
	message: string,
	binary?: IBinaryKeyData,
): INodeExecutionData {
	const errorOutput = ctx.getNode().onError === 'continueErrorOutput';
	return {
		json: errorOutput ? { error: message } : { ...json, error: message },
		pairedItem: { item: itemIndex },
		...(binary ? { binary } : {}),
	};
}
