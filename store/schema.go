package store

// migrations are applied in order, each inside its own transaction, and each
// recorded in schema_version. Never edit one that has shipped: append a new
// one. The posts table is a public contract (analysts query it directly), so
// its columns are only ever added, never renamed or dropped.
var migrations = []string{
	// 1: posts and their history, entities for pivots, crawler state, runs.
	`
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('seq', 0);

CREATE TABLE posts (
	id              TEXT PRIMARY KEY,          -- "platform:native-id"
	platform        TEXT NOT NULL,
	source          TEXT NOT NULL,
	url             TEXT NOT NULL,
	author          TEXT NOT NULL DEFAULT '',
	author_url      TEXT NOT NULL DEFAULT '',
	text            TEXT NOT NULL,
	published       TEXT,                      -- UTC RFC 3339; NULL when the page does not say
	fetched         TEXT NOT NULL,             -- UTC RFC 3339, fetch of the current text
	first_seen      TEXT NOT NULL,             -- UTC RFC 3339, first fetch of any version
	last_seen       TEXT NOT NULL,             -- UTC RFC 3339, latest fetch, changed or not
	lang            TEXT NOT NULL DEFAULT '',
	lang_confidence REAL NOT NULL DEFAULT 0,
	langs           TEXT NOT NULL DEFAULT '[]', -- JSON array
	score           REAL NOT NULL DEFAULT 0,
	label           TEXT NOT NULL DEFAULT '',
	explanation     TEXT NOT NULL DEFAULT '{}', -- JSON: indicators, entities, explanation
	text_hash       TEXT NOT NULL,
	version         INTEGER NOT NULL DEFAULT 1,
	warc_file       TEXT NOT NULL DEFAULT '',
	warc_record     TEXT NOT NULL DEFAULT '',
	digest          TEXT NOT NULL DEFAULT '',
	captured        TEXT,                      -- UTC RFC 3339 WARC-Date
	links           TEXT NOT NULL DEFAULT '[]', -- JSON array
	media           TEXT NOT NULL DEFAULT '[]', -- JSON array
	forwarded       TEXT NOT NULL DEFAULT '',
	seq             INTEGER NOT NULL UNIQUE    -- store-wide, bumped on every insert or change
);
CREATE INDEX posts_source_published ON posts (source, published);
CREATE INDEX posts_label_score ON posts (label, score);
CREATE INDEX posts_text_hash ON posts (text_hash);
CREATE INDEX posts_last_seen ON posts (last_seen);

CREATE TABLE post_versions (
	post_id     TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
	version     INTEGER NOT NULL,
	text        TEXT NOT NULL,
	text_hash   TEXT NOT NULL,
	fetched     TEXT NOT NULL,
	warc_file   TEXT NOT NULL DEFAULT '',
	warc_record TEXT NOT NULL DEFAULT '',
	digest      TEXT NOT NULL DEFAULT '',
	captured    TEXT,
	PRIMARY KEY (post_id, version)
);

CREATE TABLE post_entities (
	post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL,  -- phone, whatsapp, telegram, link, handle, price
	value   TEXT NOT NULL,
	PRIMARY KEY (post_id, kind, value)
);
CREATE INDEX post_entities_kind_value ON post_entities (kind, value);

CREATE TABLE source_state (
	source  TEXT PRIMARY KEY,
	cursor  TEXT NOT NULL,
	updated TEXT NOT NULL
);

CREATE TABLE retries (
	source       TEXT NOT NULL,
	url          TEXT NOT NULL,
	reason       TEXT NOT NULL,
	first_failed TEXT NOT NULL,
	last_failed  TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (source, url)
);

CREATE TABLE runs (
	id            INTEGER PRIMARY KEY,
	source        TEXT NOT NULL,
	started       TEXT NOT NULL,
	finished      TEXT NOT NULL,
	completed     INTEGER NOT NULL DEFAULT 1, -- 0: the run stopped on an error
	pages         INTEGER NOT NULL DEFAULT 0,
	posts_new     INTEGER NOT NULL DEFAULT 0,
	posts_seen    INTEGER NOT NULL DEFAULT 0,
	posts_changed INTEGER NOT NULL DEFAULT 0,
	errors        TEXT NOT NULL DEFAULT '{}', -- JSON object: reason -> count
	last_error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_source_started ON runs (source, started);
`,
	// 2: the view count a platform shows (Telegram); NULL where it shows none.
	`ALTER TABLE posts ADD COLUMN views INTEGER;`,
	// 3: the classifier version that scored each post ('' before this
	// migration), so that posts scored by an older one can be found and
	// scored again.
	`ALTER TABLE posts ADD COLUMN model TEXT NOT NULL DEFAULT '';
CREATE INDEX posts_model ON posts (model);`,
}
