import { DateTime } from 'luxon';
import { chain, node, runWorkflow } from '../harness/engine';

/**
 * Compute Dunning Level through the real n8n engine, on a fixed "As of Date" (a Monday).
 * Default stages (7 days each, interest from stage 2), stage 2 fee set to 5.00, minimum open 1.00.
 * Interest From is the default: the day after the first reminder's deadline, Payment Deadline 7 days (for businesses at
 * the latest day 31 after the due date). A later stage goes once the previous reminder's deadline and Days for Payment
 * to Arrive (2 business days by default) have passed; interest counts from the day after the deadline all the same.
 */
const AS_OF = '2026-11-23T00:00:00';

const stages = {
	stage: [
		{ name: 'Zahlungserinnerung / Payment reminder', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: false },
		{ name: '1. Mahnung / First dunning', daysAfterPrevious: 7, channel: 'email', fee: 5, chargeInterest: true },
		{ name: '2. Mahnung / Second dunning', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: true },
	],
};

const base = { customerType: 'consumer', email: 'kunde@example.test', currency: 'EUR', amount: 100, openAmount: 100, currentLevel: 0 };

// [invoice, expected output, expected dunning fields]
const samples: Array<[Record<string, unknown>, 'send' | 'paper' | 'none', Record<string, unknown>]> = [
	// Pay by Monday 30 November (23 + 7); 1 and 2 December for the payment to arrive; the next stage on the 3rd.
	[{ invoiceId: 'I01', dueDate: '2026-11-16' }, 'send', { level: 1, previousLevel: 0, daysOverdue: 7, deadline: '2026-11-30', nextActionDate: '2026-12-03', fee: 0, interest: 0, totalDue: 100 }],
	[{ invoiceId: 'I02', dueDate: '2026-11-23' }, 'none', { reason: 'notDue', level: 0, nextActionDate: '2026-11-30' }],
	[{ invoiceId: 'I03', dueDate: '2026-11-20' }, 'none', { reason: 'waiting', nextActionDate: '2026-11-27' }],
	// Interest from the day after the first reminder's deadline (level 1 on 2026-11-10, pay by 11-17): 11-18..11-23 = 6 days
	// at 1.27 + 5 = 6.27 %: 100 × 0.0627 × 6 / 365 = 0.1030 → 0.10; total 100 + 5 + 0.10
	[{ invoiceId: 'I04', dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-10' }, 'send', { level: 2, previousLevel: 1, stageName: '1. Mahnung / First dunning', fee: 5, interest: 0.1, totalDue: 105.1 }],
	// Business: in default from the 31st day after the due date (11-01, before the reminder's deadline): 11-01..11-23 = 23 days,
	// Due 1 October + 30 days = Saturday 31 October → Monday 2 November (§193 BGB): in default from 3 November (§286(3)).
	// 1000 × 10.27 % × 21 / 365 = 5.9088 → 5.91; + 40 flat fee, against which the 5 fee is credited (§288(5) sentence 3) = 1045.91
	[{ invoiceId: 'I05', dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-10', customerType: 'business', amount: 1000, openAmount: 1000 }, 'send', { level: 2, fee: 0, flatFee: 40, interest: 5.91, totalDue: 1045.91 }],
	[{ invoiceId: 'I06', dueDate: '2026-11-01', email: '' }, 'paper', { reason: 'noEmail', level: 1 }],
	[{ invoiceId: 'I07', dueDate: '2026-11-01', emailBlocked: true }, 'paper', { reason: 'emailBlocked', level: 1 }],
	[{ invoiceId: 'I08', dueDate: '2026-11-01', openAmount: 0 }, 'none', { reason: 'paid' }],
	[{ invoiceId: 'I09', dueDate: '2026-11-01', parked: 'true' }, 'none', { reason: 'parked' }],
	[{ invoiceId: 'I10', dueDate: '2026-11-01', disputed: true }, 'none', { reason: 'disputed' }],
	[{ invoiceId: 'I11', dueDate: '2026-11-01', dunningBlock: 1 }, 'none', { reason: 'blocked' }],
	[{ invoiceId: 'I12', dueDate: '2026-09-01', currentLevel: 3, lastDunnedAt: '2026-10-01' }, 'none', { reason: 'maxLevelReached', level: 3 }],
	[{ invoiceId: 'I13', dueDate: 'garbage' }, 'none', { reason: 'invalidInput', message: 'dueDate "garbage" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)', invalidFields: ['dueDate'] }],
	// A credit note or an overpaid invoice is held back, not invalid input.
	[{ invoiceId: 'I14', dueDate: '2026-11-01', openAmount: -5 }, 'none', { reason: 'credit', openAmount: -5, totalDue: -5, message: expect.stringMatching(/^the open amount is -5.00 EUR: a credit note or an overpaid invoice/) }],
	[{ invoiceId: 'I15', dueDate: '2026-11-01', currentLevel: 5 }, 'none', { reason: 'invalidInput', message: 'currentLevel 5 is beyond the policy, which has 3 stages' }],
	[{ invoiceId: 'I16', dueDate: '2026-11-01', openAmount: 0.5 }, 'none', { reason: 'belowMinimum' }],
	[{ invoiceId: 'I17', dueDate: '01.11.2026' }, 'send', { level: 1, dueSince: '2026-11-01', daysOverdue: 22 }],
	// The second dunning still asks for the first one's fee of 5 (the stage itself charges none). Level 2 on Wednesday 11-11
	// (pay by Wednesday 11-18, 11-19 and 11-20 for the payment to arrive). Without a first reminder date the first is taken
	// as the last less the 7 days of stage 2 (never earlier than the real one, also for reminders sent before the deadline
	// rule): 11-04, pay by Wednesday 11-11, default from 11-12: 11-12..11-23 = 12 days, 100 × 0.0627 × 12 / 365 = 0.2061 → 0.21
	[{ invoiceId: 'I18', dueDate: '2026-10-01', currentLevel: 2, lastDunnedAt: '2026-11-11' }, 'send', { level: 3, stageName: '2. Mahnung / Second dunning', fee: 5, interest: 0.21, totalDue: 105.21, nextActionDate: null }],
	[{ invoiceId: 'I19', dueDate: '2026-11-01', email: 'not-an-address' }, 'paper', { reason: 'invalidEmail' }],
	// Level 1 on 11-20, pay by Friday 11-27; Monday 11-30 and Tuesday 12-01 for the payment to arrive: level 2 from 12-02
	// (7 days after alone would be the deadline day itself).
	[{ invoiceId: 'I20', dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-20' }, 'none', { reason: 'waiting', level: 1, nextActionDate: '2026-12-02' }],
];

function computeNode(extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
	return node('computeDunningLevel', 'Compute', {
		policySource: 'fields',
		stages,
		rules: { minOpenAmount: 1 },
		options: { asOfDate: AS_OF, ...options },
		...extra,
	});
}

const OUTPUT = { send: 0, paper: 1, none: 2 } as const;

describe('Compute Dunning Level node (real n8n engine)', () => {
	it('routes 20 sample invoices to Send / Paper / No Action with the expected dunning fields', async () => {
		const r = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items: samples.map(([inv]) => ({ json: { ...base, ...inv } })) } });
		expect(r.status).toBe('success');
		const outputs = r.outputs('Compute');
		expect(outputs).toHaveLength(3);
		const ids = (o: number) => outputs[o].map((i) => i.json.invoiceId);
		expect(ids(OUTPUT.send)).toEqual(['I01', 'I04', 'I05', 'I17', 'I18']);
		expect(ids(OUTPUT.paper)).toEqual(['I06', 'I07', 'I19']);
		expect(ids(OUTPUT.none)).toEqual(['I02', 'I03', 'I08', 'I09', 'I10', 'I11', 'I12', 'I13', 'I14', 'I15', 'I16', 'I20']);
		// Every input item leaves exactly once, paired with its input.
		const all = outputs.flat();
		expect(all).toHaveLength(20);
		expect(all.map((i) => (i.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);

		for (const [inv, output, expected] of samples) {
			const item = outputs[OUTPUT[output]].find((i) => i.json.invoiceId === inv.invoiceId)!;
			const dunning = item.json.dunning as Record<string, unknown>;
			expect({ id: inv.invoiceId, ...dunning }).toMatchObject({ id: inv.invoiceId, action: output, asOf: '2026-11-23', ...expected });
			if (output !== 'send') expect(dunning.reason).toEqual(expect.any(String));
			// The invoice's own fields are kept.
			expect(item.json.dueDate).toBe(inv.dueDate);
		}
		// The shipped base-rate table ends 2026-06-30: interest decisions say so.
		const i04 = outputs[OUTPUT.send][1].json.dunning as { warnings: string[] };
		expect(i04.warnings).toEqual([expect.stringContaining('base-rate table ends on 2026-06-30')]);
	});

	it('after a bounce: waits, retries by email, or goes on paper by the Rules knobs; a reply blocks with its reason', async () => {
		const items = [
			{ invoiceId: 'R1', dueDate: '2026-11-01', emailRefusals: 1, emailRefusedAt: '2026-11-22' },
			{ invoiceId: 'R2', dueDate: '2026-11-01', emailRefusals: 1, emailRefusedAt: '2026-11-18' },
			{ invoiceId: 'R3', dueDate: '2026-11-01', emailRefusals: 2, emailRefusedAt: '2026-11-22' },
			{ invoiceId: 'R4', dueDate: '2026-11-01', dunningBlock: true, dunningBlockReason: 'customerReplied' },
		].map((inv) => ({ json: { ...base, ...inv } }));
		const run = async (rules: Record<string, unknown>) => {
			const r = await runWorkflow({ nodes: [computeNode({ rules: { minOpenAmount: 1, ...rules } })], input: { node: 'Compute', items } });
			expect(r.status).toBe('success');
			return new Map(r.outputs('Compute').flat().map((i) => [i.json.invoiceId, i.json.dunning as Record<string, unknown>]));
		};
		const defaults = await run({});
		expect(defaults.get('R1')).toMatchObject({ action: 'none', reason: 'retryLater', nextActionDate: '2026-11-25' });
		expect(defaults.get('R2')).toMatchObject({ action: 'send', level: 1 });
		expect(defaults.get('R3')).toMatchObject({ action: 'paper', reason: 'emailRefused', level: 1 });
		expect(defaults.get('R4')).toMatchObject({ action: 'none', reason: 'customerReplied' });
		const strict = await run({ retryRefusedEmailAfterDays: 7, maxEmailRefusals: 0 });
		expect(strict.get('R1')).toMatchObject({ action: 'paper', reason: 'emailRefused' });
		const patient = await run({ retryRefusedEmailAfterDays: 7, maxEmailRefusals: 2 });
		expect(patient.get('R2')).toMatchObject({ action: 'none', reason: 'retryLater', nextActionDate: '2026-11-25' });
		expect(patient.get('R3')).toMatchObject({ action: 'none', reason: 'retryLater', nextActionDate: '2026-11-29' });
	});

	it('fails naming the item and field when "Stop on Invalid Input" is on', async () => {
		const items = samples.slice(0, 14).map(([inv]) => ({ json: { ...base, ...inv } }));
		const r = await runWorkflow({ nodes: [computeNode({}, { stopOnInvalidInput: true })], input: { node: 'Compute', items } });
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe('Item 12: dueDate "garbage" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)');
		expect(r.nodeError('Compute')?.description).toMatch(/Invalid field\(s\): dueDate/);
	});

	it('fails with a clear message on an invalid policy', async () => {
		const items = [{ json: { ...base, invoiceId: 'X', dueDate: '2026-11-01' } }];
		const badZone = await runWorkflow({ nodes: [computeNode({ rules: { timezone: 'Europe/Berlim' } })], input: { node: 'Compute', items } });
		expect(badZone.status).toBe('error');
		expect(badZone.error?.message).toBe('Invalid dunning policy: timezone "Europe/Berlim" is not a known IANA timezone (e.g. Europe/Berlin)');

		const outOfOrder = { stages: [{ level: 2, name: 'B' }, { level: 1, name: 'A' }] };
		const badJson = await runWorkflow({
			nodes: [computeNode({ policySource: 'json', policyJson: JSON.stringify(outOfOrder) })],
			input: { node: 'Compute', items },
		});
		expect(badJson.error?.message).toMatch(/^Invalid dunning policy: stages are out of order: stage 1 has level 2/);

		const notJson = await runWorkflow({ nodes: [computeNode({ policySource: 'json', policyJson: '{ stages: ' })], input: { node: 'Compute', items } });
		expect(notJson.error?.message).toMatch(/^Invalid dunning policy: Policy \(JSON\) is not valid JSON/);
	});

	it('takes the policy as one JSON object and reads renamed and nested fields', async () => {
		const policy = { stages: [{ name: 'Mahnung', daysAfterPrevious: 3, channel: 'letter', fee: 2.5 }], timezone: 'Europe/Vienna' };
		const r = await runWorkflow({
			nodes: [
				computeNode({
					policySource: 'json',
					policyJson: JSON.stringify(policy),
					fieldNames: { invoiceId: 'Belegnr', dueDate: 'Faellig', openAmount: 'Offen', email: 'kunde.mail' },
				}),
			],
			input: {
				node: 'Compute',
				items: [
					{ json: { Belegnr: 'B1', Faellig: '2026-11-20', Offen: '80.00', kunde: { mail: 'k@example.test' } } },
					{ json: { Belegnr: 'B2', Faellig: '2026-11-20' } },
				],
			},
		});
		expect(r.status).toBe('success');
		expect(r.items('Compute', 1).map((i) => i.json.dunning)).toEqual([expect.objectContaining({ action: 'paper', reason: 'letterChannel', fee: 2.5, totalDue: 82.5, stageName: 'Mahnung' })]);
		expect(r.items('Compute', 2).map((i) => (i.json.dunning as { message: string }).message)).toEqual(['Offen is missing']);
	});

	it('groups Send and Paper into one item per customer and level', async () => {
		const pdf = (id: string) => ({ data: Buffer.from(`%PDF ${id}`).toString('base64'), mimeType: 'application/pdf', fileName: `${id}.pdf` });
		const items = [
			{ json: { ...base, invoiceId: 'A1', customerId: 'A', dueDate: '2026-11-01', openAmount: 10.1 }, binary: { data: pdf('A1') } },
			{ json: { ...base, invoiceId: 'B1', customerId: 'B', dueDate: '2026-11-01' } },
			{ json: { ...base, invoiceId: 'A2', customerId: 'A', dueDate: '2026-11-02', openAmount: 20.2 }, binary: { data: pdf('A2') } },
			{ json: { ...base, invoiceId: 'A3', customerId: 'A', dueDate: '2026-11-02', parked: true } },
		];
		const r = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer: true })], input: { node: 'Compute', items } });
		const send = r.items('Compute', 0);
		expect(send.map((i) => [i.json.customerId, (i.json.invoices as unknown[]).length])).toEqual([
			['A', 2],
			['B', 1],
		]);
		expect(send[0].json.dunning).toMatchObject({ action: 'send', level: 1, count: 2, openAmount: 30.3, totalDue: 30.3, invoiceIds: ['A1', 'A2'] });
		expect(send[0].pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
		// Each invoice's file stays with the group, numbered by its place (for the collective reminder).
		expect(Object.entries(send[0].binary ?? {}).map(([key, file]) => [key, file.fileName])).toEqual([
			['data', 'A1.pdf'],
			['data_2', 'A2.pdf'],
		]);
		expect(send[1].binary).toBeUndefined();
		expect(r.items('Compute', 2).map((i) => i.json.invoiceId)).toEqual(['A3']);
	});

	it('groups invoices without a customer ID by e-mail address, and gives the group no customer ID (an address is no customer number)', async () => {
		const items = [
			{ json: { ...base, invoiceId: 'Z1', email: 'zofia@example.test', dueDate: '2026-11-01' } },
			{ json: { ...base, invoiceId: 'Z2', email: 'zofia@example.test', dueDate: '2026-11-02' } },
		];
		const r = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer: true })], input: { node: 'Compute', items } });
		const send = r.items('Compute', 0);
		expect(send.map((i) => [i.json.customerId, i.json.email, (i.json.invoices as unknown[]).length])).toEqual([[null, 'zofia@example.test', 2]]);
	});

	it('a group whose files would clash ("data_2" beside another invoice\'s "data") fails naming the field instead of losing or swapping a file', async () => {
		const pdf = (id: string) => ({ data: Buffer.from(`%PDF ${id}`).toString('base64'), mimeType: 'application/pdf', fileName: `${id}.pdf` });
		const withNote = { json: { ...base, invoiceId: 'A1', customerId: 'A', dueDate: '2026-11-01' }, binary: { data: pdf('A1'), data_2: pdf('A1-delivery-note') } };
		const clash = [withNote, { json: { ...base, invoiceId: 'A2', customerId: 'A', dueDate: '2026-11-02' }, binary: { data: pdf('A2') } }];
		// Without a file on A2, Send would have attached A1's delivery note as A2's invoice.
		const mistaken = [withNote, { json: { ...base, invoiceId: 'A2', customerId: 'A', dueDate: '2026-11-02' } }];
		const other = { json: { ...base, invoiceId: 'B1', customerId: 'B', dueDate: '2026-11-01' }, binary: { data: pdf('B1') } };

		const stopped = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer: true })], input: { node: 'Compute', items: [...clash, other] } });
		expect(stopped.status).toBe('error');
		expect(stopped.nodeError('Compute')?.message).toBe(
			'Customer A: the file "data" of invoice 2 and a file of invoice 1 would both be "data_2" in the collective reminder (invoices A1, A2). Rename that binary field (e.g. "deliveryNote"), or turn off Group by Customer',
		);

		const r = await runWorkflow({ nodes: [{ ...computeNode({}, { groupByCustomer: true }), onError: 'continueRegularOutput' }], input: { node: 'Compute', items: [...mistaken, other] } });
		expect(r.status).toBe('success');
		expect(r.items('Compute', 0).map((i) => i.json.customerId)).toEqual(['B']);
		const failed = r.items('Compute', 2);
		expect(failed.map((i) => [i.json.invoiceId, i.json.error])).toEqual([
			['A1', expect.stringMatching(/^Item 0: Customer A: the file "data_2" of invoice 1 would be read as invoice 2's "data" in the collective reminder/)],
			['A2', expect.stringMatching(/^Item 1: Customer A: /)],
		]);
		expect(Object.keys(failed[0].binary ?? {})).toEqual(['data', 'data_2']);
	});
});

describe('Compute Dunning Level node: statutory interest on, but no stage charges it', () => {
	const invoices = [
		{ json: { ...base, invoiceId: 'W1', dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '2026-11-10', customerType: 'business', amount: 1000, openAmount: 1000 } },
		{ json: { ...base, invoiceId: 'W2', dueDate: '2026-11-23' } },
	];
	const noInterestStages = { stage: stages.stage.map((stage) => ({ ...stage, chargeInterest: false })) };

	it('charges nothing and says so on every result, single and grouped', async () => {
		const r = await runWorkflow({ nodes: [computeNode({ stages: noInterestStages })], input: { node: 'Compute', items: invoices } });
		expect(r.status).toBe('success');
		const [send, , none] = r.outputs('Compute');
		expect(send[0].json.dunning).toMatchObject({ level: 2, interest: 0, flatFee: 0, totalDue: 1005 });
		for (const item of [send[0], none[0]]) {
			expect((item.json.dunning as { warnings: string[] }).warnings).toContain(
				'Statutory Interest is on, but no stage has "Charge Statutory Interest" on, so no interest and no 40 EUR flat fee are charged. ' +
					'Turn it on for the stages that should claim interest (the shipped stages do from the first dunning, level 2), or turn Statutory Interest off.',
			);
		}

		const grouped = await runWorkflow({ nodes: [computeNode({ stages: noInterestStages }, { groupByCustomer: true })], input: { node: 'Compute', items: invoices } });
		const group = grouped.items('Compute', 0)[0].json as { dunning: { warnings: string[] }; invoices: Array<{ dunning: { warnings: string[] } }> };
		expect(group.dunning.warnings.some((w) => w.startsWith('Statutory Interest is on, but no stage'))).toBe(true);
		expect(group.invoices[0].dunning.warnings.some((w) => w.startsWith('Statutory Interest is on, but no stage'))).toBe(true);
	});

	it('a stage after an interest-charging one that charges none asks for less than the one before: every result says so', async () => {
		const added = { stage: [...stages.stage, { name: '3. Mahnung', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: false }] };
		const late = { json: { ...base, invoiceId: 'W3', dueDate: '2026-01-15', currentLevel: 3, lastDunnedAt: '2026-10-01', customerType: 'business', amount: 1000, openAmount: 1000 } };
		const r = await runWorkflow({ nodes: [computeNode({ stages: added })], input: { node: 'Compute', items: [late, invoices[1]] } });
		const [send, , none] = r.outputs('Compute');
		expect(send[0].json.dunning).toMatchObject({ level: 4, interest: 0, flatFee: 40 });
		for (const item of [send[0], none[0]]) {
			expect((item.json.dunning as { warnings: string[] }).warnings).toContain(
				'Stage "3. Mahnung" (level 4) does not charge statutory interest, though level 3 does: its reminder asks for less than the one before, while the 40 EUR flat fee stays. ' +
					'Turn "Charge Statutory Interest" on for it, unless it is meant to waive the interest.',
			);
		}
	});

	it('no such warning when a stage charges interest, or when interest is off', async () => {
		const onWithStage = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items: invoices } });
		const off = await runWorkflow({ nodes: [computeNode({ stages: noInterestStages, rules: { minOpenAmount: 1, statutoryInterest: false } })], input: { node: 'Compute', items: invoices } });
		for (const run of [onWithStage, off]) {
			for (const item of run.outputs('Compute').flat()) {
				expect(((item.json.dunning as { warnings?: string[] }).warnings ?? []).some((w) => w.startsWith('Statutory Interest is on'))).toBe(false);
			}
		}
		// W1 is a business debtor: interest once the 30 days after its due date have passed (see I05).
		expect(onWithStage.items('Compute', 0)[0].json.dunning).toMatchObject({ flatFee: 40, interest: 5.91 });
	});
});

describe('Compute Dunning Level node: Interest From (§286 BGB)', () => {
	// Due 1 March, the payment reminder (level 1) sent on 8 March saying "pay by 15 March", a Sunday: the deadline ends on
	// Monday 16 March (§193 BGB); after 17 and 18 March for the payment to arrive, the first dunning (level 2) is due on 19 March.
	const reminded = { ...base, invoiceId: 'V1', dueDate: '2026-03-01', amount: 1000, openAmount: 1000, currentLevel: 1, lastDunnedAt: '2026-03-08' };
	const dunningOf = (r: Awaited<ReturnType<typeof runWorkflow>>, id: string) =>
		r
			.outputs('Compute')
			.flat()
			.find((i) => i.json.invoiceId === id)!.json.dunning as { action: string; level: number; interest: number; flatFee: number; interestPeriods: Array<Record<string, unknown>>; reason: string; invalidFields: string[]; message: string };

	it('by default waits for the day after the first reminder\'s deadline (as the law ends it) and charges from it: run 22 March, 6 days, not 14', async () => {
		const onDeadline = await runWorkflow({ nodes: [computeNode({}, { asOfDate: '2026-03-16' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		expect(dunningOf(onDeadline, 'V1')).toMatchObject({ action: 'none', reason: 'waiting', nextActionDate: '2026-03-19' });
		const arriving = await runWorkflow({ nodes: [computeNode({}, { asOfDate: '2026-03-17' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		expect(dunningOf(arriving, 'V1')).toMatchObject({ action: 'none', reason: 'waiting', level: 1, interest: 0, nextActionDate: '2026-03-19' });
		// Rules › Days for Payment to Arrive 0: the day after the deadline, as before.
		const atOnce = await runWorkflow({ nodes: [computeNode({ rules: { minOpenAmount: 1, paymentArrivalDays: 0 } }, { asOfDate: '2026-03-17' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		expect(dunningOf(atOnce, 'V1')).toMatchObject({ action: 'send', level: 2, interestPeriods: [expect.objectContaining({ from: '2026-03-17', to: '2026-03-17', days: 1 })] });
		const r = await runWorkflow({ nodes: [computeNode({}, { asOfDate: '2026-03-22' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		expect(r.status).toBe('success');
		// 17–22 March: 1000 × 6.27 % × 6 / 365 = 1.0307 → 1.03; + the stage fee 5
		expect(dunningOf(r, 'V1')).toMatchObject({ action: 'send', level: 2, interest: 1.03, totalDue: 1006.03 });
		expect(dunningOf(r, 'V1').interestPeriods).toEqual([{ from: '2026-03-17', to: '2026-03-22', days: 6, ratePct: 6.27, amount: 1.03 }]);
	});

	it('offers Rules › Days for Payment to Arrive (2 business days), also in the default Policy (JSON)', async () => {
		const { ComputeDunningLevel } = await import('../../nodes/ComputeDunningLevel/ComputeDunningLevel.node');
		const properties = new ComputeDunningLevel().description.properties;
		const rules = (properties.find((p) => p.name === 'rules')?.options ?? []) as Array<{ name: string; displayName: string; default: unknown; description?: string }>;
		expect(rules.find((o) => o.name === 'paymentArrivalDays')).toMatchObject({ displayName: 'Days for Payment to Arrive', default: 2, description: expect.stringContaining('Interest still counts from the day after the deadline') });
		expect(JSON.parse(properties.find((p) => p.name === 'policyJson')?.default as string)).toMatchObject({ paymentArrivalDays: 2 });
		// The policy JSON's key is read too: 0 sends on the day after the deadline.
		const policyJson = JSON.stringify({ stages: stages.stage, paymentArrivalDays: 0 });
		const r = await runWorkflow({ nodes: [computeNode({ policySource: 'json', policyJson }, { asOfDate: '2026-03-17' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		expect(dunningOf(r, 'V1')).toMatchObject({ action: 'send', level: 2 });
	});

	it('"Day After the Due Date" (rule or policy JSON) charges from the day after the due date’s legal end: 17 days', async () => {
		const fromRule = await runWorkflow({ nodes: [computeNode({ rules: { minOpenAmount: 1, interestFrom: 'dueDate' } }, { asOfDate: '2026-03-19' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		const policyJson = JSON.stringify({ stages: stages.stage, statutoryInterest: { interestFrom: 'dueDate' } });
		const fromJson = await runWorkflow({ nodes: [computeNode({ policySource: 'json', policyJson }, { asOfDate: '2026-03-19' })], input: { node: 'Compute', items: [{ json: reminded }] } });
		for (const r of [fromRule, fromJson]) {
			// Due Sunday 1 March, payable to Monday 2 March (§193 BGB, Shift to Business Days off too):
			// 3–19 March: 1000 × 6.27 % × 17 / 365 = 2.9203 → 2.92
			expect(dunningOf(r, 'V1')).toMatchObject({ level: 2, interest: 2.92 });
			expect(dunningOf(r, 'V1').interestPeriods).toEqual([{ from: '2026-03-03', to: '2026-03-19', days: 17, ratePct: 6.27, amount: 2.92 }]);
		}
		const misplaced = await runWorkflow({ nodes: [computeNode({ policySource: 'json', policyJson: JSON.stringify({ interestFrom: 'dueDate' }) })], input: { node: 'Compute', items: [{ json: reminded }] } });
		expect(misplaced.error?.message).toMatch(/^Invalid dunning policy: interestFrom belongs inside statutoryInterest/);
	});

	it('a business debtor never reminded is in default once 30 days after the due date have passed; a consumer is not', async () => {
		const chargingFirst = { stage: [{ name: 'Mahnung', daysAfterPrevious: 7, channel: 'email', fee: 0, chargeInterest: true }] };
		const never = { ...base, dueDate: '2026-03-01', amount: 1000, openAmount: 1000 };
		const items = [{ json: { ...never, invoiceId: 'B1', customerType: 'business' } }, { json: { ...never, invoiceId: 'C1' } }];
		const r = await runWorkflow({ nodes: [computeNode({ stages: chargingFirst }, { asOfDate: '2026-04-10' })], input: { node: 'Compute', items } });
		// Due Sunday 1 March, payable to Monday 2 March; + 30 days = Wednesday 1 April: in default from 2 April.
		// 40 days overdue: 2–10 April, 1000 × 10.27 % × 9 / 365 = 2.5323 → 2.53
		expect(dunningOf(r, 'B1')).toMatchObject({ action: 'send', level: 1, interest: 2.53, flatFee: 40 });
		expect(dunningOf(r, 'B1').interestPeriods).toEqual([{ from: '2026-04-02', to: '2026-04-10', days: 9, ratePct: 10.27, amount: 2.53 }]);
		expect(dunningOf(r, 'C1')).toMatchObject({ action: 'send', level: 1, interest: 0, interestPeriods: [] });
	});

	it('reads the First Reminder Date (renamed too) for a later level, falls back to the last reminder date, and names it when it is no date', async () => {
		// Level 2 on 17 March (the day after level 1's deadline, Monday 16th), pay by Tuesday 24 March; 25 and 26 March for
		// the payment to arrive: level 3 on 27 March.
		const second = { ...reminded, currentLevel: 2, lastDunnedAt: '2026-03-17' };
		const items = [
			{ json: { ...second, invoiceId: 'F1', ersteMahnung: '08.03.2026' } },
			{ json: { ...second, invoiceId: 'F2' } },
			{ json: { ...second, invoiceId: 'F3', ersteMahnung: 'bald' } },
		];
		const r = await runWorkflow({ nodes: [computeNode({ fieldNames: { firstDunnedAt: 'ersteMahnung' } }, { asOfDate: '2026-03-27' })], input: { node: 'Compute', items } });
		expect(r.status).toBe('success');
		// First reminder 8 March, pay by Sunday 15 March, so Monday 16th: from 17 March, 17–27 March, 11 days;
		// 1000 × 6.27 % × 11 / 365 = 1.8896 → 1.89. Without the date: the last reminder (17 March) less stage 2's 7 days,
		// 10 March at the latest: pay by 17 March, from 18 March, 10 days; 1000 × 6.27 % × 10 / 365 = 1.7178 → 1.72
		// (a day less, never more than owed).
		expect(dunningOf(r, 'F1')).toMatchObject({ level: 3, interest: 1.89 });
		expect(dunningOf(r, 'F1').interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-17', to: '2026-03-27', days: 11 })]);
		expect(dunningOf(r, 'F2')).toMatchObject({ level: 3, interest: 1.72 });
		expect(dunningOf(r, 'F2').interestPeriods).toEqual([expect.objectContaining({ from: '2026-03-18', days: 10 })]);
		expect(dunningOf(r, 'F3')).toMatchObject({ action: 'none', reason: 'invalidInput', invalidFields: ['firstDunnedAt'], message: 'ersteMahnung "bald" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)' });
	});
});

describe('Compute Dunning Level node: Continue (using error output)', () => {
	it('bad invoices go to the error output with the error naming the field; good ones keep their outputs', async () => {
		const items = [
			{ json: { ...base, invoiceId: 'E1', dueDate: '2026-11-16' } },
			{ json: { ...base, invoiceId: 'E2', dueDate: 'garbage' } },
			{ json: { ...base, invoiceId: 'E3', dueDate: '2026-11-23' } },
		];
		// Fed by a node before it, as in a workflow: n8n adds the input item's fields to an error item.
		const r = await runWorkflow({
			nodes: [node('noOp', 'Feed'), { ...computeNode(), onError: 'continueErrorOutput' as const }],
			connections: chain('Feed', 'Compute'),
			input: { node: 'Feed', items },
		});
		expect(r.status).toBe('success');
		const outputs = r.outputs('Compute');
		expect(outputs).toHaveLength(4);
		const [send, paper, none, errors] = outputs;
		expect(send.map((i) => i.json.invoiceId)).toEqual(['E1']);
		expect(paper).toEqual([]);
		expect(none.map((i) => i.json.invoiceId)).toEqual(['E3']);
		expect(errors).toHaveLength(1);
		// Exactly the input item plus `error`: n8n put the input fields back; the node added nothing else.
		expect(errors[0].json).toEqual({ ...items[1].json, error: 'Item 1: dueDate "garbage" is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)' });
		expect(errors[0].pairedItem).toEqual({ item: 1 });
	});

	it('a policy that cannot be read sends every invoice to the error output, none to Send', async () => {
		const items = [{ json: { ...base, invoiceId: 'R1', dueDate: '2026-11-16' } }, { json: { ...base, invoiceId: 'R2', dueDate: '2026-11-16' } }];
		const broken = (onError?: 'continueErrorOutput' | 'continueRegularOutput') =>
			runWorkflow({
				nodes: [node('noOp', 'Feed'), node('computeDunningLevel', 'Compute', { policySource: 'json', policyJson: '{broken' }, onError ? { onError } : {})],
				connections: chain('Feed', 'Compute'),
				input: { node: 'Feed', items },
			});
		const r = await broken('continueErrorOutput');
		expect(r.status).toBe('success');
		const [send, paper, none, errors] = r.outputs('Compute');
		expect([send, paper, none]).toEqual([[], [], []]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		// The message names the field (Policy (JSON)); each error item is its input item plus that message.
		const message = String(errors[0].json.error);
		expect(message).toMatch(/^Invalid dunning policy: Policy \(JSON\) is not valid JSON/);
		expect(errors.map((i) => i.json)).toEqual(items.map((i) => ({ ...i.json, error: message })));
		// With the regular output they wait on No Action, each with the error.
		const regular = await broken('continueRegularOutput');
		expect(regular.outputs('Compute').map((o) => o.map((i) => i.json.invoiceId))).toEqual([[], [], ['R1', 'R2']]);
		expect(String(regular.items('Compute', 2)[1].json.error)).toMatch(/^Invalid dunning policy/);
		const strict = await broken();
		expect(strict.status).toBe('error');
		expect(strict.error?.message).toMatch(/^Invalid dunning policy: Policy \(JSON\) is not valid JSON/);
	});
});

describe('Compute Dunning Level node: As of Date', () => {
	it('takes the picked calendar day, whatever time or offset the picker adds', async () => {
		const items = [{ json: { ...base, invoiceId: 'X', dueDate: '2026-11-16' } }];
		for (const asOfDate of ['2026-11-23T00:00:00.000Z', '2026-11-23T23:59:00', '2026-11-23']) {
			const r = await runWorkflow({ nodes: [computeNode({ rules: { timezone: 'America/New_York' } }, { asOfDate })], input: { node: 'Compute', items } });
			expect(r.items('Compute', 0).map((i) => (i.json.dunning as { asOf: string }).asOf)).toEqual(['2026-11-23']);
		}
	});

	it('reads an instant with its offset (an expression such as {{$now}}) in the policy timezone', async () => {
		const items = [{ json: { ...base, invoiceId: 'X', dueDate: '2026-11-16' } }];
		// 20:30 in New York and 23:30 UTC are the next day in Berlin.
		for (const asOfDate of ['2026-03-28T20:30:00.000-04:00', '2026-03-28T23:30:00Z']) {
			const r = await runWorkflow({ nodes: [computeNode({}, { asOfDate })], input: { node: 'Compute', items } });
			expect({ asOfDate, asOf: r.outputs('Compute').flat().map((i) => (i.json.dunning as { asOf: string }).asOf) }).toEqual({ asOfDate, asOf: ['2026-03-29'] });
		}
	});

	it('takes {{ $today }} of a workflow east of the policy timezone as that day, not the day before', async () => {
		const items = [{ json: { ...base, invoiceId: 'X', dueDate: '2026-11-16' } }];
		// $today is midnight in the workflow's timezone; a fixed day keeps the test off the clock.
		for (const [timezone, asOfDate] of [
			['Asia/Tokyo', '={{ $today.set({ year: 2026, month: 11, day: 23 }) }}'],
			['Asia/Tokyo', '={{ $today.set({ year: 2026, month: 11, day: 23 }).toISO() }}'],
			['Europe/Helsinki', '={{ $today.set({ year: 2026, month: 11, day: 23 }) }}'],
			['America/Los_Angeles', '={{ $today.set({ year: 2026, month: 11, day: 23 }) }}'],
		]) {
			const r = await runWorkflow({ timezone, nodes: [computeNode({}, { asOfDate })], input: { node: 'Compute', items } });
			expect({ timezone, asOfDate, asOf: r.outputs('Compute').flat().map((i) => (i.json.dunning as { asOf: string }).asOf) }).toEqual({ timezone, asOfDate, asOf: ['2026-11-23'] });
		}
	});

	it('uses today in the policy timezone when empty', async () => {
		const items = [{ json: { ...base, invoiceId: 'X', dueDate: '2026-11-16' } }];
		const r = await runWorkflow({ nodes: [computeNode({}, { asOfDate: '' })], input: { node: 'Compute', items } });
		const { DateTime } = await import('luxon');
		const today = DateTime.now().setZone('Europe/Berlin').toISODate();
		expect(r.outputs('Compute').flat().map((i) => (i.json.dunning as { asOf: string }).asOf)).toEqual([today]);
	});

	it('an expression that gives no date ({{ 5 }}) fails the run saying which forms are taken', async () => {
		const items = [{ json: { ...base, invoiceId: 'X', dueDate: '2026-11-16' } }];
		const r = await runWorkflow({ nodes: [computeNode({}, { asOfDate: '={{ 5 }}' })], input: { node: 'Compute', items } });
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe('As-of date 5 is not a date (expected YYYY-MM-DD, DD.MM.YYYY or an ISO timestamp such as 2026-01-31T10:00:00+01:00)');
	});
});

describe('Compute Dunning Level node: bad input never costs the good invoices', () => {
	const good = (id: string) => ({ json: { ...base, invoiceId: id, dueDate: '2026-11-16' } });
	const hostileJson = JSON.parse(
		`{"invoiceId":"P1","dueDate":"2026-11-16","openAmount":100,"email":"kunde@example.test","__proto__":{"polluted":true,"invoiceId":"hijacked"}}`,
	) as Record<string, unknown>;
	const items = [
		good('G1'),
		{ json: null },
		{ json: undefined },
		{ json: { ...base, invoiceId: 'D1', dueDate: '-000001-01-01' } },
		{ json: { ...base, invoiceId: 'D2', dueDate: '1900-01-01' } },
		{ json: { ...base, invoiceId: 'D3', dueDate: '2026-10-01', currentLevel: 1, lastDunnedAt: '0001-01-01' } },
		{ json: { ...base, invoiceId: 'A1', dueDate: '2026-11-16', amount: 1e308, openAmount: 1e308 } },
		{ json: hostileJson },
		{ json: { ...base, invoiceId: 'E1', dueDate: '2026-11-16', email: 'kunde@x🄁y.org' } },
		good('G2'),
	];

	it('gives every item exactly one output with a status; the bad ones say which field is wrong', async () => {
		const r = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items: items as never } });
		expect(r.status).toBe('success');
		const outputs = r.outputs('Compute');
		const all = outputs.flat();
		expect(all.map((i) => (i.pairedItem as { item: number }).item).sort((a, b) => a - b)).toEqual([...items.keys()]);
		expect(outputs[OUTPUT.send].map((i) => i.json.invoiceId)).toEqual(['G1', 'P1', 'G2']);
		expect(outputs[OUTPUT.paper].map((i) => [i.json.invoiceId, (i.json.dunning as { reason: string }).reason])).toEqual([['E1', 'invalidEmail']]);
		expect((outputs[OUTPUT.paper][0].json.dunning as { message: string }).message).toBe('"kunde@x🄁y.org" is not a usable e-mail address: send a letter');

		const none = outputs[OUTPUT.none].map((i) => ({ item: (i.pairedItem as { item: number }).item, ...(i.json.dunning as { reason: string; invalidFields: string[]; message: string }) }));
		expect(none.map(({ item, reason, invalidFields }) => ({ item, reason, invalidFields }))).toEqual([
			{ item: 1, reason: 'invalidInput', invalidFields: ['invoiceId', 'openAmount', 'dueDate'] },
			{ item: 2, reason: 'invalidInput', invalidFields: ['invoiceId', 'openAmount', 'dueDate'] },
			{ item: 3, reason: 'invalidInput', invalidFields: ['dueDate'] },
			{ item: 4, reason: 'invalidInput', invalidFields: ['dueDate'] },
			{ item: 5, reason: 'invalidInput', invalidFields: ['lastDunnedAt'] },
			{ item: 6, reason: 'invalidInput', invalidFields: ['openAmount', 'amount'] },
		]);
		expect(none[2].message).toBe('dueDate "-000001-01-01" is not a plausible date: more than 10 years before the run day 2026-11-23 (a placeholder for "no date"? leave the field empty)');
		expect(none[3].message).toMatch(/^dueDate "1900-01-01" is not a plausible date/);
		expect(none[5].message).toMatch(/^openAmount is too large \(got 1e\+308\)/);
		// Nothing claims interest on a century or an amount beyond exact cents.
		for (const item of all) expect(Number.isFinite((item.json.dunning as { totalDue: number }).totalDue)).toBe(true);
	});

	it('keeps an own "__proto__" key of the item as data, never as the output item\'s prototype', async () => {
		const r = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items: items as never } });
		const out = r.items('Compute', OUTPUT.send).find((i) => (i.pairedItem as { item: number }).item === 7)!;
		expect(Object.getPrototypeOf(out.json)).toBe(Object.prototype);
		expect(out.json.invoiceId).toBe('P1');
		expect((out.json as { polluted?: unknown }).polluted).toBeUndefined();
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
	});

	it('with "Stop on Invalid Input" fails naming the first bad item and its field', async () => {
		const r = await runWorkflow({ nodes: [computeNode({}, { stopOnInvalidInput: true })], input: { node: 'Compute', items: [good('G1'), items[4], good('G2')] as never } });
		expect(r.status).toBe('error');
		expect(r.error?.message).toMatch(/^Item 1: dueDate "1900-01-01" is not a plausible date: more than 10 years before the run day 2026-11-23/);
		expect(r.nodeError('Compute')?.description).toMatch(/Invalid field\(s\): dueDate/);
	});
});

describe('Compute Dunning Level node: repeated rows of one invoice', () => {
	const customer = { ...base, customerId: 'C1', customerName: 'Kunde', dueDate: '2026-11-01' };
	const rows = [
		{ json: { ...customer, invoiceId: 'A' } },
		{ json: { ...customer, invoiceId: 'B', openAmount: 70 } },
		// The same invoice again (an ERP join): same ID, due date, open amount and currency.
		{ json: { ...customer, invoiceId: 'A', openAmount: '100.00' } },
		// An instalment of A: another due date, an open item of its own.
		{ json: { ...customer, invoiceId: 'A', dueDate: '2026-11-08', openAmount: 50 } },
	];
	const dunningOf = (item: { json: Record<string, unknown> }) => item.json.dunning as Record<string, unknown>;

	it('without grouping: the first row is dunned, a repeat goes to No Action (duplicate) naming both items, an instalment of the same ID waits (sameInvoiceId)', async () => {
		const r = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items: rows } });
		expect(r.status).toBe('success');
		const [send, paper, none] = r.outputs('Compute');
		expect(send.map((i) => [i.pairedItem, i.json.invoiceId])).toEqual([
			[{ item: 0 }, 'A'],
			[{ item: 1 }, 'B'],
		]);
		expect(paper).toEqual([]);
		expect(none.map((i) => i.pairedItem)).toEqual([{ item: 2 }, { item: 3 }]);
		expect(dunningOf(none[0])).toMatchObject({
			action: 'none',
			reason: 'duplicate',
			level: 0,
			message: 'Item 2: invoice "A" is also item 0 (same due date, open amount and currency); only item 0 is dunned',
		});
		// Its reminder would carry the same never-twice key and Message-ID as item 0's: Send would
		// report it sent (a duplicate) without a word of it reaching the customer.
		expect(dunningOf(none[1])).toMatchObject({ action: 'none', reason: 'sameInvoiceId', level: 0, openAmount: 50, totalDue: 50 });
		expect(dunningOf(none[1]).message).toBe(
			'Item 3: invoice "A" is also item 0, another open item (an instalment: another due date or amount) reminded at level 1 in this run; a reminder is known by invoice ID and level, so only item 0 is reminded. Give each instalment its own invoice ID (e.g. "A-2"), or turn on Group by Customer to list them in one reminder (with the same e-mail address)',
		);
	});

	it('grouped: both instalments of one ID are listed in the customer\'s one collective reminder; to another address the second waits', async () => {
		const r = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer: true })], input: { node: 'Compute', items: [rows[0], rows[1], rows[3]] } });
		expect(r.status).toBe('success');
		const [group] = r.items('Compute', 0);
		expect(dunningOf(group)).toMatchObject({ invoiceIds: ['A', 'B', 'A'], count: 3, openAmount: 220 });
		expect(r.items('Compute', 2)).toEqual([]);
		// To another address it would be a reminder of its own with the same invoice ID and level: it waits.
		const apart = await runWorkflow({
			nodes: [computeNode({}, { groupByCustomer: true })],
			input: { node: 'Compute', items: [rows[0], { json: { ...rows[3].json, email: 'einkauf@kunde.example' } }] },
		});
		expect(apart.items('Compute', 0).map((i) => dunningOf(i).invoiceIds)).toEqual([['A']]);
		expect(apart.items('Compute', 2).map((i) => [i.pairedItem, dunningOf(i).reason])).toEqual([[{ item: 1 }, 'sameInvoiceId']]);
	});

	it('grouped: the repeat stays out of the collective reminder, which Send Reminder Email then takes', async () => {
		// Decided today, not on AS_OF: Send refuses a reminder whose deadline (run day + 7) is already past.
		// Due 22 days ago, level 1 as on AS_OF: no fee, no interest, so the totals stay 100 + 70 = 170.
		const dueDate = DateTime.now().setZone('Europe/Berlin').minus({ days: 22 }).toISODate()!;
		const compute = computeNode({}, { groupByCustomer: true, asOfDate: '' });
		const send = node('sendReminderEmail', 'Send', { operation: 'sendReminder', dryRun: true, minSecondsBetween: 0, maxPerRun: 0 }, { credentials: { dunningSmtpApi: { id: 'smtp-1', name: 'Shop mailbox' } } });
		const smtp = { host: '127.0.0.1', port: 2, security: 'none', user: 'u@example.test', password: 'p', fromAddress: 'u@example.test', fromName: 'Shop', replyTo: '', bcc: '', allowSelfSigned: false };
		const r = await runWorkflow({
			nodes: [compute, send],
			connections: { Compute: { main: [[{ node: 'Send', type: 'main' as never, index: 0 }], [], []] } },
			input: { node: 'Compute', items: rows.slice(0, 3).map((row) => ({ json: { ...row.json, dueDate } })) },
			credentials: { 'smtp-1': smtp },
		});
		expect(r.status).toBe('success');
		const [group] = r.items('Compute', 0);
		expect(dunningOf(group)).toMatchObject({ invoiceIds: ['A', 'B'], count: 2, openAmount: 170, totalDue: 170 });
		expect(r.items('Compute', 2).map((i) => [i.pairedItem, dunningOf(i).reason])).toEqual([[{ item: 2 }, 'duplicate']]);
		expect(r.items('Send').map((i) => (i.json.delivery as { status: string }).status)).toEqual(['preview']);
	});
});

describe('Compute Dunning Level node: credit notes and overpaid invoices', () => {
	const row = (invoiceId: string, openAmount: number | string, extra: Record<string, string | number> = {}) => ({ json: { ...base, customerId: 'C1', invoiceId, dueDate: '2026-11-01', openAmount, ...extra } });
	const items = [
		row('RE-1', 250),
		// The customer's credit note comes after the invoice it is to settle.
		row('GS-1', -250, { amount: -250 }),
		row('RE-2', '-0.01'),
		row('RE-3', 80, { currency: 'USD' }),
		row('X1', 99, { customerId: 'C2' }),
		row('X2', 99, { customerId: '' }),
		row('Z1', 0),
	];
	const reasons = (r: Awaited<ReturnType<typeof runWorkflow>>) =>
		Object.fromEntries(
			r
				.outputs('Compute')
				.flat()
				.flatMap((i) => (Array.isArray(i.json.invoices) ? (i.json.invoices as Array<Record<string, unknown>>) : [i.json]))
				.map((json) => [json.invoiceId, (json.dunning as { action: string; reason: string | null }).reason ?? (json.dunning as { action: string }).action]),
		);

	it('a negative open amount is No Action (credit), the customer’s invoices in that currency wait (customerCredit), also with Stop on Invalid Input', async () => {
		for (const stopOnInvalidInput of [false, true]) {
			const r = await runWorkflow({ nodes: [computeNode({}, { stopOnInvalidInput })], input: { node: 'Compute', items } });
			expect(r.status).toBe('success');
			expect(r.outputs('Compute').flat()).toHaveLength(items.length);
			expect(reasons(r)).toEqual({ 'RE-1': 'customerCredit', 'GS-1': 'credit', 'RE-2': 'credit', 'RE-3': 'send', X1: 'send', X2: 'send', Z1: 'paid' });
			const held = r.items('Compute', 2).find((i) => i.json.invoiceId === 'RE-1')!;
			expect(held.json.dunning).toMatchObject({
				action: 'none',
				level: 0,
				totalDue: 250,
				message: 'customer "C1" has a credit of -250.00 EUR on invoice "GS-1" (item 1): settle it with the customer (offset or pay it back) before this invoice is dunned',
			});
		}
	});

	it('a credit note without a due date (as many ERPs export them) is a credit too, not invalid input, and holds its customer', async () => {
		const undated = [
			{ json: { invoiceId: 'RE-9', customerId: 'C9', dueDate: '2026-11-01', openAmount: 100, email: 'k9@example.test' } },
			{ json: { invoiceId: 'GS-9', customerId: 'C9', openAmount: -50 } },
		];
		const r = await runWorkflow({ nodes: [computeNode({}, { stopOnInvalidInput: true })], input: { node: 'Compute', items: undated } });
		expect(r.status).toBe('success');
		expect(reasons(r)).toEqual({ 'RE-9': 'customerCredit', 'GS-9': 'credit' });
		expect(r.items('Compute', 2).find((i) => i.json.invoiceId === 'GS-9')!.json.dunning).toMatchObject({ dueSince: null, daysOverdue: 0, totalDue: -50 });
		// An invoice without a due date is still refused.
		const plain = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items: [{ json: { invoiceId: 'RE-8', openAmount: 50 } }] } });
		expect(reasons(plain)).toEqual({ 'RE-8': 'invalidInput' });
	});

	it('grouped: the held invoice stays out of the customer’s reminder', async () => {
		const r = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer: true })], input: { node: 'Compute', items } });
		expect(r.status).toBe('success');
		expect(reasons(r)).toEqual({ 'RE-1': 'customerCredit', 'GS-1': 'credit', 'RE-2': 'credit', 'RE-3': 'send', X1: 'send', X2: 'send', Z1: 'paid' });
		expect(r.items('Compute', 0).map((i) => (i.json.dunning as { invoiceIds: string[] }).invoiceIds)).toEqual([['RE-3'], ['X1'], ['X2']]);
	});

	it('reads the customer ID where the operator put it', async () => {
		const renamed = [
			{ json: { Beleg: 'RE-1', Kunde: { nr: 'K7' }, dueDate: '2026-11-01', openAmount: 100, email: 'k@example.test' } },
			{ json: { Beleg: 'GS-1', Kunde: { nr: 'K7' }, dueDate: '2026-11-01', openAmount: -5, email: 'k@example.test' } },
		];
		const r = await runWorkflow({ nodes: [computeNode({ fieldNames: { invoiceId: 'Beleg', customerId: 'Kunde.nr' } })], input: { node: 'Compute', items: renamed } });
		expect(r.items('Compute', 2).map((i) => [i.json.Beleg, (i.json.dunning as { reason: string }).reason])).toEqual([
			['RE-1', 'customerCredit'],
			['GS-1', 'credit'],
		]);
	});
});

describe('Compute Dunning Level node: currency codes', () => {
	const EXPECTED = 'must be a three-letter currency code (ISO 4217) such as EUR';
	const currencies = ['NaN', 'abc', 'XXX', 'XTS', 'N/A', 'chf'];
	const items = currencies.map((currency, k) => ({ json: { ...base, invoiceId: `W${k}`, dueDate: '2026-11-01', Waehrung: currency } }));

	it('takes only ISO 4217 codes: "NaN" (a spreadsheet error), "abc", XXX (no currency) and XTS (testing) are No Action naming the field, never Send', async () => {
		const r = await runWorkflow({ nodes: [computeNode({ fieldNames: { currency: 'Waehrung' } })], input: { node: 'Compute', items } });
		expect(r.status).toBe('success');
		expect(r.items('Compute', 0).map((i) => [i.json.invoiceId, (i.json.dunning as { currency: string }).currency])).toEqual([['W5', 'CHF']]);
		const none = r.items('Compute', 2);
		expect(none.map((i) => i.json.invoiceId)).toEqual(['W0', 'W1', 'W2', 'W3', 'W4']);
		none.forEach((i, k) => {
			expect(i.json.dunning).toMatchObject({ action: 'none', reason: 'invalidInput', invalidFields: ['currency'], currency: 'EUR' });
			expect((i.json.dunning as { message: string }).message).toMatch(`Waehrung ${EXPECTED} (got ${JSON.stringify(currencies[k])}`);
		});
		expect((none[2].json.dunning as { message: string }).message).toBe(`Waehrung ${EXPECTED} (got "XXX", ISO 4217’s code for “no currency”)`);
	});

	it('with Stop on Invalid Input the error names the item and the field', async () => {
		const r = await runWorkflow({ nodes: [computeNode({}, { stopOnInvalidInput: true })], input: { node: 'Compute', items: [{ json: { ...base, invoiceId: 'W0', dueDate: '2026-11-01', currency: 'NaN' } }] } });
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe(`Item 0: currency ${EXPECTED} (got "NaN")`);
	});

	it('a default currency that is no code fails the run as an invalid policy', async () => {
		const r = await runWorkflow({ nodes: [computeNode({ rules: { minOpenAmount: 1, defaultCurrency: 'NaN' } })], input: { node: 'Compute', items } });
		expect(r.status).toBe('error');
		expect(r.error?.message).toBe(`Invalid dunning policy: defaultCurrency ${EXPECTED} (got "NaN")`);
	});
});

describe('Compute Dunning Level node: a credit note that cannot be read', () => {
	const reasons = (r: Awaited<ReturnType<typeof runWorkflow>>) =>
		Object.fromEntries(
			r
				.outputs('Compute')
				.flat()
				.flatMap((i) => (Array.isArray(i.json.invoices) ? (i.json.invoices as Array<Record<string, unknown>>) : [i.json]))
				.map((json) => [json.invoiceId ?? json.Beleg, (json.dunning as { action: string; reason: string | null }).reason ?? (json.dunning as { action: string }).action]),
		);
	const row = (invoiceId: string, extra: Record<string, unknown> = {}) => ({ json: { ...base, customerId: 'C1', invoiceId, dueDate: '2026-11-01', ...extra } });

	it('holds the customer’s other invoices (every currency, its own being unreadable), naming the unreadable item; grouped too', async () => {
		const items = [row('K0', { openAmount: -50, currency: 'XX1' }), row('K1'), row('K2', { customerId: 'C2' }), row('K3', { currency: 'USD' })];
		for (const groupByCustomer of [false, true]) {
			const r = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer })], input: { node: 'Compute', items } });
			expect(r.status).toBe('success');
			expect(reasons(r)).toEqual({ K0: 'invalidInput', K1: 'customerCredit', K2: 'send', K3: 'customerCredit' });
			const k1 = r.items('Compute', 2).find((i) => i.json.invoiceId === 'K1')!;
			expect(k1.json.dunning).toMatchObject({
				action: 'none',
				level: 0,
				totalDue: 100,
				message:
					'customer "C1" may have a credit: item 0 (invoice "K0", open amount -50) could not be read (currency must be a three-letter currency code (ISO 4217) such as EUR (got "XX1")). ' +
					'Fix that item (if it is a credit note, settle it with the customer) before this invoice is dunned; until then it waits',
			});
		}
	});

	it('a row unreadable in another field holds only its currency; fields as the operator named them', async () => {
		const items = [
			{ json: { Beleg: 'K0', Kunde: { nr: 'K7' }, dueDate: 'garbage', openAmount: '-50.00', currency: 'CHF', email: 'k@example.test' } },
			{ json: { Beleg: 'K1', Kunde: { nr: 'K7' }, dueDate: '2026-11-01', openAmount: 100, currency: 'EUR', email: 'k@example.test' } },
			{ json: { Beleg: 'K2', Kunde: { nr: 'K7' }, dueDate: '2026-11-01', openAmount: 100, currency: 'CHF', email: 'k@example.test' } },
		];
		const r = await runWorkflow({ nodes: [computeNode({ fieldNames: { invoiceId: 'Beleg', customerId: 'Kunde.nr' } })], input: { node: 'Compute', items } });
		expect(r.status).toBe('success');
		expect(reasons(r)).toEqual({ K0: 'invalidInput', K1: 'send', K2: 'customerCredit' });
		expect((r.items('Compute', 2).find((i) => i.json.Beleg === 'K2')!.json.dunning as { message: string }).message).toMatch(
			/^customer "K7" may have a credit: item 0 \(invoice "K0", open amount "-50.00"\) could not be read \(dueDate "garbage" is not a date/,
		);
	});
});

describe('Compute Dunning Level node: spreadsheet and API values', () => {
	it('takes WAHR/FALSCH flags, SQL timestamps, an address list and a one-element language list; a group carries the list as one line', async () => {
		const items = [
			{ json: { ...base, invoiceId: 'S1', customerId: 'C1', dueDate: '2026-11-01 10:00', parked: 'FALSCH', email: ['a@example.test', 'b@example.test'], language: ['en'] } },
			{ json: { ...base, invoiceId: 'S2', customerId: 'C2', dueDate: '2026-11-01', parked: 'Wahr' } },
		];
		const single = await runWorkflow({ nodes: [computeNode()], input: { node: 'Compute', items } });
		expect(single.items('Compute', 0).map((i) => [i.json.invoiceId, (i.json.dunning as { dueSince: string }).dueSince])).toEqual([['S1', '2026-11-01']]);
		expect(single.items('Compute', 2).map((i) => [i.json.invoiceId, (i.json.dunning as { reason: string }).reason])).toEqual([['S2', 'parked']]);
		const grouped = await runWorkflow({ nodes: [computeNode({}, { groupByCustomer: true })], input: { node: 'Compute', items } });
		expect(grouped.items('Compute', 0).map((i) => [i.json.email, i.json.language])).toEqual([['a@example.test, b@example.test', 'en']]);
	});
});

describe('Compute Dunning Level as an AI tool', () => {
	it('is not offered: in tool mode n8n returns only the first output (Send), not Paper or No Action', async () => {
		const { ComputeDunningLevel } = await import('../../nodes/ComputeDunningLevel/ComputeDunningLevel.node');
		const description = new ComputeDunningLevel().description;
		expect(description.outputNames).toEqual(['Send', 'Paper', 'No Action']);
		expect(description.usableAsTool).toBeUndefined();
	});
});
