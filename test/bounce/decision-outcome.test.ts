import { decisionOutcome, isAcceptableDecision, type DecisionOutcome } from '../../bench/bounce-decision';

// The accuracy bench weighs category misses by what they cost the dunning (bench/bounce-decision.ts).
describe('decisionOutcome', () => {
	it('is right for the labelled category, and for delayed where the label is a 4xx failure', () => {
		expect(decisionOutcome('addressDead', ['addressDead'], false)).toBe('right');
		expect(decisionOutcome('senderRejected', ['recipientRefused', 'senderRejected'], false)).toBe('right');
		expect(decisionOutcome('delayed', ['recipientRefused'], true)).toBe('right');
		expect(decisionOutcome('delayed', ['recipientRefused'], false)).toBe('otherMiss');
	});

	it('calls recipientRefused for a dead label a safe miss, and only that', () => {
		expect(decisionOutcome('recipientRefused', ['addressDead'], false)).toBe('safeMiss');
		expect(decisionOutcome('recipientRefused', ['senderRejected'], false)).toBe('otherMiss');
		expect(decisionOutcome('senderRejected', ['addressDead'], false)).toBe('otherMiss');
	});

	it('calls a dead verdict for a live label unsafe, and a missing result lost', () => {
		expect(decisionOutcome('addressDead', ['recipientRefused'], false)).toBe('unsafeDead');
		expect(decisionOutcome('addressDead', ['senderRejected'], true)).toBe('unsafeDead');
		expect(decisionOutcome(null, ['recipientRefused'], false)).toBe('lost');
		expect(decisionOutcome('none', ['addressDead'], false)).toBe('lost');
	});

	it('accepts right decisions and safe misses only', () => {
		const all: DecisionOutcome[] = ['right', 'safeMiss', 'unsafeDead', 'lost', 'otherMiss'];
		expect(all.filter(isAcceptableDecision)).toEqual(['right', 'safeMiss']);
	});
});
