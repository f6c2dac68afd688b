package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidewatch/evidence"
)

func b32sum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + base32.StdEncoding.EncodeToString(sum[:])
}

// writeEvidence writes n exchanges to data/warc.
func writeEvidence(t *testing.T, data string, n int) {
	t.Helper()
	w, err := evidence.Create(filepath.Join(data, "warc"), evidence.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		_, err := w.Write(&evidence.Exchange{
			URL:            fmt.Sprintf("https://example.org/%d", i),
			Status:         200,
			ResponseHeader: http.Header{"Content-Type": {"text/html"}},
			Body:           []byte("<p>hello</p>"),
			Fetched:        time.Date(2026, 11, 22, 15, 11, 0, 0, time.UTC),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func runEv(args ...string) (out, errOut string, err error) {
	var o, e bytes.Buffer
	err = runEvidence(context.Background(), streams{strings.NewReader(""), &o, &e}, args)
	return o.String(), e.String(), err
}

func TestEvidenceVerifyClean(t *testing.T) {
	data := t.TempDir()
	writeEvidence(t, data, 2)
	writeEvidence(t, data, 1)
	for _, args := range [][]string{{"verify", "--data", data}, {"--data", data, "verify"}} {
		out, errOut, err := runEv(args...)
		if err != nil {
			t.Errorf("evidence %q = %v", args, err)
		}
		want := filepath.Join(data, "warc") + ": 2 files, 8 records: 8 OK, 0 mismatches, 0 unreadable files\n"
		if out != want || errOut != "" {
			t.Errorf("evidence %q printed\n%q, stderr %q\nwant %q", args, out, errOut, want)
		}
	}
}

func TestEvidenceVerifyProblems(t *testing.T) {
	data := t.TempDir()
	writeEvidence(t, data, 2)
	dir := filepath.Join(data, "warc")

	// A hand-made record whose body was changed after it was written: its
	// payload digest is of "hello", its body says "HELLO".
	rec := func(body, digestOf string) string {
		block := "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + body
		return "WARC/1.1\r\nWARC-Type: response\r\n" +
			"WARC-Record-ID: <urn:uuid:5f1b2c3d-0000-4000-8000-000000000001>\r\n" +
			"WARC-Date: 2026-11-22T15:11:00Z\r\nWARC-Target-URI: https://t.me/s/somechannel/12\r\n" +
			"Content-Type: application/http;msgtype=response\r\n" +
			"WARC-Payload-Digest: " + b32sum(digestOf) + "\r\n" +
			"WARC-Block-Digest: " + b32sum(block) + "\r\n" +
			fmt.Sprintf("Content-Length: %d\r\n\r\n", len(block)) + block + "\r\n\r\n"
	}
	tampered := rec("HELLO", "hello")
	if err := os.WriteFile(filepath.Join(dir, "a-tampered.warc"), []byte(tampered), 0o600); err != nil {
		t.Fatal(err)
	}
	// A file cut short inside its second record, as a crash would leave it.
	good := rec("hello", "hello")
	if err := os.WriteFile(filepath.Join(dir, "b-truncated.warc"), []byte(good+good[:len(good)-30]), 0o600); err != nil {
		t.Fatal(err)
	}

	out, errOut, err := runEv("verify", "--data", data)
	if err == nil || err.Error() != "evidence verify: 1 digest mismatch, 1 unreadable file" || errors.Is(err, errUsage) {
		t.Errorf("error = %v, want 1 mismatch, 1 unreadable file (exit status 1)", err)
	}
	want := dir + ": 3 files, 7 records: 6 OK, 1 mismatch, 1 unreadable file\n" +
		"MISMATCH a-tampered.warc <urn:uuid:5f1b2c3d-0000-4000-8000-000000000001> https://t.me/s/somechannel/12\n" +
		"  WARC-Payload-Digest expected " + b32sum("hello") + "\n" +
		"                      actual   " + b32sum("HELLO") + "\n" +
		fmt.Sprintf("UNREADABLE b-truncated.warc after 1 record: WARC record at offset %d: data ends inside the record (truncated)\n", len(good))
	if out != want || errOut != "" {
		t.Errorf("printed\n%s\nstderr %q\nwant\n%s", out, errOut, want)
	}
}

func TestEvidenceVerifyNoDir(t *testing.T) {
	data := filepath.Join(t.TempDir(), "nothing")
	_, _, err := runEv("verify", "--data", data)
	want := "evidence verify: no WARC directory " + filepath.Join(data, "warc") + " (nothing captured yet, or the wrong --data)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestEvidenceUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "usage: evidence: name a subcommand (verify)"},
		{[]string{"check"}, `usage: evidence: unknown subcommand "check" (want verify)`},
		{[]string{"verify", "extra"}, `usage: evidence verify takes no arguments, got ["extra"]`},
		{[]string{"verify", "--nope"}, "usage: evidence: flag provided but not defined: -nope"},
		{[]string{"--data", "x", "verify", "--nope"}, "usage: evidence: flag provided but not defined: -nope"},
	} {
		_, _, err := runEv(tt.args...)
		if !errors.Is(err, errUsage) || err.Error() != tt.want {
			t.Errorf("evidence %q = %v, want usage error %q", tt.args, err, tt.want)
		}
	}
	out, errOut, err := runEv("verify", "-h")
	if err != nil || out != "" || !strings.Contains(errOut, "usage: tidewatch evidence verify [--data DIR]") || !strings.Contains(errOut, "-data") {
		t.Errorf("evidence verify -h = %v, out %q, stderr %q", err, out, errOut)
	}
}
