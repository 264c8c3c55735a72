import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { DateTime } from 'luxon';

import { MAX_LEAD_SECONDS, MAX_NEXT_SEND_AT_MS, MAX_PAUSE_SECONDS, MAX_TICK_SECONDS, PAUSE_TOO_LARGE, planSlots } from '../../lib/ledger/pace';
import { describeSendingWindow, parseSendingWindow, SendingWindowError, type SendingWindow, type SendingWindowField } from '../../lib/ledger/sending-window';
import { errorItem } from '../shared/error-item';
import { readNumberSetting, type NumberRead, type NumberRule } from '../shared/number-setting';
import { runSettingMessage } from '../shared/run-setting';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What a run outside the sending window outputs beside its empty plan, so that the operator sees
 * why nothing was sent and when sending resumes (in the window's own timezone).
 */
function closedFields(window: SendingWindow, opening: number | undefined): IDataObject {
	const local = opening === undefined ? undefined : DateTime.fromMillis(opening, { zone: window.timezone });
	const described = describeSendingWindow(window);
	return {
		nextOpening: local ? local.toISO() : null,
		closedMessage: local
			? `Outside the sending window (${described}): nothing is sent in this run. The reminders stay released and go out from ${local.setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm')}.`
			: `Outside the sending window (${described}), and it does not open within the next 400 days: nothing is sent. Check the Sending Window settings.`,
	};
}

/** A time for a message: beyond the year 9999 no date can show it. */
const when = (ms: number) => (ms <= MAX_NEXT_SEND_AT_MS ? iso(ms) : `${ms} ms since 1970, beyond any date`);

type PaceParameter = 'nextSendAt' | 'waiting' | 'minSecondsBetween' | 'tickSeconds' | 'leadSeconds';

/**
 * The run's numbers, with the name the panel shows, the least value that makes sense and, where an
 * empty cell has a meaning, what it means (a new mailbox's row has no nextSendAt yet). `max` is the
 * largest value that makes sense, with what a larger one likely is: beyond it the slots would be
 * no dates at all ("Invalid time value"), or lie so far ahead that the mailbox never sends again
 * without a word.
 */
const PACE_PARAMETERS: ReadonlyArray<NumberRule & { name: PaceParameter; displayName: string }> = [
	// No maximum: a time further ahead than any run can have written (microseconds typed for
	// milliseconds) is reset to one pause from now with a warning, as planSlots does for any such time.
	{ name: 'nextSendAt', displayName: 'Next Allowed Sending Time', min: 0, emptyIs: 0 },
	{ name: 'waiting', displayName: 'Reminders Waiting', min: 0, emptyIs: 0 },
	{
		name: 'minSecondsBetween',
		displayName: 'Min Seconds Between Emails',
		min: 0,
		max: MAX_PAUSE_SECONDS,
		tooLarge: PAUSE_TOO_LARGE,
	},
	{
		name: 'tickSeconds',
		displayName: 'Schedule Interval (Seconds)',
		min: 1,
		max: MAX_TICK_SECONDS,
		tooLarge: 'an interval of more than a day is a unit mistake (milliseconds for seconds?)',
	},
	{
		name: 'leadSeconds',
		displayName: 'Connection Lead (Seconds)',
		min: 1,
		max: MAX_LEAD_SECONDS,
		tooLarge: 'the run would wait that long before its first slot, past the claim on its reminders (15 minutes as shipped); connecting and logging in take seconds',
	},
];

/** The Sending Window options, by the field of lib's window they set (for messages that name them). */
const WINDOW_OPTIONS: Readonly<Record<SendingWindowField, { name: string; displayName: string }>> = {
	days: { name: 'sendingDays', displayName: 'Sending Days' },
	from: { name: 'sendingHoursFrom', displayName: 'Sending Hours From' },
	until: { name: 'sendingHoursUntil', displayName: 'Sending Hours Until' },
	holidayRegion: { name: 'holidayRegion', displayName: 'Holiday Region' },
	timezone: { name: 'timezone', displayName: 'Timezone' },
};

/** The window as set under Sending Window; an option not added keeps its "no window" meaning. */
function readWindow(options: IDataObject, workflowTimezone: string): SendingWindow {
	const timezone = options.timezone === undefined || options.timezone === null || options.timezone === '' ? workflowTimezone : options.timezone;
	return parseSendingWindow({
		days: options.sendingDays,
		from: options.sendingHoursFrom,
		until: options.sendingHoursUntil,
		holidayRegion: options.holidayRegion,
		timezone,
	});
}

/**
 * Plans this tick's sending slots for one mailbox from the mailbox's shared pace row. Thin adapter
 * over lib/ledger/pace.ts; the shipped sender reserves the plan with a conditional Data Table
 * update and claims one reminder per slot.
 */
// Not offered as an AI tool: it plans a step of the sender workflow and is of no use on its own.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class DunningPace implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dunning Pace',
		name: 'dunningPace',
		icon: { light: 'file:dunningPace.svg', dark: 'file:dunningPace.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'Plan Sending Slots',
		description: 'Plan the sending slots of one mailbox for this run, so that overlapping executions and workers keep one pace',
		defaults: { name: 'Dunning Pace' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Plans one sending slot per waiting reminder within this run, from the mailbox’s next allowed sending time that you pass in below (load its row of the Data Table “dunning_mailboxes” before this node; this node reads no table). Put a Data Table “Update” after it that moves nextSendAt from “expectedNextSendAt” to “nextSendAt”: only the execution whose update matched may send. All values are read once per run, from the first input item.',
				name: 'paceNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Next Allowed Sending Time',
				name: 'nextSendAt',
				type: 'number',
				default: 0,
				description: 'The mailbox row’s nextSendAt (milliseconds since 1970, up to the end of the year 9999); 0 for a mailbox that has not sent yet',
				hint: 'Usually an expression: {{ $(\'Load Pace\').first().json.nextSendAt || 0 }}',
			},
			{
				displayName: 'Reminders Waiting',
				name: 'waiting',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1,
				description: 'How many reminders could be sent now; at most this many slots are planned',
				hint: 'Usually an expression: {{ $(\'Load Released Reminders\').all().length }}',
			},
			{
				displayName: 'Min Seconds Between Emails',
				name: 'minSecondsBetween',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_PAUSE_SECONDS },
				default: 60,
				description:
					'Pause between two emails of this mailbox, across all executions and workers (at most 86400, a day). Under 60 risks spam flags with many providers.',
			},
			{
				displayName:
					'Intervals under 60 seconds risk your mailbox being flagged as spam or temporarily locked by the provider. Mind the provider’s daily sending limit too: 60 seconds is up to 1,440 mails a day.',
				name: 'throttleNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { minSecondsBetween: [{ _cnd: { lt: 60 } }] } },
			},
			{
				displayName: 'Schedule Interval (Seconds)',
				name: 'tickSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TICK_SECONDS },
				default: 60,
				description: 'How often the Schedule Trigger starts the sender, in seconds (at most 86400, one day). Slots are planned only up to the next run.',
			},
			{
				displayName: 'Connection Lead (Seconds)',
				name: 'leadSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_LEAD_SECONDS },
				default: 5, // SLOT_LEAD_MS
				description:
					'How far ahead the first slot of a run lies, so that the connection to the mail server and the login are done when it comes (1 to 600). Raise it when reminders are given back with “missed its sending slot” (a slow or distant server, a busy n8n).',
			},
			{
				displayName: 'Sending Window',
				name: 'sendingWindow',
				type: 'collection',
				placeholder: 'Add Window Setting',
				default: {},
				description:
					'Send only on these days and hours, e.g. Monday to Friday from 08:00 to 18:00. Outside them no slot is planned: nothing is sent in that run, and the reminders wait, still released, for the next opening (shown as nextOpening). Nothing added: every day, at any hour.',
				options: [
					{
						// Named as in Compute Dunning Level's Rules, where the same region moves deadlines off holidays.
						displayName: 'Holiday Region',
						name: 'holidayRegion',
						type: 'string',
						default: 'DE',
						placeholder: 'e.g. DE-BY',
						description: 'Country, or country and state, whose public holidays count as closed days, e.g. DE, DE-BY, AT, CH-ZH. Empty: no holidays.',
					},
					{
						displayName: 'Sending Days',
						name: 'sendingDays',
						type: 'multiOptions',
						// In the order of the week, as n8n's Schedule Trigger lists them: alphabetical would scatter them.
						// eslint-disable-next-line n8n-nodes-base/node-param-multi-options-type-unsorted-items
						options: [
							{ name: 'Monday', value: 'mon' },
							{ name: 'Tuesday', value: 'tue' },
							{ name: 'Wednesday', value: 'wed' },
							{ name: 'Thursday', value: 'thu' },
							{ name: 'Friday', value: 'fri' },
							{ name: 'Saturday', value: 'sat' },
							{ name: 'Sunday', value: 'sun' },
						],
						default: ['mon', 'tue', 'wed', 'thu', 'fri'],
						description: 'The days on which reminders may go out. As an expression also a text such as Mon-Fri or mon,wed,fri. Not added: every day.',
					},
					{
						displayName: 'Sending Hours From',
						name: 'sendingHoursFrom',
						type: 'string',
						default: '08:00',
						placeholder: '08:00',
						description: 'Time of day (HH:MM, in the Timezone below) from which reminders may go out. Not added: 00:00.',
					},
					{
						displayName: 'Sending Hours Until',
						name: 'sendingHoursUntil',
						type: 'string',
						default: '18:00',
						placeholder: '18:00',
						description: 'Time of day (HH:MM) from which no reminder starts any more, so 18:00 means the last one goes out before 18:00. 24:00 is midnight at the end of the day. Not added: 24:00.',
					},
					{
						displayName: 'Timezone',
						name: 'timezone',
						type: 'string',
						default: '',
						placeholder: 'Europe/Berlin',
						description:
							'IANA timezone in which days, hours and holidays are read, e.g. Europe/Berlin. Empty: the workflow’s timezone (Workflow Settings › Timezone), or when that is not set the n8n instance’s (GENERIC_TIMEZONE), which is America/New_York unless your n8n was set up otherwise. Compute Dunning Level reads dates in Europe/Berlin by default (its Rules › Timezone): set the same here.',
						hint: 'Empty: the workflow’s timezone, else the n8n instance’s (America/New_York unless set), which may not be yours',
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		// Read once per run, so a bad value fails every item of the run: with Continue On Fail each
		// one becomes an error item (a thrown error would pass them on to the success output, as if planned).
		const failRun = (message: string, field?: string): INodeExecutionData[][] => {
			if (!this.continueOnFail()) throw new NodeOperationError(this.getNode(), message, { itemIndex: 0, ...(field ? { description: `Field: ${field}` } : {}) });
			return [items.map((item, i) => errorItem(this, item.json, i, message, item.binary))];
		};
		const values = {} as Record<PaceParameter, number>;
		for (const parameter of PACE_PARAMETERS) {
			let read: NumberRead;
			try {
				read = readNumberSetting(this.getNodeParameter(parameter.name, 0), parameter);
			} catch (error) {
				read = { problem: `could not be read: ${(error as Error).message}` };
			}
			if ('problem' in read) return failRun(runSettingMessage(read.problem, { setting: parameter, itemPrefix: true }), parameter.name);
			values[parameter.name] = read.value;
		}
		const { nextSendAt: expectedNextSendAt, waiting, minSecondsBetween, tickSeconds, leadSeconds } = values;
		let window: SendingWindow;
		try {
			window = readWindow(this.getNodeParameter('sendingWindow', 0, {}) as IDataObject, this.getTimezone());
		} catch (error) {
			if (!(error instanceof SendingWindowError)) {
				return failRun(runSettingMessage(`"Sending Window" (sendingWindow) could not be read: ${(error as Error).message}`, { itemPrefix: true }), 'sendingWindow');
			}
			const option = WINDOW_OPTIONS[error.field];
			return failRun(runSettingMessage(`"${option.displayName}" (${option.name}) under Sending Window: ${error.problem}`, { itemPrefix: true }), option.name);
		}
		let planned: INodeExecutionData | null;
		let warning: string | undefined;
		try {
			const plan = planSlots({
				nextSendAt: expectedNextSendAt,
				now: Date.now(),
				count: waiting,
				gapMs: minSecondsBetween * 1000,
				horizonMs: tickSeconds * 1000,
				leadMs: leadSeconds * 1000,
				window,
			});
			warning =
				plan?.resetFrom === undefined
					? undefined
					: `The mailbox's next allowed sending time (${when(plan.resetFrom)}) lay further ahead than these settings can have set it (a longer pause before, a worker whose clock ran ahead, or an edit by hand). It was moved to one pause from now. If that happens on every run, check the clocks of your n8n workers.`;
			planned = plan && {
				json: {
					expectedNextSendAt,
					nextSendAt: plan.nextSendAt,
					slotCount: plan.slots.length,
					slots: plan.slots.map((s) => (s.notAfter === undefined ? { notBefore: iso(s.notBefore) } : { notBefore: iso(s.notBefore), notAfter: iso(s.notAfter) })),
					...(warning ? { warning } : {}),
					...(plan.closed ? closedFields(window, plan.closed.nextOpening) : {}),
				},
				pairedItem: { item: 0 },
			};
		} catch (error) {
			// The ranges above keep every slot a date; should one still not be, no item may leave as planned.
			return failRun(`Item 0: the sending slots could not be planned from these settings: ${(error as Error).message}`);
		}
		if (warning) this.addExecutionHints({ message: warning, type: 'warning', location: 'outputPane' });
		const closedMessage = planned?.json.closedMessage;
		if (typeof closedMessage === 'string') this.addExecutionHints({ message: closedMessage, type: 'info', location: 'outputPane' });
		// Nothing may be sent in this run: no item, so the rest of the sender does not run.
		return [planned ? [planned] : []];
	}
}
