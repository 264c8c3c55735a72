import { LIMITS, cut } from './text-bounds';

/**
 * Is a message without a machine-readable report a bounce at all? Delivery reports come from
 * the mail system (MAILER-DAEMON, postmaster, "Mail Delivery System"), carry telling subjects in
 * many languages, or say so in the first lines of their text.
 */
// Exchange sends its delay and non-delivery notices from the same system mailbox in every organisation
// ("Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@…>").
const SENDER_RE = /mailer-daemon|microsoftexchange329e71ec88ae4615bbc36ab6ce41109e|post_master|mail-daemon|postmaster|mail delivery (?:system|subsystem)|mailer_daemon|maildelivery|bounce|nicht.?zustellbar|e-?mail-?delivery|delivery-?(?:status|notification)/i;
const SYSTEM_RETURN_PATH = /mailer-daemon|mail-daemon|mailer_daemon|postmaster|post_master/i;
const SUBJECT_RE =
	/undeliver|undelivered|delivery (?:status|failure|failed|notification|report|problem)|failure notice|returned mail|mail delivery (?:failed|failure|problem)|returning (?:message )?to sender|mail failed|could not be delivered|not delivered|delivery (?:has )?failed|unable to deliver|non[- ]?delivery|nondeliverable|rejected|warning: message|delayed mail|delivery delayed|^delayed:|message blocked|mail system error|unzustellbar|nicht zustellbar|nicht zugestellt|zustellung verz(?:ö|oe|o)gert|zustellung fehlgeschlagen|unzustellbare|fehlgeschlagen|non[- ]remis|non distribu|échec de (?:la )?remise|no se puede entregar|no entregado|mancato recapito|mancata consegna|non recapitabile|não entregue|недоставлен|не доставлено|error al entregar|message you sent|bounced?|permanent (?:error|failure)|user unknown|unknown user|no such user|delivery notification|onbestelbaar|niet bezorgd|niedostarcz(?:on|aln)|nie można dostarczyć|olevererbar|kunde inte levereras|kan ikke leveres|kunne ikke leveres|ikke levert|ei voida toimittaa|toimittamaton|nedoručiteln|nelze doručit|kézbesíthetetlen|teslim edilemi|[iİ]letilemedi|sin entregar|fallo (?:permanente )?(?:de|en la) entrega|impossibile recapitare|recapito non riuscito|notification d'(?:é|e)tat de remise|remise (?:diff(?:é|e)r(?:é|e)e|retard(?:é|e)e)|impossible d'envoyer|αδυναμία παράδοσης|δεν παραδόθηκε|未(?:能)?(?:成功)?送达|не удается доставить|недоставляем|エラー|未達|配信(?:不能|失敗|エラー)|送信(?:できません|失敗)|退信|投递失败|无法投递|배달 못 함|전송 ?실패|配送(?:でき|エラー|失敗|不能)|발송 ?실패|반송/i;
const BODY_RE =
	/could not be delivered|couldn'?t be delivered|wasn'?t able to deliver|was not delivered|not be delivered|undeliverable|delivery (?:to the following|has failed|failed|status notification)|permanent(?:ly)? (?:fatal |delivery )?errors?|following (?:address|recipient)(?:es|s|\(es\))? (?:failed|had)|did not reach|failed addresses|(?:held|placed) in (?:the )?quarantine|in (?:die )?quarant(?:ä|ae)ne verschoben|no valid recipients|unable to deliver|returned to sender|message (?:could not|was not|wasn'?t) (?:be )?(?:sent|delivered)|mail delivery (?:system|failed)|konnte nicht (?:zugestellt|ausgeliefert)|nicht zugestellt|n'a pas (?:pu )?(?:être |été )?(?:remis|délivr)|n'a (?:pas )?pu (?:e|ê)tre (?:envoy|remis|d(?:e|é)livr)|δεν (?:ήταν δυνατή η|μπόρεσε να γίνει η) παράδοση|未能(?:成功)?送达|no (?:se )?(?:ha )?podido (?:ser )?entregad|non è stato possibile (?:recapitare|consegnare)|messaggio (?:\S+ ){0,4}non è stato (?:consegnato|recapitato)|não (?:pôde|foi possível) (?:ser )?entreg|kon niet (?:worden )?(?:bezorgd|afgeleverd)|nie (?:mogła|może|można) (?:zostać )?dostarcz|kunde inte levereras|kunne ikke leveres|ei voitu toimittaa|nemohla být doručena|не (?:может быть|удалось) достав|配信できませんでした|配送できませんでした|(?:届ける|配送する|配信する)ことが(?:でき|出来)ませんでした|送信できませんでした|届きませんでした|无法(?:投递|送达)|投递失败|邮件被退回|退信原因|전송하지 못|전송(?:이|에)? ?실패|(?:전달|발송)(?:되지|하지) 못|배달되지 않|\bxmail bounce: rcpt=|the reason of the delivery failure was|message still undelivered after|this is a warning message only/i;

/**
 * "Has not been delivered" (MailMarshal's notice, Kerio's delay warning) is also how parcel services
 * and shops write to customers: it counts only beside a returned message.
 */
const NOT_YET_DELIVERED = /\b(?:has|have) not been delivered\b/i;

const RECALL_SUBJECT = /^(?:message )?recall (?:failure|success|report)\b|^nachrichtenr(?:ü|ue)ckruf\b/i;

/** A remote server's refusal quoted in the text: "<<< 550 5.1.1 …", "550-5.7.1", "550 - Requested action …", Exchange's "Remote Server returned '550 5.1.1 …'". */
const SMTP_REPLY_RE = /(?:^|[\s:>]|\breturned '|#)[45]\d\d(?:[ -]+[45]\.\d{1,3}\.\d{1,3}|\s*(?:-\s*)?requested action|\s+(?:user unknown|unknown user|no such user|mailbox))/im;

export function looksLikeBounce(
	headers: Map<string, string[]>,
	subject: string,
	reportText: string,
	hasDsnPart: boolean,
	hasAttachedOriginal = false,
): boolean {
	if (hasDsnPart) return true;
	// Exchange marks its non-delivery reports so, whatever language their text is in.
	if (headers.has('x-failed-recipients') || headers.has('x-ms-exchange-message-is-ndr')) return true;
	const ct = headers.get('content-type')?.[0] ?? '';
	if (/multipart\/report/i.test(ct) && /delivery-status/i.test(ct)) return true;
	// Outlook's message recall reports come from the same system mailbox ("Message Recall Failure: …",
	// "Nachrichtenrückruf fehlgeschlagen: …"): about a recall, not a delivery.
	if (RECALL_SUBJECT.test(cut(subject, 1000))) return false;
	const from = `${headers.get('from')?.[0] ?? ''} ${headers.get('sender')?.[0] ?? ''}`;
	// A return path counts as a mail system's only by its mailbox: a sending service's VERP address
	// ("bounce-7781@bounces.shop.example") is a newsletter's or a parcel notice's, and reports go out
	// with the null return path (RFC 5321 §4.5.5).
	const returnPath = headers.get('return-path')?.[0] ?? '';
	const fromSystem = SENDER_RE.test(cut(from, LIMITS.headerChars)) || SYSTEM_RETURN_PATH.test(cut(returnPath, LIMITS.headerChars)) || hasNullReturnPath(headers);
	const subjectSays = SUBJECT_RE.test(cut(subject, 1000));
	const head = reportText.slice(0, 6000);
	// Notices wrap their lines anywhere, also inside "nicht\nzugestellt".
	const flat = head.replace(/\s+/g, ' ');
	const bodySays = BODY_RE.test(flat) || (fromSystem && SMTP_REPLY_RE.test(head));
	if (subjectSays && (fromSystem || bodySays)) return true;
	if (fromSystem && bodySays) return true;
	// A text that says delivery failed, with the original message returned beside it.
	if ((bodySays || NOT_YET_DELIVERED.test(flat)) && hasAttachedOriginal) return true;
	return false;
}

/** True when a text says, in one of the usual wordings, that a message could not be delivered. */
export function saysDeliveryFailed(text: string): boolean {
	return BODY_RE.test(text.slice(0, 6000).replace(/\s+/g, ' '));
}

/** `Return-Path: <>`: the message was sent with the null envelope sender that reports use (RFC 5321 §4.5.5). */
export function hasNullReturnPath(headers: Map<string, string[]>): boolean {
	return (headers.get('return-path')?.[0] ?? '').trim().endsWith('<>');
}
