import type { Mta } from '../mta';

export const opensmtpd: Mta = {
	name: 'opensmtpd',
	kinds: [],
	async start() {
		throw new Error('not yet');
	},
	async stop() {},
};
