package nb

import (
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

func TestTableHTMLEscapesAndTruncates(t *testing.T) {
	df := dataframe.New(series.New([]string{"<b>", "x", "y"}, series.String, "a&b"))
	got := TableHTML(df, 2)
	for _, want := range []string{"<th>a&amp;b</th>", ">&lt;b&gt;</td>", ">x</td>", "<i>2 of 3 rows shown</i>"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
	if strings.Contains(got, ">y</td>") {
		t.Error("row beyond maxRows shown")
	}
	if all := TableHTML(df, 0); !strings.Contains(all, ">y</td>") || strings.Contains(all, "rows shown") {
		t.Errorf("maxRows 0 must show all: %s", all)
	}
}
