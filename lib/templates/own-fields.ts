/**
 * Handlebars' strict mode decides that a field exists by asking `name in value`, which is also
 * true of what every object inherits ("constructor", "toString", "__proto__"); prototype access
 * being off, those then render as nothing instead of failing as a missing field. A view in which
 * only own fields exist makes them fail like any other missing field.
 */

/** A plain object or list (item JSON), as opposed to a date or another class instance. */
export function isPlainContainer(value: unknown): value is object {
	if (typeof value !== 'object' || value === null) return false;
	if (Array.isArray(value)) return true;
	const proto: unknown = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

/**
 * The same values, seen through proxies whose `in` finds own fields only, at every depth of
 * plain objects and arrays. Reading a field is unchanged (Handlebars' own checks still apply).
 * Dates and other class instances are handed on as they are, for the helpers that format them.
 */
export function ownFieldsOnly<T extends object>(root: T): T {
	const views = new WeakMap<object, object>();
	const view = (target: object): object => {
		let proxy = views.get(target);
		if (proxy === undefined) {
			proxy = new Proxy(target, handler);
			views.set(target, proxy);
		}
		return proxy;
	};
	const handler: ProxyHandler<object> = {
		has: (target, key) => (typeof key === 'symbol' ? Reflect.has(target, key) : Object.prototype.hasOwnProperty.call(target, key)),
		get: (target, key) => {
			const value: unknown = Reflect.get(target, key);
			if (!isPlainContainer(value)) return value;
			// A proxy must hand out a frozen field's own value unchanged.
			const field = Reflect.getOwnPropertyDescriptor(target, key);
			return field !== undefined && !field.configurable && !field.writable ? value : view(value);
		},
	};
	return view(root) as T;
}
