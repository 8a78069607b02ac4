#!/bin/sh
# Smoke test of a built image, run by `make image` as root on the build host.
#
#   deploy/smoke.sh IMAGE
#
# `podman run` is refused on hosts whose cgroups crun cannot drive (hybrid v1), so this
# mounts the image's filesystem (`podman image mount`) and starts its entry point under
# chroot, as the image's user and with the image's environment plus the settings below:
#   1. `meetops migrate` on a fresh SQLite database in the data volume
#   2. the web role answers GET /healthz with 200 and serves the login page and htmx
#   3. the image's health check passes for web and for worker
#   4. a mail queued in the outbox is sent by the worker role to an SMTP sink
#   5. a PDF drawn by WeasyPrint embeds MeetOps's own Noto Sans SC for the name the print
#      styles use (the base has no CJK font package: the face must come from the wheel)
set -eu

IMAGE=${1:?usage: deploy/smoke.sh IMAGE}
HERE=$(cd "$(dirname "$0")" && pwd)
# The SMTP sink runs on the host, with the project's virtualenv (it has aiosmtpd).
HOST_PYTHON=${SMOKE_PYTHON:-$HERE/../.venv/bin/python}

say() { echo "smoke: $*"; }
fail() { echo "smoke: FAILED: $*" >&2; for f in "$work"/*.log; do echo "--- $f" >&2; tail -n 30 "$f" >&2; done; exit 1; }
free_port() { "$HOST_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

work=$(mktemp -d /var/tmp/meetops-smoke.XXXXXX)
mnt=""
pids=""
# in_chroot: the processes started inside the mounted image (the server and its workers
# are children of chroot, so their pids are not the ones `$!` gives).
in_chroot() {
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/root" 2>/dev/null)" = "$mnt" ] && echo "${proc#/proc/}"
    done
    return 0
}
cleanup() {
    for pid in $pids; do kill "$pid" 2>/dev/null || true; done
    if [ -n "$mnt" ]; then
        for pid in $(in_chroot); do kill "$pid" 2>/dev/null || true; done
        for _ in $(seq 1 20); do [ -z "$(in_chroot)" ] && break; sleep 0.5; done
        for pid in $(in_chroot); do kill -9 "$pid" 2>/dev/null || true; done
    fi
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
    if [ -n "$mnt" ]; then
        for dir in var/lib/meetops tmp proc dev; do umount "$mnt/$dir" 2>/dev/null || true; done
        podman image unmount "$IMAGE" >/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# What a container of this image would get.
image_env=$(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE")
image_user=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
entrypoint=$(podman image inspect --format '{{index .Config.Entrypoint 0}}' "$IMAGE")
case "$image_env" in *" "*) fail "an image variable holds a space; this script splits on them" ;; esac

mnt=$(podman image mount "$IMAGE")
uid=$(awk -F: -v u="$image_user" '$1 == u { print $3 ":" $4 }' "$mnt/etc/passwd")
[ -n "$uid" ] || fail "user $image_user is not in the image's /etc/passwd"
[ "${uid%%:*}" != 0 ] || fail "the image runs as root"

mkdir -p "$work/data" "$work/mail"
chown "$uid" "$work/data"
mount --bind /dev "$mnt/dev"
mount -t proc proc "$mnt/proc"
mount -t tmpfs tmpfs "$mnt/tmp"
mount --bind "$work/data" "$mnt/var/lib/meetops"

web_port=$(free_port)
smtp_port=$(free_port)
secret=$("$HOST_PYTHON" -c 'import secrets; print(secrets.token_urlsafe(40))')

# in_image CMD...: run CMD in the image's filesystem as a container would.
in_image() {
    # shellcheck disable=SC2086 # the image's variables are one word each (checked above)
    env -i $image_env HOME=/var/lib/meetops \
        SECRET_KEY="$secret" MEETOPS_AUDIT_KEY="$secret-audit" \
        MEETOPS_SITE_URL="http://127.0.0.1:$web_port" \
        PORT="$web_port" MEETOPS_WORKERS=1 MEETOPS_THREADS=2 \
        MEETOPS_EMBEDDED_WORKER=0 \
        EMAIL_URL="smtp://127.0.0.1:$smtp_port" \
        MEETOPS_FROM_EMAIL="MeetOps <meetops@example.org>" \
        /usr/sbin/chroot --userspec="$uid" "$mnt" "$@"
}

say "1. migrate"
in_image "$entrypoint" meetops migrate --no-input >"$work/migrate.log" 2>&1 || fail "meetops migrate"

say "2. web on port $web_port"
in_image "$entrypoint" web >"$work/web.log" 2>&1 &
pids="$pids $!"
code=000
for _ in $(seq 1 90); do
    code=$(curl -s -o "$work/healthz.json" -w '%{http_code}' "http://127.0.0.1:$web_port/healthz" || true)
    [ "$code" = 200 ] && break
    sleep 1
done
[ "$code" = 200 ] || fail "GET /healthz answered $code"
grep -q '"status": "ok"' "$work/healthz.json" || fail "/healthz said $(cat "$work/healthz.json")"
say "   GET /healthz 200 $(cat "$work/healthz.json")"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$web_port/login/")
[ "$code" = 200 ] || fail "GET /login/ answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$web_port/static/vendor/htmx.min.js")
[ "$code" = 200 ] || fail "GET /static/vendor/htmx.min.js answered $code"

say "3. health checks"
in_image "$entrypoint" healthcheck web >"$work/health-web.log" 2>&1 || fail "healthcheck web"
# Without a role it looks for the server among the processes, as in a container.
in_image "$entrypoint" healthcheck >"$work/health-auto.log" 2>&1 || fail "healthcheck (role found by itself)"
in_image "$entrypoint" healthcheck worker >"$work/health-worker.log" 2>&1 || fail "healthcheck worker"

say "4. worker sends a queued mail"
"$HOST_PYTHON" "$HERE/smtp_sink.py" "$work/mail" >"$work/smtp-port" 2>"$work/smtp.log" &
pids="$pids $!"
# The sink picks its own port; the worker must be told that one.
for _ in $(seq 1 30); do [ -s "$work/smtp-port" ] && break; sleep 0.5; done
smtp_port=$(cat "$work/smtp-port")
[ -n "$smtp_port" ] || fail "the SMTP sink did not start"
token=$(date +%s)-$$
in_image "$entrypoint" meetops shell -c "
from django.db import transaction
from meetops.notifications import services
with transaction.atomic():
    services.enqueue_email(to='clerk@example.org', subject='Image smoke test $token', text='会议通知')
" >"$work/enqueue.log" 2>&1 || fail "queueing a mail"
in_image "$entrypoint" worker --burst >"$work/worker.log" 2>&1 || fail "meetops worker --burst"
grep -q "sent 1" "$work/worker.log" || fail "the worker did not report the mail sent"
grep -qs "Subject: Image smoke test $token" "$work/mail/1.eml" || fail "no mail arrived at the SMTP sink"
say "   mail arrived: $(grep -m1 '^Subject:' "$work/mail/1.eml")"

say "5. PDF embeds MeetOps's CJK font"
# Through MeetOps (`meetops shell`), so the fonts set up at start-up are the ones used.
in_image "$entrypoint" meetops shell -c "
import io, re
from pypdf import PdfReader
from weasyprint import HTML
pdf = HTML(string='<p style=\"font-family: Noto Sans CJK SC\">会议纪要</p>').write_pdf()
fonts = {str(f['/BaseFont']) for page in PdfReader(io.BytesIO(pdf)).pages
         for f in (ref.get_object() for ref in page['/Resources']['/Font'].values())}
# Subset name /ABCDEF+Noto-Sans-SC: MeetOps's own face (Debian's would be Noto-Sans-CJK-SC).
assert any(re.search('notosanssc', f.lower().replace('-', '')) for f in fonts), fonts
print(sorted(fonts))
" >"$work/pdf.log" 2>&1 || fail "the PDF does not embed MeetOps's Noto Sans SC"
say "   $(tail -n 1 "$work/pdf.log")"

say "ok: $IMAGE"
