package demosite

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Mastodon stand-in answers the public REST API with Status and Account
// objects shaped as Mastodon 4.x sends them (the fields in
// shared/fixtures/mastodon), pages with max_id / since_id / min_id and a
// Link header, and serves boosts as wrapper statuses with the boosted one
// under "reblog".

const (
	mastodonDefaultLimit = 20 // Mastodon's default for timelines
	mastodonMaxLimit     = 40
)

type apiAccount struct {
	ID             string   `json:"id"`
	Username       string   `json:"username"`
	Acct           string   `json:"acct"`
	DisplayName    string   `json:"display_name"`
	Locked         bool     `json:"locked"`
	Bot            bool     `json:"bot"`
	Discoverable   bool     `json:"discoverable"`
	Group          bool     `json:"group"`
	CreatedAt      string   `json:"created_at"`
	Note           string   `json:"note"`
	URL            string   `json:"url"`
	URI            string   `json:"uri"`
	Avatar         string   `json:"avatar"`
	AvatarStatic   string   `json:"avatar_static"`
	Header         string   `json:"header"`
	HeaderStatic   string   `json:"header_static"`
	FollowersCount int      `json:"followers_count"`
	FollowingCount int      `json:"following_count"`
	StatusesCount  int      `json:"statuses_count"`
	LastStatusAt   string   `json:"last_status_at"`
	Emojis         []string `json:"emojis"`
	Fields         []string `json:"fields"`
}

type apiStatus struct {
	ID                 string           `json:"id"`
	CreatedAt          string           `json:"created_at"`
	InReplyToID        *string          `json:"in_reply_to_id"`
	InReplyToAccountID *string          `json:"in_reply_to_account_id"`
	Sensitive          bool             `json:"sensitive"`
	SpoilerText        string           `json:"spoiler_text"`
	Visibility         string           `json:"visibility"`
	Language           *string          `json:"language"`
	URI                string           `json:"uri"`
	URL                string           `json:"url"`
	RepliesCount       int              `json:"replies_count"`
	ReblogsCount       int              `json:"reblogs_count"`
	FavouritesCount    int              `json:"favourites_count"`
	EditedAt           *string          `json:"edited_at"`
	Content            string           `json:"content"`
	Reblog             *apiStatus       `json:"reblog"`
	Account            apiAccount       `json:"account"`
	MediaAttachments   []apiMedia       `json:"media_attachments"`
	Mentions           []string         `json:"mentions"`
	Tags               []apiTag         `json:"tags"`
	Emojis             []string         `json:"emojis"`
	Card               *json.RawMessage `json:"card"`
	Poll               *json.RawMessage `json:"poll"`
}

type apiMedia struct {
	ID          string  `json:"id"`
	Type        string  `json:"type"`
	URL         string  `json:"url"`
	PreviewURL  string  `json:"preview_url"`
	RemoteURL   *string `json:"remote_url"`
	Description *string `json:"description"`
	Blurhash    string  `json:"blurhash"`
}

type apiTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// tags lists every hashtag used, sorted.
func (s *site) tags() []string {
	var out []string
	for _, st := range s.c.Mastodon.Statuses {
		for _, t := range st.Tags {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	return out
}

// handleTagTimeline serves /api/v1/timelines/tag/{hashtag}: statuses
// carrying the tag (boosts included), newest first. max_id gives older
// statuses, since_id and min_id newer ones; limit is 20 by default, 40 at
// most. As on Mastodon, the Link header has rel="next" only when the page
// is full, and rel="prev" whenever the page is not empty.
func (s *site) handleTagTimeline(w http.ResponseWriter, r *http.Request) {
	tag := strings.ToLower(strings.TrimPrefix(r.PathValue("hashtag"), "#"))
	q := r.URL.Query()
	limit := mastodonDefaultLimit
	if l, err := strconv.Atoi(q.Get("limit")); err == nil && l > 0 {
		limit = min(l, mastodonMaxLimit)
	}
	maxID, sinceID, minID := q.Get("max_id"), q.Get("since_id"), q.Get("min_id")

	var matched []*status // newest first
	for _, st := range s.c.Mastodon.Statuses {
		if !slices.ContainsFunc(st.Tags, func(t string) bool { return strings.EqualFold(t, tag) }) {
			continue
		}
		if maxID != "" && compareIDs(st.ID, maxID) >= 0 {
			continue
		}
		if sinceID != "" && compareIDs(st.ID, sinceID) <= 0 {
			continue
		}
		if minID != "" && compareIDs(st.ID, minID) <= 0 {
			continue
		}
		matched = append(matched, st)
	}
	var page []*status
	if minID != "" && maxID == "" {
		// min_id pages forward from the given id: the oldest ones after it.
		page = matched[max(0, len(matched)-limit):]
	} else {
		page = matched[:min(len(matched), limit)]
	}

	base := baseURL(r)
	out := make([]apiStatus, 0, len(page))
	for _, st := range page {
		out = append(out, s.apiStatus(base, st))
	}
	if len(page) > 0 {
		self := base + "/api/v1/timelines/tag/" + url.PathEscape(tag)
		withParam := func(key, val string) string {
			v := url.Values{}
			if q.Has("limit") {
				v.Set("limit", strconv.Itoa(limit))
			}
			v.Set(key, val)
			return self + "?" + v.Encode()
		}
		var links []string
		if len(page) == limit {
			links = append(links, fmt.Sprintf(`<%s>; rel="next"`, withParam("max_id", page[len(page)-1].ID)))
		}
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, withParam("min_id", page[0].ID)))
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	writeJSON(w, http.StatusOK, out)
}

// handleStatus serves /api/v1/statuses/{id}.
func (s *site) handleStatus(w http.ResponseWriter, r *http.Request) {
	st := s.c.status(r.PathValue("id"))
	if st == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"})
		return
	}
	writeJSON(w, http.StatusOK, s.apiStatus(baseURL(r), st))
}

// handleStatusPage serves /@{user}/{id}, a status's public page.
func (s *site) handleStatusPage(w http.ResponseWriter, r *http.Request, user, id string) {
	st := s.c.status(id)
	if st == nil || st.Account != user || st.Boost != "" {
		http.NotFound(w, r)
		return
	}
	a := s.c.account(user)
	s.render(w, "article", map[string]any{
		"Site": "social.demo", "Home": "/", "URL": baseURL(r) + r.URL.Path,
		"Lang": st.Lang, "Title": "@" + a.Username, "Author": displayName(a), "Date": st.Date,
		"Body": template.HTML(mastodonContent(baseURL(r), st.Text)),
	})
}

func displayName(a *account) string {
	if a.DisplayName != "" {
		return a.DisplayName
	}
	return a.Username
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "demosite: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (s *site) apiAccount(base string, a *account) apiAccount {
	n := 0
	for _, st := range s.c.Mastodon.Statuses {
		if st.Account == a.Username {
			n++
		}
	}
	note := ""
	if a.Note != "" {
		note = "<p>" + template.HTMLEscapeString(a.Note) + "</p>"
	}
	return apiAccount{
		ID:             a.ID,
		Username:       a.Username,
		Acct:           a.Username,
		DisplayName:    a.DisplayName,
		Discoverable:   true,
		CreatedAt:      "2026-01-01T00:00:00.000Z",
		Note:           note,
		URL:            base + "/@" + a.Username,
		URI:            base + "/users/" + a.Username,
		Avatar:         base + "/media/avatar/" + a.Username + ".png",
		AvatarStatic:   base + "/media/avatar/" + a.Username + ".png",
		Header:         base + "/media/header/missing.png",
		HeaderStatic:   base + "/media/header/missing.png",
		FollowersCount: 40 + 7*len(a.Username),
		FollowingCount: 12,
		StatusesCount:  n,
		LastStatusAt:   "2026-09-13",
		Emojis:         []string{},
		Fields:         []string{},
	}
}

func (s *site) apiStatus(base string, st *status) apiStatus {
	a := s.c.account(st.Account)
	out := apiStatus{
		ID:               st.ID,
		CreatedAt:        stamp(st.Date),
		Visibility:       "public",
		URI:              base + "/users/" + a.Username + "/statuses/" + st.ID,
		URL:              base + "/@" + a.Username + "/" + st.ID,
		Account:          s.apiAccount(base, a),
		MediaAttachments: []apiMedia{},
		Mentions:         []string{},
		Tags:             []apiTag{},
		Emojis:           []string{},
	}
	if st.Boost != "" {
		inner := s.apiStatus(base, s.c.status(st.Boost))
		out.URI += "/activity"
		out.URL = base + "/users/" + a.Username + "/statuses/" + st.ID + "/activity"
		out.Reblog = &inner
		return out
	}
	for _, other := range s.c.Mastodon.Statuses {
		if other.Boost == st.ID {
			out.ReblogsCount++
		}
	}
	if st.Lang != "" {
		lang := st.Lang
		out.Language = &lang
	}
	out.SpoilerText = st.CW
	out.Sensitive = st.CW != ""
	out.Content = mastodonContent(base, st.Text)
	for _, t := range st.Tags {
		out.Tags = append(out.Tags, apiTag{Name: t, URL: base + "/tags/" + t})
	}
	for i := range st.Media {
		id := fmt.Sprintf("%s%02d", st.ID, i+1)
		out.MediaAttachments = append(out.MediaAttachments, apiMedia{
			ID:         id,
			Type:       "image",
			URL:        base + "/media/original/" + id + ".jpg",
			PreviewURL: base + "/media/small/" + id + ".jpg",
			Blurhash:   "UGC~-#M{0JfkNFofR%M{IURj%Mt7E0oM%MR*",
		})
	}
	return out
}

// mastodonToken finds what Mastodon turns into links in a status: URLs
// and #hashtags.
var mastodonToken = regexp.MustCompile(`https?://[^\s<>"]+|#[\p{L}\p{N}_]+`)

// mastodonContent renders plain text as Mastodon's HTML content: one <p>
// per paragraph, <br /> for line breaks, hashtags as tag links, URLs with
// the scheme hidden in an invisible span.
func mastodonContent(base, text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		b.WriteString("<p>")
		last := 0
		for _, m := range mastodonToken.FindAllStringIndex(para, -1) {
			b.WriteString(escapeLines(para[last:m[0]], "<br />"))
			tok := para[m[0]:m[1]]
			if tok[0] == '#' {
				fmt.Fprintf(&b, `<a href="%s/tags/%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`,
					base, url.PathEscape(strings.ToLower(tok[1:])), template.HTMLEscapeString(tok[1:]))
			} else {
				scheme, rest, _ := strings.Cut(tok, "://")
				fmt.Fprintf(&b, `<a href="%s" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">%s://</span><span class="">%s</span><span class="invisible"></span></a>`,
					template.HTMLEscapeString(tok), scheme, template.HTMLEscapeString(rest))
			}
			last = m[1]
		}
		b.WriteString(escapeLines(para[last:], "<br />"))
		b.WriteString("</p>")
	}
	return b.String()
}
