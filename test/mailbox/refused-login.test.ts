import { stopAfterRefusedLogin, type RefusedLogin } from '../../lib/mailbox/refused-login';

describe('stopAfterRefusedLogin', () => {
	const refusal = (error: unknown) => (error as Error).message.startsWith('refused');

	test('after a refused login, later calls fail at once without calling the action', async () => {
		const calls: string[] = [];
		const guarded = stopAfterRefusedLogin(async (what: string) => {
			calls.push(what);
			throw new Error('refused: bad password');
		}, refusal);
		await expect(guarded('a')).rejects.toThrow('refused: bad password');
		await expect(guarded('b')).rejects.toThrow(/^not tried, because the login was refused for an earlier copy in this run \(refused: bad password\)/);
		expect(calls).toEqual(['a']);
	});

	test('other failures (a missing folder, a lost connection) do not stop later calls', async () => {
		const calls: string[] = [];
		const guarded = stopAfterRefusedLogin(async (what: string) => {
			calls.push(what);
			if (what === 'a') throw new Error('folder missing');
		}, refusal);
		await expect(guarded('a')).rejects.toThrow('folder missing');
		await expect(guarded('b')).resolves.toBeUndefined();
		expect(calls).toEqual(['a', 'b']);
	});

	test('remembered beyond the run: the next run does not log in until the cool-down ends or the login changes', async () => {
		let stored: RefusedLogin | undefined;
		const memory = { get: () => stored, set: (r: RefusedLogin | undefined) => (stored = r) };
		let clock = Date.UTC(2026, 11, 4, 9, 0);
		const calls: string[] = [];
		const run = (key: string, answer: 'refused' | 'ok') =>
			stopAfterRefusedLogin(
				async (what: string) => {
					calls.push(`${key}:${what}`);
					if (answer === 'refused') throw new Error('refused: bad password');
				},
				refusal,
				{ memory, key, coolDownMs: 60 * 60_000, now: () => clock },
			);
		await expect(run('k1', 'refused')('tick1')).rejects.toThrow('refused: bad password');
		expect(stored).toEqual({ key: 'k1', until: clock + 60 * 60_000, message: 'refused: bad password' });
		clock += 60_000;
		await expect(run('k1', 'refused')('tick2')).rejects.toThrow(/^not tried, because the login was refused earlier; it is tried again from 2026-12-04T10:00:00\.000Z, or at once when the IMAP login is changed \(refused: bad password\)/);
		// The operator fixes the password: a new key is tried at once, and its success clears the memory.
		await expect(run('k2', 'ok')('tick3')).resolves.toBeUndefined();
		expect(stored).toBeUndefined();
		expect(calls).toEqual(['k1:tick1', 'k2:tick3']);
		// After the cool-down the old login is tried once more.
		await expect(run('k1', 'refused')('tick4')).rejects.toThrow('refused: bad password');
		clock += 61 * 60_000;
		await expect(run('k1', 'refused')('tick5')).rejects.toThrow('refused: bad password');
		expect(calls).toEqual(['k1:tick1', 'k2:tick3', 'k1:tick4', 'k1:tick5']);
	});
});
