/**
 * Send Reminder Email's delivery.statedDeadline, for the workflow to store as the deadline the
 * customer was given: counted from the day the reminder is sent (its sending slot's, for a claimed
 * reminder planned for a later day), and output only where the customer got that text (`sent`) or
 * would get it (`preview`): a reminder that failed, waits or was not sent, or a duplicate, gave
 * nobody that deadline. Real engine, real SMTP server on loopback; dates relative to today.
 */
import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { calendarFor, createDecider, formatDay, plainDay, type DunningDecision } from '../../lib/dunning';
import { deliveryOf, reminderItem, runSendReminder, smtpServersPerTest } from '../harness/send-reminder-node';

const ZONE = 'Europe/Berlin';
const PERIOD = 10;
const smtp = smtpServersPerTest();

const today = () => DateTime.now().setZone(ZONE).toISODate()!;
const plus = (day: string, days: number) => formatDay(plainDay(day)! + days);
/** The day itself, or the next business day in Germany: the calendar alone, not the code under test. */
const businessDayFrom = (day: string) => formatDay(calendarFor('DE').shiftToBusinessDay(plainDay(day)!));

/** Reminder `n`: the real decider's level-1 decision of 6 days before `sendDay`, Payment Deadline 10 days. */
function decided(n: number, sendDay: string): INodeExecutionData {
	const asOf = plus(sendDay, -6);
	const dueDate = plus(asOf, -30);
	const dunning = createDecider({ paymentDeadlineDays: PERIOD, timezone: ZONE, salesWindowDays: 0 }, asOf).evaluate({ invoiceId: `inv-${n}`, email: `kunde${n}@kunden.example`, dueDate, openAmount: 100, currentLevel: 0 });
	expect(dunning).toMatchObject({ action: 'send', level: 1, paymentPeriodDays: PERIOD, holidayRegion: 'DE' });
	return reminderItem(n, { dueDate }, dunning as DunningDecision as unknown as IDataObject);
}

let run = 0;
async function send(items: INodeExecutionData[], parameters: IDataObject = {}, onRcpt?: (address: string) => { code: number; message: string } | undefined) {
	const server = await smtp.start(onRcpt ? { onRcpt } : {});
	const r = await runSendReminder(server, items, { workflowId: `stated-outcomes-${++run}`, parameters, node: { onError: 'continueRegularOutput' } });
	return r.items('Send').map(deliveryOf);
}

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
