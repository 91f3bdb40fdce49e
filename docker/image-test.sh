#!/usr/bin/env bash
# Builds the Docker image from the unchanged Dockerfile with podman and checks
# it for real (root; about 5 minutes with the stand-in and build cache warm, up to 25 cold):
#
#   bash docker/image-test.sh [--pull]
#
#   0. Installs podman, runc and debootstrap if missing (apt). The base,
#      golang:1.26-bookworm, is used if podman has it; --pull tries to pull
#      it; otherwise docker/standin-base.sh builds a stand-in from Debian's
#      archive and this machine's Go (cached in podman's store).
#   1. podman build --pull=never -t $SORLAB_IMAGE (default sorlab:test).
#   2. One run of the default command as a non-root user with no network:
#        podman run --rm --network none --user 1000:1000 -v OUT:/out IMAGE
#      checks (a) every notebook ran: OUT holds NAME.ipynb and NAME.html for
#      each notebooks/*.ipynb, and results.json and results.png; (b) every
#      file in OUT is owned by 1000:1000; (d) all that offline, and the
#      module listing that GoNB's goimports runs before every cell needs no
#      network and no writes; (e) OUT's results.json equals
#      `go run ./sor/cmd/backtest`'s byte for byte.
#   3. One run of `serve` as documented (a published port on loopback,
#      --user 1000:1000): (c) Jupyter answers on its port (GET /api,
#      /api/kernelspecs lists gonb) and notebooks/testdata/ok.ipynb and
#      02-static-allocator.ipynb execute through that server's kernel over
#      its websocket (docker/server_exec.py), cleanly
#      (docker/check_notebook.py) and with the expected output.
#   Prints the image size and the build and run times; the last line is
#   "image-test: N passed, M failed"; exit 1 if any check failed.
#
# Quirks of the machines this was written on, each found by trying: crun
# (podman's default runtime) fails with "cgroups in hybrid mode not
# supported", hence --runtime runc; podman's default ulimits exceed the
# machine's hard limits, and so do the shell's own hard limits for nproc
# (runc: "error setting rlimit type 6: operation not permitted"), hence
# --ulimit nofile=20000:20000 --ulimit nproc=1024:1024.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# CI shells are not login shells: Go (for the CLI run of check (e)) and
# /usr/sbin (debootstrap) may be off PATH.
# shellcheck source=env.sh
. docker/env.sh
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac
export PATH
root="$(pwd)"
image="${SORLAB_IMAGE:-sorlab:test}"
base=golang:1.26-bookworm
pull=()
for arg in "$@"; do
	case "$arg" in
	--pull) pull=(--pull) ;;
	-h | --help)
		sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "image-test: unknown argument: $arg" >&2
		exit 2
		;;
	esac
done

say() { echo "image-test: $*"; }
die() {
	echo "image-test: $*" >&2
	exit 1
}
now() { date +%s; }
passed=0
failed=0
check() { # check NAME CONDITION-COMMAND...
	local name="$1"
	shift
	if "$@"; then
		passed=$((passed + 1))
		say "PASS $name"
	else
		failed=$((failed + 1))
		say "FAIL $name"
	fi
}

[ "$(id -u)" = 0 ] || die "needs root (podman's system store, debootstrap, --user checks)"

# --- 0. tools and base ---------------------------------------------------
need=()
for t in podman:podman runc:runc debootstrap:debootstrap curl:curl python3:python3; do
	command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
	say "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq -o DPkg::Lock::Timeout=600
	apt-get install -y -qq -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0 "${need[@]}"
fi
pm() { podman --runtime runc "$@"; }
# Known to work here (podman's defaults and this shell's hard nproc limit do
# not), lowered to this shell's hard limits if those are lower.
limits=()
for l in nofile:n:20000 nproc:u:1024; do
	IFS=: read -r name opt want <<<"$l"
	hard="$(ulimit -H"$opt")"
	if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
		want="$hard"
	fi
	limits+=(--ulimit "$name=$want:$want")
done

t0=$(now)
bash docker/standin-base.sh "${pull[@]}" "$base"
base_secs=$(($(now) - t0))

# --- 1. build -------------------------------------------------------------
work="$(mktemp -d /var/tmp/sorlab-image-test.XXXXXX)"
server=""
runner="sorlab-image-test-$$"
cleanup() {
	local rc=$?
	[ -z "$server" ] || pm rm -f -v "$server" >/dev/null 2>&1 || true
	pm rm -f -v "$runner" >/dev/null 2>&1 || true
	if [ "$rc" = 0 ] && [ "$failed" = 0 ]; then
		rm -rf "$work"
	else
		echo "image-test: logs and outputs kept in $work" >&2
	fi
}
trap cleanup EXIT
# The summary line is printed whatever happens, also when the build fails.
build_secs=0 run_secs=0 serve_secs=0 size_mb=?
summary() {
	say "times: base ${base_secs}s, build ${build_secs}s, run ${run_secs}s, serve ${serve_secs}s; image ${size_mb} MB"
	say "$passed passed, $failed failed"
}

old_id="$(pm image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
say "building $image (log: $work/build.log; 3-5 minutes with the stand-in cached, up to 20 cold)"
t0=$(now)
pm build --pull=never --network host "${limits[@]}" -t "$image" . >"$work/build.log" 2>&1 &
builder=$!
# A heartbeat, so that a cold build (minutes of silence) does not look hung.
while kill -0 "$builder" 2>/dev/null; do
	for _ in $(seq 1 60); do
		kill -0 "$builder" 2>/dev/null || break
		sleep 1
	done
	kill -0 "$builder" 2>/dev/null || break
	say "  still building after $(($(now) - t0))s: $(grep -E 'STEP [0-9]+/' "$work/build.log" | tail -n 1 | cut -c1-100)"
done
brc=0
wait "$builder" || brc=$?
build_secs=$(($(now) - t0))
if [ "$brc" != 0 ]; then
	tail -n 40 "$work/build.log" >&2
	failed=$((failed + 1))
	say "FAIL podman build (status $brc after ${build_secs}s)"
	summary
	exit 1
fi
grep -E '^warm-image: ' "$work/build.log" | sed 's/^/    /' || true
new_id="$(pm image inspect --format '{{.Id}}' "$image")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
	pm rmi "$old_id" >/dev/null 2>&1 || true # the previous build's image
fi
size="$(pm image inspect --format '{{.Size}}' "$image")"
size_mb=$((size / 1000000))
say "built in ${build_secs}s; image size ${size_mb} MB"

# --- 2. the default command: non-root, offline ----------------------------
out="$work/out"
mkdir -p "$out"
chown 1000:1000 "$out"
say "run: --network none --user 1000:1000 -v OUT:/out $image"
t0=$(now)
rc=0
pm run --rm --name "$runner" --network none --user 1000:1000 "${limits[@]}" -v "$out:/out" "$image" \
	>"$work/run.log" 2>&1 || rc=$?
run_secs=$(($(now) - t0))
grep -E '^(=== .*: (ok|FAILED) in|FAIL |run-notebooks: )' "$work/run.log" | sed 's/^/    /' || true
if [ "$rc" != 0 ]; then
	tail -n 30 "$work/run.log" | sed 's/^/    | /'
fi
say "run finished with status $rc in ${run_secs}s"

all_outputs() {
	local nb name ok=0
	[ "$rc" = 0 ] || ok=1
	for nb in notebooks/*.ipynb; do
		name="$(basename "$nb" .ipynb)"
		for f in "$name.ipynb" "$name.html"; do
			[ -s "$out/$f" ] || {
				echo "    missing $f"
				ok=1
			}
		done
	done
	for f in results.json results.png; do
		[ -s "$out/$f" ] || {
			echo "    missing $f"
			ok=1
		}
	done
	return "$ok"
}
owned_by_1000() {
	local wrong
	wrong="$(find "$out" -mindepth 1 \( ! -uid 1000 -o ! -gid 1000 \) -printf '%u:%g %p\n')"
	if [ -z "$(ls -A "$out")" ]; then
		echo "    $out is empty"
		return 1
	fi
	if [ -n "$wrong" ]; then
		printf '    not 1000:1000: %s\n' "$wrong" | head -n 5
		return 1
	fi
}
same_as_cli() {
	local cli="$work/cli"
	mkdir -p "$cli"
	(cd "$root" && go run ./sor/cmd/backtest -out "$cli" >/dev/null) || return 1
	cmp "$cli/results.json" "$out/results.json" || return 1
	if cmp -s "$cli/results.png" "$out/results.png"; then
		echo "    (results.png is identical too)"
	fi
}
# What GoNB's goimports runs before every cell's build, in a scratch module
# joined to the repository as GoNB joins it: offline, as a plain user, it
# must find every module's metadata in the image, or each served cell waits
# on the network for it.
modules_offline() {
	local log="$work/modules.log"
	pm run --rm --network none --user 1000:1000 "${limits[@]}" "$image" bash -c \
		'cd "$(mktemp -d)" && go mod init scratch 2>/dev/null && go work init && go work use . /sorlab && go list -m -json ... >/dev/null' \
		>"$log" 2>&1 || {
		head -n 5 "$log" | sed 's/^/    | /'
		return 1
	}
	if [ -s "$log" ]; then
		head -n 5 "$log" | sed 's/^/    | /'
		return 1
	fi
}
check "(a)+(d) every notebook ran offline into /out (executed, HTML, results.json, results.png)" all_outputs
check "(d) goimports's module listing (go list -m -json ...) needs no network and no writes" modules_offline
check "(b) files in /out owned by 1000:1000" owned_by_1000
check "(e) results.json equals the CLI's byte for byte" same_as_cli

# --- 3. serve --------------------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
url="http://127.0.0.1:$port"
# As documented: a published port, the default address inside, any uid.
say "serve: --user 1000:1000 -p 127.0.0.1:$port:8888, $url"
t0=$(now)
server="$(pm run -d --user 1000:1000 -p "127.0.0.1:$port:8888" "${limits[@]}" \
	"$image" serve --NotebookApp.token="$token")"
api_up() {
	local _
	for _ in $(seq 1 120); do
		if curl -fsS -H "Authorization: token $token" "$url/api" >"$work/api.json" 2>/dev/null; then
			say "server up after $(($(now) - t0))s: $(cat "$work/api.json")"
			return 0
		fi
		sleep 0.5
	done
	pm logs "$server" 2>&1 | tail -n 20 | sed 's/^/    | /'
	return 1
}
serve_ok() {
	api_up || return 1
	curl -fsS -H "Authorization: token $token" "$url/api/kernelspecs" >"$work/specs.json" || return 1
	python3 -c 'import json,sys; sys.exit("gonb" not in json.load(open(sys.argv[1]))["kernelspecs"])' \
		"$work/specs.json" || {
		echo "    /api/kernelspecs lacks gonb: $(cat "$work/specs.json")"
		return 1
	}
	python3 docker/server_exec.py "$url" "$token" testdata/ok.ipynb "$work/ok-served.ipynb" | sed 's/^/    /' || return 1
	python3 docker/check_notebook.py "$work/ok-served.ipynb" "served ok.ipynb" || return 1
	grep -q 'ok fixture: imported sorlab/sor and gonum plot' "$work/ok-served.ipynb" || {
		echo "    the served ok.ipynb lacks its output line"
		return 1
	}
	# And a product notebook, charts and all, as a user in a browser would.
	python3 docker/server_exec.py "$url" "$token" 02-static-allocator.ipynb "$work/02-served.ipynb" | sed 's/^/    /' || return 1
	python3 docker/check_notebook.py "$work/02-served.ipynb" "served 02-static-allocator.ipynb" || return 1
}
check "(c) serve answers on its port and runs a notebook through its kernel" serve_ok
serve_secs=$(($(now) - t0))
pm rm -f -v "$server" >/dev/null 2>&1 || true
server=""

summary
[ "$failed" = 0 ]
