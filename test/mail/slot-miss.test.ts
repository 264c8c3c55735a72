/**
 * A missed sending slot: which misses a longer Connection Lead would catch, and the alarm when the
 * same reminder misses for that reason in two runs in a row (a sender that would stall silently).
 */
import { missedForLackOfLead, slotMiss, slotStall, type SlotOutcome } from '../../lib/mail/slot-miss';

const slot = { notBefore: 10_000, notAfter: 11_000, leaseUntil: 900_000 };
const slowLogin = slotMiss(slot, 12_500, 0, { first: true, reachedAt: 7_000, connectedInMs: 5_500 });
const lateSteps = slotMiss(slot, 14_000, 0, { first: true, reachedAt: 14_000, connectedInMs: null });
const othersFirst = slotMiss(slot, 14_000, 0, { first: false, reachedAt: 14_000, connectedInMs: null });
const afterFailedTry = slotMiss(slot, 12_000, 1, { first: true, reachedAt: 9_000, connectedInMs: 200 });

test('a slow login or slow steps before the first slot are misses a longer lead catches; others are not', () => {
	expect(slowLogin).toEqual({
		leadTooShort: true,
		error: 'Not sent: it missed its sending slot by 2.5 s (connecting and logging in took 5.5 s); it goes out in a later run; if every run misses its slot, raise Connection Lead in the Dunning Pace node ("Plan Sending Slots" in the shipped sender)',
	});
	expect(lateSteps).toMatchObject({ leadTooShort: true, error: expect.stringContaining('(the steps before sending ended 4.0 s after it)') });
	expect(othersFirst).toMatchObject({ leadTooShort: false, error: expect.stringContaining('(the reminders before it took longer than planned)') });
	expect(afterFailedTry).toMatchObject({ leadTooShort: false, error: expect.stringContaining('(a first attempt failed)') });
	expect([slowLogin, lateSteps, othersFirst, afterFailedTry].map((m) => missedForLackOfLead(m.error))).toEqual([true, true, false, false]);
	expect([undefined, null, '', 'Not sent: the limit of 5 messages per run was reached'].map(missedForLackOfLead)).toEqual([false, false, false, false]);
	// As earlier versions stored it in the reminder's error: still a miss for lack of lead.
	expect(missedForLackOfLead('Not sent: it missed its sending slot by 2.5 s (x); it goes out in a later run; if every run misses its slot, raise Connection Lead in Plan Sending Slots')).toBe(true);
});

const missed = (previousError: unknown, invoice = 'RE-1001'): SlotOutcome => ({
	invoice,
	delivery: { reason: 'slotMissed', leadTooShort: true, error: slowLogin.error },
	previousError,
});
const sent: SlotOutcome = { invoice: 'RE-1002', delivery: { reason: undefined }, previousError: slowLogin.error };

test('the same reminder missing its slot for lack of lead in two runs in a row stalls the sender: named, with the fix', () => {
	expect(slotStall('default', [sent, missed(lateSteps.error, 'RE-7')])).toBe(
		'Sending from mailbox "default" is stalled: the reminder for invoice RE-7 missed its sending slot in two runs in a row, ' +
			'because the lead before the first slot is too short (this run: connecting and logging in took 5.5 s), and it will miss it in every run. ' +
			'Fix: raise "Connection Lead (Seconds)" in the Dunning Pace node ("Plan Sending Slots" in the shipped sender) above that time. ' +
			'Nothing is lost: the reminder stays released and goes out in the first run that catches its slot.',
	);
});

test('one miss, a miss after other causes, or a reminder sent after an earlier miss is no stall', () => {
	expect(slotStall('default', [missed('')])).toBeNull();
	expect(slotStall('default', [missed(othersFirst.error)])).toBeNull();
	expect(slotStall('default', [missed(undefined)])).toBeNull();
	expect(slotStall('default', [sent])).toBeNull();
	// This run's miss was not the lead's fault: waiting for the reminders before it.
	expect(slotStall('default', [{ ...missed(slowLogin.error), delivery: { reason: 'slotMissed', error: othersFirst.error } }])).toBeNull();
	expect(slotStall('default', [])).toBeNull();
});
