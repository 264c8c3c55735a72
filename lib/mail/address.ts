/**
 * Address checks done before any server is contacted: a reminder with no usable address goes on
 * paper at once instead of costing a send attempt (and a bounce) per run.
 */

// Dot-atom local part and a domain of letter/digit labels with a top-level label of 2+ letters:
// what real mailboxes look like. Quoted local parts and IP literals are legal but never seen on
// customer records, and accepting them would let garbage through.
// Letters beyond ASCII (müller@…) are allowed: such mailboxes exist, and a server without
// SMTPUTF8 refuses them with a 5xx, which reports the item as failed rather than guessing paper.
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const LABEL = /^(?!-)[\p{L}\p{N}-]{1,63}(?<!-)$/u;

export function isValidAddress(value: string): boolean {
	if (value.length > 254 || /\s/.test(value)) return false;
	const at = value.lastIndexOf('@');
	if (at <= 0 || at === value.length - 1) return false;
	const local = value.slice(0, at);
	const domain = value.slice(at + 1);
	if (local.length > 64 || !LOCAL.test(local)) return false;
	const labels = domain.split('.');
	if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
	return /^(\p{L}{2,63}|xn--[a-z0-9-]+)$/iu.test(labels[labels.length - 1]);
}

export function domainOf(address: string): string {
	return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
