/**
 * A JSON object: not null and not a list. Item JSON, a policy, a group member or an interest period
 * is one; a list of them is not, and reading a named field off a list would silently find nothing.
 * Not a test for plain objects (a Date passes): item JSON carries none where this is asked.
 */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
