#!/usr/bin/env bash
# Installs what the notebooks need, skipping whatever is already there:
#   1. Debian packages for headless execution (nbconvert, nbclient, ...);
#      with --server also jupyter-notebook. Waits up to 10 minutes for the
#      dpkg lock when another apt holds it. Skipped where there is no dpkg
#      (macOS: install Jupyter yourself first, see docker/README.md).
#   2. The Go tools pinned in docker/tools/go.mod (`go install
#      -modfile=docker/tools/go.mod tool`: gonb, goimports, benchstat) into
#      $SORLAB_BIN (root: /usr/local/bin), unless the binaries there were
#      already built from those versions with this Go.
#   3. The GoNB Jupyter kernel ("gonb"): for root system-wide
#      (/usr/local/share/jupyter, so any uid finds it), otherwise for the
#      current user. Its kernel.json carries the environment the kernel
#      needs whatever PATH Jupyter was started with: PATH gets Go's bin and
#      $SORLAB_BIN in front, GOPROXY the local module cache in front.
# Safe to run again; a second run takes about a second.
# Needs: Go (>= the go.mod version) at /usr/local/go or on PATH; for step 1
# Debian bookworm and root (or sudo).
set -euo pipefail

server=0
for arg in "$@"; do
	case "$arg" in
	--server) server=1 ;;
	-h | --help)
		sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "setup.sh: unknown argument: $arg" >&2
		exit 2
		;;
	esac
done

# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

say() { echo "setup: $*"; }
die() {
	echo "setup: $*" >&2
	exit 1
}

# --- 1. Debian packages -------------------------------------------------
pkgs=(jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel)
if [ "$server" = 1 ]; then
	pkgs+=(jupyter-notebook)
fi
if ! command -v dpkg-query >/dev/null; then
	say "no dpkg: not installing ${pkgs[*]}; using the jupyter on PATH (${JUPYTER:-none})"
else
	missing=()
	for p in "${pkgs[@]}"; do
		if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != 'install ok installed' ]; then
			missing+=("$p")
		fi
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		say "installing Debian packages: ${missing[*]}"
		sudo=""
		if [ "$(id -u)" != 0 ]; then
			sudo="sudo"
		fi
		# Wait for another apt/dpkg (unattended-upgrades, a parallel setup)
		# rather than fail at once on its lock.
		apt_opts=(-o DPkg::Lock::Timeout=600)
		export DEBIAN_FRONTEND=noninteractive
		$sudo apt-get update -qq "${apt_opts[@]}"
		$sudo apt-get install -y -qq "${apt_opts[@]}" -o Dpkg::Use-Pty=0 \
			--no-install-recommends "${missing[@]}"
	else
		say "Debian packages present: ${pkgs[*]}"
	fi
fi
JUPYTER=""
SORLAB_PYTHON=""
. "$(dirname "${BASH_SOURCE[0]}")/env.sh" # re-resolve after the install
if [ -z "$JUPYTER" ] || [ -z "$SORLAB_PYTHON" ]; then
	die "jupyter or python3 not found (install Jupyter: ${pkgs[*]})"
fi

# --- 2. Go tools pinned in docker/tools/go.mod --------------------------
# They have a go.mod of their own so that the library's stays lean: a
# program that imports sorlab does not get goimports', benchstat's and the
# gonb command's dependencies in its module graph.
command -v go >/dev/null || die "go not found (expected at /usr/local/go/bin or on PATH)"
gover="$(go env GOVERSION)"
tools=(gonb goimports benchstat)

# tools_current succeeds when every tool in $SORLAB_BIN was built by this Go
# from the module version docker/tools/go.mod requires. `go install tool` would say the
# same, but needs a warm build cache to be quick, which the Docker image's
# final stage does not have.
tools_current() {
	local required t bin mod
	required="$(cd "$SORLAB_ROOT" && go mod edit -print docker/tools/go.mod |
		awk '/^require \(/ { r = 1; next } r && /^\)/ { r = 0 }
			r { print $1, $2 } /^require [^(]/ { print $2, $3 }')"
	for t in "${tools[@]}"; do
		bin="$SORLAB_BIN/$t"
		[ -x "$bin" ] || return 1
		[ "$(go version "$bin" 2>/dev/null)" = "$bin: $gover" ] || return 1
		mod="$(go version -m "$bin" | awk '$1 == "mod" { print $2, $3 }')"
		grep -qxF "$mod" <<<"$required" || return 1
	done
}

mkdir -p "$SORLAB_BIN"
if tools_current; then
	say "Go tools current in $SORLAB_BIN: ${tools[*]} ($gover)"
else
	say "go install -modfile=docker/tools/go.mod tool -> $SORLAB_BIN ($gover)"
	(cd "$SORLAB_ROOT" && GOBIN="$SORLAB_BIN" go install -modfile=docker/tools/go.mod tool)
	for t in "${tools[@]}"; do
		[ -x "$SORLAB_BIN/$t" ] || die "$SORLAB_BIN/$t missing after go install -modfile=docker/tools/go.mod tool"
	done
fi

# --- 3. GoNB kernel -----------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	datadir=/usr/local/share/jupyter
else
	datadir="$("$JUPYTER" --data-dir)"
fi
kdir="$datadir/kernels/gonb"

# The environment the kernel needs, in kernel.json ("env"; Jupyter expands
# ${VAR} from its own environment). GoNB runs `go` and `goimports` from PATH,
# so a Jupyter started with an ordinary PATH (no Go, no $SORLAB_BIN) must
# still find them. GOPROXY: GoNB runs `go get` after every cell, and `go get`
# asks the proxy about every module in the build (retractions, deprecations:
# ~2 s a cell here, a failure offline); the module cache's download folder is
# itself a proxy, so with it first those answers are local and only modules
# not in the cache go to the network.
godir="$(dirname "$(command -v go)")"
modcache="$(go env GOMODCACHE)"
proxy="$(go env GOPROXY)"
# shellcheck disable=SC2016 # ${HOME} is for Jupyter to expand, per user
case "$modcache" in
"$HOME"/go/pkg/mod) cacheurl='file://${HOME}/go/pkg/mod/cache/download' ;; # each user's own
*) cacheurl="file://$modcache/cache/download" ;;
esac
case ",$proxy," in
*,file://*) ;; # already local first (e.g. the Docker image's ENV)
*) proxy="$cacheurl,$proxy" ;;
esac
kpath="$godir:$SORLAB_BIN:\${PATH}"

# Registered = kernel.json there whose argv[0] is (a copy of) our gonb.
argv0=""
if [ -f "$kdir/kernel.json" ]; then
	argv0="$("$SORLAB_PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][0])' \
		"$kdir/kernel.json" 2>/dev/null || true)"
fi
if [ -n "$argv0" ] && cmp -s "$argv0" "$SORLAB_BIN/gonb"; then
	say "gonb kernel registered in $kdir"
else
	say "registering gonb kernel in $kdir (was: '${argv0:-none}')"
	mkdir -p "$datadir"
	# --force_deps: gopls (optional, for auto-complete) is not installed;
	# gonb then warns that "goimports and/or gopls" are missing: not shown.
	if ! out="$(JUPYTER_DATA_DIR="$datadir" "$SORLAB_BIN/gonb" --install --force_deps 2>&1)" ||
		[ ! -f "$kdir/kernel.json" ]; then
		printf '%s\n' "$out" >&2
		die "gonb --install failed to write $kdir/kernel.json"
	fi
fi
"$SORLAB_PYTHON" - "$kdir/kernel.json" "PATH=$kpath" "GOPROXY=$proxy" <<'EOF' | sed 's/^/setup: /'
import json, os, sys
path = sys.argv[1]
with open(path) as f:
    spec = json.load(f)
env = dict(spec.get("env") or {})
env.update(kv.split("=", 1) for kv in sys.argv[2:])
if env == spec.get("env"):
    print("kernel env current: %s" % env)
else:
    spec["env"] = env
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(spec, f, indent=1)
    os.replace(tmp, path)
    print("kernel env set: %s" % env)
EOF
# Root's older per-user registration would shadow the system-wide one.
if [ "$(id -u)" = 0 ] && [ -d "$HOME/.local/share/jupyter/kernels/gonb" ] &&
	[ "$HOME/.local/share/jupyter" != "$datadir" ]; then
	say "removing $HOME/.local/share/jupyter/kernels/gonb (shadows $kdir)"
	rm -rf "$HOME/.local/share/jupyter/kernels/gonb"
fi
"$JUPYTER" kernelspec list | sed 's/^/setup: /'
say "done"
