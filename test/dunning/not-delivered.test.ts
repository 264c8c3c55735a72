/**
 * What the next run does after a reminder did not reach the customer, or the customer answered
 * (issue 11): the level was taken back by bounce handling; these are the decisions that follow.
 */
import { normalizePolicy, PolicyError, validateInvoice } from '../../lib/dunning';
// Deadline rules from the day after a deadline: Days for Payment to Arrive 0 (at-deadline.ts).
import { compilePolicy, createDecider, decide } from './at-deadline';
import { emailRetryVerdict } from '../../lib/dunning/email-retry';
import { invoice } from './helpers';

const TODAY = '2026-11-23';
// Level 1 went out on 11-16 and was taken back: level 1 is due again today.
const refusedLevel = invoice({ dueDate: '2026-11-02', currentLevel: 0, lastDunnedAt: null });

describe('a level whose e-mail the recipient refused', () => {
	it('waits the configured days after the refusal before e-mailing the level again', () => {
		const d = decide({ ...refusedLevel, emailRefusals: 1, emailRefusedAt: '2026-11-22' }, {}, TODAY);
		expect(d).toMatchObject({ action: 'none', reason: 'retryLater', level: 0, nextActionDate: '2026-11-25', deadline: null });
		expect(d.message).toContain('2026-11-25');
	});

	it('e-mails the same level once the days have passed', () => {
		expect(decide({ ...refusedLevel, emailRefusals: 1, emailRefusedAt: '2026-11-20' }, {}, TODAY)).toMatchObject({ action: 'send', reason: null, level: 1 });
	});

	it('goes on paper when it was refused more often than allowed', () => {
		const d = decide({ ...refusedLevel, emailRefusals: 2, emailRefusedAt: '2026-11-22' }, {}, TODAY);
		expect(d).toMatchObject({ action: 'paper', reason: 'emailRefused', level: 1, channel: 'email' });
		expect(d.message).toMatch(/refused 2 times/);
	});

	it('follows the policy knobs: no pause, and paper after the first refusal', () => {
		const policy = { retryRefusedEmailAfterDays: 0, maxEmailRefusals: 0 };
		expect(decide({ ...refusedLevel, emailRefusals: 1, emailRefusedAt: TODAY }, policy, TODAY)).toMatchObject({ action: 'paper', reason: 'emailRefused' });
		expect(decide({ ...refusedLevel, emailRefusals: 1, emailRefusedAt: TODAY }, { retryRefusedEmailAfterDays: 0 }, TODAY)).toMatchObject({ action: 'send', level: 1 });
		expect(decide({ ...refusedLevel, emailRefusals: 3, emailRefusedAt: '2026-11-22' }, { maxEmailRefusals: 5, retryRefusedEmailAfterDays: 7 }, TODAY)).toMatchObject({
			reason: 'retryLater',
			nextActionDate: '2026-11-29',
		});
	});

	it('does not wait for a letter stage, a blocked address or a missing one: those go on paper as before', () => {
		const refused = { ...refusedLevel, emailRefusals: 1, emailRefusedAt: '2026-11-22' };
		expect(decide({ ...refused, emailBlocked: true }, {}, TODAY)).toMatchObject({ action: 'paper', reason: 'emailBlocked' });
		expect(decide({ ...refused, email: null }, {}, TODAY)).toMatchObject({ action: 'paper', reason: 'noEmail' });
		expect(decide(refused, { stages: [{ name: 'Brief', channel: 'letter' }] }, TODAY)).toMatchObject({ action: 'paper', reason: 'letterChannel' });
	});

	it('still waits for the stage itself when that is later than the retry day', () => {
		// Level 1 went out on 20 November (pay by 27 November): level 2 from the 28th, long after the retry day.
		const inv = invoice({ dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-20', emailRefusals: 1, emailRefusedAt: '2026-11-10' });
		expect(decide(inv, {}, TODAY)).toMatchObject({ reason: 'waiting', nextActionDate: '2026-11-28' });
	});

	it('counts only refusals of the level that is due now', () => {
		const refused = { ...refusedLevel, emailRefusals: 2, emailRefusedAt: '2026-11-22' };
		expect(decide({ ...refused, emailRefusedLevel: 1 }, {}, TODAY)).toMatchObject({ action: 'paper', reason: 'emailRefused' });
		// Level 1 was refused twice long ago and then went on paper; level 2 is e-mailed as usual.
		const later = invoice({ dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-10', emailRefusals: 2, emailRefusedAt: '2026-11-08', emailRefusedLevel: 1 });
		expect(decide(later, {}, TODAY)).toMatchObject({ action: 'send', level: 2 });
	});

	it('the verdict is a pure function of counts and days', () => {
		expect(emailRetryVerdict(0, null, 100, 3, 1)).toEqual({ kind: 'email' });
		expect(emailRetryVerdict(1, 99, 100, 3, 1)).toEqual({ kind: 'wait', day: 102 });
		expect(emailRetryVerdict(1, 97, 100, 3, 1)).toEqual({ kind: 'email' });
		expect(emailRetryVerdict(1, null, 100, 3, 1)).toEqual({ kind: 'email' });
		expect(emailRetryVerdict(2, 99, 100, 3, 1)).toEqual({ kind: 'paper' });
	});
});

describe('a customer who replied', () => {
	it('is skipped with reason customerReplied while the block is set', () => {
		const d = decide(invoice({ dueDate: '2026-11-02', dunningBlock: true, dunningBlockReason: 'customerReplied' }), {}, TODAY);
		expect(d).toMatchObject({ action: 'none', reason: 'customerReplied', level: 0 });
		expect(d.message).toMatch(/clear the dunning block/);
	});

	it('a block with another reason stays `blocked`; a cleared block is dunned again', () => {
		expect(decide(invoice({ dueDate: '2026-11-02', dunningBlock: true, dunningBlockReason: 'legal' }), {}, TODAY)).toMatchObject({ reason: 'blocked' });
		expect(decide(invoice({ dueDate: '2026-11-02', dunningBlock: false, dunningBlockReason: 'customerReplied' }), {}, TODAY)).toMatchObject({ action: 'send', level: 1 });
	});
});

describe('reading the new fields and knobs', () => {
	const compiled = compilePolicy({});

	it('reads refusals and the refusal day as an ERP or a Data Table gives them', () => {
		const r = validateInvoice({ invoiceId: 'I', dueDate: '2026-11-02', openAmount: 5, emailRefusals: '2', emailRefusedAt: '22.11.2026', dunningBlockReason: ' customerReplied ' }, compiled, {}, TODAY);
		expect(r.ok && r.invoice).toMatchObject({ emailRefusals: 2, emailRefusedAt: '2026-11-22', dunningBlockReason: 'customerReplied' });
		const empty = validateInvoice({ invoiceId: 'I', dueDate: '2026-11-02', openAmount: 5, emailRefusals: '', emailRefusedAt: '' }, compiled, {}, TODAY);
		expect(empty.ok && empty.invoice).toMatchObject({ emailRefusals: 0, emailRefusedAt: null, dunningBlockReason: null });
	});

	it('names the field of a bad count or day', () => {
		const r = validateInvoice({ invoiceId: 'I', dueDate: '2026-11-02', openAmount: 5, emailRefusals: -1, emailRefusedAt: 'soon' }, compiled, { emailRefusals: 'refusals' }, TODAY);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.problems.map((p) => p.field)).toEqual(['emailRefusals', 'emailRefusedAt']);
			expect(r.problems[0].message).toMatch(/^refusals must be a whole number/);
		}
		expect(createDecider({}, TODAY).evaluate({ invoiceId: 'I', dueDate: '2026-11-02', openAmount: 5, emailRefusals: 'x' })).toMatchObject({ reason: 'invalidInput', invalidFields: ['emailRefusals'] });
	});

	it('defaults: 3 days, one more e-mail; bad knobs are refused by name', () => {
		expect(normalizePolicy({})).toMatchObject({ retryRefusedEmailAfterDays: 3, maxEmailRefusals: 1 });
		expect(() => normalizePolicy({ retryRefusedEmailAfterDays: -1 })).toThrow(PolicyError);
		expect(() => normalizePolicy({ maxEmailRefusals: 1.5 })).toThrow(/maxEmailRefusals must be a whole number/);
	});
});
