import { cleanAddress } from './delivery-status';
import { LIMITS, linesOf } from './text-bounds';

/** The fields of an RFC 5965 message/feedback-report part that matter for dunning. */
export interface FeedbackReport {
	feedbackType: string | null;
	/** Original-Rcpt-To / Removal-Recipient values, in order. */
	recipients: string[];
	userAgent: string | null;
	sourceIp: string | null;
}

export function parseFeedbackReport(text: string): FeedbackReport {
	const report: FeedbackReport = { feedbackType: null, recipients: [], userAgent: null, sourceIp: null };
	for (const line of linesOf(text.replace(/\r?\n[ \t]+/g, ' '))) {
		const m = /^([A-Za-z-]+)[ \t]*:(.*)$/.exec(line);
		if (!m) continue;
		const key = m[1].toLowerCase();
		const value = m[2].trim();
		// RFC 5965 §3.1: a token, which a comment may follow ("abuse (user clicked spam)").
		if (key === 'feedback-type' && !report.feedbackType) report.feedbackType = value.replace(/\([^()]*\)/g, ' ').trim().split(/\s/)[0].toLowerCase() || null;
		else if (key === 'original-rcpt-to' || key === 'removal-recipient') {
			const addr = cleanAddress(value);
			if (addr && addr.includes('@') && !report.recipients.includes(addr) && report.recipients.length < LIMITS.recipients) report.recipients.push(addr);
		} else if (key === 'user-agent') report.userAgent = value;
		else if (key === 'source-ip') report.sourceIp = value;
	}
	return report;
}
