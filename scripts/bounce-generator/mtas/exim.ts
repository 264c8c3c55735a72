import type { Mta } from '../mta';

export const exim: Mta = {
	name: 'exim',
	kinds: [],
	async start() {
		throw new Error('not yet');
	},
	async stop() {},
};
