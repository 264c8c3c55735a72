/**
 * A run setting: a parameter a node reads once per run, from the first item (often an expression
 * over a table row). A bad value stops the whole run, so its message says where it was read.
 */
export interface RunSettingMessageOptions {
	/** The setting as the panel shows it and as expressions name it: `"Max Emails per Run" (maxPerRun)` before the problem. */
	setting?: { displayName: string; name: string };
	/** `Item 0: ` in front, for nodes that fail each item of the run with this message. */
	itemPrefix?: boolean;
}

/**
 * The message of a run setting's problem ("must be …, not …"), e.g.
 * `Item 0: "Schedule Interval (Seconds)" (tickSeconds) must be … (read once per run, from the first item)`.
 */
export function runSettingMessage(problem: string, options: RunSettingMessageOptions = {}): string {
	const { setting, itemPrefix = false } = options;
	const named = setting ? `"${setting.displayName}" (${setting.name}) ${problem}` : problem;
	return `${itemPrefix ? 'Item 0: ' : ''}${named} (read once per run, from the first item)`;
}
