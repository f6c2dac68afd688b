package crawler

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"tidewatch/seeds"
)

// The Mastodon adapter reads the public REST API's lists of statuses
// (/api/v1/timelines/tag/:hashtag, /timelines/public, /accounts/:id/statuses),
// as Mastodon and Pleroma serve them. Only the fields below are read; the
// rest of a Status is ignored.

type mastodonStatus struct {
	ID          string                `json:"id"`
	CreatedAt   string                `json:"created_at"`
	URL         *string               `json:"url"`
	URI         string                `json:"uri"`
	Content     string                `json:"content"`
	SpoilerText string                `json:"spoiler_text"`
	Language    *string               `json:"language"`
	Account     mastodonAccount       `json:"account"`
	Reblog      *mastodonStatus       `json:"reblog"`
	Media       []mastodonMedia       `json:"media_attachments"`
	Card        *struct{ URL string } `json:"card"`
}

type mastodonAccount struct {
	Acct        string `json:"acct"`
	DisplayName string `json:"display_name"`
	URL         string `json:"url"`
}

type mastodonMedia struct {
	URL       *string `json:"url"`
	RemoteURL *string `json:"remote_url"`
}

// linkNext finds rel="next" in an HTTP Link header (RFC 8288).
var linkNext = regexp.MustCompile(`<([^>]*)>\s*;[^,]*\brel="?next"?`)

func extractMastodon(src *seeds.Source, p *Page) (*Extraction, error) {
	if err := checkPage(seeds.Mastodon, src, p); err != nil {
		return nil, err
	}
	body := bytes.TrimSpace(p.Body)
	if len(body) > 0 && body[0] == '{' {
		// Mastodon answers errors with {"error": "..."}.
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return nil, pageError(seeds.Mastodon, p, "server says %q", truncate(e.Error, 200))
		}
		return nil, pageError(seeds.Mastodon, p, "want a JSON array of statuses, got an object")
	}
	var statuses []mastodonStatus
	if err := json.Unmarshal(body, &statuses); err != nil {
		return nil, pageError(seeds.Mastodon, p, "decode statuses: %w", err)
	}
	ex := &Extraction{}
	seen := map[string]bool{}
	for i := range statuses {
		s := &statuses[i]
		post, ok := mastodonPost(src, p, s)
		if !ok || seen[post.ID] {
			continue // a boost of a status already on the page, or no id
		}
		seen[post.ID] = true
		ex.Posts = append(ex.Posts, post)
		if len(ex.Posts) >= maxPagePosts {
			break
		}
	}
	ex.Next = mastodonNext(p, statuses)
	return ex, nil
}

// mastodonPost reads one status. A boost is read as the status it boosts,
// with the booster recorded as Forwarded.
func mastodonPost(src *seeds.Source, p *Page, s *mastodonStatus) (Post, bool) {
	post := newPost("mastodon", src, p)
	if s.Reblog != nil {
		post.Forwarded = s.Account.URL
		if post.Forwarded == "" {
			post.Forwarded = s.Account.Acct
		}
		s = s.Reblog
	}
	id := strings.TrimSpace(s.ID)
	if id == "" || len(id) > 64 || strings.ContainsAny(id, "/ \t\n") {
		return post, false
	}
	// Status ids are local to the server that serves them (Pleroma's flake
	// ids as much as Mastodon's numbers), hence the host in the ID.
	post.ID = "mastodon:" + p.URL.Host + "/" + id
	if s.URL != nil {
		post.URL = resolve(p.URL, *s.URL)
	}
	if post.URL == "" {
		post.URL = resolve(p.URL, s.URI)
	}
	post.Author = oneLine(s.Account.DisplayName)
	if post.Author == "" {
		post.Author = s.Account.Acct
	}
	post.AuthorURL = resolve(p.URL, s.Account.URL)
	if s.Language != nil {
		post.Lang = strings.TrimSpace(*s.Language)
	}
	post.Published = parseTime(s.CreatedAt)

	text := htmlFragmentText(s.Content)
	if cw := oneLine(s.SpoilerText); cw != "" {
		// The content warning is written by the poster and is often the
		// part that says what is on offer.
		text = strings.TrimSpace(cw + "\n\n" + text)
	}
	post.Text = text

	links := urlList{max: maxPostLinks}
	if strings.Contains(s.Content, "<a") {
		if doc, err := goquery.NewDocumentFromReader(strings.NewReader(s.Content)); err == nil {
			doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
				if a.HasClass("mention") || a.HasClass("hashtag") || a.AttrOr("rel", "") == "tag" {
					return // profiles and tag pages, not links out
				}
				links.add(p.URL, a.AttrOr("href", ""))
			})
		}
	}
	if s.Card != nil {
		links.add(p.URL, s.Card.URL)
	}
	post.Links = links.urls

	media := urlList{max: maxPostMedia}
	for _, m := range s.Media {
		switch {
		case m.URL != nil && *m.URL != "":
			media.add(p.URL, *m.URL)
		case m.RemoteURL != nil:
			media.add(p.URL, *m.RemoteURL)
		}
	}
	post.Media = media.urls
	clampPost(&post)
	return post, true
}

// mastodonNext is the Link header's rel="next", as Mastodon sends it, or,
// from a server that sends no Link header, the page's own URL with max_id
// set to the last (oldest) status. An empty page is the end.
func mastodonNext(p *Page, statuses []mastodonStatus) string {
	if len(statuses) == 0 {
		return ""
	}
	if links := p.Header.Values("Link"); len(links) > 0 {
		// The server pages with Link: its rel="next", or none, is the
		// answer (Mastodon leaves it out after a short page).
		for _, h := range links {
			if m := linkNext.FindStringSubmatch(h); m != nil {
				if next := resolve(p.URL, m[1]); next != p.URL.String() {
					return next
				}
			}
		}
		return ""
	}
	last := strings.TrimSpace(statuses[len(statuses)-1].ID)
	if last == "" || len(last) > 64 {
		return ""
	}
	u := *p.URL
	q := u.Query()
	if q.Get("max_id") == last {
		return ""
	}
	q.Del("min_id")
	q.Del("since_id")
	q.Set("max_id", last)
	u.RawQuery = q.Encode()
	return u.String()
}
