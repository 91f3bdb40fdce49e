#!/usr/bin/env bash
# Executes GoNB notebooks headlessly and fails if any of them failed.
#
#   docker/run-notebooks.sh [-o OUTDIR] [-t CELL_TIMEOUT_SECONDS] [-n RUNS] [-j JOBS] [NOTEBOOK...]
#
# Default NOTEBOOKs: notebooks/*.ipynb (sorted; not notebooks/testdata/).
# Default OUTDIR: $SORLAB_OUT, else out/notebooks under the repository root.
# Default per-cell timeout: $SORLAB_CELL_TIMEOUT, else 1200 s.
# -n RUNS executes all the notebooks RUNS times in a row (default 1), each
# run into OUTDIR/run-K (K = 1..RUNS) when RUNS > 1: a race that loses a
# chart one run in five shows up.
# -j JOBS executes up to JOBS notebooks at once (default: the number of
# CPUs, at most 4; -j 1 one after the other). Each GoNB cell is a `go build`
# that keeps a core busy only part of the time, so two at once on two cores
# take about two thirds of the time. Each notebook's report is printed when
# it ends; the summary lists them in the notebooks' order, each with its
# wall time and the CPU time (user + system) of its processes (nbconvert,
# the kernel, every cell's build and program), which a busy machine
# changes less than the wall time.
#
# For each notebook NAME.ipynb, in its own folder as working directory:
#   OUTDIR/NAME.ipynb   the executed notebook (written even when cells fail)
#   OUTDIR/NAME.html    its HTML export (all of a run's in one nbconvert,
#                       log in OUTDIR/html-export.log)
#   OUTDIR/NAME.log     nbconvert's and the kernel's log
# Notebooks see SORLAB_OUT=<absolute OUTDIR> and should write their result
# files there, and SORLAB_HEADLESS=1 (nb.Interact shows its starting figure
# without waiting for a browser). results.json / results.png left in the
# notebook's folder by this run are copied to OUTDIR too.
#
# A notebook fails when nbconvert fails (kernel died, no gonb kernel, ...) or
# when docker/check_notebook.py finds in the executed notebook an error
# output, a `panic:` / `exit status N` / `signal: ...` line on stderr, a
# chart cell without its image, or a cell mixing stdout with displays.
# All notebooks run; the exit status is 1 if any failed, 2 on bad usage.
set -uo pipefail

# shellcheck source=env.sh
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

usage() {
	sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

outdir="${SORLAB_OUT:-$SORLAB_ROOT/out/notebooks}"
timeout="${SORLAB_CELL_TIMEOUT:-1200}"
runs=1
jobs="$(nproc 2>/dev/null || echo 1)"
[ "$jobs" -le 4 ] || jobs=4
while getopts "o:t:n:j:h" opt; do
	case "$opt" in
	o) outdir="$OPTARG" ;;
	t) timeout="$OPTARG" ;;
	n) runs="$OPTARG" ;;
	j) jobs="$OPTARG" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
	echo "run-notebooks: -n wants a positive number of runs, got '$runs'" >&2
	exit 2
fi
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
	echo "run-notebooks: -j wants a positive number of notebooks at once, got '$jobs'" >&2
	exit 2
fi

notebooks=("$@")
if [ "${#notebooks[@]}" -eq 0 ]; then
	shopt -s nullglob
	notebooks=("$SORLAB_ROOT"/notebooks/*.ipynb)
	shopt -u nullglob
	if [ "${#notebooks[@]}" -eq 0 ]; then
		echo "run-notebooks: no notebooks in $SORLAB_ROOT/notebooks" >&2
		exit 1
	fi
	# The glob is already sorted (LC_COLLATE); make it bytewise.
	mapfile -t notebooks < <(printf '%s\n' "${notebooks[@]}" | LC_ALL=C sort)
fi

if [ -z "$JUPYTER" ] || ! "$JUPYTER" nbconvert --version >/dev/null 2>&1; then
	echo "run-notebooks: jupyter nbconvert not found; run docker/setup.sh" >&2
	exit 1
fi
kernels="$("$JUPYTER" kernelspec list 2>/dev/null)"
if ! grep -q '^ *gonb ' <<<"$kernels"; then
	echo "run-notebooks: the gonb Jupyter kernel is not registered; run docker/setup.sh" >&2
	exit 1
fi
for t in go goimports; do
	if ! command -v "$t" >/dev/null; then
		echo "run-notebooks: $t not on PATH ($PATH); run docker/setup.sh" >&2
		exit 1
	fi
done

# cpu_now sets cpu to the CPU time (user + system) this shell's finished
# children have used so far, to 0.01 s: the second line of the `times`
# builtin, which must run in this shell (a $(...) would count its own).
cpu_now() {
	local f="$times_file.$BASHPID" # one per subshell of run_parallel
	times >"$f"
	cpu=$(awk 'NR == 2 {
		n = split($0, t, /[ms ]+/); s = 0
		for (i = 1; i + 1 <= n; i += 2) if (t[i] != "") s += 60 * t[i] + t[i + 1]
		printf "%.2f", s
	}' "$f")
	rm -f "$f"
}

# minus prints a - b to 0.1.
minus() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'
}

# since prints the seconds elapsed since a `date +%s.%N` time, to 0.1 s.
since() {
	awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

# export_html exports the run's executed notebooks to HTML in one nbconvert
# process (its start-up costs about 2 s of CPU, which one process per
# notebook would pay five times), and records a failure against every
# notebook whose .html is missing.
export_html() {
	local i html
	[ "${#to_export[@]}" -gt 0 ] || return 0
	"$JUPYTER" nbconvert --to html --output-dir "$rundir" "${to_export[@]}" >"$rundir/html-export.log" 2>&1
	for i in "${!to_export[@]}"; do
		html="${to_export[$i]%.ipynb}.html"
		if [ ! -s "$html" ]; then
			echo "FAIL ${exported_as[$i]}: HTML export failed; see $rundir/html-export.log"
			failed+=("${exported_as[$i]}")
			summary+=("$(printf '%-8s %6s   CPU %6s   %s' FAILED - - "${exported_as[$i]} (HTML export)")")
		fi
	done
	to_export=()
	exported_as=()
}

# run_notebook executes one notebook into $rundir and records the outcome in
# failed and summary.
run_notebook() {
	local nb="$1" nbdir name nbpath executed log rel marker start cpu0 ok rc f secs cpu status
	if [ ! -f "$nb" ]; then
		echo "run-notebooks: $nb: no such notebook" >&2
		failed+=("$nb$tag")
		summary+=("$(printf '%-8s %6s   CPU %6s   %s' MISSING - - "$nb$tag")")
		return
	fi
	nbdir="$(cd "$(dirname "$nb")" && pwd)"
	name="$(basename "$nb" .ipynb)"
	nbpath="$nbdir/$name.ipynb"
	executed="$rundir/$name.ipynb"
	log="$rundir/$name.log"
	rel="${nbpath#"$SORLAB_ROOT"/}"
	rm -f "$executed" "$rundir/$name.html"
	marker="$(mktemp)"

	echo "=== $rel: executing$tag (per-cell timeout ${timeout}s, log $log)"
	start=$(date +%s.%N)
	cpu_now
	cpu0=$cpu
	ok=1
	# --allow-errors: keep executing and always write the executed notebook;
	# check_notebook.py decides. interrupt_on_timeout: a cell over the timeout
	# is interrupted (GoNB prints "signal: interrupt"), not a lost notebook.
	(cd "$nbdir" && "$JUPYTER" nbconvert --to notebook --execute --allow-errors \
		--ExecutePreprocessor.kernel_name=gonb \
		--ExecutePreprocessor.timeout="$timeout" \
		--ExecutePreprocessor.interrupt_on_timeout=True \
		--output-dir "$rundir" --output "$name" "$nbpath") >"$log" 2>&1
	rc=$?

	if [ "$rc" -ne 0 ] || [ ! -f "$executed" ]; then
		ok=0
		echo "FAIL $rel: nbconvert exited with status $rc; last lines of $log:"
		grep -v -E '^[IWE][0-9]{4} ' "$log" | tail -n 15 | sed 's/^/    | /'
	elif ! "$SORLAB_PYTHON" "$here/check_notebook.py" "$executed" "$rel"; then
		ok=0
		if grep -q 'Timeout waiting for execute reply' "$log"; then
			echo "    (a cell hit the per-cell timeout of ${timeout}s and was interrupted)"
		fi
	fi

	if [ -f "$executed" ]; then
		to_export+=("$executed")
		exported_as+=("$rel$tag")
	fi

	if [ "$nbdir" != "$rundir" ]; then
		for f in results.json results.png; do
			if [ -f "$nbdir/$f" ] && [ "$nbdir/$f" -nt "$marker" ]; then
				cp -p "$nbdir/$f" "$rundir/$f" && echo "    copied $f from $nbdir"
			fi
		done
	fi
	rm -f "$marker"
	secs=$(since "$start")
	cpu_now
	cpu=$(minus "$cpu" "$cpu0")

	if [ "$ok" = 1 ]; then
		status=ok
	else
		status=FAILED
		failed+=("$rel$tag")
	fi
	echo "=== $rel: $status in ${secs}s$tag, CPU ${cpu}s"
	summary+=("$(printf '%-8s %6ss  CPU %6ss  %s' "$status" "$secs" "$cpu" "$rel$tag")")
}

# run_parallel runs the notebooks $jobs at a time, each run_notebook in a
# subshell whose report and outcome (the arrays it appends to, one file each,
# NUL-separated) go to files, then prints the reports and gathers the
# outcomes in the notebooks' order.
run_parallel() {
	local i a state part
	state="$(mktemp -d)"
	echo "=== ${#notebooks[@]} notebooks, up to $jobs at a time; each one's report when it ends"
	for i in "${!notebooks[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		(
			failed=() summary=() to_export=() exported_as=()
			run_notebook "${notebooks[$i]}" >"$state/$i.out" 2>&1
			printf '%s\0' "${failed[@]}" >"$state/$i.failed"
			printf '%s\0' "${summary[@]}" >"$state/$i.summary"
			printf '%s\0' "${to_export[@]}" >"$state/$i.to_export"
			printf '%s\0' "${exported_as[@]}" >"$state/$i.exported_as"
			cat "$state/$i.out"
		) &
	done
	wait
	for i in "${!notebooks[@]}"; do
		if [ ! -f "$state/$i.exported_as" ]; then
			echo "FAIL ${notebooks[$i]}$tag: its runner died; its report:"
			sed 's/^/    | /' "$state/$i.out" 2>/dev/null
			failed+=("${notebooks[$i]}$tag")
			summary+=("$(printf '%-8s %6s   CPU %6s   %s' FAILED - - "${notebooks[$i]}$tag")")
			continue
		fi
		for a in failed summary to_export exported_as; do
			mapfile -d '' -t part <"$state/$i.$a"
			# An empty array prints one empty string.
			if [ "${#part[@]}" -gt 0 ] && [ -n "${part[0]}" ]; then
				eval "$a+=(\"\${part[@]}\")"
			fi
		done
	done
	rm -rf "$state"
}

mkdir -p "$outdir" || exit 1
outdir="$(cd "$outdir" && pwd)"
export SORLAB_HEADLESS=1

failed=()
summary=()
to_export=()
exported_as=()
all_start=$(date +%s.%N)
times_file="$(mktemp -d)/times"
cpu_now
all_cpu=$cpu
for ((run = 1; run <= runs; run++)); do
	rundir="$outdir"
	tag=""
	if [ "$runs" -gt 1 ]; then
		rundir="$outdir/run-$run"
		tag=" (run $run of $runs)"
		mkdir -p "$rundir" || exit 1
	fi
	export SORLAB_OUT="$rundir"
	run_start=$(date +%s.%N)
	if [ "$jobs" -eq 1 ] || [ "${#notebooks[@]}" -eq 1 ]; then
		for nb in "${notebooks[@]}"; do
			run_notebook "$nb"
		done
	else
		run_parallel
	fi
	export_html
	if [ "$runs" -gt 1 ]; then
		echo "=== run $run of $runs: ${#notebooks[@]} notebook(s) in $(since "$run_start")s"
	fi
done
echo "=== summary (outputs in $outdir)"
printf '%s\n' "${summary[@]}"
total=${#notebooks[@]}
what="notebook(s)"
if [ "$runs" -gt 1 ]; then
	total=$((runs * ${#notebooks[@]}))
	what="notebook run(s) ($runs runs of ${#notebooks[@]})"
fi
cpu_now
rmdir "$(dirname "$times_file")"
echo "=== all in $(since "$all_start")s, CPU $(minus "$cpu" "$all_cpu")s"
if [ "${#failed[@]}" -gt 0 ]; then
	echo "run-notebooks: ${#failed[@]} of $total $what failed: ${failed[*]}" >&2
	exit 1
fi
echo "run-notebooks: all $total $what passed"
