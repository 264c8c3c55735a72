import type { IDataObject } from 'n8n-workflow';

import { JsonCopier } from '../../nodes/ComputeDunningLevel/copy-with-field';

/** What the copier must give for every row: the plain spread copy with the field set. */
function reference(json: IDataObject, value: IDataObject): IDataObject {
	const copy: IDataObject = { ...json };
	copy.dunning = value;
	return copy;
}

/** Keys in order, values and prototype: everything JSON and n8n can tell apart. */
function expectSameCopy(actual: IDataObject, expected: IDataObject) {
	expect(Object.keys(actual)).toEqual(Object.keys(expected));
	expect(actual).toStrictEqual(expected);
	expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
}

const row = (n: number): IDataObject => ({ invoiceId: `I-${n}`, openAmount: n + 0.5, parked: n % 2 === 0, lastDunnedAt: null });

describe('JsonCopier (the node’s output json)', () => {
	it('copies rows of one shape like Object.assign, each into its own object, leaving the rows alone', () => {
		const copier = new JsonCopier('dunning');
		const rows = [row(1), row(2), row(3)];
		const before = JSON.stringify(rows);
		const copies = rows.map((r, n) => copier.copy(r, { level: n }));
		copies.forEach((c, n) => expectSameCopy(c, reference(rows[n], { level: n })));
		copies[1].invoiceId = 'changed';
		expect(copies[2].invoiceId).toBe('I-3');
		expect(JSON.stringify(rows)).toBe(before);
	});

	it('follows rows whose keys differ from the row before: missing, extra, reordered, nested', () => {
		const copier = new JsonCopier('dunning');
		const rows: IDataObject[] = [
			row(1),
			row(2),
			{ invoiceId: 'I-3', openAmount: 3 },
			{ invoiceId: 'I-4', openAmount: 4, parked: true, lastDunnedAt: null, extra: { a: [1] } },
			{ openAmount: 5, invoiceId: 'I-5', parked: false, lastDunnedAt: null },
			{ 2: 'two', 1: 'one', invoiceId: 'I-6' },
			row(7),
		];
		for (const r of rows) expectSameCopy(copier.copy(r, { level: 1 }), reference(r, { level: 1 }));
	});

	it('keeps an existing field in its place and replaces its value', () => {
		const copier = new JsonCopier('dunning');
		const rows = [1, 2].map((n) => ({ invoiceId: `I-${n}`, dunning: { old: true }, openAmount: n }));
		for (const r of rows) expectSameCopy(copier.copy(r, { level: 2 }), reference(r, { level: 2 }));
		expect(Object.keys(copier.copy(rows[0], { level: 2 }))).toEqual(['invoiceId', 'dunning', 'openAmount']);
	});

	it('keeps an own "__proto__" key as a field, never as the copy\'s prototype', () => {
		const copier = new JsonCopier('dunning');
		// Rows before it teach the copier their shape; the hostile row has the same keys plus "__proto__".
		const rows = [1, 2, 3].map((n) => JSON.parse(`{"invoiceId":"I-${n}","openAmount":${n}}`) as IDataObject);
		rows.splice(2, 0, JSON.parse('{"invoiceId":"I-X","openAmount":9,"__proto__":{"polluted":true,"action":"send"}}') as IDataObject);
		for (const r of rows) {
			const copy = copier.copy(r, { level: 0 });
			expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
			expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
			expectSameCopy(copy, reference(r, { level: 0 }));
		}
		const hostile = copier.copy(rows[2], { level: 1 });
		expect(Object.keys(hostile)).toEqual(['invoiceId', 'openAmount', '__proto__', 'dunning']);
		expect(Object.getOwnPropertyDescriptor(hostile, '__proto__')?.value).toEqual({ polluted: true, action: 'send' });
		expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
	});

	it('treats an own "__proto__" key and objects without Object.prototype as a spread copy does', () => {
		const copier = new JsonCopier('dunning');
		const protoRows = [1, 2].map((n) => JSON.parse(`{"invoiceId":"I-${n}","__proto__":{"polluted":true}}`) as IDataObject);
		const bare = Object.assign(Object.create(null) as IDataObject, row(3));
		const inherited = Object.assign(Object.create({ inheritedKey: 1 }) as IDataObject, { invoiceId: 'I-4' });
		// for...in lists the inherited key too, so this row's keys look like the plain row's before it.
		const plain = { invoiceId: 'I-5', inheritedKey: 2 };
		for (const r of [...protoRows, bare, bare, inherited, plain, plain, inherited]) {
			expectSameCopy(copier.copy(r, { level: 0 }), reference(r, { level: 0 }));
		}
	});

	it('stays exact when the shape changes more often than it learns new ones', () => {
		const copier = new JsonCopier('dunning');
		const rows = Array.from({ length: 40 }, (_, n) => ({ [`key${n % 12}`]: n, invoiceId: `I-${n}` }) as IDataObject);
		for (const r of rows) expectSameCopy(copier.copy(r, { level: 0 }), reference(r, { level: 0 }));
	});
});
