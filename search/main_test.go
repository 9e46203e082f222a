package search

import (
	"os"
	"testing"
)

var cleanups []func()

var (
	osMkdirTemp = func() (string, error) { return os.MkdirTemp("", "signpost-search") }
	osRemoveAll = os.RemoveAll
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		os.Exit(killChild(dir))
	}
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}
