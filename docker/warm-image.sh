#!/usr/bin/env bash
# Run by the Dockerfile (as root, after `COPY . .`): makes the image work
# offline and for any uid. Not meant for a working tree outside the image.
#
#   1. Fills the module cache with what the notebooks use, and warms the
#      build cache, by doing what GoNB does: a scratch module joined to this
#      one by a go.work, the notebooks' `go get` pins if any, then `go build`
#      of a main package importing every library package of this module, and
#      goimports's listing of the modules. Also `go build ./...` for the
#      commands.
#   2. Runs notebooks/testdata/ok.ipynb through the kernel: the preamble's
#      go.work and `go get`, GoNB's own `go get` and goimports, a cell.
#   3. Deletes the module zips (extracted already), opens the build cache,
#      /out and notebooks/ to every uid (the module cache is read-only by
#      design and needs no writes once complete), and removes what the runs
#      left in HOME and /tmp.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=env.sh
. docker/env.sh
say() { echo "warm-image: $*"; }

start=$(date +%s)
go build ./...

scratch="$(mktemp -d)"
(
	cd "$scratch"
	go mod init sorlab_warm >/dev/null 2>&1
	go work init
	go work use . "$SORLAB_ROOT"
	go mod edit -replace "github.com/sorlab/sorlab=$SORLAB_ROOT"
	# The `!*go get X@vN` pins of the notebooks' preamble (see
	# docker/README.md), read from the notebooks themselves: a pin of a
	# module's root package loads that package's whole import graph, so the
	# image must hold exactly what the notebooks ask for.
	pins="$("$SORLAB_PYTHON" - "$SORLAB_ROOT"/notebooks/*.ipynb <<'PY'
import json, re, sys
pins = set()
for path in sys.argv[1:]:
    for cell in json.load(open(path))["cells"]:
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for line in src.splitlines():
            if re.match(r"!\*?\s*go get ", line):
                pins.update(re.findall(r"(?<=\s)([\w./~-]+@v[\w.+-]+)", line))
print(" ".join(sorted(pins)))
PY
	)"
	say "notebook pins: ${pins:-none}"
	# shellcheck disable=SC2086
	[ -z "$pins" ] || go get $pins
	{
		echo 'package main'
		echo 'import ('
		# Internal packages cannot be imported from outside; the commands
		# that use them are built by `go build ./...` above.
		(cd "$SORLAB_ROOT" && go list -e -f '{{if and .GoFiles (ne .Name "main")}}	_ "{{.ImportPath}}"{{end}}' ./...) | grep -v '/internal/'
		echo '	_ "github.com/janpfeifer/gonb/gonbui"'
		echo ')'
		echo 'func main() {}'
	} >main.go
	# No `go get` here: the notebooks' preamble turns GoNB's off
	# (%noautoget) and the go.work resolves every import from go.mod. A bare
	# `go get` would look the imports up as modules of their own and ask the
	# proxy for version lists (refused by some proxies, and offline).
	go build -o /dev/null .
	# goimports, which GoNB runs on every cell, lists the build list's
	# modules (`go list -m -e -json ...`), which needs each module's .info
	# file, not only the go.mod files a build reads. Without them in the
	# (read-only) cache, every cell of a served notebook asked the network
	# for them: about 9 s a cell where a network is there but slow, and
	# nothing could be written back.
	go list -m -json ... >/dev/null
)
rm -rf "$scratch"
say "modules and build cache warm ($(($(date +%s) - start)) s)"

out="$(mktemp -d)"
docker/run-notebooks.sh -o "$out" notebooks/testdata/ok.ipynb
rm -rf "$out"

# The zips (~170 MB) are only read to extract a module, and every module
# needed is extracted; Go checks the .ziphash, which stays. A module that is
# not extracted is not in the image either way.
find "$(go env GOMODCACHE)/cache/download" -name '*.zip' -delete
chmod -R a+rwX "$GOCACHE" notebooks
mkdir -p /out
chmod 1777 /out
rm -rf "$HOME/.local/share/jupyter/runtime" "$HOME/.cache" /tmp/* /tmp/.[!.]* 2>/dev/null || true
say "done in $(($(date +%s) - start)) s; module cache $(du -sh "$(go env GOMODCACHE)" | cut -f1), build cache $(du -sh "$GOCACHE" | cut -f1)"
