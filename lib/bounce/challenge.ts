/**
 * Challenge-response filters (TMDA, EarthLink's spamBlocker, Spam Arrest, Mailblocks and the
 * "confirm your message" mailboxes of some hosters) hold the reminder until its sender confirms by
 * reply or link. It has not reached the customer and never will without a person at the merchant
 * acting once: neither a bounce (the address works) nor an auto-reply (nothing arrived).
 */

/** What these requests ask of the sender, in their own words (TMDA's confirm_request template, EarthLink and Spam Arrest's request mails; German hosters' "nur E-Mails von bestätigten Absendern"). */
const ASKS_TO_CONFIRM =
	/to release your message|your (?:message|e-?mail|mail)\b[^.]{0,80}\b(?:held|waiting|pending|quarantined)\b[^.]{0,80}\buntil you (?:confirm|verify)|(?:held|waiting|pending)\b[^.]{0,80}\buntil you (?:confirm|verify) (?:it|your (?:message|e-?mail|address))|will be delivered (?:as soon as|once|when|after) you (?:confirm|verify)|your (?:message|e-?mail|mail) (?:requires|needs|is awaiting) (?:your )?(?:confirmation|verification)|only (?:accepts?|allows?) (?:incoming )?(?:mail|messages|e-?mails?) from (?:senders? )?(?:i have )?(?:approved|confirmed|verified|pre-approved)|freischaltung (?:ihrer|der) nachricht|nach (?:der|ihrer) best(?:ä|ae)tigung wird ihre (?:nachricht|e-?mail) zugestellt|nur (?:e-?mails|nachrichten) von best(?:ä|ae)tigten absendern/i;

/**
 * "Verify that you are a human" (cPanel BoxTrapper) is also what sign-up forms ask: a challenge only
 * where the text speaks of the message the sender sent.
 */
const PROVE_HUMAN = /verify (?:that )?you are (?:a )?(?:real |human|person)|best(?:ä|ae)tigen sie,? dass sie (?:ein mensch|kein roboter)/i;
const ABOUT_THE_MESSAGE_SENT = /\b(?:message|e-?mail) (?:that )?you sent\b|\byour (?:message|e-?mail|mail)\b(?!-)|\bihre (?:nachricht|e-?mail)\b(?!-)/i;

/** True when the message is a challenge-response request about mail we sent. */
export function isChallengeRequest(headers: Map<string, string[]>, report: string): boolean {
	if (/^tmda\b/i.test(headers.get('x-delivery-agent')?.[0]?.trim() ?? '')) return true;
	// Templates wrap their lines anywhere (cPanel BoxTrapper's "verify that you\nare a real live human being").
	const text = report.slice(0, 4000).replace(/\s+/g, ' ');
	return ASKS_TO_CONFIRM.test(text) || (PROVE_HUMAN.test(text) && ABOUT_THE_MESSAGE_SENT.test(text));
}
