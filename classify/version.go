package classify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
)

// scorerRevision names the Go code's part of a classifier version: bump it
// whenever a change to normalisation, language identification, matching or
// scoring changes the result for some post, so that stored posts are scored
// again (pipeline.Rescore). Changes to the lexicon files, model.json and
// thresholds.json are seen by the digest without it.
const scorerRevision = "4"

// version returns "<revision>-<digest>", the digest over the lexicon files
// (names and contents, in lexical order), the model and the thresholds.
func version(lexicons fs.FS, m Model, th Thresholds) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(lexicons, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(lexicons, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("classify: version: %w", err)
	}
	// Model and thresholds again: Options may replace the files' ones.
	// Maps marshal in key order, so the bytes are deterministic.
	for _, v := range []any{m, th} {
		b, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("classify: version: %w", err)
		}
		h.Write(b)
	}
	return scorerRevision + "-" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Version names what this classifier scores with: its code revision and a
// digest of its lexicons, model and thresholds. Two classifiers with the
// same version give every post the same result; a post stored under another
// version is stale.
func (c *Classifier) Version() string { return c.version }
