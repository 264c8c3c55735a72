/**
 * Dunning Pace's Sending Window in the editor: the holiday option is named as Compute Dunning
 * Level's (same parameter, same words), and the Timezone says what empty means, since n8n's
 * default instance timezone (America/New_York) may not be the operator's while Compute reads
 * dates in Europe/Berlin by default.
 */
import type { INodeProperties } from 'n8n-workflow';

import { ComputeDunningLevel } from '../../nodes/ComputeDunningLevel/ComputeDunningLevel.node';
import { DunningPace } from '../../nodes/DunningPace/DunningPace.node';

const optionsOf = (properties: INodeProperties[], collection: string) => properties.find((p) => p.name === collection)?.options as INodeProperties[];
const windowOption = (name: string) => optionsOf(new DunningPace().description.properties, 'sendingWindow').find((o) => o.name === name)!;
const ruleOption = (name: string) => optionsOf(new ComputeDunningLevel().description.properties, 'rules').find((o) => o.name === name)!;

it('the holiday region has the same parameter name and display name as Compute Dunning Level’s', () => {
	expect(windowOption('holidayRegion').displayName).toBe(ruleOption('holidayRegion').displayName);
});

it('the Timezone says that empty is the workflow’s, else the instance’s, and that n8n’s default may not be yours', () => {
	const { description, hint, default: value } = windowOption('timezone');
	expect(value).toBe('');
	expect(hint).toMatch(/^Empty: the workflow’s timezone, else the n8n instance’s \(America\/New_York unless set\)/);
	expect(description).toContain(`Compute Dunning Level reads dates in ${String(ruleOption('timezone').default)} by default`);
});
