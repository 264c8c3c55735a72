import { stopAfterRefusedLogin } from '../../lib/mailbox/refused-login';

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
});
