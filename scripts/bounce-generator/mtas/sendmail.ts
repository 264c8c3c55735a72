import type { Mta } from '../mta';

export const sendmail: Mta = {
	name: 'sendmail',
	kinds: [],
	async start() {
		throw new Error('not yet');
	},
	async stop() {},
};
