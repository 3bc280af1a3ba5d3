#!/usr/bin/env bash
# A bare Debian 12 root (debootstrap --variant=minbase, plus git) as a new
# user's machine, for CI:
#   scripts/bare-root.sh readme           README command 1 (scripts/diagnose-here.sh)
#                                         as root in a fresh root; checks it prints
#                                         a diagnosis
#   scripts/bare-root.sh package DEB      installs DEB on a fresh root, purges every
#                                         compiler and -dev package first, runs
#                                         dbloop --version, dbloop diagnose and
#                                         man dbloop as nobody
#   scripts/bare-root.sh all DEB          both in one root, in that order (the
#                                         package goes onto the machine README
#                                         command 1 just built on: the compilers
#                                         and -dev packages are really there to purge)
# Needs root (chroot, mounts). The checkout goes to /root/dbloop inside the
# root (git clone of HEAD), where a root user's clone lives.
#
# Cost: the base root is debootstrap'd once and kept as a tarball,
# $DBLOOP_BAREROOT_CACHE (default /var/cache/dbloop-ci), for 7 days; each
# step unpacks a fresh copy. The chroot's apt keeps its downloaded packages
# in the same cache directory (never the host's own apt cache), so a second
# run downloads nothing. Packages come from the machine's Debian mirror only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-}
deb=${2:-}
case $mode in
readme) ;;
package | all)
	[ -n "$deb" ] && [ -f "$deb" ] || { echo "bare-root: $mode needs a .deb, got '$deb'" >&2; exit 2; }
	deb=$(readlink -f "$deb")
	;;
*) echo "usage: scripts/bare-root.sh readme | package DEB | all DEB" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "bare-root: run as root (chroot, mounts)" >&2; exit 2; }
for tool in debootstrap unshare chroot; do
	command -v $tool >/dev/null || { echo "bare-root: $tool not found (apt-get install debootstrap util-linux)" >&2; exit 2; }
done

cache=${DBLOOP_BAREROOT_CACHE:-/var/cache/dbloop-ci}
tarball=$cache/bookworm-minbase-git.tar
mkdir -p "$cache/apt-archives/partial"
t0=$SECONDS
say() { printf 'bare-root: [%3ss] %s\n' "$((SECONDS - t0))" "$*"; }

mirror() {
	local uri
	uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
	echo "${uri:-http://deb.debian.org/debian}"
}

if [ -z "$(find "$tarball" -mtime -7 2>/dev/null)" ]; then
	tmp=$(mktemp -d /var/tmp/dbloop-debootstrap.XXXXXX)
	say "debootstrap --variant=minbase --include=git bookworm from $(mirror) (cached in $tarball)"
	if ! debootstrap --variant=minbase --include=git bookworm "$tmp/root" "$(mirror)" \
		>"$cache/debootstrap.log" 2>&1; then
		rm -rf --one-file-system "$tmp"
		echo "bare-root: debootstrap failed, see $cache/debootstrap.log" >&2
		exit 1
	fi
	rm -f "$tmp/root"/var/cache/apt/archives/*.deb
	tar -C "$tmp/root" -cf "$tarball.new" . && mv "$tarball.new" "$tarball"
	rm -rf --one-file-system "$tmp"
fi

work=$(mktemp -d /var/tmp/dbloop-bare.XXXXXX)
root=$work/root
# The mounts live in a private mount namespace (gone when it ends), so the
# root is only removed once nothing is mounted in it.
trap 'rm -rf --one-file-system "$work"' EXIT
mkdir "$root"
tar -C "$root" -xf "$tarball"
say "fresh root in $root"
mkdir -p "$root/root/dbloop"
if git -C "$here" rev-parse HEAD >/dev/null 2>&1; then
	git clone -q "$here" "$root/root/dbloop"
	git -C "$root/root/dbloop" checkout -q "$(git -C "$here" rev-parse HEAD)"
else
	tar -C "$here" --exclude='./build*' -cf - . | tar -C "$root/root/dbloop" -xf -
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
[ -z "$deb" ] || cp "$deb" "$root/root/"

# Inside the root, as a new user would type it.
cat >"$root/root/bare-steps.sh" <<'STEPS'
set -uo pipefail
mode=$1 deb=${2:-}
export HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive
fail() { echo "bare-root: $*" >&2; exit 1; }
if [ "$mode" != package ]; then
	echo "== README command 1: scripts/diagnose-here.sh"
	cd /root/dbloop
	scripts/diagnose-here.sh -t 2s >/root/diagnose.out 2>/root/diagnose.err
	rc=$?
	sed -n '/^postgres /,$p' /root/diagnose.out | head -60
	case $rc in 0 | 1) ;; *) cat /root/diagnose.err; fail "README command 1 exited $rc" ;; esac
	grep -q '^postgres ' /root/diagnose.out && grep -q '^mysql ' /root/diagnose.out &&
		grep -q '^  status ' /root/diagnose.out ||
		{ cat /root/diagnose.err; fail "README command 1 printed no diagnosis"; }
	echo "README command 1: a diagnosis of both engines, exit $rc"
fi
[ "$mode" = readme ] && exit 0
echo "== purge the compilers and -dev packages"
purge=$(dpkg-query -W -f '${Package}\n' |
	grep -E -- '-dev$|^(gcc|g\+\+|cpp|clang|llvm)(-[0-9]+)?$|^build-essential$|^cmake$|^make$|^pkg-config$|^pkgconf$|^binutils$|^libc6-dev$' || true)
if [ -n "$purge" ]; then
	apt-get purge -y -q $purge >/root/purge.log 2>&1 || { cat /root/purge.log; fail "purge failed"; }
	apt-get autoremove --purge -y -q >>/root/purge.log 2>&1 || true
fi
for c in cc gcc clang cmake; do
	! command -v $c >/dev/null || fail "$c is still installed"
done
! dpkg-query -W -f '${Package}\n' | grep -q -- '-dev$' || fail "-dev packages remain"
echo "no compiler, no -dev package left"
echo "== apt-get install ./$(basename "$deb")"
apt-get install -y -q "/root/$(basename "$deb")" >/root/install.log 2>&1 ||
	{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "/root/$(basename "$deb")" >/root/install.log 2>&1; } ||
	{ cat /root/install.log; fail "installing the package failed"; }
for f in /usr/bin/dbloop /usr/share/man/man1/dbloop.1 /usr/share/dbloop/report.schema.json \
	/usr/share/bash-completion/completions/dbloop /usr/share/zsh/vendor-completions/_dbloop \
	/usr/share/doc/dbloop/copyright; do
	[ -e "$f" ] || fail "the package did not install $f"
done
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env -i HOME=/tmp LANG=C.UTF-8 \
	PATH=/usr/bin:/bin MANPAGER=cat "$@"; }
as_nobody dbloop --version || fail "dbloop --version failed as nobody"
as_nobody dbloop diagnose -t 2s >/root/pkg-diagnose.out 2>&1
rc=$?
case $rc in 0 | 1) ;; *) cat /root/pkg-diagnose.out; fail "dbloop diagnose exited $rc as nobody" ;; esac
grep -q '^postgres ' /root/pkg-diagnose.out || fail "dbloop diagnose printed no diagnosis"
echo "dbloop diagnose as nobody: exit $rc"
as_nobody man dbloop >/root/man.out 2>&1 || { cat /root/man.out; fail "man dbloop failed as nobody"; }
grep -q 'dbloop' /root/man.out || fail "man dbloop printed no page"
echo "man dbloop as nobody: $(wc -l </root/man.out) lines"
STEPS

set +e
unshare --mount --propagation private bash -c '
	set -e
	root=$1 cache=$2
	mount -t proc proc "$root/proc"
	mount -t sysfs sys "$root/sys"
	mount --bind /dev "$root/dev"
	mount --bind /dev/pts "$root/dev/pts"
	mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
	mount -t tmpfs tmp "$root/tmp"
	shift 2
	chroot "$root" /bin/bash /root/bare-steps.sh "$@"
' bare "$root" "$cache" "$mode" "${deb:+$(basename "$deb")}"
rc=$?
set -e
say "done (exit $rc)"
exit $rc
