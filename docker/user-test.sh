#!/usr/bin/env bash
# Checks local Jupyter for a plain user with an ordinary PATH (issue 11):
#
#   bash docker/user-test.sh          (root; docker/test.sh runs it)
#
# Creates the user $SORLAB_TEST_USER (default sorlab-user-test) if missing,
# copies this working tree (tracked and untracked, not ignored files) into
# its home, then as that user, with nothing but
#   HOME=... PATH=/usr/local/go/bin:/usr/bin:/bin
# runs `bash docker/setup.sh` and executes notebooks/testdata/ok.ipynb with
# plain `jupyter nbconvert --execute` through the gonb kernel: the kernel
# must find goimports (in ~/.local/share/sorlab/bin, not on that PATH) by
# itself. The executed notebook must pass docker/check_notebook.py and show
# the fixture's output line.
#
# The user and its Go caches are kept, so later runs take seconds (the first
# one downloads and compiles the tools as that user: a few minutes on 2
# cores). Remove with `userdel -r sorlab-user-test`. Skipped (exit 0, saying
# so) when not root; SORLAB_USER_TEST=0 skips it too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
user="${SORLAB_TEST_USER:-sorlab-user-test}"
say() { echo "user-test: $*"; }

if [ "${SORLAB_USER_TEST:-1}" = 0 ]; then
	say "skipped (SORLAB_USER_TEST=0)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	say "skipped: needs root to create the user $user"
	exit 0
fi
if ! id "$user" >/dev/null 2>&1; then
	say "creating user $user"
	useradd --create-home --shell /bin/bash "$user"
fi
home="$(getent passwd "$user" | cut -d: -f6)"
tree="$home/sorlab"

rm -rf "$tree"
mkdir -p "$tree"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -C "$tree" -xf -
else
	tar --exclude=./out -cf - . | tar -C "$tree" -xf -
fi
chown -R "$user:" "$tree"

as_user() {
	runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" \
		LANG=C.UTF-8 PATH=/usr/local/go/bin:/usr/bin:/bin "$@"
}

start=$(date +%s)
say "setup.sh as $user"
as_user bash -c 'cd ~/sorlab && bash docker/setup.sh' 2>&1 | sed 's/^/    /'
out="$tree/out"
say "jupyter nbconvert --execute notebooks/testdata/ok.ipynb as $user, PATH=/usr/local/go/bin:/usr/bin:/bin"
rc=0
as_user bash -c 'cd ~/sorlab/notebooks/testdata && /usr/bin/jupyter nbconvert --to notebook --execute \
	--ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=600 \
	--output-dir "$HOME/sorlab/out" --output ok ok.ipynb' >"$tree/nbconvert.log" 2>&1 || rc=$?
if [ "$rc" != 0 ] || [ ! -f "$out/ok.ipynb" ]; then
	grep -v -E '^[IWE][0-9]{4} ' "$tree/nbconvert.log" | tail -n 20 | sed 's/^/    | /'
	say "FAIL: nbconvert exited with status $rc"
	exit 1
fi
if ! /usr/bin/python3 docker/check_notebook.py "$out/ok.ipynb" "ok.ipynb as $user"; then
	say "FAIL: the notebook has failing cells"
	exit 1
fi
if ! grep -q 'ok fixture: imported sorlab/sor and gonum plot' "$out/ok.ipynb"; then
	say "FAIL: the executed notebook lacks the fixture's output line"
	exit 1
fi
say "ok: $user ran a notebook through its own gonb kernel in $(($(date +%s) - start))s"
