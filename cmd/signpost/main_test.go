package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "signpost-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "signpost")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	stopBrowserTests()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running signpost binary and the lines it has logged.
type server struct {
	cmd  *exec.Cmd
	url  string
	logs chan string
	all  []string
}

var servingRE = regexp.MustCompile(`Signpost is serving (http://127\.0\.0\.1:\d+)`)

func startServer(t *testing.T, dataDir string) *server {
	t.Helper()
	return startServerWith(t, dataDir, true)
}

// startServerWith starts the binary; with cleanup, the test's end kills it.
func startServerWith(t *testing.T, dataDir string, cleanup bool) *server {
	t.Helper()
	cmd := exec.Command(binary, "-addr", "127.0.0.1:0", "-data", dataDir)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: make(chan string, 1000)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.logs <- sc.Text()
		}
		close(s.logs)
	}()
	deadline := time.After(30 * time.Second)
	for s.url == "" {
		select {
		case line, ok := <-s.logs:
			if !ok {
				t.Fatalf("server exited before serving: %v", s.all)
			}
			s.all = append(s.all, line)
			if m := servingRE.FindStringSubmatch(line); m != nil {
				s.url = m[1]
			}
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("server did not start: %v", s.all)
		}
	}
	if cleanup {
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	// Keep reading its log, so it never blocks on a full pipe.
	go func() {
		for range s.logs {
		}
	}()
	return s
}

func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v: %s", url, err, body)
	}
	return resp.StatusCode
}

func TestServerFirstStartSeedsAndShutsDownCleanly(t *testing.T) {
	data := filepath.Join(t.TempDir(), "signpost-data") // does not exist yet
	srv := startServer(t, data)

	seeded := ""
	for _, l := range srv.all {
		if strings.Contains(l, "seeded the demo directory") {
			seeded = l
		}
	}
	if seeded == "" || !strings.Contains(seeded, "browse "+srv.url+"/") || !strings.Contains(seeded, "services=738") {
		t.Errorf("no seed log line with the URL and count; logs: %v", srv.all)
	}

	var health map[string]string
	if code := getJSON(t, srv.url+"/healthz", &health); code != 200 || health["status"] != "ok" ||
		(health["index"] != "ready" && health["index"] != "rebuilding") {
		t.Errorf("healthz: %d %v", code, health)
	}
	// The first start builds the index; it becomes ready.
	for deadline := time.Now().Add(30 * time.Second); health["index"] != "ready"; {
		if time.Now().After(deadline) {
			t.Fatalf("index not ready after 30 s: %v", health)
		}
		time.Sleep(50 * time.Millisecond)
		getJSON(t, srv.url+"/healthz", &health)
	}
	var found struct {
		Total   int `json:"total"`
		Results []struct {
			Name string `json:"name"`
		} `json:"results"`
		Facets map[string][]struct {
			ID    string `json:"id"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if code := getJSON(t, srv.url+"/api/search?q=befrending", &found); code != 200 || found.Total == 0 || len(found.Facets["category"]) == 0 {
		t.Errorf("/api/search?q=befrending: %d %+v", code, found)
	}
	var page struct {
		TotalElements int `json:"totalElements"`
	}
	if getJSON(t, srv.url+"/api/v1/services", &page); page.TotalElements != 738 {
		t.Errorf("services: %d", page.TotalElements)
	}
	resp, err := http.Get(srv.url + "/")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("home page: %v %v", resp, err)
	}
	resp.Body.Close()

	// While it runs, a second process cannot take the data directory.
	start := time.Now()
	out, err := exec.Command(binary, "import", "-data", data, "../../directory/testdata/messy").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by another Signpost process") {
		t.Errorf("import into a held data directory: %v %s", err, out)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v to give up", time.Since(start))
	}

	// SIGTERM: it shuts down and exits 0.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("did not exit after SIGTERM")
	}

	// signpost reindex rebuilds the index offline.
	out, err = exec.Command(binary, "reindex", "-data", data).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Rebuilt the search index of 738 services") {
		t.Errorf("reindex: %v\n%s", err, out)
	}

	// A second start keeps the data and does not seed again.
	again := startServer(t, data)
	for _, l := range again.all {
		if strings.Contains(l, "seeded") {
			t.Errorf("seeded again on second start: %s", l)
		}
	}
	if getJSON(t, again.url+"/api/v1/services", &page); page.TotalElements != 738 {
		t.Errorf("after restart: %d services", page.TotalElements)
	}
}

func TestImportCommand(t *testing.T) {
	data := t.TempDir()
	report := filepath.Join(t.TempDir(), "report.json")
	out, err := exec.Command(binary, "import", "-data", data, "-source", "Messy", "-report", report, "../../directory/testdata/messy").CombinedOutput()
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "6 services created") || !strings.Contains(string(out), "svc-noname: name is required") {
		t.Errorf("summary for people:\n%s", out)
	}
	var r struct {
		Created, Updated, Unchanged int
		Rejected                    []struct{ ID, Field, Message string }
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &r); err != nil || r.Created != 6 || len(r.Rejected) != 9 {
		t.Errorf("report: %+v %v\n%s", r, err, raw)
	}

	// The same again: nothing changes.
	out, err = exec.Command(binary, "import", "-data", data, "-source", "Messy", "../../directory/testdata/messy").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "0 services created, 0 updated, 6 unchanged") {
		t.Errorf("re-import: %v\n%s", err, out)
	}

	// A truncated file: exit 1, a clear message, nothing imported.
	trunc := filepath.Join(t.TempDir(), "cut.json")
	os.WriteFile(trunc, []byte(`[{"id":"x","name":"X","organization":{"id":"5a0d4e5c-0000-4000-8000-000000000001","name":"O"`), 0o644)
	cmd := exec.Command(binary, "import", "-data", data, trunc)
	out, err = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "nothing was imported") || !strings.Contains(string(out), "truncated") {
		t.Errorf("truncated import: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}

	// Usage errors exit 2.
	cmd = exec.Command(binary, "import", "-data", data)
	out, _ = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 2 {
		t.Errorf("missing PATH: exit %d\n%s", cmd.ProcessState.ExitCode(), out)
	}
}
