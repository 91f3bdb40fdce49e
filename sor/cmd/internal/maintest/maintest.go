// Package maintest lets a command's tests run its real main, exit status,
// signal handling and all, in a subprocess: the test binary itself, started
// again with an environment that makes its TestMain call main instead of the
// tests.
//
//	func TestMain(m *testing.M) {
//		maintest.Main("backtest", main)
//		os.Exit(m.Run())
//	}
//
//	stdout, stderr, code := maintest.Run(t, "-data", "x.csv")
package maintest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// argsVar holds the arguments of main, as a JSON list (so that an argument
// may hold spaces); its presence is what makes Main run main.
const argsVar = "SORLAB_MAINTEST_ARGS"

// Main runs main with the arguments of Env, as the program name, and exits
// 0 when main returns, if this process was started by Command or with Env;
// otherwise it returns at once. Call it first in TestMain.
func Main(name string, main func()) {
	raw, ok := os.LookupEnv(argsVar)
	if !ok {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		panic(err) // Env wrote it
	}
	os.Args = append([]string{name}, args...)
	main()
	os.Exit(0)
}

// Env is the environment (this process's, plus one variable) in which the
// test binary runs main with args instead of its tests, for a command
// started some other way (through a shell, say).
func Env(args ...string) []string {
	b, err := json.Marshal(args)
	if err != nil {
		panic(err) // strings only
	}
	return append(os.Environ(), argsVar+"="+string(b))
}

// Command is the test binary set to run main with args; its standard
// streams are the caller's to set.
func Command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = Env(args...)
	return cmd
}

// Run runs main with args and returns its standard output and error and
// its exit status.
func Run(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := Command(args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}
