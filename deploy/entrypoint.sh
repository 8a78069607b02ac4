#!/bin/sh
# The image's entry point: one image, one role per container (docs/operations.md).
#
#   web [ARGS]        meetops serve on $HOST:$PORT; MEETOPS_MIGRATE=1 migrates first
#   worker [ARGS]     meetops worker --no-jobs: sends the outbox (any number of them)
#   scheduler [ARGS]  meetops scheduler: the periodic jobs (reminders, backups, ...)
#   healthcheck [ROLE]  what the image's HEALTHCHECK runs
#   anything else     run as given: `meetops migrate`, `meetops backup create`, `sh`
#
# Configuration is the environment only; nothing is read from files in the image.
set -eu

role=${1:-web}
[ $# -gt 0 ] && shift

case "$role" in
    web)
        if [ "${MEETOPS_MIGRATE:-0}" = 1 ]; then
            meetops migrate --no-input
        fi
        exec meetops serve "$@"
        ;;
    worker)
        exec meetops worker --no-jobs "$@"
        ;;
    scheduler)
        exec meetops scheduler "$@"
        ;;
    healthcheck)
        exec python3 /usr/local/lib/meetops/healthcheck.py "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
