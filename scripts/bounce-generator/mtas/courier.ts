import type { Mta } from '../mta';

export const courier: Mta = {
	name: 'courier',
	kinds: [],
	async start() {
		throw new Error('not yet');
	},
	async stop() {},
};
