#!/usr/bin/env python3
"""Fail on errors recorded in an executed GoNB notebook.

Usage: check_notebook.py EXECUTED.ipynb [DISPLAY_NAME]

nbconvert runs with --allow-errors (so the executed notebook is always
written), hence this check decides whether the notebook failed. A code cell
fails when its outputs contain:

  * an output of output_type "error" (GoNB reports a Go panic, os.Exit(N),
    log.Fatal, a compile error or a bad %-command this way);
  * a stderr stream line starting with "panic: ", "fatal error: ",
    "exit status N" or "signal: NAME" -- GoNB v0.11.4 reports a failing
    `!`/`!*` shell command only by printing its exit error ("exit status 3",
    "signal: killed", "signal: interrupt" after a per-cell timeout) to
    stderr, and the notebook goes on;
  * fewer image/png outputs than the cell draws charts: a cell draws one
    chart per `nb.Plot(` or `nb.Interact(` in its source, or N when a line
    of its source is the marker `//nb:images N` (for a cell drawing through
    a helper, or in a loop). GoNB loses a display still in its pipe when
    the cell's program exits, and the notebook looks fine without it;
  * output on stdout (a stream) together with displays (display_data): the
    two travel through different pipes, so their order in the output is not
    the code's. Print with nb.Printf in a cell that displays.

Lines are matched at their start, so a program merely mentioning "exit
status" inside a log line does not fail the notebook.

Prints one block per failing cell: its 1-based position among all cells,
its execution count, the first line of its source and the error text
(including GoNB's HTML compile-error display, converted to text).
Exit status: 0 clean, 1 failures found, 2 unreadable notebook.
Python 3 standard library only.
"""

import html.parser
import json
import re
import sys

DRAW_CALL = re.compile(r"\bnb\.(?:Plot|Interact)\(")
IMAGES_MARKER = re.compile(r"^\s*//nb:images\s+(\d+)\s*$", re.M)
STDERR_FAIL = re.compile(
    r"^(?:\^C)?(panic: .*|fatal error: .*|exit status \d+|signal: [\w ]+)\s*$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_DETAIL_LINES = 20


def text(v):
    """nbformat multiline strings are str or list of str."""
    if isinstance(v, list):
        return "".join(v)
    return v or ""


class _HTMLText(html.parser.HTMLParser):
    """Text of GoNB's HTML error display, without <style> and code context."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0  # depth inside <style> or the hover context div

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if self.skip:
            self.skip += 1
        elif tag == "style" or "gonb-err-context" in cls:
            self.skip = 1

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1
        elif tag == "div":
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_error_text(h):
    if "gonb-err" not in h and "application/vnd.jupyter.stderr" not in h:
        return ""
    p = _HTMLText()
    p.feed(h)
    lines = [ln.strip() for ln in "".join(p.out).splitlines()]
    return "\n".join(ln for ln in lines if ln)


def expected_images(source):
    """Charts a cell's source draws: its //nb:images marker, else its calls."""
    m = IMAGES_MARKER.search(source)
    if m:
        return int(m.group(1))
    return len(DRAW_CALL.findall(source))


def check_cell(cell):
    """Returns (summary, detail_lines) or None."""
    summary = None
    detail = []
    images = 0
    displays = 0
    stdout = False
    for out in cell.get("outputs") or []:
        data = out.get("data", {})
        if "image/png" in data:
            images += 1
        if out.get("output_type") == "display_data":
            displays += 1
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            stdout = True
        kind = out.get("output_type")
        if kind == "error":
            msg = "%s: %s" % (out.get("ename", "error"), out.get("evalue", ""))
            summary = summary or msg
            tb = [ANSI.sub("", t) for t in out.get("traceback", [])]
            detail.extend(t for t in tb if t and t != out.get("evalue"))
        elif kind == "stream" and out.get("name") == "stderr":
            lines = ANSI.sub("", text(out.get("text"))).splitlines()
            detail.extend(lines)
            for ln in lines:
                m = STDERR_FAIL.match(ln)
                if m and summary is None:
                    summary = "stderr: " + m.group(1)
        elif kind in ("display_data", "execute_result"):
            h = text(out.get("data", {}).get("text/html"))
            t = html_error_text(h) if h else ""
            if t:
                detail.extend(t.splitlines())
    want = expected_images(text(cell.get("source")))
    if summary is None and images < want:
        summary = "draws %d chart(s) but shows %d image(s)" % (want, images)
    if summary is None and stdout and displays:
        summary = ("prints to stdout and displays: their order in the output is not "
                   "the code's; print with nb.Printf in a cell that displays")
    if summary is None:
        return None
    if len(detail) > MAX_DETAIL_LINES:
        cut = len(detail) - MAX_DETAIL_LINES
        detail = ["... (%d lines cut)" % cut] + detail[cut:]
    return summary, detail


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path = argv[1]
    name = argv[2] if len(argv) > 2 else path
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        cells = nb["cells"]
    except (OSError, ValueError, KeyError) as e:
        print("FAIL %s: cannot read executed notebook: %s" % (name, e))
        return 2
    failures = 0
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        res = check_cell(cell)
        if res is None:
            continue
        failures += 1
        summary, detail = res
        src = text(cell.get("source")).strip().splitlines()
        first = src[0] if src else ""
        count = cell.get("execution_count")
        print(
            "FAIL %s: cell #%d of %d (In [%s]) `%s`: %s"
            % (name, i + 1, len(cells), count if count is not None else " ", first, summary)
        )
        for ln in detail:
            print("    | " + ln)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
