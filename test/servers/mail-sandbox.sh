#!/usr/bin/env bash
# Mail sandbox for tests and benchmarks: Debian's Postfix and Dovecot on loopback high ports,
# with configs, certificate, maildirs, queue and logs all under one runtime folder.
#
#   bash test/servers/mail-sandbox.sh start    install if missing, (re)start, warm up
#   bash test/servers/mail-sandbox.sh stop
#   bash test/servers/mail-sandbox.sh status   exit 0 only when everything answers
#   bash test/servers/mail-sandbox.sh reset    stop and delete the runtime folder (mail included)
#
# Needs root (it installs packages and runs the daemons as their users). No systemd needed.
# Ports and users are shared contracts (see test/servers/sandbox.ts); override the runtime folder
# with MAIL_SANDBOX_DIR.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN="${MAIL_SANDBOX_DIR:-/tmp/dunning-mail-sandbox}"
# A second sandbox beside the shared one (to try a config change without disturbing running
# tests) sets MAIL_SANDBOX_DIR and MAIL_SANDBOX_PORT_OFFSET; test/servers/sandbox.ts reads both.
OFFSET="${MAIL_SANDBOX_PORT_OFFSET:-0}"
SMTP_PORT=$((10025 + OFFSET))
IMAP_PORT=$((10143 + OFFSET))
IMAPS_PORT=$((10993 + OFFSET))
LMTP_PORT=$((10024 + OFFSET))
# Nothing listens here on purpose: mail routed to it is delayed and then expires.
CLOSED_PORT=$((10029 + OFFSET))
# A second smtpd of the same Postfix playing the recipient's server for strict.example.net: its
# content filter (header_checks) refuses reminders at end of DATA with 550 5.7.1.
STRICT_PORT=$((10026 + OFFSET))
USERS=(
	"dunning@example.test:dunning-pass"
	"alice@example.test:alice-pass"
	# Receives reminders and answers them (replies, spam complaints) in the bounce-kind tests.
	"customer@example.test:customer-pass"
	# A mailbox over its Dovecot quota: LMTP refuses deliveries with 552 5.2.2.
	"full@example.test:full-pass"
	# The same, but answered as temporary (452 4.2.2): Postfix keeps trying, then gives up.
	"fulltemp@example.test:fulltemp-pass"
	# Answers every message with a Sieve vacation reply (RFC 5230, RFC 3834).
	"away@example.test:away-pass"
)

DOVECOT_CONF="$RUN/dovecot/dovecot.conf"
POSTFIX_ETC="$RUN/postfix/etc"

log() { printf '[mail-sandbox] %s\n' "$*"; }
die() { printf '[mail-sandbox] ERROR: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
	local port=$1 name=$2 i
	for i in $(seq 1 100); do
		port_open "$port" && return 0
		sleep 0.1
	done
	die "$name did not open 127.0.0.1:$port (see logs under $RUN)"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

dovecot_pid() { cat "$RUN/dovecot/run/master.pid" 2>/dev/null || true; }
postfix_pid() { awk 'NR==1{print $1}' "$RUN/postfix/queue/pid/master.pid" 2>/dev/null || true; }

install_packages() {
	local need=()
	command -v postfix >/dev/null 2>&1 || need+=(postfix)
	command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd dovecot-lmtpd)
	[ -e /usr/lib/dovecot/imap ] || need+=(dovecot-imapd)
	[ -e /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
	[ -e /usr/lib/dovecot/modules/lib90_sieve_plugin.so ] || need+=(dovecot-sieve)
	command -v openssl >/dev/null 2>&1 || need+=(openssl)
	[ ${#need[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages (${need[*]}) and not root"
	log "installing ${need[*]} (one-time)"
	echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
	echo "postfix postfix/mailname string localhost" | debconf-set-selections
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q --no-install-recommends "${need[@]}" >"/tmp/mail-sandbox-apt.log" 2>&1; then
		apt-get update -q >>"/tmp/mail-sandbox-apt.log" 2>&1
		apt-get install -y -q --no-install-recommends "${need[@]}" >>"/tmp/mail-sandbox-apt.log" 2>&1 ||
			die "apt-get install failed, see /tmp/mail-sandbox-apt.log"
	fi
}

# Per-user Dovecot settings (extra userdb fields of the passwd-file).
userdb_fields() {
	case "$1" in
	# Smaller than any message: every delivery exceeds it.
	full) echo "userdb_quota_rule=*:storage=1k" ;;
	fulltemp) echo "userdb_quota_rule=*:storage=1k userdb_quota_full_tempfail=yes" ;;
	esac
}

render() {
	# Templates use @NAME@ placeholders; values never contain '|'.
	sed -e "s|@RUN@|$RUN|g" \
		-e "s|@SMTP_PORT@|$SMTP_PORT|g" \
		-e "s|@IMAP_PORT@|$IMAP_PORT|g" \
		-e "s|@IMAPS_PORT@|$IMAPS_PORT|g" \
		-e "s|@LMTP_PORT@|$LMTP_PORT|g" \
		-e "s|@CLOSED_PORT@|$CLOSED_PORT|g" \
		-e "s|@STRICT_PORT@|$STRICT_PORT|g" \
		-e "s|@SSL_DH@|$SSL_DH|g" \
		"$1" >"$2"
}

write_configs() {
	mkdir -p "$RUN/ssl" "$RUN/dovecot/run" "$RUN/dovecot/state" "$RUN/mail" \
		"$POSTFIX_ETC" "$RUN/postfix/queue" "$RUN/postfix/data"
	chmod 755 "$RUN" "$RUN/dovecot" "$RUN/postfix"

	if [ ! -s "$RUN/ssl/cert.pem" ]; then
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
			-keyout "$RUN/ssl/key.pem" -out "$RUN/ssl/cert.pem" \
			-subj "/CN=localhost" \
			-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1 ||
			die "openssl could not make the certificate"
	fi
	chmod 644 "$RUN/ssl/cert.pem"
	chmod 600 "$RUN/ssl/key.pem"

	SSL_DH=""
	[ -s /usr/share/dovecot/dh.pem ] && SSL_DH="ssl_dh = </usr/share/dovecot/dh.pem"
	render "$HERE/dovecot.conf.template" "$DOVECOT_CONF"
	# OAuth2 logins (issue 5): an extra passdb that asks the OAuth tests' token server on :10080.
	if [ -f "$HERE/dovecot-oauth2.conf.tmpl" ]; then
		render "$HERE/dovecot-oauth2.conf.tmpl" "$RUN/dovecot/oauth2.conf"
		render "$HERE/dovecot-oauth2-passdb.ext.tmpl" "$RUN/dovecot/oauth2-passdb.conf.ext"
		printf '!include %s\n' "$RUN/dovecot/oauth2.conf" >>"$DOVECOT_CONF"
	fi
	: >"$RUN/dovecot/users"
	local u
	for u in "${USERS[@]}"; do
		local user="${u%%:*}" pass="${u#*:}"
		local dom="${user#*@}" name="${user%@*}"
		printf '%s:{PLAIN}%s:8:8::%s::%s\n' "$user" "$pass" "$RUN/mail/$dom/$name" "$(userdb_fields "$name")" >>"$RUN/dovecot/users"
		mkdir -p "$RUN/mail/$dom/$name"
	done
	cp "$HERE/sieve-vacation.sieve" "$RUN/mail/example.test/away/.dovecot.sieve"
	chown -R mail:mail "$RUN/mail"
	chmod 640 "$RUN/dovecot/users"
	chgrp dovecot "$RUN/dovecot/users" 2>/dev/null || true

	render "$HERE/postfix-main.cf.template" "$POSTFIX_ETC/main.cf"
	render "$HERE/postfix-master.cf.template" "$POSTFIX_ETC/master.cf"
	cp "$HERE/postfix-strict-header-checks.regexp" "$POSTFIX_ETC/strict-header-checks.regexp"
	chown root:root "$RUN/postfix/queue"
	chown postfix:postfix "$RUN/postfix/data"
	touch "$RUN/postfix/maillog"
}

# Asks a server to stop with its own command (else SIGTERM), waits up to 10 s, then kills it.
stop_process() {
	local pid="$1"
	shift
	pid_alive "$pid" || return 0
	"$@" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
	local i
	for i in $(seq 1 100); do
		pid_alive "$pid" || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
}

stop_dovecot() { stop_process "$(dovecot_pid)" doveadm -c "$DOVECOT_CONF" stop; }

stop_postfix() { stop_process "$(postfix_pid)" postfix -c "$POSTFIX_ETC" stop; }

# One real IMAP login per user: the first login after a start stalls for a few seconds (anvil),
# better here than inside a test's timeout.
warm_up() {
	local u user pass line
	for u in "${USERS[@]}"; do
		user="${u%%:*}" pass="${u#*:}"
		exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT" || die "IMAP port $IMAP_PORT refused the warm-up"
		IFS= read -r -t 20 line <&3 || die "no IMAP greeting"
		printf 'a LOGIN "%s" "%s"\r\n' "$user" "$pass" >&3
		while IFS= read -r -t 20 line <&3; do
			case "$line" in
			"a OK"*) break ;;
			"a "*) die "warm-up login for $user failed: $line" ;;
			esac
		done
		printf 'b LOGOUT\r\n' >&3
		exec 3>&- 3<&-
	done
}

start() {
	install_packages
	stop_postfix
	stop_dovecot
	write_configs

	dovecot -c "$DOVECOT_CONF" </dev/null >"$RUN/dovecot/start.log" 2>&1 ||
		die "dovecot did not start: $(cat "$RUN/dovecot/start.log")"
	wait_port "$IMAP_PORT" "Dovecot IMAP"
	wait_port "$IMAPS_PORT" "Dovecot IMAPS"
	wait_port "$LMTP_PORT" "Dovecot LMTP"

	postfix -c "$POSTFIX_ETC" check </dev/null >"$RUN/postfix/start.log" 2>&1 ||
		die "postfix check failed: $(cat "$RUN/postfix/start.log")"
	postfix -c "$POSTFIX_ETC" start </dev/null >>"$RUN/postfix/start.log" 2>&1 ||
		die "postfix did not start: $(cat "$RUN/postfix/start.log"; tail -20 "$RUN/postfix/maillog")"
	wait_port "$SMTP_PORT" "Postfix smtpd"
	wait_port "$STRICT_PORT" "Postfix smtpd (strict.example.net)"

	warm_up
	log "up"
	describe
}

describe() {
	cat <<EOF
[mail-sandbox] runtime folder : $RUN
[mail-sandbox] SMTP (Postfix) : 127.0.0.1:$SMTP_PORT  (no auth, STARTTLS offered)
[mail-sandbox] IMAP (Dovecot) : 127.0.0.1:$IMAP_PORT (STARTTLS), IMAPS 127.0.0.1:$IMAPS_PORT, LMTP 127.0.0.1:$LMTP_PORT
[mail-sandbox] users          : dunning@example.test / dunning-pass, alice@example.test / alice-pass,
[mail-sandbox]                  customer@, full@ (over quota: 552 5.2.2), fulltemp@ (over quota: 452 4.2.2),
[mail-sandbox]                  away@ (Sieve vacation reply)
[mail-sandbox] certificate    : $RUN/ssl/cert.pem (self-signed, localhost + 127.0.0.1)
[mail-sandbox] maildirs       : $RUN/mail/example.test/<user>/Maildir
[mail-sandbox] logs           : $RUN/postfix/maillog, $RUN/dovecot/dovecot.log
[mail-sandbox] delay/expiry   : mail to any@unreachable.example.net is deferred (closed port $CLOSED_PORT);
[mail-sandbox]                  flush one message with postqueue -c $POSTFIX_ETC -i <queue id>
[mail-sandbox] content filter : mail to any@strict.example.net with a reminder subject: 550 5.7.1 at DATA
[mail-sandbox] refused for now: alice+busy@example.test at RCPT TO: 452 4.2.2
[mail-sandbox] second domain  : any@kunden.example.test is delivered to customer@example.test
[mail-sandbox] tests          : export MAIL_SANDBOX=1
EOF
}

status() {
	local ok=0
	if pid_alive "$(dovecot_pid)"; then log "dovecot running (pid $(dovecot_pid))"; else log "dovecot NOT running"; ok=1; fi
	if pid_alive "$(postfix_pid)"; then log "postfix running (pid $(postfix_pid))"; else log "postfix NOT running"; ok=1; fi
	local p
	for p in "$SMTP_PORT" "$STRICT_PORT" "$IMAP_PORT" "$IMAPS_PORT" "$LMTP_PORT"; do
		if port_open "$p"; then log "127.0.0.1:$p open"; else log "127.0.0.1:$p CLOSED"; ok=1; fi
	done
	[ $ok = 0 ] && describe
	return $ok
}

case "${1:-}" in
start) start ;;
stop)
	stop_postfix
	stop_dovecot
	log "stopped"
	;;
status) status ;;
reset)
	stop_postfix
	stop_dovecot
	rm -rf "$RUN"
	log "removed $RUN"
	;;
*)
	echo "usage: $0 start|stop|status|reset" >&2
	exit 2
	;;
esac
