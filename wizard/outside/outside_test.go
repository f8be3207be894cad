package outside

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"12.7.1":                         "12.7.1",
		"ok\x1b[2J\x1b[Hok  google":      `ok\x1b[2J\x1b[Hok  google`,
		"line one\nline two\r\n":         "line one line two  ",
		"\u009b31m C1 CSI":               `\u009b31m C1 CSI`,
		"\x9b31m raw byte":               `\x9b31m raw byte`,
		"bell\x07 del\x7f nul\x00":       `bell\x07 del\x7f nul\x00`,
		"abc\u202edcba":                  `abc\u202edcba`,
		"bad \xff\xfe utf-8":             `bad \xff\xfe utf-8`,
		"Привет, 世界 ✓":                   "Привет, 世界 ✓",
		"line\u2028sep\u2029par":         `line\u2028sep\u2029par`,
		"\x1b]0;title\x07 osc":           `\x1b]0;title\x07 osc`,
		"tab\there":                      "tab here",
		"":                               "",
		"+7(999)***-**-99\x1b[1A forged": `+7(999)***-**-99\x1b[1A forged`,
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextCut(t *testing.T) {
	long := strings.Repeat("é", 3<<20) // 6 MB
	got := Text(long)
	if len(got) > MaxText || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
		t.Fatalf("cut to %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if v := Name(strings.Repeat("1.", 2<<20)); len(v) > MaxName {
		t.Fatalf("name kept %d bytes", len(v))
	}
	if Cut("short", 10) != "short" {
		t.Fatal("a short text was cut")
	}
}

// FuzzClean: whatever comes in, what comes out is valid UTF-8 with no
// character a terminal acts on, and Text is bounded.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"ok\x1b[2J", "\xff", "\u202e", "a\nb", "\x9b", strings.Repeat("x", 2000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q is not UTF-8", s, c)
		}
		for _, r := range c {
			if unsafeRune(r) || r == '\n' || r == '\r' {
				t.Fatalf("Clean(%q) = %q keeps %U", s, c, r)
			}
		}
		if isClean(s) && c != s {
			t.Fatalf("a clean text changed: %q -> %q", s, c)
		}
		if tx := Text(s); len(tx) > MaxText || !utf8.ValidString(tx) {
			t.Fatalf("Text(%q) is %d bytes", s, len(tx))
		}
	})
}

func TestReadAllBounded(t *testing.T) {
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip("no /dev/zero here")
	}
	defer zero.Close()
	_, err = ReadAll(context.Background(), zero, MaxFile, "the values file")
	var tl *TooLargeError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("got %v", err)
	}
	b, err := ReadAll(context.Background(), strings.NewReader(strings.Repeat("x", MaxFile)), MaxFile, "x")
	if err != nil || len(b) != MaxFile {
		t.Fatalf("exactly the limit: %d %v", len(b), err)
	}
}

func TestReadLine(t *testing.T) {
	in := bufio.NewReaderSize(strings.NewReader("first\r\nsecond\nlast"), 16)
	for _, want := range []string{"first", "second", "last"} {
		got, err := ReadLine(context.Background(), in, 100)
		if err != nil || got != want {
			t.Fatalf("got %q %v, want %q", got, err, want)
		}
	}
	if _, err := ReadLine(context.Background(), in, 100); err != io.EOF {
		t.Fatalf("after the end: %v", err)
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip("no /dev/zero here")
	}
	defer zero.Close()
	if _, err := ReadLine(context.Background(), bufio.NewReader(zero), MaxLine); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("endless line: %v", err)
	}
}

// A read blocked on a pipe or a FIFO with no writer ends when the context
// does.
func TestReadsEndWithContext(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no FIFOs here")
	}
	for name, read := range map[string]func(context.Context) error{
		"pipe": func(ctx context.Context) error { _, err := ReadAll(ctx, r, MaxFile, "x"); return err },
		"line": func(ctx context.Context) error { _, err := ReadLine(ctx, bufio.NewReader(r), MaxLine); return err },
		"fifo": func(ctx context.Context) error { _, err := ReadFile(ctx, fifo, MaxFile, "x"); return err },
	} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- read(ctx) }()
		time.Sleep(20 * time.Millisecond)
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s: %v", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the read did not end", name)
		}
	}
}
