package main

import (
	"encoding/json"

	"github.com/sorlab/sorlab/sor"
	"github.com/sorlab/sorlab/sor/replay"
)

// withReplay is the summary with the replay section after the exercise's
// fields.
func withReplay(s sor.Summary, r *replay.Report) []byte {
	b, err := json.MarshalIndent(struct {
		sor.Summary
		Replay *replay.Report `json:"replay"`
	}{s, r}, "", "  ")
	if err != nil {
		panic(err) // plain numbers and strings only
	}
	return append(b, '\n')
}
