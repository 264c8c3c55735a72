/**
 * An item that failed, as n8n expects it with "Continue On Fail".
 *
 * Under "Continue (using error output)" n8n moves an item to the error output when its json holds
 * nothing but `error`, `message` and `details`, and adds the input item's fields back; so the item
 * is `{ json: { error, details }, pairedItem }`, with our status (delivery, dunning, move) in
 * `details`. (An item with an `error` property would be routed too, but n8n then replaces its json
 * with the message alone.) Under "Continue (using regular output)" every item keeps its fields and
 * status, with `error` added, as the nodes' contract promises one output item per input item.
 */
import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export function errorItem(
	ctx: IExecuteFunctions,
	json: IDataObject,
	itemIndex: number,
	message: string,
	details?: IDataObject,
	binary?: IBinaryKeyData,
): INodeExecutionData {
	const errorOutput = ctx.getNode().onError === 'continueErrorOutput';
	return {
		json: errorOutput ? { error: message, ...(details ? { details } : {}) } : { ...json, error: message },
		pairedItem: { item: itemIndex },
		...(binary ? { binary } : {}),
	};
}
