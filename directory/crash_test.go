package directory

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// crashChildEnv makes the test binary, started by TestImportSurvivesKill, act
// as an importer that is killed part-way.
const crashChildEnv = "SIGNPOST_CRASH_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		os.Exit(crashChild(dir))
	}
	code := m.Run()
	for _, dir := range benchDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// syntheticFeed builds an ORUK feed of n services under one organisation.
func syntheticFeed(n int, prefix string) []byte {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"%s-%06d","name":"Service %d","description":"<p>A group that meets weekly for tea &amp; a chat, number %d.</p>","status":"active",
"organization":{"id":"%s","name":"Org %d","description":""},
"regular_schedules":[{"weekday":"Monday","opens_at":"10:00","closes_at":"12:00"}],
"service_at_locations":[{"location":{"id":"%s-loc-%06d","name":"Hall","physical_addresses":[{"address_1":"1 High St","city":"Scunthorpe","postal_code":"DN15 6NL","country":"GB"}]}}]}`,
			prefix, i, i, i, DeriveID(prefix, strconv.Itoa(i%1000)), i%1000, prefix, i)
	}
	b.WriteString("]")
	return []byte(b.String())
}

func crashChild(dir string) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, StoreOptions{Logger: quietLog})
	if err != nil {
		fmt.Println("open:", err)
		return 1
	}
	batch, err := ParseORUK(syntheticFeed(20000, "big"))
	if err != nil {
		fmt.Println("parse:", err)
		return 1
	}
	_, err = s.Import(ctx, batch, ImportOptions{
		PrepareOptions: PrepareOptions{Source: "big"},
		Progress:       func(stage string) { fmt.Println(stage) },
	})
	if err != nil {
		fmt.Println("import:", err)
		return 1
	}
	s.Close()
	return 0
}

// TestImportSurvivesKill kills an importing process with SIGKILL at several
// moments while it writes, then reopens the store: it must hold either the
// state before the import or the whole import, never part of it.
func TestImportSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes; skipped with -short")
	}
	killedMidWrite := 0
	const noKill = time.Duration(-1)
	sawFull := false
	for _, delay := range []time.Duration{0, 30 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond, noKill} {
		t.Run(delay.String(), func(t *testing.T) {
			dir := t.TempDir()
			ctx := context.Background()
			s, err := Open(ctx, dir, StoreOptions{Logger: quietLog})
			if err != nil {
				t.Fatal(err)
			}
			mustImport(t, s, syntheticFeed(3, "before"), "before")
			before, _ := s.Counts(ctx)
			s.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(out)
			committed := false
			for lines.Scan() {
				if lines.Text() == "writing" {
					break
				}
			}
			if delay != noKill {
				time.Sleep(delay)
				cmd.Process.Signal(syscall.SIGKILL)
			}
			for lines.Scan() {
				if lines.Text() == "committed" {
					committed = true
				}
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				// The child finished before the kill: a valid, if less interesting, outcome.
				committed = true
			}
			if !committed {
				killedMidWrite++
			}

			s, err = Open(ctx, dir, StoreOptions{Logger: quietLog})
			if err != nil {
				t.Fatalf("store does not reopen after kill: %v", err)
			}
			defer s.Close()
			after, err := s.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			full := Counts{Organizations: before.Organizations + 1000, Services: before.Services + 20000,
				Locations: before.Locations + 20000, Taxonomies: before.Taxonomies}
			switch after {
			case before:
				if committed {
					t.Fatalf("the child reported a commit but the store holds the state before it")
				}
			case full:
				sawFull = true
			default:
				t.Fatalf("half-applied import: before %+v, after kill %+v, full %+v", before, after, full)
			}
			// The counts agree with what the buckets really hold.
			_, total, err := s.ListServices(ctx, ServiceFilter{Statuses: []string{StatusActive}}, PageRequest{Number: 1, Size: 1})
			if err != nil || total != after.Services {
				t.Fatalf("scan finds %d services, counts say %d (%v)", total, after.Services, err)
			}
			t.Logf("killed %v after writing began: committed=%v services=%d", delay, committed, after.Services)
		})
	}
	if !sawFull {
		t.Errorf("the import that was not killed did not leave the full state")
	}
	if killedMidWrite == 0 {
		t.Errorf("no kill landed before the commit, so nothing was tested; make the feed larger")
	}
}

func TestOpenFailsFastWhenLocked(t *testing.T) {
	s, dir := openTestStore(t)
	_ = s
	start := time.Now()
	_, err := Open(context.Background(), dir, StoreOptions{Logger: quietLog, LockTimeout: 300 * time.Millisecond})
	if err == nil {
		t.Fatal("a second Open of a held data directory succeeded")
	}
	if ErrorCode(err) != EUNAVAILABLE || !strings.Contains(err.Error(), "in use by another Signpost process") {
		t.Errorf("error = %v", err)
	}
	if waited := time.Since(start); waited > 3*time.Second {
		t.Errorf("waited %v before failing", waited)
	}
}
