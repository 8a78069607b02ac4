#!/bin/sh
# Builds the image's base, meetops-base:<suite>-<arch>, from Debian packages: no registry has to
# be reachable, only a Debian mirror. Skipped when the image exists (delete it to rebuild).
#
#   deploy/base.sh [--arch amd64|arm64]
#
# MEETOPS_DEBIAN_MIRROR overrides the mirror (default: the first one this host's apt uses).
# A foreign --arch needs qemu-user-static and binfmt-support on the build host
# (debootstrap then runs its second stage through the emulator).
set -eu

SUITE=${MEETOPS_DEBIAN_SUITE:-bookworm}
ARCH=$(dpkg --print-architecture)
if [ "${1:-}" = "--arch" ]; then ARCH=$2; fi
TAG=meetops-base:$SUITE-$ARCH

mirror=${MEETOPS_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -Eo 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n 1 | tr -d ' ')
fi
mirror=${mirror:-http://deb.debian.org/debian}

# What MeetOps needs at run time: Python 3.11 with venv, Pango (WeasyPrint draws the PDFs
# with it), fontconfig, CA roots (SMTP over TLS, S3), time zones, pg_dump/pg_restore for
# `meetops backup` on PostgreSQL. No CJK font package: the wheel carries the faces the
# documents embed (core/fonts, docs/operations.md "Fonts").
PACKAGES=python3,python3-venv,libpango-1.0-0,libpangoft2-1.0-0,libharfbuzz0b,libharfbuzz-subset0,\
fontconfig,ca-certificates,tzdata,postgresql-client

# The base is cached: rebuilt only when missing or when the package list above changed.
if [ "$(podman image inspect --format '{{index .Labels "org.meetops.base.packages"}}' "$TAG" 2>/dev/null)" = "$PACKAGES" ]; then
    echo "base: $TAG is up to date (podman rmi $TAG to rebuild it)"
    exit 0
fi

root=$(mktemp -d /var/tmp/meetops-base.XXXXXX)
trap 'rm -rf "$root"' EXIT
foreign=""
[ "$ARCH" = "$(dpkg --print-architecture)" ] || foreign="--foreign"
echo "base: debootstrap $SUITE/$ARCH from $mirror"
debootstrap --variant=minbase --arch="$ARCH" $foreign --include="$PACKAGES" "$SUITE" "$root" "$mirror" >/dev/null
if [ -n "$foreign" ]; then
    qemu=/usr/bin/qemu-$( [ "$ARCH" = arm64 ] && echo aarch64 || echo "$ARCH")-static
    [ -x "$qemu" ] || { echo "base: $ARCH needs $qemu: apt-get install qemu-user-static binfmt-support" >&2; exit 1; }
    cp "$qemu" "$root/usr/bin/"
    chroot "$root" /debootstrap/debootstrap --second-stage
fi
# An image carries no package lists, caches or logs of its own build.
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/* "$root"/var/log/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/locale/*
tar -C "$root" --numeric-owner -c . | podman import --quiet \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
    --change "LABEL org.meetops.base.packages=$PACKAGES" - "$TAG" >/dev/null
echo "base: built $TAG"
