/**
 * Where "New Since Last Run" goes on from, kept in n8n's static data (saved by n8n after every
 * run that is not manual, also after a failed one).
 *
 * "Save Position: When Read" keeps it in the node's own static data and moves it as the node reads.
 * "Save Position: At a Confirm Position Step" keeps two positions per folder in the workflow's
 * global static data, which a later node can reach: `confirmed` (where the next run starts) and
 * `pending` (where this execution read to, tagged with its execution ID). A later "Confirm Read
 * Position" step moves pending to confirmed; a run that fails before it leaves confirmed where it
 * was, so its messages are read again by the next run instead of being lost.
 */
import type { IDataObject } from 'n8n-workflow';

import type { UidState } from '../../lib/mailbox';

export type SavePosition = 'whenRead' | 'confirmStep';

/** The global static data's field for the confirmed and pending positions of every folder. */
export const CONFIRMED_POSITIONS = 'readMailboxPositions';

interface PendingState extends UidState {
	/** The execution that read to here: only its own Confirm Read Position step confirms it. */
	executionId: string;
}

interface FolderPositions {
	confirmed?: UidState;
	pending?: PendingState;
}

/** A position as the Confirm Read Position step reports it. */
export interface ConfirmedPosition {
	/** The folder's key: user@host:port/folder. */
	folder: string;
	uidValidity: string;
	lastUid: number;
}

export function isUidState(value: unknown): value is UidState {
	const v = value as UidState | undefined;
	return !!v && typeof v.uidValidity === 'string' && typeof v.lastUid === 'number';
}

function uidState(state: UidState): UidState {
	return { uidValidity: state.uidValidity, lastUid: state.lastUid, ...(state.readAt ? { readAt: state.readAt } : {}) };
}

function positionsIn(global: IDataObject): Record<string, FolderPositions> {
	const value = global[CONFIRMED_POSITIONS];
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, FolderPositions>) } : {};
}

/**
 * Written back as a whole: n8n saves static data only when it saw a field of it set, and an object
 * added to it during a run is not watched for changes inside.
 */
function store(global: IDataObject, positions: Record<string, FolderPositions>): void {
	global[CONFIRMED_POSITIONS] = positions as unknown as IDataObject;
}

/** Where a store keeps its positions, and how a read moves them. */
export interface PositionStore {
	/** Where this run starts; undefined on a first run. */
	start(key: string): UidState | undefined;
	/** After a read to `state`: `emitted` is false when the read passed on no message. */
	save(key: string, state: UidState, emitted: boolean): void;
}

/** "When Read": the node's own static data, moved at once (the behaviour of every version so far). */
export function whenReadStore(nodeData: IDataObject): PositionStore {
	return {
		start: (key) => {
			const saved = ((nodeData.positions ?? {}) as Record<string, unknown>)[key];
			return isUidState(saved) ? saved : undefined;
		},
		save: (key, state) => {
			nodeData.positions = { ...((nodeData.positions ?? {}) as IDataObject), [key]: uidState(state) };
		},
	};
}

/**
 * "At a Confirm Position Step": reads on from the confirmed position (or from where this execution
 * already read to), and leaves where it read to as pending for this execution's confirm step. A
 * read that passed on no message confirms at once: nothing downstream can lose it (a first run's
 * "only new" start, a renumbered folder, an empty one); unless this execution already read the
 * folder and left it pending (a loop, or a second Read Mailbox node on it: the key is per folder,
 * workflow-wide), then it only moves the pending position, which its confirm step confirms.
 * Without a confirmed position it starts where the node's own static data says ("When Read" before),
 * so switching the option on does not read the folder again from the start.
 */
export function confirmStepStore(global: IDataObject, nodeData: IDataObject, executionId: string): PositionStore {
	const before = whenReadStore(nodeData);
	return {
		start: (key) => {
			const { confirmed, pending } = positionsIn(global)[key] ?? {};
			// Read again in the same execution (a loop): on after what it already passed on.
			if (isUidState(pending) && pending.executionId === executionId) return uidState(pending);
			return isUidState(confirmed) ? confirmed : before.start(key);
		},
		save: (key, state, emitted) => {
			const positions = positionsIn(global);
			const current = positions[key] ?? {};
			// Confirming here would confirm this execution's earlier read of the folder before its confirm step.
			const ownPending = isUidState(current.pending) && current.pending.executionId === executionId;
			positions[key] = emitted || ownPending
				? { ...current, pending: { ...uidState(state), executionId } }
				: { confirmed: uidState(state) };
			store(global, positions);
		},
	};
}

/**
 * Moves every position read in this execution from pending to confirmed, and returns them. A
 * pending position of another execution (one that failed before its confirm step) is left alone:
 * the next read starts from the confirmed one anyway and replaces it.
 */
export function confirmPositions(global: IDataObject, executionId: string): ConfirmedPosition[] {
	const positions = positionsIn(global);
	const confirmed: ConfirmedPosition[] = [];
	for (const [folder, entry] of Object.entries(positions)) {
		const pending = entry?.pending;
		if (!isUidState(pending) || pending.executionId !== executionId) continue;
		positions[folder] = { confirmed: uidState(pending) };
		confirmed.push({ folder, uidValidity: pending.uidValidity, lastUid: pending.lastUid });
	}
	if (confirmed.length) store(global, positions);
	return confirmed;
}
