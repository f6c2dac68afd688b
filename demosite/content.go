package demosite

import (
	"cmp"
	"embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The demo content is data, testdata/content/*.yaml, rendered by the
// templates in testdata/templates. Both are embedded so that the binary
// serves the same site from anywhere, offline.
//
//go:embed testdata/content/*.yaml testdata/templates/*.tmpl
var files embed.FS

// content is every post the stand-ins serve.
type content struct {
	Telegram struct {
		Channels []*channel `yaml:"channels"`
	}
	Forum struct {
		Boards []*board `yaml:"boards"`
	}
	Feeds struct {
		RSS  rssFeed  `yaml:"rss"`
		Atom atomFeed `yaml:"atom"`
	}
	Mastodon struct {
		Accounts []*account `yaml:"accounts"`
		Statuses []*status  `yaml:"statuses"`
	}
}

// Labels say what a demo post is; they are never rendered.
type labels struct {
	Lang  string `yaml:"lang"`
	Label string `yaml:"label"` // advert or not_advert
}

type channel struct {
	Username    string     `yaml:"username"`
	Title       string     `yaml:"title"`
	Description string     `yaml:"description"`
	Subscribers string     `yaml:"subscribers"`
	Messages    []*message `yaml:"messages"` // sorted by ID
}

type message struct {
	ID        int64     `yaml:"id"`
	Date      time.Time `yaml:"date"`
	Views     string    `yaml:"views"`
	Text      string    `yaml:"text"`
	Author    string    `yaml:"author"`
	Forwarded *struct {
		Name string `yaml:"name"`
		URL  string `yaml:"url"`
	} `yaml:"forwarded"`
	Photos  int      `yaml:"photos"`
	Video   bool     `yaml:"video"`
	Sticker bool     `yaml:"sticker"`
	Poll    *poll    `yaml:"poll"`
	Preview *preview `yaml:"preview"`
	labels  `yaml:",inline"`
}

type poll struct {
	Question string `yaml:"question"`
	Options  []struct {
		Text    string `yaml:"text"`
		Percent int    `yaml:"percent"`
	} `yaml:"options"`
}

type preview struct {
	URL         string `yaml:"url"`
	Site        string `yaml:"site"`
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
}

type board struct {
	Slug        string    `yaml:"slug"`
	Title       string    `yaml:"title"`
	Description string    `yaml:"description"`
	Threads     []*thread `yaml:"threads"` // newest first
}

type thread struct {
	ID    int64        `yaml:"id"`
	Title string       `yaml:"title"`
	Posts []*forumPost `yaml:"posts"`
	Board *board       `yaml:"-"`
}

type forumPost struct {
	ID     int64     `yaml:"id"`
	Author string    `yaml:"author"`
	Date   time.Time `yaml:"date"`
	Text   string    `yaml:"text"`
	labels `yaml:",inline"`
}

type rssFeed struct {
	Title       string     `yaml:"title"`
	Link        string     `yaml:"link"`
	Description string     `yaml:"description"`
	Language    string     `yaml:"language"`
	Items       []*rssItem `yaml:"items"`
}

type rssItem struct {
	GUID   string    `yaml:"guid"`
	Title  string    `yaml:"title"`
	Author string    `yaml:"author"`
	Date   time.Time `yaml:"date"`
	HTML   string    `yaml:"html"`
	Image  string    `yaml:"image"`
	labels `yaml:",inline"`
}

type atomFeed struct {
	Title    string       `yaml:"title"`
	Subtitle string       `yaml:"subtitle"`
	Author   string       `yaml:"author"`
	PerPage  int          `yaml:"per_page"`
	Entries  []*atomEntry `yaml:"entries"`
}

type atomEntry struct {
	ID     string    `yaml:"id"`
	Title  string    `yaml:"title"`
	Date   time.Time `yaml:"date"`
	HTML   string    `yaml:"html"`
	labels `yaml:",inline"`
}

type account struct {
	Username    string `yaml:"username"`
	DisplayName string `yaml:"display_name"`
	Note        string `yaml:"note"`
	ID          string `yaml:"-"`
}

type status struct {
	ID      string    `yaml:"id"`
	Date    time.Time `yaml:"date"`
	Account string    `yaml:"account"`
	Text    string    `yaml:"text"`
	Tags    []string  `yaml:"tags"`
	Media   int       `yaml:"media"`
	CW      string    `yaml:"cw"`
	Boost   string    `yaml:"boost"`
	labels  `yaml:",inline"`
}

// loadContent reads and checks the embedded content. The content is part
// of the program, so a mistake in it is a bug that the tests catch.
func loadContent() (*content, error) {
	c := &content{}
	for _, f := range []struct {
		name string
		dst  any
	}{
		{"telegram.yaml", &c.Telegram},
		{"forum.yaml", &c.Forum},
		{"feeds.yaml", &c.Feeds},
		{"mastodon.yaml", &c.Mastodon},
	} {
		data, err := files.ReadFile("testdata/content/" + f.name)
		if err != nil {
			return nil, fmt.Errorf("demosite: %w", err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(f.dst); err != nil {
			return nil, fmt.Errorf("demosite: content %s: %w", f.name, err)
		}
	}
	return c, c.check()
}

// check sorts what needs sorting and verifies ids are unique and references
// resolve.
func (c *content) check() error {
	for _, ch := range c.Telegram.Channels {
		slices.SortFunc(ch.Messages, func(a, b *message) int { return cmp.Compare(a.ID, b.ID) })
		for i, m := range ch.Messages {
			if i > 0 && ch.Messages[i-1].ID == m.ID {
				return fmt.Errorf("demosite: telegram %s: message %d twice", ch.Username, m.ID)
			}
		}
	}
	threads := map[int64]bool{}
	posts := map[int64]bool{}
	for _, b := range c.Forum.Boards {
		for _, t := range b.Threads {
			if threads[t.ID] {
				return fmt.Errorf("demosite: forum: thread %d twice", t.ID)
			}
			threads[t.ID] = true
			t.Board = b
			for _, p := range t.Posts {
				if posts[p.ID] {
					return fmt.Errorf("demosite: forum: post %d twice", p.ID)
				}
				posts[p.ID] = true
			}
		}
	}
	if c.Feeds.Atom.PerPage < 1 {
		c.Feeds.Atom.PerPage = 10
	}
	accounts := map[string]bool{}
	for i, a := range c.Mastodon.Accounts {
		a.ID = fmt.Sprintf("11314%013d", i+1)
		accounts[a.Username] = true
	}
	// Newest first, as timelines list them.
	slices.SortFunc(c.Mastodon.Statuses, func(a, b *status) int { return compareIDs(b.ID, a.ID) })
	ids := map[string]*status{}
	for _, s := range c.Mastodon.Statuses {
		if ids[s.ID] != nil {
			return fmt.Errorf("demosite: mastodon: status %s twice", s.ID)
		}
		ids[s.ID] = s
		if !accounts[s.Account] {
			return fmt.Errorf("demosite: mastodon: status %s: no account %q", s.ID, s.Account)
		}
	}
	for _, s := range c.Mastodon.Statuses {
		if s.Boost != "" && (ids[s.Boost] == nil || ids[s.Boost].Boost != "") {
			return fmt.Errorf("demosite: mastodon: status %s boosts %q, not a status", s.ID, s.Boost)
		}
	}
	return nil
}

// compareIDs orders numeric ids as numbers: longer is larger.
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func (c *content) channel(name string) *channel {
	for _, ch := range c.Telegram.Channels {
		if strings.EqualFold(ch.Username, name) {
			return ch
		}
	}
	return nil
}

func (c *content) board(slug string) *board {
	for _, b := range c.Forum.Boards {
		if b.Slug == slug {
			return b
		}
	}
	return nil
}

func (c *content) thread(id int64) *thread {
	for _, b := range c.Forum.Boards {
		for _, t := range b.Threads {
			if t.ID == id {
				return t
			}
		}
	}
	return nil
}

func (c *content) account(username string) *account {
	for _, a := range c.Mastodon.Accounts {
		if a.Username == username {
			return a
		}
	}
	return nil
}

func (c *content) status(id string) *status {
	for _, s := range c.Mastodon.Statuses {
		if s.ID == id {
			return s
		}
	}
	return nil
}
