// Package seeds loads and validates source definitions: which public pages
// tidewatch crawls, how often, and how politely.
//
// A seeds file is YAML:
//
//	user_agent: "tidewatch/1.0 (+https://example.org/contact)"
//	sources:
//	  - name: crossings-channel
//	    kind: telegram
//	    urls: ["https://t.me/s/somechannel"]
//	    schedule: "*/15 * * * *"
//	    delay: 2s
//
// Load reports the first problems it finds with the file name, the line and
// the field, so that whoever wrote the file can fix it.
package seeds

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// Kinds of source, each handled by its own crawler adapter.
const (
	Telegram = "telegram"
	HTML     = "html"
	Feed     = "feed"
	Mastodon = "mastodon"
)

// Defaults applied where a source says nothing. Two seconds and one request
// at a time is what a human reader would cost a host; it is the safe default
// for a crawler that runs unattended for months.
const (
	DefaultDelay       = 2 * time.Second
	DefaultParallelism = 1
	DefaultMaxPages    = 50
	DefaultMaxDepth    = 2
	DefaultSchedule    = "0 * * * *"
	DefaultUserAgent   = "tidewatch/1.0 (+https://github.com/tidewatch/tidewatch; monitoring of public posts)"
)

// File is a loaded seeds file.
type File struct {
	Path      string   `yaml:"-"`
	UserAgent string   `yaml:"user_agent"`
	Sources   []Source `yaml:"sources"`
}

// Source is one thing to crawl.
type Source struct {
	Name        string        `yaml:"name"`
	Kind        string        `yaml:"kind"`
	URLs        []string      `yaml:"urls"`
	Schedule    string        `yaml:"schedule"`    // cron, five fields, UTC
	Delay       time.Duration `yaml:"delay"`       // minimum gap between requests to one host
	Parallelism int           `yaml:"parallelism"` // requests in flight per host
	MaxPages    int           `yaml:"max_pages"`   // page budget per run
	MaxDepth    int           `yaml:"max_depth"`   // link hops from a start URL (html threads)
	Selectors   Selectors     `yaml:"selectors"`   // kind html only

	Line int `yaml:"-"` // line of the source in its file, for messages
}

// Selectors say where the parts of a post are on an html page. "sel@attr"
// reads an attribute instead of the text.
type Selectors struct {
	Post      string `yaml:"post"`
	Text      string `yaml:"text"`
	Author    string `yaml:"author"`
	Date      string `yaml:"date"`
	Permalink string `yaml:"permalink"`
	Next      string `yaml:"next"`
	Thread    string `yaml:"thread"` // links from a list page to thread pages
}

// Error is a problem at a place in a seeds file.
type Error struct {
	File  string
	Line  int
	Field string // e.g. "sources[2].schedule"
	Err   error
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Load reads and validates the seeds file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seeds: %w", err)
	}
	return Parse(path, data)
}

// Parse validates a seeds file read from name. Defaults are filled in for
// the fields a source leaves out.
func Parse(name string, data []byte) (*File, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: name, Line: 1, Field: "sources", Err: errors.New("file is empty")}
	}
	doc := root.Content[0]
	var es Errors
	add := func(n *yaml.Node, field string, format string, args ...any) {
		es = append(es, &Error{File: name, Line: n.Line, Field: field, Err: fmt.Errorf(format, args...)})
	}
	if doc.Kind != yaml.MappingNode {
		add(doc, "(top level)", "want a mapping with user_agent and sources")
		return nil, es
	}
	f := &File{Path: name}
	var sourcesNode *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "user_agent":
			if v.Kind != yaml.ScalarNode {
				add(v, "user_agent", "want a string")
				continue
			}
			f.UserAgent = v.Value
		case "sources":
			sourcesNode = v
		default:
			add(k, k.Value, "unknown field (want user_agent or sources)")
		}
	}
	if f.UserAgent == "" {
		f.UserAgent = DefaultUserAgent
	}
	if sourcesNode == nil {
		add(doc, "sources", "missing: a seeds file lists at least one source")
		return nil, es
	}
	if sourcesNode.Kind != yaml.SequenceNode {
		add(sourcesNode, "sources", "want a list of sources")
		return nil, es
	}
	if len(sourcesNode.Content) == 0 {
		add(sourcesNode, "sources", "empty: list at least one source")
	}
	names := map[string]int{}
	for i, n := range sourcesNode.Content {
		field := fmt.Sprintf("sources[%d]", i)
		s, errs := parseSource(name, field, n)
		es = append(es, errs...)
		if s == nil {
			continue
		}
		if s.Name != "" {
			if line, dup := names[s.Name]; dup {
				add(n, field+".name", "%q already names the source at line %d", s.Name, line)
			}
			names[s.Name] = n.Line
		}
		f.Sources = append(f.Sources, *s)
	}
	if len(es) > 0 {
		return nil, es
	}
	return f, nil
}

// yamlError turns a YAML syntax error, which carries "line N" in its text,
// into an *Error with the line.
func yamlError(name string, err error) error {
	line := 0
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &line)
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if j := strings.Index(msg, ": "); j >= 0 && strings.HasPrefix(msg, "line ") {
		msg = msg[j+2:]
	}
	return &Error{File: name, Line: line, Field: "(syntax)", Err: errors.New(msg)}
}

// validName keeps source names usable as metric labels, file names and
// command-line arguments.
var validName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

var knownFields = map[string]bool{
	"name": true, "kind": true, "urls": true, "schedule": true, "delay": true,
	"parallelism": true, "max_pages": true, "max_depth": true, "selectors": true,
}

var selectorFields = map[string]bool{
	"post": true, "text": true, "author": true, "date": true, "permalink": true, "next": true, "thread": true,
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSchedule parses a five-field cron spec (or @hourly and friends).
func ParseSchedule(spec string) (cron.Schedule, error) {
	return cronParser.Parse(spec)
}

func parseSource(file, field string, n *yaml.Node) (*Source, Errors) {
	var es Errors
	add := func(at *yaml.Node, sub, format string, args ...any) {
		es = append(es, &Error{File: file, Line: at.Line, Field: field + sub, Err: fmt.Errorf(format, args...)})
	}
	if n.Kind != yaml.MappingNode {
		add(n, "", "want a mapping with name, kind, urls, schedule")
		return nil, es
	}
	s := &Source{Line: n.Line}
	at := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !knownFields[k.Value] {
			add(k, "."+k.Value, "unknown field")
			continue
		}
		at[k.Value] = v
	}
	str := func(key string) string {
		v := at[key]
		if v == nil {
			return ""
		}
		if v.Kind != yaml.ScalarNode {
			add(v, "."+key, "want a string")
			return ""
		}
		return strings.TrimSpace(v.Value)
	}
	num := func(key string, def int) int {
		v := at[key]
		if v == nil {
			return def
		}
		x, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || x < 1 {
			add(v, "."+key, "want a whole number of at least 1, got %q", v.Value)
			return def
		}
		return x
	}

	s.Name = str("name")
	if s.Name == "" {
		add(n, ".name", "missing: every source needs a name")
	} else if !validName.MatchString(s.Name) {
		add(at["name"], ".name", "%q: use letters, digits, '-' and '_' only", s.Name)
	}
	if s.Name != "" {
		field = fmt.Sprintf("%s(%s)", field, s.Name)
	}

	s.Kind = str("kind")
	switch s.Kind {
	case Telegram, HTML, Feed, Mastodon:
	case "":
		add(n, ".kind", "missing: want telegram, html, feed or mastodon")
	default:
		add(at["kind"], ".kind", "%q is not a kind: want telegram, html, feed or mastodon", s.Kind)
	}

	if v := at["urls"]; v == nil {
		add(n, ".urls", "missing: list at least one start URL")
	} else if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		add(v, ".urls", "want a non-empty list of URLs")
	} else {
		for j, u := range v.Content {
			if err := checkURL(u.Value); err != nil {
				add(u, fmt.Sprintf(".urls[%d]", j), "%v", err)
				continue
			}
			s.URLs = append(s.URLs, u.Value)
		}
	}

	s.Schedule = str("schedule")
	if s.Schedule == "" {
		s.Schedule = DefaultSchedule
	} else if _, err := ParseSchedule(s.Schedule); err != nil {
		add(at["schedule"], ".schedule", "%q is not a cron schedule: %v", s.Schedule, err)
	}

	s.Delay = DefaultDelay
	if v := at["delay"]; v != nil {
		d, err := time.ParseDuration(v.Value)
		switch {
		case err != nil:
			add(v, ".delay", "%q is not a duration (e.g. 2s, 500ms)", v.Value)
		case d < 0:
			add(v, ".delay", "%q is negative", v.Value)
		default:
			s.Delay = d
		}
	}
	s.Parallelism = num("parallelism", DefaultParallelism)
	s.MaxPages = num("max_pages", DefaultMaxPages)
	s.MaxDepth = num("max_depth", DefaultMaxDepth)

	if v := at["selectors"]; v != nil {
		if v.Kind != yaml.MappingNode {
			add(v, ".selectors", "want a mapping of post, text, author, date, permalink, next")
		} else {
			for i := 0; i+1 < len(v.Content); i += 2 {
				k := v.Content[i]
				if !selectorFields[k.Value] {
					add(k, ".selectors."+k.Value, "unknown selector (want post, text, author, date, permalink, next, thread)")
				}
			}
			if err := v.Decode(&s.Selectors); err != nil {
				add(v, ".selectors", "%v", err)
			}
		}
	}
	if s.Kind == HTML {
		if s.Selectors.Post == "" {
			add(n, ".selectors.post", "missing: an html source needs a CSS selector for each post")
		}
		if s.Selectors.Text == "" {
			add(n, ".selectors.text", "missing: an html source needs a CSS selector for the post text")
		}
	} else if at["selectors"] != nil && s.Kind != "" {
		add(at["selectors"], ".selectors", "only html sources take selectors, this one is %s", s.Kind)
	}
	return s, es
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: want an http or https URL", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	return nil
}

// Find returns the source called name.
func (f *File) Find(name string) (*Source, bool) {
	for i := range f.Sources {
		if f.Sources[i].Name == name {
			return &f.Sources[i], true
		}
	}
	return nil, false
}
