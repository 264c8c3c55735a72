/**
 * Public mailbox providers: a domain shared by millions of unrelated people, so that two addresses
 * in it say nothing about one organisation (our merchant on gmx.de and a customer on gmx.de), and
 * whose abuse desks report about their own users.
 */
const MAILBOX_PROVIDER =
	/@(?:[a-z0-9-]{1,63}\.)?(?:(?:hotmail|outlook|live|msn)\.[a-z]{2,3}(?:\.[a-z]{2})?|g(?:oogle)?mail\.com|icloud\.com|me\.com|mac\.com|proton(?:mail)?\.(?:me|com|ch)|t-online\.de|magenta\.de|freenet\.de|bluewin\.ch|gmx\.(?:de|net|at|ch|com|eu)|web\.de|online\.de|posteo\.(?:de|net)|mailbox\.org|mail\.de|email\.de|arcor\.de|vodafonemail\.de|ewetel\.net|netcologne\.de|kabelmail\.de|unitybox\.de|mnet-online\.de|tuta(?:nota)?\.(?:de|com|io)|zoho\.(?:com|eu)|yahoo\.[a-z]{2,3}(?:\.[a-z]{2})?|(?:ymail|rocketmail)\.com|aol\.(?:com|de)|comcast\.net|mail\.ru|yandex\.ru|orange\.fr|free\.fr|laposte\.net|libero\.it|seznam\.cz|wp\.pl|onet\.pl|interia\.pl)$/i;

export function isMailboxProvider(address: string): boolean {
	return MAILBOX_PROVIDER.test(address);
}
