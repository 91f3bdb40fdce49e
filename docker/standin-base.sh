#!/usr/bin/env bash
# Makes the Dockerfile's base image, golang:1.26-bookworm, available to
# podman on a machine that cannot pull it (no image registry reachable):
#
#   docker/standin-base.sh [--pull] [IMAGE]        (root; default IMAGE golang:1.26-bookworm)
#
# If IMAGE is already in podman's store, nothing is done, unless it is a
# stand-in made by an older recipe or for another Go, which is rebuilt. With
# --pull, `podman pull IMAGE` is tried first (the real image; do not use it
# where registries other than the package ones are off limits). Otherwise a
# stand-in is built from Debian's own archive and this machine's Go:
#
#   debootstrap --variant=minbase bookworm, with roughly what the official
#   image has (buildpack-deps:bookworm-scm's curl, git, ca-certificates, ...
#   plus gcc, libc6-dev, make, pkg-config); /usr/local/go copied from this
#   machine; GOPATH=/go (mode 1777), GOTOOLCHAIN=local, the official PATH;
#   this machine's CA bundle, with SSL_CERT_FILE pointing at it (without it,
#   `go install` in the build fails with "x509: certificate signed by unknown
#   authority" where the machine's traffic goes through its own CA).
#
# The stand-in is cached in podman's store under IMAGE, labelled with the
# recipe version, the Go version and the CA bundle's checksum; ~1 min to
# build, nothing when current. Needs: podman, debootstrap (docker/image-test.sh
# installs them), root.
set -euo pipefail

recipe=2 # bump when the stand-in's contents change
pull=0
image=golang:1.26-bookworm
for arg in "$@"; do
	case "$arg" in
	--pull) pull=1 ;;
	-h | --help)
		sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "standin-base: unknown option: $arg" >&2
		exit 2
		;;
	*) image="$arg" ;;
	esac
done

say() { echo "standin-base: $*"; }
die() {
	echo "standin-base: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, podman's system store)"
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac
for t in podman debootstrap curl; do
	command -v "$t" >/dev/null || die "$t not installed (apt-get install podman runc debootstrap curl)"
done

goroot=/usr/local/go
[ -x "$goroot/bin/go" ] || die "no Go at $goroot to copy into the stand-in"
gover="$("$goroot/bin/go" env GOVERSION)"
case "$image" in
*:1.26-* | *:1.26) ;;
*) say "warning: $image is stood in for by this machine's $gover" ;;
esac
cabundle=/etc/ssl/certs/ca-certificates.crt
[ -f "$cabundle" ] || die "no CA bundle at $cabundle"
casum="$(sha256sum "$cabundle" | cut -c1-16)"
want="recipe=$recipe go=$gover ca=$casum"

if podman image exists "$image"; then
	have="$(podman image inspect --format '{{index .Labels "org.sorlab.standin"}}' "$image" 2>/dev/null || true)"
	if [ -z "$have" ] || [ "$have" = "<no value>" ]; then
		say "$image present (not a stand-in); using it"
		exit 0
	fi
	if [ "$have" = "$want" ]; then
		say "$image: stand-in present ($want)"
		exit 0
	fi
	say "$image: stand-in is stale ($have; want $want); rebuilding"
fi

if [ "$pull" = 1 ]; then
	if podman pull "docker.io/library/$image"; then
		exit 0
	fi
	say "pull failed; building a stand-in"
fi

# The Debian archive and security archive this machine's apt uses, so that a
# machine behind its own mirror keeps using it: every URI listed for SUITE
# (deb822 stanzas or one-line entries; `mirror+file:` lists resolved), then
# deb.debian.org; the first whose Release file says "Origin: Debian" wins
# (third-party repositories for bookworm, e.g. Docker's, say otherwise).
candidates() { # candidates SUITE: URIs, one per line, in apt's order
	local suite="$1" f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" 'BEGIN { RS = ""; FS = "\n" }
		{
			uris = ""; ok = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
				if ($i ~ /^Suites:/) {
					line = $i; sub(/^Suites:[ \t]*/, "", line)
					n = split(line, a, /[ \t]+/)
					for (j = 1; j <= n; j++) if (a[j] == suite) ok = 1
				}
			}
			if (ok) { n = split(uris, u, /[ \t]+/); for (j = 1; j <= n; j++) print u[j] }
		}' "$f"
	done
	sed -n "s/^deb  *\(\[[^]]*\]  *\)\{0,1\}\([^ ]*\)  *$suite  .*/\2/p" \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
}
resolve() { # mirror+file:///LIST -> the URIs in LIST; others unchanged
	case "$1" in
	mirror+file://*) sed -n 's/^\([a-z]*:\/\/[^ \t]*\).*/\1/p' "${1#mirror+file://}" 2>/dev/null || true ;;
	mirror://* | mirror+*) ;; # remote mirror lists: not followed
	*) echo "$1" ;;
	esac
}
pick() { # pick SUITE DEFAULT: the first Debian archive serving SUITE
	local suite="$1" uri rel
	while read -r uri; do
		[ -n "$uri" ] || continue
		uri="${uri%/}"
		# Into a variable, not a pipe into grep -q: under pipefail curl's
		# SIGPIPE when grep stops early would fail the test.
		rel="$(curl -fsSL --max-time 20 -r 0-4095 "$uri/dists/$suite/Release" 2>/dev/null || true)"
		if grep -q '^Origin: Debian' <<<"$rel"; then
			echo "$uri"
			return 0
		fi
	done < <(
		candidates "$suite" | while read -r c; do resolve "$c"; done
		echo "$2"
	)
	return 1
}
mirror="$(pick bookworm http://deb.debian.org/debian)" ||
	die "no Debian archive serving bookworm (tried this machine's apt sources and deb.debian.org)"
sec="$(pick bookworm-security http://deb.debian.org/debian-security || true)"
[ -n "$sec" ] || say "warning: no reachable bookworm-security archive; the stand-in goes without"

work="$(mktemp -d /var/tmp/sorlab-standin.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
start=$(date +%s)
say "debootstrap bookworm from $mirror (about a minute)"
debootstrap --variant=minbase \
	--include=ca-certificates,curl,wget,git,netbase,procps,gcc,g++,libc6-dev,make,pkg-config \
	bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
	{
		tail -n 20 "$work/debootstrap.log" >&2
		die "debootstrap failed"
	}
# Updates and security, as in the official image.
{
	echo "deb $mirror bookworm main"
	echo "deb $mirror bookworm-updates main"
	[ -z "$sec" ] || echo "deb $sec bookworm-security main"
} >"$rootfs/etc/apt/sources.list"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb

cp -a "$goroot" "$rootfs/usr/local/go"
mkdir -p "$rootfs/go/src" "$rootfs/go/bin"
chmod -R 1777 "$rootfs/go"
mkdir -p "$rootfs/usr/local/share/sorlab"
cp "$cabundle" "$rootfs/usr/local/share/sorlab/host-ca-certificates.crt"
# Go reads SSL_CERT_FILE; apt (GnuTLS), git and curl read the system bundle,
# so the machine's authorities go there too, in a way that survives the
# bundle being regenerated by a later ca-certificates update.
cp "$cabundle" "$rootfs/usr/local/share/ca-certificates/sorlab-host.crt"
chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 ||
	cat "$cabundle" >>"$rootfs/etc/ssl/certs/ca-certificates.crt"

say "importing as $image"
tar -C "$rootfs" -c . | podman import \
	--change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV GOPATH=/go' \
	--change 'ENV GOTOOLCHAIN=local' \
	--change "ENV GOLANG_VERSION=${gover#go}" \
	--change 'ENV SSL_CERT_FILE=/usr/local/share/sorlab/host-ca-certificates.crt' \
	--change 'WORKDIR /go' \
	--change 'CMD ["bash"]' \
	--change "LABEL org.sorlab.standin=\"$want\"" \
	- "$image" >/dev/null
say "$image built in $(($(date +%s) - start)) s ($want)"
