// Package nb shows sorlab charts and tables in a GoNB notebook cell: plots as
// inline PNG images, DataFrames as HTML tables, the JSON summary as text.
// Outside a notebook the gonbui calls do nothing harmful, so code using nb
// also runs in tests and scripts.
package nb

import (
	"fmt"
	"html"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/sorlab/sorlab/sor/chart"
)

// Plot renders f as a PNG of its size (chart.Size) and displays it.
func Plot(f chart.Figure, err error) error {
	if err != nil {
		return err
	}
	png, err := chart.Encode(f)
	if err != nil {
		return err
	}
	gonbui.DisplayPNG(png)
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
	gonbui.DisplayHTML(TableHTML(df, maxRows))
}

// JSON displays JSON (or any text) preformatted.
func JSON(b []byte) {
	gonbui.DisplayHTML("<pre>" + html.EscapeString(string(b)) + "</pre>")
}
