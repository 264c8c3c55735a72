import type { IDataObject } from 'n8n-workflow';

/**
 * How often one copier learns a new set of keys before it keeps the last one: rows whose shape
 * keeps changing then cost one failed key check more than Object.assign alone, no more.
 */
const MAX_TEMPLATES = 8;

/**
 * Copies item json with one field set, as `{ ...json }` followed by `copy[field] = value` does,
 * for many items in a row: own keys in order, and an own "__proto__" key kept as a field.
 *
 * Why not just that: a copy into `{}` grows the copy's property storage several times for
 * a row of a dozen or more fields, and on large runs that garbage made up a good part of the
 * node's garbage collection. The rows of one run nearly always have the same keys in the same
 * order, so a row whose keys are the last template's is cloned from that template (spread copies
 * it in one allocation of the final size) and Object.assign then only overwrites existing keys.
 */
export class JsonCopier {
	/**
	 * A copy of the row it was learned from, `field` included: adding a key to a spread copy
	 * would give every copy a hidden class of its own in V8.
	 */
	private template: IDataObject | null = null;
	/** Object.keys of that row. */
	private keys: string[] = [];
	private learned = 0;

	constructor(private readonly field: string) {}

	copy(json: IDataObject, value: IDataObject): IDataObject {
		let copy: IDataObject;
		if (this.template !== null && this.fits(json)) {
			copy = Object.assign({ ...this.template }, json);
		} else {
			// Spread, not Object.assign: an own "__proto__" key (JSON.parse makes them) stays a
			// field here, where assigning it would make it the copy's prototype.
			copy = { ...json };
			if (this.learned < MAX_TEMPLATES) this.learn(json);
		}
		copy[this.field] = value;
		return copy;
	}

	/**
	 * Whether json's own enumerable keys are the template's, in the same order. for...in lists
	 * exactly those for an object whose prototype is Object.prototype, and allocates nothing.
	 */
	private fits(json: IDataObject): boolean {
		if (Object.getPrototypeOf(json) !== Object.prototype) return false;
		const keys = this.keys;
		let n = 0;
		for (const key in json) {
			if (n === keys.length || keys[n] !== key) return false;
			n++;
		}
		return n === keys.length;
	}

	private learn(json: IDataObject) {
		this.learned++;
		const keys = Object.keys(json);
		// Object.assign would set the prototype for an own "__proto__" key: leave such rows to the spread.
		if (Object.getPrototypeOf(json) !== Object.prototype || keys.includes('__proto__')) {
			this.template = null;
			return;
		}
		const template: IDataObject = Object.assign({}, json);
		template[this.field] = null;
		this.template = template;
		this.keys = keys;
	}
}
