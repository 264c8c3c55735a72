/**
 * Send Reminder Email through the real n8n engine to a real SMTP server on loopback: a reminder
 * decided days before it goes out (the pace, a paused mailbox) states the whole payment period
 * from the send day, off weekends and holidays, in its text and in delivery.statedDeadline; one
 * from an older Compute (no payment period on the item) states its deadline as given. Dates are
 * relative to today: the decision is made by the real decider 6 days ago.
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

/** Each test its own workflow id: the engine's record of sent (invoice, level) pairs is kept per workflow. */
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
