#!/usr/bin/env bash
# Installs what the notebooks need, skipping whatever is already there:
#   1. Debian packages for headless execution (nbconvert, nbclient, ...);
#      with --server also jupyter-notebook (for the Docker image only).
#   2. The Go tools pinned in go.mod (`go install tool`: gonb, goimports,
#      benchstat) into $SORLAB_BIN (root: /usr/local/bin).
#   3. The GoNB Jupyter kernel ("gonb"), registered for the current user.
# Safe to run again; a second run takes about a second.
# Needs: Debian bookworm, Go (>= the go.mod version) at /usr/local/go or on
# PATH, root (or sudo-less apt already satisfied) for step 1.
set -euo pipefail

server=0
for arg in "$@"; do
	case "$arg" in
	--server) server=1 ;;
	-h | --help)
		sed -n '2,10p' "$0"
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

# --- 1. Debian packages -------------------------------------------------
pkgs=(jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel)
if [ "$server" = 1 ]; then
	pkgs+=(jupyter-notebook)
fi
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
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}"
else
	say "Debian packages present: ${pkgs[*]}"
fi
JUPYTER=""
. "$(dirname "${BASH_SOURCE[0]}")/env.sh" # re-resolve $JUPYTER after install
if [ -z "$JUPYTER" ]; then
	echo "setup: jupyter not found after installing ${pkgs[*]}" >&2
	exit 1
fi

# --- 2. Go tools pinned in go.mod ---------------------------------------
if ! command -v go >/dev/null; then
	echo "setup: go not found (expected at /usr/local/go/bin or on PATH)" >&2
	exit 1
fi
mkdir -p "$SORLAB_BIN"
# `go install tool` is a no-op (~0.1 s) when the binaries are current, and
# picks up version bumps in go.mod; no need to compare versions ourselves.
say "go install tool -> $SORLAB_BIN ($(go version | cut -d' ' -f3))"
(cd "$SORLAB_ROOT" && GOBIN="$SORLAB_BIN" go install tool)
for t in gonb goimports benchstat; do
	if [ ! -x "$SORLAB_BIN/$t" ]; then
		echo "setup: $SORLAB_BIN/$t missing after go install tool" >&2
		exit 1
	fi
done

# --- 3. GoNB kernel -----------------------------------------------------
# Registered kernel = kernel.json whose argv[0] is (a copy of) our gonb binary.
kernel_argv0="$("$JUPYTER" kernelspec list --json 2>/dev/null |
	"$SORLAB_PYTHON" -c 'import json,sys
ks = json.load(sys.stdin).get("kernelspecs", {})
print(ks.get("gonb", {}).get("spec", {}).get("argv", [""])[0])' || true)"
# gonb --install copies itself next to kernel.json when it lives under /tmp
# or the user cache dir, hence compare contents, not only the path.
if [ -n "$kernel_argv0" ] && cmp -s "$kernel_argv0" "$SORLAB_BIN/gonb"; then
	say "gonb kernel already registered ($kernel_argv0)"
else
	say "registering gonb kernel (was: '${kernel_argv0:-none}')"
	# --force_deps: gopls (optional, for auto-complete) is not installed.
	"$SORLAB_BIN/gonb" --install --force_deps 2>&1 | sed 's/^/setup: gonb: /'
fi
"$JUPYTER" kernelspec list | sed 's/^/setup: /'
say "done"
