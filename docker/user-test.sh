#!/usr/bin/env bash
# Checks local Jupyter for a plain user with an ordinary PATH (issue 11):
#
#   bash docker/user-test.sh          (root; docker/test.sh runs it)
#
# Creates the user $SORLAB_TEST_USER (default sorlab-user-test) if missing,
# copies this working tree (tracked and untracked, not ignored files) into
# its home, then as that user, with nothing but
#   HOME=... PATH=/usr/local/go/bin:/usr/bin:/bin
# runs `bash docker/setup.sh` and executes with plain
# `jupyter nbconvert --execute` through the gonb kernel, the kernel finding
# goimports (in ~/.local/share/sorlab/bin, not on that PATH) by itself:
#   notebooks/testdata/ok.ipynb, which must show the fixture's output line;
#   notebooks/05-cont-kukanov.ipynb, a project notebook drawing charts
#   (SORLAB_HEADLESS=1, as the runner sets it, so that its widget cell shows
#   its starting figure at once), which must show at least one image.
# Each executed notebook must pass docker/check_notebook.py (no error, every
# chart cell with its images).
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

# run_notebook DIR NAME executes ~/sorlab/DIR/NAME.ipynb as the user into
# $out/NAME.ipynb and checks it with check_notebook.py.
run_notebook() {
	local dir="$1" name="$2" rc=0
	say "jupyter nbconvert --execute $dir/$name.ipynb as $user, PATH=/usr/local/go/bin:/usr/bin:/bin"
	as_user bash -c 'cd ~/sorlab/"$1" && SORLAB_HEADLESS=1 /usr/bin/jupyter nbconvert --to notebook --execute \
		--ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=600 \
		--output-dir "$HOME/sorlab/out" --output "$2" "$2.ipynb"' _ "$dir" "$name" >"$tree/nbconvert-$name.log" 2>&1 || rc=$?
	if [ "$rc" != 0 ] || [ ! -f "$out/$name.ipynb" ]; then
		grep -v -E '^[IWE][0-9]{4} ' "$tree/nbconvert-$name.log" | tail -n 20 | sed 's/^/    | /'
		say "FAIL: nbconvert exited with status $rc on $dir/$name.ipynb"
		exit 1
	fi
	if ! /usr/bin/python3 docker/check_notebook.py "$out/$name.ipynb" "$dir/$name.ipynb as $user"; then
		say "FAIL: $dir/$name.ipynb has failing cells"
		exit 1
	fi
}

run_notebook notebooks/testdata ok
if ! grep -q 'ok fixture: imported sorlab/sor and gonum plot' "$out/ok.ipynb"; then
	say "FAIL: the executed notebook lacks the fixture's output line"
	exit 1
fi
run_notebook notebooks 05-cont-kukanov
if ! grep -q '"image/png"' "$out/05-cont-kukanov.ipynb"; then
	say "FAIL: the executed 05-cont-kukanov.ipynb shows no chart"
	exit 1
fi
say "ok: $user ran two notebooks (one drawing charts) through its own gonb kernel in $(($(date +%s) - start))s"
