/**
 * Send Reminder Email through the real n8n engine to a real SMTP server on loopback: a reminder
 * decided days before it goes out (the pace, a paused mailbox) states the whole payment period
 * from the send day, off weekends and holidays, in its text and in delivery.statedDeadline; one
 * from an older Compute (no payment period on the item) states its deadline as given. A claimed
 * reminder planned for a later day counts from its sending slot's day. delivery.statedDeadline,
 * for the workflow to store as the deadline the customer was given, is output only where the
 * customer got that text (`sent`) or would get it (`preview`): a reminder that failed, waits or was
 * not sent, or a duplicate, gave nobody that deadline. Dates are relative to today: the decision
 * is made by the real decider 6 days ago.
 */
import { simpleParser } from 'mailparser';
import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { calendarFor, createDecider, formatDay, plainDay, type DunningDecision } from '../../lib/dunning';
import { formatDate } from '../../lib/templates/helpers';
import { deliveryOf, reminderItem, runSendReminder, smtpServersPerTest } from '../harness/send-reminder-node';

const ZONE = 'Europe/Berlin';
const PERIOD = 10;
const smtp = smtpServersPerTest();

const today = () => DateTime.now().setZone(ZONE).toISODate()!;
const plus = (day: string, days: number) => formatDay(plainDay(day)! + days);
/** The day itself, or the next business day in Germany: the calendar alone, not the code under test. */
const businessDayFrom = (day: string) => formatDay(calendarFor('DE').shiftToBusinessDay(plainDay(day)!));

/** The real decider's level-1 decision of 6 days ago, Payment Deadline 10 days. */
function decidedDaysAgo(sendDay: string): { dueDate: string; dunning: DunningDecision } {
	const asOf = plus(sendDay, -6);
	const dueDate = plus(asOf, -30);
	const dunning = createDecider({ paymentDeadlineDays: PERIOD, timezone: ZONE, salesWindowDays: 0 }, asOf).evaluate({ invoiceId: 'inv-1', email: 'kunde1@kunden.example', dueDate, openAmount: 100, currentLevel: 0 });
	expect(dunning).toMatchObject({ action: 'send', level: 1, asOf, paymentPeriodDays: PERIOD, holidayRegion: 'DE' });
	return { dueDate, dunning };
}

/** Reminder `n` carrying that decision (the decision names no invoice: the same for every `n`). */
function decided(n: number, sendDay: string): INodeExecutionData {
	const { dueDate, dunning } = decidedDaysAgo(sendDay);
	return reminderItem(n, { dueDate }, dunning as unknown as IDataObject);
}

/** Each run its own workflow id: the engine's record of sent (invoice, level) pairs is kept per workflow. */
let run = 0;

async function sendOne(item: INodeExecutionData) {
	const server = await smtp.start();
	const r = await runSendReminder(server, [item], { workflowId: `stated-deadline-${++run}` });
	expect(r.status).toBe('success');
	const [out] = r.items('Send');
	expect(deliveryOf(out).status).toBe('sent');
	const mail = await simpleParser(server.received[0].raw);
	return { delivery: deliveryOf(out), text: mail.text!.replace(/\u00a0/g, ' '), html: String(mail.html).replace(/&nbsp;|\u00a0/g, ' ') };
}

/** The deliveries of one run of `items`, whatever their status; `onRcpt` refuses recipients. */
async function send(items: INodeExecutionData[], parameters: IDataObject = {}, onRcpt?: (address: string) => { code: number; message: string } | undefined) {
	const server = await smtp.start(onRcpt ? { onRcpt } : {});
	const r = await runSendReminder(server, items, { workflowId: `stated-outcomes-${++run}`, parameters, node: { onError: 'continueRegularOutput' } });
	return r.items('Send').map(deliveryOf);
}

const longDate = (day: string) => formatDate(day, 'de-DE', 'long');

describe('Send Reminder Email: the deadline a reminder states (real engine, real SMTP server)', () => {
	it('sent 6 days after its decision: the whole period from the send day, in the text, the HTML and delivery.statedDeadline', async () => {
		const sendDay = today();
		const { dueDate, dunning } = decidedDaysAgo(sendDay);
		const expected = businessDayFrom(plus(sendDay, PERIOD));
		// 6 days apart: no run of weekend and holidays makes the two the same day.
		expect(dunning.deadline! < expected).toBe(true);
		const { delivery, text, html } = await sendOne(reminderItem(1, { dueDate }, dunning as unknown as IDataObject));
		if (today() !== sendDay) return; // midnight passed during the run: the send day is not known here
		expect(delivery.statedDeadline).toBe(expected);
		expect(text).toContain(`bis zum ${longDate(expected)}`);
		expect(html).toContain(`bis zum ${longDate(expected)}`);
		expect(text).not.toContain(longDate(dunning.deadline!));
	});

	it('an item without dunning.paymentPeriodDays (an older Compute, built by hand): the deadline as given, as before', async () => {
		const sendDay = today();
		const { dueDate, dunning } = decidedDaysAgo(sendDay);
		const older: IDataObject = { ...(dunning as unknown as IDataObject) };
		delete older.paymentPeriodDays;
		delete older.holidayRegion;
		const { delivery, text } = await sendOne(reminderItem(2, { dueDate }, older));
		expect(delivery.statedDeadline).toBe(dunning.deadline);
		expect(text).toContain(`bis zum ${longDate(dunning.deadline!)}`);
	});

	it('a decision whose deadline has passed is still refused, not restated (Compute decides again)', async () => {
		const sendDay = today();
		const { dueDate, dunning } = decidedDaysAgo(sendDay);
		const stale = { ...(dunning as unknown as IDataObject), deadline: plus(sendDay, -1) };
		const server = await smtp.start();
		const r = await runSendReminder(server, [reminderItem(3, { dueDate }, stale)], { workflowId: 'stated-deadline-stale' });
		const delivery = deliveryOf(r.items('Send')[0]);
		expect(delivery).toMatchObject({ status: 'failed', reason: 'invalidInput', error: expect.stringMatching(/before today/) });
		expect(delivery.statedDeadline).toBeUndefined();
		expect(server.received).toHaveLength(0);
	});
});

describe('Send Reminder Email: delivery.statedDeadline (real engine, real SMTP server)', () => {
	it('a claimed reminder whose sending slot is two days ahead states the period from the slot’s day, not from the day it was rendered', async () => {
		const sendDay = today();
		const slotAt = DateTime.now().plus({ days: 2 }).toMillis();
		const claim = { rowId: 1, id: 'exec-1', notBefore: new Date(slotAt).toISOString(), leaseUntil: slotAt + 600_000 };
		const item = decided(1, sendDay);
		const [delivery] = await send([{ json: { ...item.json, claim } }], { dryRun: true });
		if (today() !== sendDay) return; // midnight passed during the run: the days are not known here
		expect(delivery.status).toBe('preview');
		expect(delivery.statedDeadline).toBe(businessDayFrom(plus(sendDay, 2 + PERIOD)));
	});

	it('sent: stated; refused (failed), a duplicate of an earlier item, and past Max Emails per Run (notSent): none', async () => {
		const sendDay = today();
		const refused = (address: string) => (address === 'kunde2@kunden.example' ? { code: 550, message: '5.1.1 No such user' } : undefined);
		const items = [decided(1, sendDay), decided(2, sendDay), decided(1, sendDay), decided(3, sendDay)];
		const deliveries = await send(items, { maxPerRun: 2 }, refused);
		expect(deliveries.map((d) => [d.status, d.reason ?? null, d.duplicate ?? false])).toEqual([
			['sent', null, false],
			['failed', 'rejected', false],
			['sent', null, true],
			['notSent', 'maxPerRun', false],
		]);
		if (today() !== sendDay) return;
		expect(deliveries[0].statedDeadline).toBe(businessDayFrom(plus(sendDay, PERIOD)));
		expect(deliveries.slice(1).map((d) => d.statedDeadline)).toEqual([undefined, undefined, undefined]);
	});

	it('a dry run: stated on the preview the real run would send, not on one past Max Emails per Run', async () => {
		const sendDay = today();
		const deliveries = await send([decided(1, sendDay), decided(2, sendDay)], { dryRun: true, maxPerRun: 1 });
		expect(deliveries.map((d) => [d.status, d.reason ?? null])).toEqual([
			['preview', null],
			['preview', 'maxPerRun'],
		]);
		if (today() !== sendDay) return;
		expect(deliveries[0].statedDeadline).toBe(businessDayFrom(plus(sendDay, PERIOD)));
		expect(deliveries[1].statedDeadline).toBeUndefined();
	});
});
