import type { Invoice } from '../../lib/dunning';

/** A valid open consumer invoice; tests override what they look at. */
export function invoice(overrides: Partial<Invoice> = {}): Invoice {
	return {
		invoiceId: 'INV-1',
		invoiceNumber: 'R-2026-0001',
		customerId: 'C-1',
		customerType: 'consumer',
		email: 'kunde@example.test',
		language: 'de',
		invoiceDate: '2026-10-01',
		dueDate: '2026-10-15',
		currency: 'EUR',
		amount: 100,
		openAmount: 100,
		currentLevel: 0,
		lastDunnedAt: null,
		firstDunnedAt: null,
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
