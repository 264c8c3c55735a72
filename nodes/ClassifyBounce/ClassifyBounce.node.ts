import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';

import { ClassifyBounceV1 } from './ClassifyBounceV1';
import { ClassifyBounceV2 } from './ClassifyBounceV2';

/**
 * Classify Bounce. Version 1 routes by kind (Hard / Soft / Other) and stays as it was for the
 * workflows built on it; version 2 (the default for new nodes) routes by what the workflow must do.
 */
export class ClassifyBounce extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Classify Bounce',
			name: 'classifyBounce',
			icon: { light: 'file:classifyBounce.svg', dark: 'file:classifyBounce.dark.svg' },
			group: ['transform'],
			description:
				'Read a returned email (bounce), auto-reply, spam complaint or customer reply and tell which address failed, why, and what to do',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new ClassifyBounceV1(baseDescription),
			2: new ClassifyBounceV2(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
