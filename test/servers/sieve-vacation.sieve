# away@example.test is on holiday. Sieve's vacation action (RFC 5230) answers with an RFC 3834
# auto-reply (Auto-Submitted: auto-replied, In-Reply-To/References naming the message) sent to
# the envelope sender. Like every compliant responder it stays silent for mail marked
# Auto-Submitted (our reminders are) and for mailing lists.
require ["vacation", "vacation-seconds", "variables"];

if header :matches "subject" "*" {
  set "subject" "${1}";
}
vacation :seconds 0 :subject "Abwesenheitsnotiz: ${subject}"
  "Guten Tag,

ich bin bis einschließlich 4. Januar nicht im Büro und lese meine E-Mails nicht.
In dringenden Fällen wenden Sie sich bitte an buchhaltung@example.test.

Mit freundlichen Grüßen
Erika Abwesend";
