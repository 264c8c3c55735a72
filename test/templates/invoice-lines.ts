/** Invoice lines shared by the template tests: one invoice of 100 € with a 5 € fee, and a second like it. */
import type { InvoiceLine } from '../../lib/templates/context';

export const LINE: InvoiceLine = {
	invoiceId: 'inv-1',
	invoiceNumber: 'RE-2026-0042',
	invoiceDate: '2026-01-15',
	dueDate: '2026-02-14',
	invoiceAmount: 100,
	paidAmount: null,
	openAmount: 100,
	fee: 5,
	flatFee: 0,
	interest: 0,
	totalDue: 105,
	daysOverdue: 14,
};
export const SECOND_LINE: InvoiceLine = { ...LINE, invoiceId: 'inv-2', invoiceNumber: 'RE-2026-0043' };
