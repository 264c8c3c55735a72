#!/usr/bin/env python3
"""Writes the shipped workflows (workflows/*.json) from one place, so that node names, table names and
column lists stay consistent across the five files. The JSON files are the product (users import them);
re-run this after changing it:  python3 scripts/workflows/build.py
"""
import json
import os
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PKG = 'n8n-nodes-dunning'
INVOICES = 'dunning_invoices'
REMINDERS = 'dunning_reminders'
MAILBOXES = 'dunning_mailboxes'
MAILBOX_COLUMNS = [('mailbox', 'string'), ('nextSendAt', 'number')]

INVOICE_COLUMNS = [
    ('invoiceId', 'string'), ('invoiceNumber', 'string'), ('customerId', 'string'), ('customerName', 'string'),
    ('customerType', 'string'), ('email', 'string'), ('language', 'string'), ('invoiceDate', 'string'),
    ('dueDate', 'string'), ('currency', 'string'), ('amount', 'number'), ('openAmount', 'number'),
    ('currentLevel', 'number'), ('lastDunnedAt', 'string'), ('parked', 'boolean'), ('disputed', 'boolean'),
    ('dunningBlock', 'boolean'), ('emailBlocked', 'boolean'), ('note', 'string'), ('mailbox', 'string'),
]
REMINDER_COLUMNS = [
    ('reminderKey', 'string'), ('invoiceId', 'string'), ('invoiceNumber', 'string'), ('customerId', 'string'),
    ('email', 'string'), ('language', 'string'), ('level', 'number'), ('channel', 'string'), ('status', 'string'),
    ('runId', 'string'), ('releasedAt', 'string'), ('totalDue', 'number'), ('currency', 'string'),
    ('previousLevel', 'number'), ('previousLastDunnedAt', 'string'), ('payload', 'string'),
    ('messageId', 'string'), ('sentAt', 'string'), ('attempts', 'number'), ('smtpResponse', 'string'),
    ('error', 'string'), ('bounceReason', 'string'), ('bouncedAt', 'string'), ('softBounces', 'number'),
    # claim before send (Dunning Ledger): which sender sends it, who holds it and until when
    ('mailbox', 'string'), ('claimId', 'string'), ('leaseUntil', 'number'), ('retryAfter', 'number'),
]


def nid(name):
    # Stable ids: re-running the generator gives the same file.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'n8n-nodes-dunning/' + name))


class WF:
    def __init__(self, wid, name):
        self.id, self.name = wid, name
        self.nodes, self.connections = [], {}

    def add(self, name, type_, version, x, y, parameters=None, **extra):
        node = {'parameters': parameters or {}, 'id': nid(self.id + '/' + name), 'name': name, 'type': type_,
                'typeVersion': version, 'position': [x, y]}
        node.update(extra)
        self.nodes.append(node)
        return name

    def note(self, name, x, y, w, h, text, color=None):
        p = {'content': text, 'height': h, 'width': w}
        if color:
            p['color'] = color
        return self.add(name, 'n8n-nodes-base.stickyNote', 1, x, y, p)

    def connect(self, a, b, out=0, inp=0):
        outs = self.connections.setdefault(a, {'main': []})['main']
        while len(outs) <= out:
            outs.append([])
        outs[out].append({'node': b, 'type': 'main', 'index': inp})

    def write(self, file):
        doc = {'id': self.id, 'name': self.name, 'nodes': self.nodes, 'connections': self.connections,
               'active': False, 'settings': {'executionOrder': 'v1'}, 'pinData': {}, 'tags': [],
               'meta': {'templateCredsSetupCompleted': False}}
        with open(os.path.join(ROOT, 'workflows', file), 'w') as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write('\n')


def table(name):
    return {'__rl': True, 'mode': 'name', 'value': name}


def create_table(name, columns):
    return {'resource': 'table', 'operation': 'create', 'tableName': name,
            'columns': {'column': [{'name': n, 'type': t} for n, t in columns]},
            'options': {'createIfNotExists': True}}


def cond(key, value, condition='eq'):
    c = {'keyName': key, 'condition': condition}
    if value is not None:
        c['keyValue'] = value
    return c


def update(tbl, conditions, values, match='allConditions'):
    return {'operation': 'update', 'dataTableId': table(tbl), 'matchType': match,
            'filters': {'conditions': conditions},
            'columns': {'mappingMode': 'defineBelow', 'value': values, 'matchingColumns': [], 'schema': [],
                        'attemptToConvertTypes': False, 'convertFieldsToString': False},
            'options': {}}


def assign(pairs):
    out = []
    for name, value, typ in pairs:
        out.append({'id': nid('assign/' + name + str(value)), 'name': name, 'value': value, 'type': typ})
    return {'assignments': out}


def set_node(pairs, keep_only=True):
    p = {'assignments': assign(pairs), 'options': {}}
    if not keep_only:
        p['includeOtherFields'] = True
    return p


SMTP_CRED = {'dunningSmtpApi': {'id': 'dunning-smtp', 'name': 'Dunning Mailbox (SMTP)'}}
IMAP_CRED = {'dunningImapApi': {'id': 'dunning-imap', 'name': 'Dunning Mailbox (IMAP)'}}

# Shop-like defaults on top of the node's own (3 stages, 7 days apart): skip tiny amounts, and
# invoices older than a year.
COMPUTE_PARAMS = {'rules': {'minOpenAmount': 5, 'salesWindowDays': 365}}

TODAY = "={{ $now.setZone('Europe/Berlin').toFormat('yyyy-MM-dd') }}"


def reminder_row_pairs(status):
    return [
        ('reminderKey', "={{ $json.invoiceId }}#{{ $json.dunning.level }}#" + ('email' if status == 'released' else 'paper'), 'string'),
        ('invoiceId', '={{ $json.invoiceId }}', 'string'),
        ('invoiceNumber', "={{ $json.invoiceNumber ?? '' }}", 'string'),
        ('customerId', "={{ $json.customerId ?? '' }}", 'string'),
        ('email', "={{ $json.email ?? '' }}", 'string'),
        ('language', "={{ $json.language ?? '' }}", 'string'),
        ('level', '={{ $json.dunning.level }}', 'number'),
        ('channel', 'email' if status == 'released' else 'paper', 'string'),
        ('status', status, 'string'),
        ('runId', "=run-{{ $execution.id }}", 'string'),
        ('releasedAt', '={{ $now.toISO() }}', 'string'),
        ('totalDue', '={{ $json.dunning.totalDue }}', 'number'),
        ('currency', '={{ $json.dunning.currency }}', 'string'),
        ('previousLevel', '={{ $json.dunning.previousLevel }}', 'number'),
        ('previousLastDunnedAt', "={{ $json.lastDunnedAt ?? '' }}", 'string'),
        ('payload', '={{ JSON.stringify($json) }}', 'string'),
        ('mailbox', "={{ $json.mailbox || 'default' }}", 'string'),
        ('claimId', '', 'string'),
        ('leaseUntil', 0, 'number'),
        ('retryAfter', 0, 'number'),
    ]


SUMMARY_CODE = r"""// One item that sums up this run: how many invoices were decided which way, per level and reason,
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
for (let run = 0; run < 2; run++) {
  try {
    for (const item of $('Release Reminder').all(0, run)) {
      if (item.json.status === 'released') released++;
      if (item.json.status === 'paper') paperQueued++;
    }
  } catch (error) {
    // fewer runs of that node (nothing new to release on one of the branches)
  }
}
return [{
  json: {
    invoices: decisions.length,
    byAction: count((d) => d.dunning.action),
    byLevel: count((d) => `${d.dunning.action} level ${d.dunning.level}`),
    byReason: count((d) => d.dunning.reason ?? 'send'),
    releasedForEmail: released,
    queuedForPaper: paperQueued,
    decisions: decisions.map((d) => ({
      invoiceId: d.invoiceId,
      action: d.dunning.action,
      level: d.dunning.level,
      reason: d.dunning.reason,
      totalDue: d.dunning.totalDue,
    })),
  },
}];
"""


def release_chain(wf, source, x, y, summary_from=None):
    """Send/Paper outputs of Compute -> rows in the reminders table, once per (invoice, level, channel)."""
    email = wf.add('Release for Email', 'n8n-nodes-base.set', 3.4, x, y - 100, set_node(reminder_row_pairs('released')))
    paper = wf.add('Queue Paper Letter', 'n8n-nodes-base.set', 3.4, x, y + 100, set_node(reminder_row_pairs('paper')))
    wf.connect(source, email, 0)
    wf.connect(source, paper, 1)
    once = wf.add('Not Released Yet', 'n8n-nodes-base.dataTable', 1.1, x + 240, y, {
        'operation': 'rowNotExists', 'dataTableId': table(REMINDERS),
        'filters': {'conditions': [cond('reminderKey', '={{ $json.reminderKey }}')]}})
    wf.connect(email, once)
    wf.connect(paper, once)
    ins = wf.add('Release Reminder', 'n8n-nodes-base.dataTable', 1.1, x + 480, y, {
        'resource': 'row', 'operation': 'insert', 'dataTableId': table(REMINDERS),
        'columns': {'mappingMode': 'autoMapInputData', 'value': {}, 'matchingColumns': [], 'schema': [],
                    'attemptToConvertTypes': False, 'convertFieldsToString': False},
        'options': {}})
    wf.connect(once, ins)
    is_paper = wf.add('Paper Letter?', 'n8n-nodes-base.if', 2.2, x + 720, y, {
        'conditions': {'options': {'caseSensitive': True, 'leftValue': '', 'typeValidation': 'loose', 'version': 2},
                       'conditions': [{'id': nid('paper-cond'), 'leftValue': '={{ $json.status }}', 'rightValue': 'paper',
                                       'operator': {'type': 'string', 'operation': 'equals'}}],
                       'combinator': 'and'},
        'looseTypeValidation': True, 'options': {}})
    wf.connect(ins, is_paper)
    adv = wf.add('Advance Level (Paper)', 'n8n-nodes-base.dataTable', 1.1, x + 960, y - 60,
                 update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')],
                        {'currentLevel': '={{ $json.level }}', 'lastDunnedAt': TODAY}))
    wf.connect(is_paper, adv, 0)
    return ins


# ---------------------------------------------------------------------------------------------------
def dunning_run():
    wf = WF('dunningRun00001', 'Dunning run: release reminders')
    wf.note('Note: Overview', -460, -300, 520, 460, """## Dunning run
Runs every weekday at 09:00 (or when you click **Execute workflow**) and **releases** reminders; it sends nothing itself. The workflow **Send released reminders** sends them one by one within your mailbox's budget.

1. **Ensure … Table** create the Data Tables `dunning_invoices` and `dunning_reminders` the first time (and reuse them afterwards). Fill `dunning_invoices` with your open invoices, or replace that node (see the blue note).
2. **Load Open Invoices** reads the Data Table `dunning_invoices` (columns: invoiceId, invoiceNumber, customerId, customerName, customerType, email, language, invoiceDate, dueDate, currency, amount, openAmount, currentLevel, lastDunnedAt, parked, disputed, dunningBlock, emailBlocked).
3. **Compute Dunning Level** decides per invoice: Send, Paper or No Action, with fees and interest. Set your stages there.
4. Each decision is written once per invoice, level and channel into `dunning_reminders` with status `released` (email) or `paper` (a letter to print; the invoice's level moves on at once).
5. **Run Summary** returns one item with counts per action, level and reason.""")
    wf.note('Note: Your invoices', 80, -300, 520, 260, """### Where do your invoices come from?
By default from the n8n Data Table `dunning_invoices` (Overview → Data tables). To use your own system instead, replace **Load Open Invoices** with:
- **Postgres / MySQL** node: `SELECT ... FROM invoices WHERE open_amount > 0`
- **Google Sheets** node: *Get rows* of your open-items sheet
- **HTTP Request** node: your ERP's open-items API

Map your column names in Compute Dunning Level → *Field Names* if they differ. Write the new level back to your system where this workflow updates `dunning_invoices`.""", color=5)
    sched = wf.add('Every Weekday at 09:00', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 200, {
        'rule': {'interval': [{'field': 'cronExpression', 'expression': '0 9 * * 1-5'}]}})
    manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 400)
    ensure_inv = wf.add('Ensure Invoices Table', 'n8n-nodes-base.dataTable', 1.1, -160, 300, create_table(INVOICES, INVOICE_COLUMNS))
    wf.connect(sched, ensure_inv)
    wf.connect(manual, ensure_inv)
    ensure = wf.add('Ensure Reminders Table', 'n8n-nodes-base.dataTable', 1.1, 60, 300, create_table(REMINDERS, REMINDER_COLUMNS))
    wf.connect(ensure_inv, ensure)
    load = wf.add('Load Open Invoices', 'n8n-nodes-base.dataTable', 1.1, 280, 200, {
        'operation': 'get', 'dataTableId': table(INVOICES), 'returnAll': True}, alwaysOutputData=False)
    wf.connect(ensure, load)
    compute = wf.add('Compute Dunning Level', PKG + '.computeDunningLevel', 1, 500, 200, COMPUTE_PARAMS)
    wf.connect(load, compute)
    release_chain(wf, compute, 760, 200)
    summary = wf.add('Run Summary', 'n8n-nodes-base.code', 2, 280, 480, {'jsCode': SUMMARY_CODE})
    # A second branch below the first: with execution order v1 it runs after the whole decision branch.
    wf.connect(ensure, summary)
    wf.write('dunning-run.json')


PICK_CODE = r"""// As many of the loaded reminders as this execution has sending slots, oldest first.
const slots = $('Plan Sending Slots').first().json.slotCount;
return $('Load Released Reminders').all().slice(0, slots).map((item) => ({ json: item.json }));
"""


def send_released():
    wf = WF('sendReleased0001', 'Send released reminders')
    wf.note('Note: Overview', -460, -520, 560, 640, """## Send released reminders
Ticks every minute (or when you click **Execute workflow**) and sends the **oldest released reminders** of one mailbox whose sending slot falls into this tick, one by one, from your own mailbox. Nothing runs for long, a restart loses nothing, and the pace holds across restarts, overlapping executions and queue-mode workers.

1. **Settings**: `mailbox` names the mailbox this sender sends for (reminders carry it from the invoice's `mailbox` column; `default` when empty). `minSecondsBetween` is the pause between two mails of this mailbox (60 s or more is safe with Microsoft 365, Gmail and most hosters). `tickSeconds` is how often this workflow runs; `leaseMinutes` how long a claim holds.
2. **Give Back Expired Claims** / **Requeue Due Reminders** release reminders whose sender died (after the lease) and deferred ones that are due.
3. **Plan Sending Slots** and **Reserve Pace** take this tick's slots from the mailbox's row in `dunning_mailboxes`: one pace per mailbox, kept across all executions. Nothing may be sent: the execution ends at once.
4. **Claim Reminder** moves each reminder from `released` to `sending` for this execution only, so overlapping executions never send one twice.
5. **Send Reminder Email** sends each one at its slot. Pick your **Dunning Mailbox (SMTP)** credential there.
6. **Record Delivery** writes status, Message-ID and time back: `sent`, `failed` (address refused), `deferred` (tried again later), `paper`; reminders not sent go back to `released`.
7. **Advance Invoice Level** sets the invoice's `currentLevel` and `lastDunnedAt` once a reminder is sent.

**Several mailboxes**: duplicate this workflow once per mailbox, set `mailbox` in Settings and that mailbox's credential in Send Reminder Email.

Activate the workflow to let it tick.""")
    wf.note('Note: Mailbox', 120, -360, 420, 220, """### Mailbox set-up
Create the credential **Dunning Mailbox (SMTP)**: host, port (465 = SSL/TLS, 587 = STARTTLS), user, password, sender address and name. Test it with the workflow **Mailbox check** before the first run.

If the mailbox cannot be reached or refuses the login, the run stops with an error that says what to fix, and no reminder is lost.""", color=5)
    sched = wf.add('Every Minute', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 260, {
        'rule': {'interval': [{'field': 'minutes', 'minutesInterval': 1}]}})
    manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460)
    settings = wf.add('Settings', 'n8n-nodes-base.set', 3.4, -160, 360, set_node([
        ('mailbox', 'default', 'string'),
        ('minSecondsBetween', 60, 'number'),
        ('tickSeconds', 60, 'number'),
        ('leaseMinutes', 15, 'number'),
    ]))
    wf.connect(sched, settings)
    wf.connect(manual, settings)
    s = "$('Settings').first().json"
    mailbox = cond('mailbox', '={{ ' + s + '.mailbox }}')
    ensure = wf.add('Ensure Mailboxes Table', 'n8n-nodes-base.dataTable', 1.1, 60, 360,
                    create_table(MAILBOXES, MAILBOX_COLUMNS), executeOnce=True)
    wf.connect(settings, ensure)
    # Claims of executions that died (worker killed, n8n restarted) come back when their lease ends.
    expired = wf.add('Give Back Expired Claims', 'n8n-nodes-base.dataTable', 1.1, 280, 360,
                     update(REMINDERS, [mailbox, cond('status', 'sending'), cond('leaseUntil', '={{ Date.now() }}', 'lt')],
                            {'status': 'released', 'claimId': ''}), executeOnce=True, alwaysOutputData=True)
    wf.connect(ensure, expired)
    due = wf.add('Requeue Due Reminders', 'n8n-nodes-base.dataTable', 1.1, 500, 360,
                 update(REMINDERS, [mailbox, cond('status', 'deferred'), cond('retryAfter', '={{ Date.now() }}', 'lte')],
                        {'status': 'released', 'claimId': ''}), executeOnce=True, alwaysOutputData=True)
    wf.connect(expired, due)
    load = wf.add('Load Released Reminders', 'n8n-nodes-base.dataTable', 1.1, 720, 360, {
        'operation': 'get', 'dataTableId': table(REMINDERS), 'matchType': 'allConditions',
        'filters': {'conditions': [mailbox, cond('status', 'released')]},
        'returnAll': False,
        'limit': '={{ Math.min(500, Math.ceil(' + s + '.tickSeconds / Math.max(0.1, ' + s + '.minSecondsBetween))) }}',
        'orderBy': True, 'orderByColumn': 'createdAt', 'orderByDirection': 'ASC'}, executeOnce=True)
    wf.connect(due, load)
    pace = wf.add('Load Pace', 'n8n-nodes-base.dataTable', 1.1, 940, 360, {
        'operation': 'get', 'dataTableId': table(MAILBOXES), 'matchType': 'allConditions',
        'filters': {'conditions': [mailbox]}, 'returnAll': False, 'limit': 1,
        'orderBy': True, 'orderByColumn': 'createdAt', 'orderByDirection': 'ASC'}, executeOnce=True, alwaysOutputData=True)
    wf.connect(load, pace)
    name, params = not_empty_filter('Pace Row Exists?', '={{ $json.mailbox }}', 0, 0)
    exists = wf.add(name, 'n8n-nodes-base.if', 2.2, 1160, 360, params)
    wf.connect(pace, exists)
    create = wf.add('Create Pace Row', 'n8n-nodes-base.dataTable', 1.1, 1380, 480, {
        'resource': 'row', 'operation': 'insert', 'dataTableId': table(MAILBOXES),
        'columns': {'mappingMode': 'defineBelow', 'value': {'mailbox': '={{ ' + s + '.mailbox }}', 'nextSendAt': 0},
                    'matchingColumns': [], 'schema': [], 'attemptToConvertTypes': False, 'convertFieldsToString': False},
        'options': {}})
    wf.connect(exists, create, 1)
    plan = wf.add('Plan Sending Slots', PKG + '.dunningPace', 1, 1600, 360, {
        'nextSendAt': '={{ $json.nextSendAt ?? 0 }}',
        'waiting': "={{ $('Load Released Reminders').all().length }}",
        'minSecondsBetween': '={{ ' + s + '.minSecondsBetween }}',
        'tickSeconds': '={{ ' + s + '.tickSeconds }}'})
    wf.connect(exists, plan, 0)
    wf.connect(create, plan)
    # Only the execution whose update still finds the value it read may use these slots.
    reserve = wf.add('Reserve Pace', 'n8n-nodes-base.dataTable', 1.1, 1820, 360,
                     update(MAILBOXES, [mailbox, cond('nextSendAt', '={{ $json.expectedNextSendAt }}')],
                            {'nextSendAt': '={{ $json.nextSendAt }}'}))
    wf.connect(plan, reserve)
    pick = wf.add('One Reminder per Slot', 'n8n-nodes-base.code', 2, 2040, 360, {'jsCode': PICK_CODE})
    wf.connect(reserve, pick)
    # released -> sending with this execution's id: of two executions, only one update matches.
    claim = wf.add('Claim Reminder', 'n8n-nodes-base.dataTable', 1.1, 2260, 360,
                   update(REMINDERS, [cond('id', '={{ $json.id }}'), cond('status', 'released')], {
                       'status': 'sending', 'claimId': '={{ $execution.id }}',
                       'leaseUntil': '={{ Date.now() + ' + s + '.leaseMinutes * 60000 }}'}))
    wf.connect(pick, claim)
    restore = wf.add('Restore Reminder', 'n8n-nodes-base.set', 3.4, 2480, 360, {
        'mode': 'raw', 'options': {},
        'jsonOutput': "={{ { ...JSON.parse($json.payload), reminderKey: $json.reminderKey, claim: { rowId: $json.id, id: $json.claimId, "
                      "leaseUntil: $json.leaseUntil, ...$('Plan Sending Slots').first().json.slots[$itemIndex] } } }}"})
    wf.connect(claim, restore)
    send = wf.add('Send Reminder Email', PKG + '.sendReminderEmail', 1, 2700, 360, {
        'minSecondsBetween': '={{ ' + s + '.minSecondsBetween }}',
        'maxPerRun': 0}, credentials=SMTP_CRED)
    wf.connect(restore, send)
    record = wf.add('Record Delivery', 'n8n-nodes-base.dataTable', 1.1, 2920, 360,
                    update(REMINDERS, [cond('id', '={{ $json.claim.rowId }}'), cond('claimId', '={{ $json.claim.id }}')], {
                        'status': "={{ ['sent', 'failed', 'paper', 'deferred'].includes($json.delivery.status) ? $json.delivery.status : 'released' }}",
                        'messageId': "={{ $json.delivery.messageId ?? '' }}",
                        'sentAt': "={{ $json.delivery.sentAt ?? '' }}",
                        'attempts': '={{ $json.delivery.attempts }}',
                        'smtpResponse': "={{ $json.delivery.smtpResponse ?? '' }}",
                        'error': "={{ $json.delivery.error ?? '' }}",
                        'leaseUntil': 0,
                        # An outcome-unknown reminder waits until its claim would have ended.
                        'retryAfter': "={{ $json.delivery.reason === 'outcomeUnknown' ? $json.claim.leaseUntil : Date.now() }}",
                    }))
    wf.connect(send, record)
    is_sent = wf.add('Sent?', 'n8n-nodes-base.if', 2.2, 3140, 360, {
        'conditions': {'options': {'caseSensitive': True, 'leftValue': '', 'typeValidation': 'loose', 'version': 2},
                       'conditions': [{'id': nid('sent-cond'), 'leftValue': '={{ $json.status }}', 'rightValue': 'sent',
                                       'operator': {'type': 'string', 'operation': 'equals'}}],
                       'combinator': 'and'},
        'looseTypeValidation': True, 'options': {}})
    wf.connect(record, is_sent)
    adv = wf.add('Advance Invoice Level', 'n8n-nodes-base.dataTable', 1.1, 3360, 300,
                 update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')],
                        {'currentLevel': '={{ $json.level }}', 'lastDunnedAt': TODAY}))
    wf.connect(is_sent, adv, 0)
    wf.write('send-released.json')


def not_empty_filter(name, left, x, y, extra=None):
    conds = [{'id': nid(name + '/1'), 'leftValue': left, 'rightValue': '',
              'operator': {'type': 'string', 'operation': 'notEmpty', 'singleValue': True}}]
    return name, {'conditions': {'options': {'caseSensitive': True, 'leftValue': '', 'typeValidation': 'loose', 'version': 2},
                                 'conditions': conds, 'combinator': 'and'},
                  'looseTypeValidation': True, 'options': {}}


BOUNCE_SUMMARY_CODE = r"""// One item per run: how many messages were read and how the bounces among them were handled.
const count = (index) => { try { return $('Classify Bounce').all(index).length; } catch (e) { return 0; } };
const rows = (name) => { try { return $(name).all().filter((i) => i.json.id !== undefined).map((i) => i.json); } catch (e) { return []; } };
// Move Bounce runs once for hard and once for soft bounces.
const everyRun = (name) => {
  const out = [];
  for (let run = 0; run < 10; run++) {
    try { const items = $(name).all(0, run); if (!items.length) break; out.push(...items); } catch (e) { break; }
  }
  return out;
};
const bounced = rows('Mark Reminder Bounced');
return [{
  json: {
    messagesRead: $('Read Mailbox').all().length,
    hardBounces: count(0),
    softBounces: count(1),
    other: count(2),
    remindersBounced: bounced.map((r) => ({ invoiceId: r.invoiceId, level: r.level, email: r.email, reason: r.bounceReason })),
    customersBlocked: [...new Set(bounced.map((r) => r.customerId))],
    softBouncesNoted: rows('Note Soft Bounce').length,
    bouncesMoved: everyRun('Move Bounce').filter((i) => i.json.move?.status === 'moved').length,
  },
}];
"""


def bounce_processing():
    wf = WF('bounceProcess001', 'Bounce processing')
    wf.note('Note: Overview', -460, -260, 560, 440, """## Bounce processing
Every 15 minutes (or on **Execute workflow**) reads the sender mailbox and feeds undeliverable reminders back:

1. **Read Mailbox** reads messages that arrived since the last run from the mailbox of your **Dunning Mailbox (IMAP)** credential (the mailbox reminders are sent from: bounces come back there).
2. **Classify Bounce** recognises delivery reports (DSN) and their reason; outputs **Hard**, **Soft**, **Other** (replies, auto-replies).
3. **Hard bounce** (e.g. user unknown): the reminder in `dunning_reminders` becomes `bounced`; every invoice of that customer gets `emailBlocked = true`; the invoice goes back to the level it had before, because the reminder never reached anyone. The next **Dunning run** therefore puts that reminder **on paper**.
4. **Soft bounce** (e.g. mailbox full): noted on the reminder; nothing is blocked.

Bounces are matched by the reminder's own Message-ID, so a bounce is processed once even if it is read again.""")
    wf.note('Note: After reading', 120, -260, 460, 200, """### What happens to the messages?
**Read Mailbox** leaves every message where it is (*After Reading: Do Nothing*) and remembers where it stopped, so customers' replies stay in your inbox.

**Move Bounce** then moves only the bounces of our reminders to `Dunning/Bounces` (created if missing). Change the folder there, or delete the node to keep bounces in the inbox.""", color=5)
    sched = wf.add('Every 15 Minutes', 'n8n-nodes-base.scheduleTrigger', 1.2, -400, 260, {
        'rule': {'interval': [{'field': 'minutes', 'minutesInterval': 15}]}})
    manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460)
    read = wf.add('Read Mailbox', PKG + '.readMailbox', 1, -160, 360, {
        'folder': '', 'mode': 'sinceUid', 'firstRun': 'all', 'maxMessages': 200, 'postAction': 'none', 'options': {}},
        credentials=IMAP_CRED)
    wf.connect(sched, read)
    wf.connect(manual, read)
    classify = wf.add('Classify Bounce', PKG + '.classifyBounce', 1, 60, 260, {'source': 'binary', 'binaryPropertyName': 'data'})
    wf.connect(read, classify)
    name, params = not_empty_filter('Ours? (Hard)', '={{ $json.bounce.originalMessageId }}', 0, 0)
    ours_hard = wf.add(name, 'n8n-nodes-base.filter', 2.2, 300, 140, params)
    wf.connect(classify, ours_hard, 0)
    name, params = not_empty_filter('Ours? (Soft)', '={{ $json.bounce.originalMessageId }}', 0, 0)
    ours_soft = wf.add(name, 'n8n-nodes-base.filter', 2.2, 300, 380, params)
    wf.connect(classify, ours_soft, 1)
    # Only reminders still `sent` change: a bounce read a second time finds nothing to do.
    bounced = wf.add('Mark Reminder Bounced', 'n8n-nodes-base.dataTable', 1.1, 540, 140,
                     update(REMINDERS, [cond('messageId', '={{ $json.bounce.originalMessageId }}'), cond('status', 'sent')], {
                         'status': 'bounced',
                         'bounceReason': "={{ $json.bounce.reason }}{{ $json.bounce.status ? ' (' + $json.bounce.status + ')' : '' }}",
                         'bouncedAt': '={{ $now.toISO() }}',
                     }))
    wf.connect(ours_hard, bounced)
    block = wf.add('Block Customer Email', 'n8n-nodes-base.dataTable', 1.1, 800, 60,
                   update(INVOICES, [cond('customerId', '={{ $json.customerId }}')], {'emailBlocked': True}))
    wf.connect(bounced, block)
    reset = wf.add('Take Back Level', 'n8n-nodes-base.dataTable', 1.1, 800, 240,
                   update(INVOICES, [cond('invoiceId', '={{ $json.invoiceId }}')], {
                       'currentLevel': '={{ $json.previousLevel }}', 'lastDunnedAt': '={{ $json.previousLastDunnedAt }}'}))
    wf.connect(bounced, reset)
    soft = wf.add('Note Soft Bounce', 'n8n-nodes-base.dataTable', 1.1, 540, 380,
                  update(REMINDERS, [cond('messageId', '={{ $json.bounce.originalMessageId }}'), cond('status', 'sent')], {
                      'bounceReason': "=soft: {{ $json.bounce.reason }}", 'bouncedAt': '={{ $now.toISO() }}'}))
    wf.connect(ours_soft, soft)
    move = wf.add('Move Bounce', PKG + '.readMailbox', 1, 540, 600, {
        'operation': 'move', 'toFolder': 'Dunning/Bounces', 'createFolder': True, 'options': {}},
        credentials=IMAP_CRED)
    wf.connect(ours_hard, move)
    wf.connect(ours_soft, move)
    summary = wf.add('Bounce Summary', 'n8n-nodes-base.code', 2, -160, 600, {'jsCode': BOUNCE_SUMMARY_CODE})
    wf.connect(read, summary)
    wf.write('bounce-processing.json')


MAILBOX_CHECK_CODE = r"""// Did the test mail come back? Compares the Message-ID that was sent with what the mailbox holds.
const sent = $('Send Test Mail').first().json;
const messageId = sent.delivery && sent.delivery.messageId;
const found = $('Read Mailbox').all().find((i) => i.json.messageId === messageId);
if (!found) {
  throw new Error(`The test mail ${messageId} was sent (${sent.delivery.smtpResponse}) but did not arrive in the mailbox within the wait. Check the IMAP credential (user, folder) and that the test address is this mailbox.`);
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
"""


def mailbox_check():
    wf = WF('mailboxCheck0001', 'Mailbox check')
    wf.note('Note: Overview', -460, -220, 520, 360, """## Mailbox check
Run this once after setting up a new mailbox (click **Execute workflow**): it sends a test mail to the address in **Settings** and reads it back over IMAP.

- Set **testRecipient** to the address of the mailbox itself (the one in your IMAP credential).
- Pick your **Dunning Mailbox (SMTP)** credential in **Send Test Mail** and your **Dunning Mailbox (IMAP)** credential in **Read Mailbox**.
- Success: the last node shows `ok: true` with the server's reply. Failure: the node that failed says what to fix (host, port, TLS, login, sender address).

Nothing is marked, moved or deleted in the mailbox.""")
    manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 200)
    settings = wf.add('Settings', 'n8n-nodes-base.set', 3.4, -180, 200, set_node([('testRecipient', 'dunning@example.test', 'string')]))
    wf.connect(manual, settings)
    send = wf.add('Send Test Mail', PKG + '.sendReminderEmail', 1, 40, 200, {
        'operation': 'sendTestMail', 'testRecipient': '={{ $json.testRecipient }}'}, credentials=SMTP_CRED)
    wf.connect(settings, send)
    wait = wf.add('Wait for Delivery', 'n8n-nodes-base.wait', 1.1, 260, 200, {'resume': 'timeInterval', 'amount': 3, 'unit': 'seconds'})
    wf.connect(send, wait)
    read = wf.add('Read Mailbox', PKG + '.readMailbox', 1, 480, 200, {
        'folder': '', 'mode': 'unseen', 'firstRun': 'all', 'maxMessages': 0, 'postAction': 'none', 'options': {}},
        credentials=IMAP_CRED)
    wf.connect(wait, read)
    check = wf.add('Check Result', 'n8n-nodes-base.code', 2, 700, 200, {'jsCode': MAILBOX_CHECK_CODE})
    wf.connect(read, check)
    wf.write('mailbox-check.json')


def dunning_run_webhook():
    wf = WF('dunningRunHook01', 'Dunning run (webhook from your ERP)')
    wf.note('Note: Overview', -460, -420, 560, 560, """## Dunning run pushed by your ERP
Your ERP (or any system) POSTs its open invoices as JSON to this workflow's **production URL** (shown in the Webhook node once the workflow is active):

```json
{ "invoices": [ { "invoiceId": "4711", "email": "ap@customer.example", "language": "de", "dueDate": "2026-01-31", "openAmount": 119.0, "currentLevel": 0, "customerType": "business" } ] }
```

The answer lists the decision per invoice (`send`, `paper`, `none` with reason, level, fees, interest, total). Reminders to send are **released** into the Data Table `dunning_reminders` exactly as in **Dunning run** (once per invoice, level and channel); **Send released reminders** sends them.

Your ERP keeps the dunning level: store `level` from the answer when a reminder has gone out (see the reminders table), and send it back as `currentLevel` next time.""")
    wf.note('Note: Security', 140, -460, 420, 260, """### Protect the webhook
Set **Authentication** in the Webhook node (Header Auth with a long random token is simplest) before you activate the workflow, and give the token to your ERP.""", color=3)
    hook = wf.add('Webhook', 'n8n-nodes-base.webhook', 2, -400, 260, {
        'httpMethod': 'POST', 'path': 'dunning-run', 'responseMode': 'responseNode', 'options': {}},
        webhookId=nid('dunning-run-webhook'))
    manual = wf.add('Manual Trigger', 'n8n-nodes-base.manualTrigger', 1, -400, 460)
    example = wf.add('Example Invoices', 'n8n-nodes-base.set', 3.4, -180, 460, {
        'mode': 'raw', 'options': {},
        'jsonOutput': json.dumps({'body': {'invoices': [
            {'invoiceId': 'EX-1', 'invoiceNumber': 'RE-EX-1', 'customerId': 'EX', 'customerName': 'Example GmbH',
             'customerType': 'business', 'email': 'alice+example@example.test', 'language': 'de',
             'dueDate': '2026-01-15', 'openAmount': 250, 'currentLevel': 0},
        ]}}, indent=2)})
    wf.connect(manual, example)
    ensure = wf.add('Ensure Reminders Table', 'n8n-nodes-base.dataTable', 1.1, 40, 360, create_table(REMINDERS, REMINDER_COLUMNS))
    wf.connect(hook, ensure)
    wf.connect(example, ensure)
    invoices = wf.add('Invoices from Request', 'n8n-nodes-base.code', 2, 260, 260, {'jsCode': r"""// The request body (or, for a manual run, the example) → one item per invoice.
const first = $('Webhook').isExecuted ? $('Webhook').first().json : $('Example Invoices').first().json;
const body = first.body ?? {};
const invoices = Array.isArray(body) ? body : body.invoices;
if (!Array.isArray(invoices)) throw new Error('The request body must be {"invoices": [...]} or an array of invoices');
return invoices.map((json) => ({ json }));
"""})
    wf.connect(ensure, invoices)
    compute = wf.add('Compute Dunning Level', PKG + '.computeDunningLevel', 1, 480, 260, COMPUTE_PARAMS)
    wf.connect(invoices, compute)
    release_chain(wf, compute, 740, 260)
    summary = wf.add('Run Summary', 'n8n-nodes-base.code', 2, 260, 640, {'jsCode': SUMMARY_CODE})
    wf.connect(ensure, summary)
    respond = wf.add('Respond with Decisions', 'n8n-nodes-base.respondToWebhook', 1.1, 480, 640, {
        'respondWith': 'json', 'responseBody': '={{ JSON.stringify($json) }}', 'options': {}})
    wf.connect(summary, respond)
    wf.write('dunning-run-webhook.json')


if __name__ == '__main__':
    dunning_run()
    send_released()
    bounce_processing()
    mailbox_check()
    dunning_run_webhook()
