import type { Invoice } from '../../lib/dunning';

/**
 * 14 days before a `YYYY-MM-DD` due date (the default's terms): an invoice date after the due date
 * moves a business debtor's default (§286(3) BGB), and one after the run day gets a warning, so it
 * follows the due date a test sets. Null for a due date that is no plain day.
 */
function issuedBefore(dueDate: string): string | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dueDate);
	return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) - 14)).toISOString().slice(0, 10) : null;
}

/** A valid open consumer invoice; tests override what they look at. */
export function invoice(overrides: Partial<Invoice> = {}): Invoice {
	return {
		invoiceDate: issuedBefore(overrides.dueDate ?? '2026-10-15'),
		invoiceId: 'INV-1',
		invoiceNumber: 'R-2026-0001',
		customerId: 'C-1',
		customerType: 'consumer',
		email: 'kunde@example.test',
		language: 'de',
		dueDate: '2026-10-15',
		currency: 'EUR',
		// Never below the open amount: more open than invoiced (charges booked onto the invoice) is a
		// case of its own, which a test sets itself.
		amount: Math.max(100, typeof overrides.openAmount === 'number' ? overrides.openAmount : 100),
		openAmount: 100,
		currentLevel: 0,
		lastDunnedAt: null,
		firstDunnedAt: null,
		lastDeadline: null,
		firstDeadline: null,
		claimedCharges: 0,
		parked: false,
		disputed: false,
		dunningBlock: false,
		dunningBlockReason: null,
		emailBlocked: false,
		emailRefusals: 0,
		emailRefusedAt: null,
		emailRefusedLevel: null,
		...overrides,
	};
}
