// Package nb shows sorlab charts, tables and text in a GoNB notebook cell,
// in the order the cell's code produces them, and keeps results that are
// slow to compute from one cell to the next (Cache). Outside a notebook the
// display functions do nothing (Printf prints to standard output), so code
// using nb also runs in tests and scripts.
//
// # Order
//
// A GoNB cell is a program. What it displays (charts, tables) travels to the
// kernel through a named pipe; what it prints to standard output travels
// through another, and the kernel forwards each as it reads it. So a
// fmt.Println before a table can arrive after it, and a chart sent just
// before the program exits can be lost (issue 11: one run in five lost
// 03-backtest's heat map). Every function here waits until the kernel has
// published what it sent (gonbui.Sync), and Printf sends text through the
// same pipe as the charts: a cell that displays with nb and prints with
// nb.Printf gets its outputs in the order of its code. The headless runner
// (docker/check_notebook.py) fails a cell that mixes standard output with
// displays, and a cell that calls nb.Plot without an image in its output.
package nb

import (
	"fmt"
	"html"
	"os"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/sorlab/sorlab/sor/chart"
)

// show sends one display of the given MIME type (with a display id to
// replace an earlier one in place, or "") and waits until GoNB has
// published it. Outside a notebook it does nothing.
var show = func(mime protocol.MIMEType, content any, displayID string) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{mime: content}, DisplayID: displayID})
	gonbui.Sync()
}

// Plot renders f as a PNG of its size (chart.Size) and displays it.
func Plot(f chart.Figure, err error) error {
	if err != nil {
		return err
	}
	png, err := chart.Encode(f)
	if err != nil {
		return err
	}
	show(protocol.MIMEImagePNG, png, "")
	return nil
}

// TableHTML renders df as an HTML table of at most maxRows rows (all when
// maxRows <= 0), saying how many rows were left out.
func TableHTML(df dataframe.DataFrame, maxRows int) string {
	if df.Err != nil {
		return "<pre>" + html.EscapeString(df.Err.Error()) + "</pre>"
	}
	recs := df.Records() // header first
	var b strings.Builder
	b.WriteString(`<table style="font-family:monospace;font-size:12px"><thead><tr>`)
	for _, h := range recs[0] {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead><tbody>")
	rows := recs[1:]
	shown := len(rows)
	if maxRows > 0 && shown > maxRows {
		shown = maxRows
	}
	for _, r := range rows[:shown] {
		b.WriteString("<tr>")
		for _, v := range r {
			fmt.Fprintf(&b, `<td style="text-align:right">%s</td>`, html.EscapeString(v))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	if shown < len(rows) {
		fmt.Fprintf(&b, "<p><i>%d of %d rows shown</i></p>", shown, len(rows))
	}
	return b.String()
}

// Table displays df as an HTML table of at most maxRows rows.
func Table(df dataframe.DataFrame, maxRows int) {
	show(protocol.MIMETextHTML, TableHTML(df, maxRows), "")
}

// HTML displays an HTML fragment, such as a heading above a table.
func HTML(s string) {
	show(protocol.MIMETextHTML, s, "")
}

// JSON displays JSON (or any text) preformatted.
func JSON(b []byte) {
	show(protocol.MIMETextHTML, "<pre>"+html.EscapeString(string(b))+"</pre>", "")
}

// Printf formats like fmt.Printf and shows the text as the cell's next
// output, after whatever the cell displayed before. Outside a notebook it
// prints to standard output.
func Printf(format string, args ...any) {
	text(fmt.Sprintf(format, args...))
}

// Println formats like fmt.Println; see Printf.
func Println(args ...any) {
	text(fmt.Sprintln(args...))
}

func text(s string) {
	if !gonbui.IsNotebook {
		fmt.Fprint(os.Stdout, s)
		return
	}
	show(protocol.MIMETextPlain, s, "")
}
