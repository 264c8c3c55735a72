import { YES_WORDS } from '../../lib/dunning/field-value';

import { INVOICE_COLUMNS, LEDGER_COLUMNS, reloadedHealthNode } from './parameters';

// The JavaScript of the Code nodes: text that n8n runs, not code of this script. Template literals
// keep it readable; a backtick or `${` inside is escaped (\` and \${).

/** The paper branch's letters in the run summary (dunning run only: the webhook variant makes none). */
const LETTERS_SUMMARY = `// Paper reminders: letters made, letters that could not be made (e.g. no postal address), the print batch.
// An output without items (or a node that did not run: no paper reminder) counts as empty.
const itemsOf = (name, output) => {
  try {
    return $(name).isExecuted ? $(name).all(output) : [];
  } catch (error) {
    return [];
  }
};
const saved = itemsOf('Save Print Batch', 0)[0];
const letters = {
  lettersCreated: itemsOf('Create Letter', 0).length,
  lettersFailed: itemsOf('Create Letter', 1).map((i) => ({ invoiceId: i.json.invoiceId, error: i.json.error })),
  printBatch: saved ? { file: saved.json.fileName, letters: saved.json.printBatch.letters, pages: saved.json.printBatch.pages } : null,
  // Paper reminders an overlapping run had released first: its letter is that run's (First Release of Key).
  paperReleasedByAnotherRun: itemsOf('Released by This Run?', 1).length,
  // Letters an interrupted run had released but not printed: given back before this run's release
  // (the rows given back: one its run marked printed or renewed meanwhile is not).
  interruptedLettersGivenBack: itemsOf('Give Back Interrupted Letter', 0).map((i) => ({ invoiceId: i.json.invoiceId, error: i.json.error })),
};
// Letters this run made but did not print: an hour after their release another run took this one for
// interrupted, gave their rows back and makes them itself (Confirm Letter Still Ours found them gone).
const stillOurs = new Set(itemsOf('Letters Still Ours', 0).map((i) => String(i.json.reminder.rowId)));
letters.lettersTakenOverByAnotherRun = itemsOf('Create Letter', 0)
  .filter((i) => !stillOurs.has(String(i.json.reminder.rowId)))
  .map((i) => ({ invoiceId: i.json.invoiceId }));
`;

/** Dunning run (with its paper letters) and its webhook variant: one item that sums up the run. */
function runSummaryCode(withLetters: boolean): string {
	return `// One item that sums up this run: how many invoices were decided which way, per level and reason,
// and how many reminders were newly released (the same invoice and level is released only once).
const outputs = ['send', 'paper', 'none'];
const decisions = [];
// No open invoices: Compute Dunning Level did not run, and there is nothing to count.
if ($('Compute Dunning Level').isExecuted) {
  outputs.forEach((action, index) => {
    for (const item of $('Compute Dunning Level').all(index)) decisions.push(item.json);
  });
}
const count = (key) => decisions.reduce((acc, d) => {
  const k = key(d);
  acc[k] = (acc[k] || 0) + 1;
  return acc;
}, {});
let released = 0;
let paperQueued = 0;
// The reminder keys this run released: a row it inserted.
const releasedKeys = new Set();
for (let run = 0; run < 2; run++) {
  try {
    for (const item of $('Release Reminder').all(0, run)) {
      releasedKeys.add(item.json.reminderKey);
      if (item.json.status === 'released') released++;
      if (item.json.status === 'paper' || item.json.status === 'printing') paperQueued++;
    }
  } catch (error) {
    // fewer runs of that node (nothing new to release on one of the branches)
  }
}
// Less the paper rows an overlapping run or post had released first (First Release of Key): that one
// prints the letter, this one deleted its row.
let secondReleases = [];
try {
  secondReleases = $('Released by This Run?').isExecuted ? $('Released by This Run?').all(1) : [];
} catch (error) {
  secondReleases = [];
}
for (const item of secondReleases) releasedKeys.delete(item.json.reminderKey);
paperQueued -= secondReleases.length;
const channels = { send: 'email', paper: 'paper' };
// What to correct in an invalidInput row: the field, or (webhook) the posted entry that is no invoice.
const whatToFix = (d) => (d.invoiceId === null && d.problem ? d.problem : d.dunning.message);
${withLetters ? LETTERS_SUMMARY : ''}return [{
  json: {
    invoices: decisions.length,
    byAction: count((d) => d.dunning.action),
    byLevel: count((d) => \`\${d.dunning.action} level \${d.dunning.level}\`),
    byReason: count((d) => d.dunning.reason ?? 'send'),
    // Invoices held back because the customer answered a reminder: someone must read the reply.
    customerReplies: decisions.filter((d) => d.dunning.reason === 'customerReplied').map((d) => ({ invoiceId: d.invoiceId, customerId: d.customerId, note: d.note ?? '' })),
    // Held back until someone acts: a credit to settle with the customer, a repeated row to clean up,
    // an instalment that needs its own invoice ID, a reminder's charges paid to book as received.
    heldBack: decisions
      .filter((d) => ['credit', 'chargesPaid', 'customerCredit', 'duplicate', 'sameInvoiceId'].includes(d.dunning.reason))
      .map((d) => ({ invoiceId: d.invoiceId, customerId: d.customerId, reason: d.dunning.reason, message: d.dunning.message })),
    // Rows nobody can dun until their fields are fixed (a missing invoiceDate, a bad date): else a green run
    // with nothing released, the cause only counted in byReason.
    needsFixing: decisions
      .filter((d) => d.dunning.reason === 'invalidInput')
      .map((d) => ({ invoiceId: d.invoiceId, customerId: d.customerId, message: whatToFix(d), ...(d.position === undefined ? {} : { position: d.position }) })),
    releasedForEmail: released,
    queuedForPaper: paperQueued,
    decisions: decisions.map((d) => ({
      invoiceId: d.invoiceId,
      action: d.dunning.action,
      level: d.dunning.level,
      reason: d.dunning.reason,
      // What a reminder claims on top of the open amount, for your ERP to print (webhook: its letters).
      fee: d.dunning.fee,
      flatFee: d.dunning.flatFee,
      interest: d.dunning.interest,
      totalDue: d.dunning.totalDue,
      // The ledger row of a send or paper decision, and whether THIS run released it (inserted it, first
      // of its key): only then is its letter this run's to print. false: released before, or by another
      // run or post at the same time (its letter is theirs). Each released row counts for one decision.
      reminderKey: channels[d.dunning.action] ? \`\${d.invoiceId}#\${d.dunning.level}#\${channels[d.dunning.action]}\` : null,
      released: !!channels[d.dunning.action] && releasedKeys.delete(\`\${d.invoiceId}#\${d.dunning.level}#\${channels[d.dunning.action]}\`),
      // What to correct (as in needsFixing), and (webhook) the posted entry's position.
      ...(d.dunning.reason === 'invalidInput' ? { message: whatToFix(d) } : {}),
      ...(d.position === undefined ? {} : { position: d.position }),
    })),${withLetters ? '\n    ...letters,' : ''}
  },
}];
`;
}

export const RUN_SUMMARY_CODE = runSummaryCode(false);
export const DUNNING_RUN_SUMMARY_CODE = runSummaryCode(true);

/** Send released reminders: as many reminders as the execution has sending slots. */
export const ONE_REMINDER_PER_SLOT_CODE = `// As many of the loaded reminders as this execution has sending slots, oldest first.
const slots = $('Plan Sending Slots').first().json.slotCount;
return $('Load Released Reminders').all().slice(0, slots).map((item) => ({ json: item.json }));
`;

/** Bounce processing's Mailbox Health node, whose counts the summary reports. */
const SENDER_HEALTH = 'Record Sender Refusals';

/** Bounce processing: one item that sums up the run. */
export const BOUNCE_SUMMARY_CODE = `// One item per run: what was read, what each kind of report led to, and what needs a person.
// A node fed by several outputs runs once per output: read every run.
const everyRun = (name, output = 0) => {
  const out = [];
  for (let run = 0; run < 10; run++) {
    try { out.push(...$(name).all(output, run)); } catch (e) { break; }
  }
  return out;
};
const rows = (name) => everyRun(name).filter((i) => i.json.id !== undefined).map((i) => i.json);
const lastOfEach = (list) => list.filter((r, i) => list.findLastIndex((o) => o.messageId === r.messageId) === i);
const byCategory = {};
for (let output = 0; output < 5; output++) {
  for (const item of everyRun('Classify Bounce', output)) {
    const category = item.json.bounce?.category ?? 'none';
    byCategory[category] = (byCategory[category] || 0) + 1;
  }
}
const notDelivered = [...rows('Mark Reminder Not Delivered'), ...rows('Mark Sender Refusal')];
// A complaint proves the reminder arrived: it stays in force (Mark Complaint), only the address is blocked.
const complained = rows('Mark Complaint');
const dead = [...notDelivered.filter((r) => r.bounceCategory === 'addressDead'), ...complained];
// The counts saved: of the second count when the compare and set found the row changed (saveMailboxHealth).
const health = (everyRun('${reloadedHealthNode(SENDER_HEALTH)}')[0] ?? everyRun('${SENDER_HEALTH}')[0])?.json.mailboxHealth;
// The run's new replies per reminder row, each once (New Replies by Reminder).
const repliesByRow = everyRun('New Replies by Reminder').map((i) => i.json);
// Our own copies: marked as such by Classify Bounce, or failing for several customers' reminders
// (Reached Another Address). A reminder noted only for our own copy has no address to remove.
const reachedItems = ['Reached Another Address', 'Reached Another Address (Sender)'].flatMap((name) => everyRun(name)).map((i) => i.json);
const ownCopies = reachedItems.filter((j) => j.ownCopy).map((j) => j.bounce);
// By the Message-ID as the row keeps it (ours are lower-case; a report may name it in capitals).
const onlyOwnCopy = new Set(ownCopies.map((b) => String(b.originalMessageId ?? '').toLowerCase()));
for (const j of reachedItems) if (j.reachedOthers && !j.ownCopy) onlyOwnCopy.delete(String(j.bounce.originalMessageId ?? '').toLowerCase());
// Replies that named no reminder found here: none of ours (Ours? (Reply)), or one no row has (Load
// Reminder (Reply) found none). Each reply names at most one reminder; the rows found are ours. (A
// reply to a reminder whose invoice has no row blocks nothing either: it is under replies, its
// invoice not under invoicesBlockedForReply.)
const pairedReminders = new Set(everyRun('Load Reminder (Reply)').map((i) => String(i.json.messageId ?? '').toLowerCase()));
const unpairedReplies = everyRun('Classify Bounce', 3).filter((i) => i.json.bounce && !pairedReminders.has(String(i.json.bounce.originalMessageId ?? '').toLowerCase()));
const archiveCopies = [...everyRun('Classify Bounce', 4).map((i) => i.json.bounce).filter((b) => b && b.archiveCopy), ...ownCopies];
return [{
  json: {
    messagesRead: $('Read Mailbox').all().length,
    byCategory,
    remindersNotDelivered: notDelivered.map((r) => ({ invoiceId: r.invoiceId, level: r.level, email: r.email, category: r.bounceCategory, reason: r.bounceReason })),
    // Reminders the customer reported as spam: they arrived (status delivered), later levels go on paper.
    complaints: complained.map((r) => ({ invoiceId: r.invoiceId, customerId: r.customerId, level: r.level, email: r.email, status: r.status })),
    customersBlocked: [...new Set(dead.map((r) => r.customerId))],
    // Replies to reminders of ours (found in dunning_reminders), with what an operator needs.
    // Each reply once, also two to the same reminder.
    // fromOtherAddress: the reply did not come from an address the reminder was sent to (it still
    // pauses the invoice): check who wrote before acting on it.
    replies: rows('Note Reply on Reminder').flatMap((r) => (repliesByRow.find((g) => g.id === r.id)?.newReplies ?? []).map((b) => (
      { invoiceId: r.invoiceId, customerId: r.customerId, customer: b.recipient ?? null, firstLines: b.text ?? null, ...(b.fromOtherAddress ? { fromOtherAddress: true } : {}) }
    ))),
    invoicesBlockedForReply: [...new Set(rows('Block Invoice for Reply').map((r) => r.invoiceId))],
    // Replies (category reply) that named no reminder found here, so paused nothing: read each, it may
    // concern an invoice (no bodies here).
    unpairedReplies: {
      count: unpairedReplies.length,
      replies: unpairedReplies.map((i) => ({ from: i.json.bounce.recipient ?? i.json.fromAddress ?? null, subject: i.json.subject ?? i.json.bounce.diagnostic ?? null, messageId: i.json.messageId || null, uid: i.json.uid ?? null, reminderMessageId: i.json.bounce.originalMessageId ?? null })),
    },
    // Reminders that reached the customer at another address: remove the failed one from the invoice
    // (unless the note says it was a copy elsewhere). A reminder two reports named is listed once, as last written.
    addressesFailedOfSeveral: lastOfEach([...rows('Note Failed Address'), ...rows('Note Failed Address (Sender)')]).filter((r) => !onlyOwnCopy.has(r.messageId)).map((r) => ({ invoiceId: r.invoiceId, customerId: r.customerId, note: r.note })),
    // Our own copy failed (the SMTP credential's BCC, a journal or server-side Bcc): nothing for dunning; fix that address.
    archiveCopyFailures: archiveCopies.map((b) => ({ address: b.recipient, invoiceId: b.invoiceId, level: b.level, reason: b.reason, status: b.status, final: b.final })),
    // Messages Classify Bounce could not read (bounce.notRead: over a size limit, no content from the
    // server, not an email): each may be a bounce, and the next scheduled run does not read it again.
    notClassified: everyRun('Classify Bounce', 4).filter((i) => i.json.bounce?.notRead || i.json.error).map((i) => ({ uid: i.json.uid ?? null, folder: i.json.folder ?? null, subject: i.json.subject ?? null, error: i.json.error ?? i.json.bounce.diagnostic })),
    delaysNoted: rows('Note Delay').length,
    deliveredByAutoReply: rows('Mark Delivered').length,
    mailbox: health ? { status: health.status, pausedNow: health.pausedNow, message: health.statusMessage } : undefined,
    bouncesMoved: everyRun('Move Bounce').filter((i) => i.json.move?.status === 'moved').length,
  },
}];
`;

/** Code node text: the addresses of an e-mail field, "Name" <address> entries separated by , or ;. */
const ADDRESSES_OF = `// "Name" <address> entries separated by , or ; as Send Reminder Email takes them (not inside a
// quoted name: "Meier, Anna" <anna@…>).
const addressesOf = (list) => (String(list || '').match(/(?:"[^"]*"|[^,;"])+/g) ?? [])
  .map((entry) => { const m = /<([^<>]+)>/.exec(entry); return (m ? m[1] : entry).trim().toLowerCase(); })
  .filter((a) => a.includes('@'));
`;

/** Code node text: a yes/no field as Compute Dunning Level reads it (true, 1, yes, x as SAP writes it, ja: lib/dunning/field-value.ts). */
// The words Compute Dunning Level reads as yes (a German sheet's WAHR too), or a flag it holds is lost here.
const FLAG = `const flag = (value) => value === true || /^(${YES_WORDS.join('|')})$/i.test(String(value ?? '').trim());
`;

/** Code node text: rows of dunning_invoices (items) by invoiceId, as text. */
const ROWS_BY_INVOICE = `const rowsByInvoice = (items) => new Map(items.filter((row) => row.json.invoiceId !== undefined && row.json.invoiceId !== null).map((row) => [String(row.json.invoiceId), row.json]));
`;

/** The Data Table node of the webhook run that finds a posted customer's blocked address. */
export const LOAD_BLOCKED_ADDRESS = 'Load Blocked Address';

/**
 * Code node text (needs ADDRESSES_OF): a customer's addresses that are blocked. Bounce processing
 * blocks a dead address or a complaint on the invoices that exist then, by customer ID and address
 * list; an invoice added later (or showing the list in another order, or one address of it) must not
 * be e-mailed again at that address. Without a customer ID only the invoice's own row counts (as
 * bounce processing then blocks only that invoice: not-delivered.ts).
 */
const ADDRESS_KEY = `const customerOf = (invoice) => String(invoice.customerId ?? '').trim();
const listKey = (addresses) => [...addresses].sort().join(', ');
// What a blocked row blocks for its customer: each address that failed (emailBlockedAddress), one by
// one; a block without one (an older version, or your ERP) the row's whole address list, in any order.
const blockedKeys = (row) => {
  const customer = customerOf(row);
  const failed = addressesOf(row.emailBlockedAddress);
  const shown = addressesOf(row.email);
  const keys = failed.length > 0 ? failed : shown.length > 0 ? [listKey(shown)] : [];
  return customer === '' ? [] : keys.map((key) => customer + '\\n' + key);
};
// The addresses of an invoice that blocked rows of its customer block (keys: their blockedKeys).
const blockedOf = (invoice, keys) => {
  const customer = customerOf(invoice);
  const addresses = addressesOf(invoice.email);
  if (customer === '' || addresses.length === 0) return [];
  if (keys.has(customer + '\\n' + listKey(addresses))) return addresses;
  return addresses.filter((address) => keys.has(customer + '\\n' + address));
};
`;

/**
 * Code node text (needs FLAG and ADDRESSES_OF): blockHolds(row, email), whether a row's e-mail block
 * still applies to its addresses (now, or as posted).
 */
const BLOCK_HOLDS = `// A block written with the addresses that failed (emailBlockedAddress) holds while the row's address
// list still holds any of them: once your ERP removes or corrects the failed address, e-mail resumes
// to the others. A block without one (written by an older version, or by you) holds whatever the address.
const blockHolds = (row, email = row.email) => {
  if (!flag(row.emailBlocked)) return false;
  const failed = addressesOf(row.emailBlockedAddress);
  const current = addressesOf(email);
  return failed.length === 0 || failed.some((address) => current.includes(address));
};
`;

/** Code node text (webhook run, needs FLAG): addressBlocked(invoice), by what Load Blocked Address found. */
const BLOCKED_ADDRESSES = `${ADDRESSES_OF}${BLOCK_HOLDS}${ADDRESS_KEY}// The blocked rows Load Blocked Address found for the posted customers (by customer ID; an empty
// item where it found none), and what they block, address by address.
const blockedAddresses = new Set(($('${LOAD_BLOCKED_ADDRESS}').isExecuted ? $('${LOAD_BLOCKED_ADDRESS}').all() : []).filter((row) => flag(row.json.emailBlocked)).flatMap((row) => blockedKeys(row.json)));
const addressBlocked = (invoice) => blockedOf(invoice, blockedAddresses).length > 0;
`;

/**
 * Dunning run: a customer's address blocked on one loaded row (a dead address, a complaint) counts
 * for every loaded row with that customer ID and address, so an invoice your ERP added since goes
 * on paper.
 */
export const BLOCKED_ADDRESSES_CODE = `// Bounce processing blocks a dead address or a complaint on the customer's invoices that exist then
// (same customer ID and address list). An invoice your ERP adds later has no block of its own: read here
// as blocked when another loaded row of its customer has one of its addresses blocked, so it goes on paper
// (in this run's decision; the row is left as it is). Without a customer ID only the row's own block counts.
// A row whose address your ERP corrected since its block is read as not blocked, and its old address
// still blocks only the rows that show it.
${FLAG}${ADDRESSES_OF}${BLOCK_HOLDS}${ADDRESS_KEY}const items = $input.all();
const blocked = new Set(items.filter((item) => flag(item.json.emailBlocked)).flatMap((item) => blockedKeys(item.json)));
return items.map((item, i) => {
  const own = blockHolds(item.json);
  const emailBlocked = own || blockedOf(item.json, blocked).length > 0;
  return { json: flag(item.json.emailBlocked) === emailBlocked ? item.json : { ...item.json, emailBlocked }, pairedItem: { item: i } };
});
`;

/** The longest emailBlockedAddress the workflows write: the addresses the row shows come first. */
export const BLOCKED_ADDRESS_MAX_LENGTH = 1000;

/**
 * Code node text (not-delivered.ts, after Load Invoices to Block): the rows to block for each dead
 * or complaining reminder (an item of `deadNode`), one item per row with every address blocked on
 * it. `failedFrom`: the node whose paired item lists the reminder's failed addresses
 * (`failedAddresses`); none, or an empty list: the reminder's whole address list.
 */
export const addressesToBlockCode = (deadNode: string, failedFrom?: string): string => `// A dead address or a complaint blocks e-mail on the reminder's invoice and on every invoice of its
// customer (customer ID) showing the same address list. A block in place keeps the addresses it
// blocked before: two addresses of one customer failing one after the other are both blocked, each
// once. A block you cleared (emailBlocked off) starts afresh; one without an address (your ERP's, or
// an older version's) holds whatever the address, and stays so. Reminders of this run that name the
// same row give it one write with all their addresses.
${FLAG}${ADDRESSES_OF}const MAX_LENGTH = ${BLOCKED_ADDRESS_MAX_LENGTH};
const failedOf = (reminder, i) => {
  const listed = ${failedFrom ? `addressesOf([].concat($('${failedFrom}').itemMatching(i).json.failedAddresses ?? []).join(', '))` : '[]'};
  return listed.length > 0 ? listed : addressesOf(reminder.email);
};
const rows = new Map();
$input.all().forEach((item, i) => {
  const row = item.json;
  if (row.id === undefined || row.id === null) return;
  const reminder = $('${deadNode}').itemMatching(i).json;
  const customer = String(reminder.customerId ?? '').trim();
  if (row.invoiceId !== reminder.invoiceId && !(customer !== '' && row.customerId === customer && row.email === reminder.email)) return;
  if (!rows.has(row.id)) {
    const before = flag(row.emailBlocked) ? addressesOf(row.emailBlockedAddress) : [];
    rows.set(row.id, { row, index: i, everyAddress: flag(row.emailBlocked) && before.length === 0, addresses: before });
  }
  const entry = rows.get(row.id);
  const failed = failedOf(reminder, i);
  if (failed.length === 0) entry.everyAddress = true;
  entry.addresses = [...new Set([...failed, ...entry.addresses])];
});
// Within MAX_LENGTH: the addresses the row shows (the block holds while it shows any) before those it no longer shows.
const listed = (row, addresses) => {
  const shown = addressesOf(row.email);
  let text = '';
  for (const address of [...addresses.filter((a) => shown.includes(a)), ...addresses.filter((a) => !shown.includes(a))]) {
    const longer = text ? text + ', ' + address : address;
    if (longer.length <= MAX_LENGTH) text = longer;
  }
  return text;
};
return [...rows.values()].map(({ row, index, everyAddress, addresses }) => ({
  json: { id: row.id, invoiceId: row.invoiceId, customerId: row.customerId, email: row.email, emailBlockedAddress: everyAddress ? '' : listed(row, addresses) },
  pairedItem: { item: index },
}));
`;

/**
 * Bounce processing: a report for some addresses of a reminder sent to several. `source` is the
 * filter the reports came through (not delivered, or refused because of our sender).
 */
export const reachedAnotherAddressCode = (source: string): string => `// A reminder sent to several addresses reached the customer when any of them took it. A report
// names the addresses it failed for (one item each): only when it failed for all of them, or (sent
// to one) for an address the reminder was not sent to, was the reminder not delivered. A forward
// counts as the address the reminder was sent to when the report names it (Original-Recipient).
// Reports read in earlier runs are not counted: a reminder whose addresses fail in separate
// reports stays delivered.
// An address the reminder was not sent to failing (a forward or alias the report does not trace
// back, an inbox rule's copy, a Bcc) proves nothing about the addresses it was sent to: not dead,
// and no refusal of our sender by the servers we sent to; the reminder counts as refused (e-mail
// once more, then paper), or, sent to several, as delivered to those no report names. Only for a
// reminder to plain ASCII addresses (an IDN address may be named in either form), and not for the
// same mailbox by its Exchange routing name (the same local part at <tenant>.mail.onmicrosoft.com
// in a hybrid organisation, or at an internal .local domain).
const items = $input.all();
const bounces = items.map((_, i) => $('${source}').itemMatching(i).json.bounce);
// Every failure of this run, from the three failure outputs (an address dead, another's mailbox
// full, a third refusing our sender).
const failures = [0, 1, 2].flatMap((output) => { try { return $('Classify Bounce').all(output); } catch (e) { return []; } }).map((i) => i.json.bounce);
const failedAddresses = (b) => [b.recipient, b.originalRecipient].filter(Boolean).map((a) => String(a).toLowerCase());
// Per reminder (Message-ID): each failed address with the categories reported for it.
const failedFor = new Map();
for (const b of failures) {
  if (!failedFor.has(b.originalMessageId)) failedFor.set(b.originalMessageId, new Map());
  const byAddress = failedFor.get(b.originalMessageId);
  for (const a of failedAddresses(b)) byAddress.set(a, [...(byAddress.get(a) ?? []), b.category]);
}
const plain = (a) => /^[\\x21-\\x7e]+$/.test(a) && !a.includes('xn--');
const localPart = (a) => a.slice(0, a.lastIndexOf('@'));
const isRoutingName = (a, written) => /\\.(?:mail\\.onmicrosoft\\.com|local)$/.test(a) && written.some((w) => localPart(w) === localPart(a));
${ADDRESSES_OF}const reports = items.map((item, i) => {
  const bounce = bounces[i];
  const addresses = addressesOf(item.json.email);
  const named = failedAddresses(bounce);
  // The reminder's address that failed; forwardedTo where the report says it went on elsewhere.
  const failed = named.find((a) => addresses.includes(a)) ?? '';
  // Not sent to it (any failure but a complaint, which counts wherever it was made).
  const elsewhere = !failed && named.length > 0 && addresses.length > 0 && addresses.every(plain) && !named.some((a) => isRoutingName(a, addresses)) && bounce.category !== 'complaint';
  return { item, bounce, addresses, named, failed, elsewhere, customer: String(item.json.customerId || addresses.join(',')) };
});
// The same address failing elsewhere for the reminders of two or more customers at two or more
// domains in this run (reminders to its own domain aside) is a copy of the merchant's own: a Bcc or
// journal rule on its mail server, to an archive at a mail provider that Own Domains cannot list.
// It says nothing about the customers: a person fixes that copy.
const domainOf = (a) => a.slice(a.lastIndexOf('@') + 1);
const failingElsewhere = new Map();
for (const r of reports) {
  if (!r.elsewhere || r.addresses.some((a) => domainOf(a) === domainOf(r.named[0]))) continue;
  failingElsewhere.set(r.named[0], [...(failingElsewhere.get(r.named[0]) ?? []), r]);
}
const customersFailingAt = (address) => new Set((failingElsewhere.get(address) ?? []).map((r) => r.customer)).size;
const domainsFailingAt = (address) => new Set((failingElsewhere.get(address) ?? []).flatMap((r) => r.addresses.map(domainOf))).size;
const isOwnCopy = (r) => (failingElsewhere.get(r.named[0]) ?? []).includes(r) && customersFailingAt(r.named[0]) > 1 && domainsFailingAt(r.named[0]) > 1;
// The note of a reminder that reached some of its addresses: every address of it that failed in this
// run, so that two reports of one reminder write the same note, and an earlier run's note after it.
// A report read again (a manual run reads everything) leaves the note as it is.
const failedAddressesNote = (messageId, addresses, reached, earlier) => {
  const failedNow = addresses.filter((a) => !reached.includes(a));
  if (earlier && failedNow.every((a) => earlier.includes(\`address \${a} \`))) return earlier;
  const at = $now.toISO();
  const entries = failedNow.map((a) => {
    const b = failures.find((f) => f.originalMessageId === messageId && failedAddresses(f).includes(a));
    const forwardedTo = b.recipient && String(b.recipient).toLowerCase() !== a ? \` (forwarded to \${String(b.recipient).toLowerCase()})\` : '';
    return \`address \${a}\${forwardedTo} failed (\${b.reason}\${b.status ? ' ' + b.status : ''}, \${at})\`;
  });
  const fresh = \`\${entries.join('; ')}; the reminder reached \${reached.join(', ')}: remove the failed address\${entries.length > 1 ? 'es' : ''} from the invoice\`;
  return earlier ? \`\${fresh}; earlier: \${earlier}\` : fresh;
};
return reports.map((r, i) => {
  const { item, bounce, addresses, named, failed, elsewhere } = r;
  const forwardedTo = failed && named[0] !== failed ? named[0] : null;
  const ownCopy = isOwnCopy(r);
  // A copy of a reminder to several addresses failed elsewhere: those of them that no report of
  // this run names took it, as when one of them failed itself. A complaint is no failed address: the
  // reminder arrived, and a person there does not want it (no more e-mail, as for one address).
  const judged = addresses.length > 1 && (failed || elsewhere) && bounce.category !== 'complaint';
  const failedHere = judged ? failedFor.get(bounce.originalMessageId) : new Map();
  const reached = judged ? addresses.filter((a) => !failedHere.has(a)) : [];
  // Every address failed, one of them dead and another only refusing (a full mailbox, our sender):
  // the customer's e-mail is not dead, so the reminder is refused, not dead (no block).
  const categories = addresses.flatMap((a) => failedHere.get(a) ?? []);
  const onlyRefused = bounce.category === 'addressDead' && reached.length === 0 && categories.some((c) => c !== 'addressDead' && c !== 'complaint');
  const failure = \`address \${named[0]} failed (\${bounce.reason}\${bounce.status ? ' ' + bounce.status : ''}); the reminder was not sent to it\`;
  const note = !elsewhere
    ? failed && reached.length > 0 ? failedAddressesNote(bounce.originalMessageId, addresses, reached, item.json.note ?? '') : item.json.note ?? ''
    : ownCopy
      ? \`\${failure}; it failed for the reminders of \${customersFailingAt(named[0])} customers in this run: a copy of your own (a Bcc or journal rule on your mail server), fix or remove it\`
      : reached.length > 0
        ? \`\${failure} and reached \${reached.join(', ')}: a forward or copy at the recipient's side, nothing to change on the invoice\`
        : \`\${failure} but to \${addresses.join(', ')}: a forward or copy at the recipient's side, counted as the recipient's refusal\`;
  // Our own copy is only noted (a report of the customer's own address decides the reminder).
  const verdict = ownCopy ? { ...bounce, category: 'none', archiveCopy: true } : onlyRefused || elsewhere ? { ...bounce, category: 'recipientRefused' } : bounce;
  // The reminder's addresses a dead address or complaint blocks (Block Customer Email): this report's,
  // and those other reports of this run name dead or complaining. None found: the reminder's list.
  const deadHere = failedFor.get(bounce.originalMessageId) ?? new Map();
  const failedAddresses = addresses.filter((a) => a === failed || (deadHere.get(a) ?? []).some((c) => c === 'addressDead' || c === 'complaint'));
  return { json: { bounce: verdict, reachedOthers: reached.length > 0 || ownCopy, reached, failed, failedAddresses, forwardedTo, elsewhere, ownCopy, note }, pairedItem: { item: i } };
});
`;

/** Mailbox check: did the test mail arrive? */
export const MAILBOX_CHECK_CODE = `// Did the test mail come back? Compares the Message-ID that was sent with what the mailbox holds.
const sent = $('Send Test Mail').first().json;
const messageId = sent.delivery && sent.delivery.messageId;
const found = $('Read Mailbox').all().find((i) => i.json.messageId === messageId);
if (!found) {
  throw new Error(\`The test mail \${messageId} was sent (\${sent.delivery.smtpResponse}) but did not arrive in the mailbox within the wait. Check the IMAP credential (user, folder) and that the test address is this mailbox.\`);
}
return [{
  json: {
    ok: true,
    sentTo: sent.to,
    messageId,
    smtpResponse: sent.delivery.smtpResponse,
    foundIn: found.json.folder,
    subject: found.json.subject,
  },
}];
`;

/** Dunning run (webhook): the request body as one item per invoice. */
export const INVOICES_FROM_REQUEST_CODE = `// The request body (or, for a manual run, the example) → one item per invoice.
const first = $('Webhook').isExecuted ? $('Webhook').first().json : $('Example Invoices').first().json;
const body = first.body ?? {};
const invoices = Array.isArray(body) ? body : body.invoices;
if (!Array.isArray(invoices)) throw new Error('The request body must be {"invoices": [...]} or an array of invoices');
// A value as the answer shows it: JSON, at most 100 characters.
const shown = (value) => {
  let text;
  try { text = JSON.stringify(value); } catch (e) { text = undefined; }
  if (text === undefined) text = String(value);
  return text.length > 100 ? text.slice(0, 97) + '...' : text;
};
// An ID that is neither text nor a whole number held exactly: beyond 2^53 two IDs read as one (send
// 64-bit IDs as text), and a list, object or yes/no would make a row of junk. A missing one is
// Compute Dunning Level's to name.
const idProblem = (id) => {
  if (id === undefined || id === null || typeof id === 'string' || Number.isSafeInteger(id)) return null;
  return typeof id === 'number' && Number.isInteger(id)
    ? \`invoiceId \${shown(id)} is larger than \${Number.MAX_SAFE_INTEGER}, where two IDs read as one: send invoice IDs as text\`
    : \`invoiceId must be text or a whole number (got \${shown(id)})\`;
};
// Addresses posted as a list (Compute Dunning Level takes them) are kept as the one line it makes of
// them (lib/dunning addressListText): saved as a list's JSON text, the row and the reminder's
// address would differ and the sender would withdraw every reminder as emailChanged. A language
// posted as a one-element list is its text (lib/dunning onlyText). Anything else stays for Compute to name.
const isTextList = (value) => Array.isArray(value) && value.every((v) => typeof v === 'string');
// An entry that is no invoice, or has an ID that is none, goes on as an invoice without an ID:
// Compute Dunning Level refuses it (invalidInput), the answer names its position (counted from 0)
// and the value, and the post's other invoices go on.
return invoices.map((entry, position) => {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    return { json: { invoiceId: null, position, entry: shown(entry), problem: \`entry \${position} (counted from 0) is no invoice object (got \${shown(entry)})\` } };
  }
  // One invoice ID everywhere: a fixed-width ERP column's "INV-1 " is the row INV-1.
  const json = typeof entry.invoiceId === 'string' ? { ...entry, invoiceId: entry.invoiceId.trim() } : { ...entry };
  if (isTextList(entry.email)) json.email = entry.email.map((a) => a.trim()).filter((a) => a !== '').join(', ');
  if (isTextList(entry.language) && entry.language.length === 1) json.language = entry.language[0];
  const problem = idProblem(entry.invoiceId);
  if (problem) return { json: { ...json, invoiceId: null, position, entry: shown(entry.invoiceId), problem } };
  if (json.invoiceId === undefined || json.invoiceId === null || json.invoiceId === '') return { json: { ...json, position } };
  return { json };
});
`;

/**
 * Code node text: belowZero(openAmount, claimedCharges, currency), lib/dunning/charges.ts's rule in
 * plain JS (a Code node imports nothing): an open amount below zero by no more than the charges the
 * reminders claimed (+ the rounding tolerance) is those charges paid, not a credit. Null when the
 * open amount is not below zero in the currency's smallest unit (money.ts toMinor, minorDigits).
 */
export const BELOW_ZERO = `const minorDigits = (currency) => {
  if (!/^[A-Z]{3}$/.test(String(currency ?? ''))) return 2;
  try { return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2; } catch (e) { return 2; }
};
const toMinor = (amount, digits) => {
  const scaled = amount * 10 ** digits;
  return Math.round(scaled + (scaled >= 0 ? 1 : -1) * Math.min(Math.abs(scaled) * 1e-12, 1e-3));
};
const belowZero = (openAmount, claimedCharges, currency) => {
  const digits = minorDigits(currency);
  const paidMinor = -toMinor(openAmount, digits);
  if (!(paidMinor > 0)) return null;
  const claimedMinor = Math.max(0, toMinor(Number(claimedCharges) || 0, digits));
  // Swiss francs are paid rounded to 5 Rappen (charges.ts roundingToleranceMinor).
  const creditMinor = claimedMinor > 0 && paidMinor <= claimedMinor + (currency === 'CHF' ? 4 : 1) ? 0 : paidMinor - claimedMinor;
  return { paidMinor, claimedMinor, creditMinor };
};
`;

/** Send released reminders: is each claimed reminder still right, by the invoice as it is now? */
export const STILL_TO_SEND_CODE = `// A reminder goes out hours after the dunning run released it (one mail a minute). Meanwhile the
// invoice may have been paid, blocked (a customer's reply), its address blocked (a dead address, a
// complaint) or corrected, or a letter may have moved it on: such a reminder is withdrawn, and the
// next dunning run decides the invoice again. Without its row in dunning_invoices the invoice is
// gone (your sync removed it: paid, cancelled, written off): withdrawn (invoiceGone), never sent.
${ROWS_BY_INVOICE}const invoices = rowsByInvoice($input.all());
const isSet = (value) => value !== undefined && value !== null && value !== '';
${FLAG}${ADDRESSES_OF}${BLOCK_HOLDS}${BELOW_ZERO}const sameAddresses = (a, b) => addressesOf(a).sort().join() === addressesOf(b).sort().join();
function whyNotNow(reminder, invoice) {
  // The currency Compute Dunning Level decided in (dunning.currency); without it the row's, read as Compute reads it.
  const currency = String(reminder.dunning?.currency || invoice.currency || '').trim().toUpperCase();
  // Amounts in the currency's smallest unit, as Compute compares them (yen: 0 decimals, dinars: 3).
  // No Rappen tolerance above zero (Compute has none): 0.01 CHF left open is an amount changed.
  const minor = (value) => toMinor(Number(value), minorDigits(currency));
  const below = isSet(invoice.openAmount) ? belowZero(Number(invoice.openAmount), invoice.claimedCharges, currency) : null;
  if (below && below.creditMinor > 0) return ['credit', \`the invoice now shows a credit of \${invoice.openAmount}\`];
  if (below) return ['chargesPaid', \`the open amount is now \${invoice.openAmount}: the customer paid a reminder's total including its charges (\${invoice.claimedCharges} claimed), nothing is open\`];
  if (isSet(invoice.openAmount) && minor(invoice.openAmount) === 0) return ['paid', 'nothing is open on the invoice any more'];
  if (isSet(invoice.openAmount) && isSet(reminder.openAmount) && minor(invoice.openAmount) !== minor(reminder.openAmount)) {
    return ['amountChanged', \`the open amount is now \${invoice.openAmount}, the reminder asks for \${reminder.openAmount}\`];
  }
  if (flag(invoice.parked)) return ['parked', 'the invoice is parked'];
  if (flag(invoice.disputed)) return ['disputed', 'the invoice is disputed'];
  if (flag(invoice.dunningBlock)) {
    return invoice.dunningBlockReason === 'customerReplied'
      ? ['customerReplied', 'the customer replied to a reminder']
      : ['blocked', 'the invoice has a dunning block'];
  }
  if (blockHolds(invoice)) return ['emailBlocked', "the customer's e-mail is blocked (a dead address or a complaint)"];
  // An empty one says nothing: the ERP's address may sit in another field (Compute's Field Names).
  if (isSet(invoice.email) && !sameAddresses(invoice.email, reminder.email)) {
    return ['emailChanged', \`the invoice's e-mail address is now \${invoice.email}\`];
  }
  if (Number(invoice.currentLevel) >= Number(reminder.dunning?.level)) {
    return ['levelReached', \`the invoice is already at level \${invoice.currentLevel}\`];
  }
  // An earlier level was taken back (its reminder did not arrive): that one goes first, not this.
  if (isSet(reminder.dunning?.previousLevel) && Number(invoice.currentLevel ?? 0) < Number(reminder.dunning.previousLevel)) {
    return ['levelTakenBack', \`the invoice went back to level \${invoice.currentLevel ?? 0}: an earlier reminder did not reach the customer\`];
  }
  return null;
}
// A reminder that waited past its payment deadline (a mailbox paused for days) would ask for payment
// by a day already past: withdrawn, so that the next dunning run sets a fresh deadline. Today is
// the day where Compute Dunning Level decided (dunning.timezone), as Send Reminder Email reads it.
function deadlinePassed(reminder) {
  const deadline = reminder.dunning?.deadline;
  if (!isSet(deadline)) return null;
  const zone = isSet(reminder.dunning?.timezone) ? reminder.dunning.timezone : $now.zoneName;
  const now = $now.setZone(zone);
  // Send Reminder Email would fail it: the next dunning run writes a timezone it can read.
  if (!now.isValid) return ['badTimezone', \`its dunning.timezone "\${zone}" is no timezone\`];
  // A timestamp is the day it names where Compute decided, as Send Reminder Email reads it.
  const day = DateTime.fromISO(String(deadline), { zone }).toISODate() ?? String(deadline).slice(0, 10);
  const today = now.toISODate();
  return day < today ? ['deadlinePassed', \`its payment deadline \${day} has passed (today is \${today})\`] : null;
}
// Two rows of one reminder (two dunning runs that overlapped, each releasing it): one goes out.
// In later ticks the invoice's level, advanced by the one sent, withdraws the other.
const going = new Set();
return $('Restore Reminder').all().map((item) => {
  const invoice = invoices.get(String(item.json.invoiceId));
  let why = (invoice ? whyNotNow(item.json, invoice) : ['invoiceGone', \`invoice \${item.json.invoiceId} is no longer in dunning_invoices\`]) ?? deadlinePassed(item.json);
  if (!why && going.has(item.json.reminderKey)) why = ['duplicate', 'another row of the same reminder goes out in this run'];
  if (!why) going.add(item.json.reminderKey);
  return { json: why ? { ...item.json, withdrawn: { reason: why[0], message: why[1] } } : item.json };
});
`;

/** Dunning run (webhook): the posted invoices with what the workflows have learnt about each since. */
export const WITH_LEDGER_CODE = `// Your ERP posts its invoices; the workflows keep what they learn about each in dunning_invoices:
// the level a sent reminder reached or a returned one went back to, a dead address or complaint
// (emailBlocked), a customer's reply (dunningBlock), refused e-mails per level. Without this, every
// post would start from what the ERP knows, and a dead address would be e-mailed again.
// A new invoice of a customer whose address is blocked (on another invoice) is blocked too.
${ROWS_BY_INVOICE}const known = rowsByInvoice($input.all());
${FLAG}${BLOCKED_ADDRESSES}return $('Invoices from Request').all().map((item) => {
  const posted = item.json;
  // An entry refused for its ID (Invoices from Request) has none to look up.
  const row = posted.invoiceId === null || posted.invoiceId === undefined ? undefined : known.get(String(posted.invoiceId));
  const blocked = addressBlocked(posted);
  if (!row) return { json: blocked ? { ...posted, emailBlocked: true } : posted };
  // The row's block stands when the ERP posts none, and a customer's reply always: a block the ERP
  // posts as well must not hide the unanswered reply.
  const replied = flag(row.dunningBlock) && (!flag(posted.dunningBlock) || row.dunningBlockReason === 'customerReplied');
  return {
    json: {
      ...posted,
      currentLevel: row.currentLevel ?? posted.currentLevel,
      lastDunnedAt: row.lastDunnedAt || posted.lastDunnedAt || null,
      // The row's block only while the posted address still holds the one that failed.
      emailBlocked: blockHolds(row, posted.email ?? row.email) || flag(posted.emailBlocked) || blocked,
      dunningBlock: flag(row.dunningBlock) || flag(posted.dunningBlock),
      dunningBlockReason: replied ? row.dunningBlockReason : posted.dunningBlockReason,
      // A reply's first lines, which bounce processing wrote, for the run summary's customerReplies.
      note: replied ? row.note : posted.note || row.note,
      emailRefusals: row.emailRefusals ?? posted.emailRefusals,
      emailRefusedAt: row.emailRefusedAt || posted.emailRefusedAt || null,
      emailRefusedLevel: row.emailRefusedLevel ?? posted.emailRefusedLevel,
      // What the reminders that left stated and claimed (the sender, Advance Level (Paper)): the next
      // stage waits for lastDeadline, and charges paid with a reminder's total are no credit.
      // Only a value on the row replaces the posted one (an empty cell is null).
      ...(row.lastDeadline ? { lastDeadline: row.lastDeadline } : {}),
      ...(row.firstDeadline ? { firstDeadline: row.firstDeadline } : {}),
      ...(row.claimedCharges !== null && row.claimedCharges !== undefined && row.claimedCharges !== '' ? { claimedCharges: row.claimedCharges } : {}),
    },
  };
});
`;

/** Dunning run (webhook): the posted invoices as rows of dunning_invoices, in its column types. */
export const INVOICE_ROWS_CODE = `// One row per posted invoice for dunning_invoices, so that the sender and bounce processing find
// it. A new invoice is saved as posted. Of a known one, the columns the workflows keep are left
// alone: the sender and bounce processing may write them at any moment, and writing back what was
// read a moment before would undo that. A block the ERP posts is set (with its reason) and a note
// replaces the row's, unless a customer's reply blocks it (customerReplied): then its reason and note
// stay. Nothing posted clears a block or note.
// A value of the wrong type stays empty here: Compute Dunning Level reads the posted one and names it.
const columns = ${JSON.stringify(INVOICE_COLUMNS)};
const theirs = ${JSON.stringify(LEDGER_COLUMNS)};
${FLAG}${ROWS_BY_INVOICE}${BLOCKED_ADDRESSES}const known = rowsByInvoice($('Load Known Invoice').all());
const cell = (value, type) => {
  if (type === 'boolean') return flag(value);
  if (type === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : null;
  }
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};
const saved = new Set();
const rows = [];
for (const { json: invoice } of $('Invoices from Request').all()) {
  const id = cell(invoice.invoiceId, 'string').trim();
  if (id === '' || saved.has(id)) continue;
  saved.add(id);
  const isKnown = known.has(id);
  const row = Object.fromEntries(columns.filter(([name]) => !isKnown || !theirs.includes(name)).map(([name, type]) => [name, name === 'invoiceId' ? id : cell(invoice[name], type)]));
  // A block the ERP posts holds whatever the address (no emailBlockedAddress).
  if (isKnown && flag(invoice.emailBlocked)) {
    row.emailBlocked = true;
    row.emailBlockedAddress = '';
  }
  // The customer's address is blocked on another invoice: this one's row too, new or known, for that
  // address (unless the row's own block still holds).
  if (addressBlocked(invoice) && row.emailBlocked !== true && !(isKnown && blockHolds(known.get(id), invoice.email ?? known.get(id).email))) {
    row.emailBlocked = true;
    row.emailBlockedAddress = blockedOf(invoice, blockedAddresses).join(', ');
  }
  // A customer's reply on the row (its reason and first lines) stays until someone clears the block.
  const reply = isKnown && flag(known.get(id).dunningBlock) && known.get(id).dunningBlockReason === 'customerReplied';
  if (isKnown && flag(invoice.dunningBlock)) {
    row.dunningBlock = true;
    if (!reply && cell(invoice.dunningBlockReason, 'string') !== '') row.dunningBlockReason = cell(invoice.dunningBlockReason, 'string');
  }
  if (isKnown && !reply && cell(invoice.note, 'string') !== '') row.note = cell(invoice.note, 'string');
  rows.push({ json: row });
}
return rows;
`;

export const ALERT_KEY_CODE = `// What an alert is remembered by: the workflow, the step and the message. Numbers change from
// run to run (seconds, counts, IDs) while the cause stays the same, so they are left out; a name
// in quotes (mailbox "shop1", node "Send 2") is kept, or two mailboxes' failures would be one alert.
const failure = $('Error Trigger').first().json;
const what = failure.execution ?? failure.trigger ?? {};
const message = String(what.error?.message ?? '');
const withoutNumbers = message.replace(/("[^"]*")|\\d+/g, (found, quoted) => quoted ?? '#');
const key = [failure.workflow?.id ?? '', what.lastNodeExecuted ?? what.error?.node?.name ?? '', withoutNumbers].join('|').slice(0, 2000);
return [{ json: { ...failure, alert: { key, workflowId: String(failure.workflow?.id ?? ''), message: message.slice(0, 2000) } } }];
`;

export const DECIDE_ALERT_CODE = `// The same failure of the same workflow is mailed once, then again every repeatHours while it
// lasts: a paused or stalled sender fails every minute, and an alert a minute gets muted.
const failure = $('Alert Key').first().json;
const setting = Number($('Settings').first().json.repeatHours);
const repeatHours = setting > 0 ? setting : 24;
const row = $input.first().json;
const known = row.alertKey === failure.alert.key;
const mailNow = !known || Date.now() - (Number(row.lastMailedAt) || 0) >= repeatHours * 3600000;
return [{ json: { ...failure, alert: { ...failure.alert, mailNow, repeats: known ? Number(row.repeats) || 0 : 0, repeatHours } } }];
`;

/**
 * Dunning run: Compute Dunning Level's Send and Paper items, one per invoice. With Group by Customer
 * an item is a customer's (an `invoices` list, no invoiceId), and the shipped ledger, which works
 * per invoice, would give every customer the same reminder key: all but one dropped unseen.
 */
export const ONE_INVOICE_PER_ITEM_CODE = `// This workflow keeps one reminder per invoice and level (dunning_reminders, dunning_invoices).
// A collective reminder (Group by Customer) has no invoiceId: stop before anything is released.
const grouped = $input.all().filter((item) => Array.isArray(item.json.invoices));
if (grouped.length > 0) {
  const customers = grouped.map((item) => item.json.customerId ?? item.json.email).join(', ');
  throw new Error(\`Group by Customer is switched on in Compute Dunning Level (Options): it made one item per customer (\${customers}) listing several invoices, but this workflow releases, sends and tracks reminders per invoice (dunning_reminders, dunning_invoices), so every customer's reminder would get the same key and all but one would be dropped. Nothing was released. Turn Group by Customer off in Compute Dunning Level.\`);
}
return [];
`;

/**
 * Bounce processing: a reply's own Message-ID (Read Mailbox's field), or its place in the mailbox when
 * it has none; `reply` is an expression for Read Mailbox's item. One rule for New Reply?, which looks
 * the ID up, and New Replies by Reminder, which hands it on to be written.
 */
export const replyIdOf = (reply: string): string => `(${reply}.messageId || 'UID ' + ${reply}.uidValidity + '/' + ${reply}.uid)`;
/** A reply ID (`id`, an expression) as replyMessageIds keeps it: without blanks (the list's separator), at most 250 characters. */
export const replyKeyOf = (id: string): string => `String(${id}).replace(/\\s+/g, '').slice(0, 250)`;

/** Bounce processing: the run's new replies (after New Reply?), one item per reminder row. */
export const NEW_REPLIES_BY_REMINDER_CODE = `// Two replies to one reminder read in one run: n8n runs each node once for all items, so both items
// carry the reminder row as loaded before either was noted, and noted one by one, the second write
// (made from that same row) dropped the first reply's ID from replyMessageIds. So: one item per
// reminder row, with all its new replies of this run, newest first (Read Mailbox reads in the order
// they arrived), each Message-ID once; Note Reply on Reminder writes them all in one go.
// invoiceReplies: the new replies of this run to any reminder of the item's invoice (levels 1 and 2
// answered in one run), newest first: Block Invoice for Reply names them all, from each item alike.
// A reply from an address the reminder was not sent to (its row's email) still pauses the invoice,
// but says so (fromOtherAddress): reminder Message-IDs can be worked out, so a third party could
// pause a customer's dunning, and the controller must see who wrote. Only the exact address counts
// as known, not its domain: a shared mail provider's domain is anybody's.
${ADDRESSES_OF}const rows = new Map();
$input.all().forEach((item, i) => {
  const reply = $('Ours? (Reply)').itemMatching(i).json;
  const id = ${replyIdOf('reply')};
  const key = ${replyKeyOf('id')};
  const row = rows.get(item.json.id) ?? { json: item.json, replies: [], newest: i };
  // A copy of a reply already taken (same Message-ID) is skipped, and so not paired with either.
  if (!row.replies.some((r) => r.key === key)) {
    const from = addressesOf(reply.bounce?.recipient)[0];
    const fromOtherAddress = !from || !addressesOf(item.json.email).includes(from);
    row.replies.unshift({ id, key, recipient: reply.bounce?.recipient ?? null, text: reply.bounce?.replyText ?? null, fromOtherAddress, at: i });
    row.newest = i;
  }
  rows.set(item.json.id, row);
});
const plain = (replies) => replies.map(({ at, ...reply }) => reply);
const invoiceOf = (row) => String(row.json.invoiceId ?? '');
const repliesOfInvoice = (invoiceId) => [...rows.values()].filter((row) => invoiceOf(row) === invoiceId).flatMap((row) => row.replies).sort((a, b) => b.at - a.at);
// Paired with the newest reply.
return [...rows.values()].map((row) => ({
  json: { ...row.json, newReplies: plain(row.replies), invoiceReplies: plain(repliesOfInvoice(invoiceOf(row))) },
  pairedItem: { item: row.newest },
}));
`;
