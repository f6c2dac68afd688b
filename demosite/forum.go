package demosite

import (
	"net/http"
	"strconv"
)

// forumPageSize is how many threads a board page lists.
const forumPageSize = 3

func (s *site) handleForumIndex(w http.ResponseWriter, r *http.Request) {
	s.render(w, "forum_index", s.c.Forum)
}

// handleBoard serves /forum/board/{slug}?page=N, threads newest first.
func (s *site) handleBoard(w http.ResponseWriter, r *http.Request) {
	b := s.c.board(r.PathValue("slug"))
	if b == nil {
		http.NotFound(w, r)
		return
	}
	pages := max(1, (len(b.Threads)+forumPageSize-1)/forumPageSize)
	page := int(atoiParam(r, "page"))
	if page == 0 {
		page = 1
	}
	if page > pages {
		http.NotFound(w, r)
		return
	}
	start := (page - 1) * forumPageSize
	s.render(w, "forum_board", map[string]any{
		"Board":   b,
		"Threads": b.Threads[start:min(len(b.Threads), start+forumPageSize)],
		"Page":    page,
		"Pages":   pages,
	})
}

// handleThread serves /forum/thread/{id}, every post of the thread.
func (s *site) handleThread(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t := s.c.thread(id)
	if err != nil || t == nil || len(t.Posts) == 0 {
		http.NotFound(w, r)
		return
	}
	s.render(w, "forum_thread", map[string]any{"Thread": t})
}

func (s *site) handleForumUser(w http.ResponseWriter, r *http.Request) {
	s.render(w, "forum_user", r.PathValue("name"))
}
