// uneplace server — SQLite access: per-thread connections, write transactions, migrations.
//
// Index of this file:
// [SECTION] Connections
// [SECTION] WriteTx
// [SECTION] Schema, migration 1: the whole model
// [SECTION] Schema, migration 6: ticket signing keys (I2)
// [SECTION] Schema, migration 7: the e-mail outbox and mail preferences (M1–M6)
// [SECTION] Schema, migration 8: the ticketing-network feed (issue 15)
// [SECTION] Schema, migration 9: the territory a booking was made in
// [SECTION] Schema, migration 10: the household's children (issue 18, finding outings)
// [SECTION] Migration runner
// [SECTION] Helpers and backup
#include "db.hpp"

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Connections
//-----------------------------------------------------------------------------

namespace {
std::atomic<std::uint64_t> g_generation{1};

struct KeptEntry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
};
// A thread's connection to one Db and the statements kept with it. Members are destroyed in
// reverse order: the statements are finalised before the connection closes.
struct ThreadConnection {
    std::unique_ptr<SQLite::Database> conn;
    std::unordered_map<std::string, KeptEntry> kept;
};
// Per thread: generation of the Db → its connection. A generation number rather than the Db's
// address, so a Db destroyed and another created at the same address never reuses a connection.
thread_local std::unordered_map<std::uint64_t, ThreadConnection> t_connections;
}  // namespace

std::unique_ptr<SQLite::Database> open_connection(const std::string& path) {
    // SQLite's count of its own memory takes a global mutex on every allocation: 16 threads
    // reading the catalogue queued on it. Nothing reads that count. (Only possible before the
    // library initialises, i.e. before the first connection of the process.)
    static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)memstatus_off;
    // NOMUTEX: a connection belongs to one thread (Db::conn), so SQLite need not lock it.
    auto conn =
        std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
    // busy_timeout matters only across processes (backup, create-admin while serving): inside the
    // server, writers queue on Db::write_mutex first.
    conn->exec("PRAGMA busy_timeout = 15000");
    conn->exec("PRAGMA journal_mode = WAL");
    // NORMAL in WAL mode: a power cut may lose the last transactions but never corrupts; measured
    // ~5x faster than FULL for one-booking transactions (TOOLCHAIN.md).
    conn->exec("PRAGMA synchronous = NORMAL");
    conn->exec("PRAGMA foreign_keys = ON");
    // What is deleted or overwritten (a person's name after P1 erasure) is overwritten with zeros
    // in the file, not left in a free page for anyone who reads the file or a backup.
    conn->exec("PRAGMA secure_delete = ON");
    // Each worker thread has its own connection and so its own page cache. At SQLite's default
    // (2 MB) a catalogue page on the national data re-read its index and row pages from the OS at
    // every request (pread was the largest single cost under load); 8 MB keeps one thread's
    // working set. Pages are allocated as used, so a quiet thread costs nothing.
    conn->exec("PRAGMA cache_size = -8192");
    // No memory map (mmap_size stays 0): measured on the national data, one map per connection
    // made bookings 2x slower (every checkpoint that grows the file remaps each connection's view,
    // and the unmaps stall every thread), counted the whole file in the resident memory, and gave
    // the catalogue nothing the page cache above does not.
    return conn;
}

Db::Db(std::string path) : path_(std::move(path)), generation_(g_generation++) {}

Db::~Db() { t_connections.erase(generation_); }

SQLite::Database& Db::conn() {
    auto& slot = t_connections[generation_];
    if (!slot.conn) slot.conn = open_connection(path_);
    return *slot.conn;
}

KeptStatement::KeptStatement(SQLite::Database& conn, const char* sql) {
    // A thread holds one connection per Db, rarely more than one: a linear search is the cheapest.
    for (auto& [generation, slot] : t_connections) {
        if (slot.conn.get() != &conn) continue;
        KeptEntry& e = slot.kept[sql];
        if (e.in_use) break;
        if (!e.statement) e.statement = std::make_unique<SQLite::Statement>(conn, sql);
        e.in_use = true;
        in_use_ = &e.in_use;
        stmt_ = e.statement.get();
        return;
    }
    own_ = std::make_unique<SQLite::Statement>(conn, sql);
    stmt_ = own_.get();
}

KeptStatement::~KeptStatement() {
    if (!in_use_) return;
    // Never throws: a failed step left its error on the statement; the next use starts afresh.
    stmt_->tryReset();
    try {
        stmt_->clearBindings();
    } catch (const std::exception&) {
        // sqlite3_clear_bindings cannot fail on a valid statement; the next bind overwrites anyway.
    }
    *in_use_ = false;
}

//-----------------------------------------------------------------------------
// [SECTION] WriteTx
//-----------------------------------------------------------------------------

namespace {
// The Db this thread holds a WriteTx on (outermost), if any.
thread_local const Db* t_writing = nullptr;
}  // namespace

WriteTx::WriteTx(Db& db)
    : db_(db), lock_(db.write_mutex(), std::defer_lock), conn_(db.conn()), nested_(t_writing == &db) {
    if (nested_) {
        conn_.exec("SAVEPOINT nested_write");
        return;
    }
    lock_.lock();
    conn_.exec("BEGIN IMMEDIATE");
    t_writing = &db;
}

WriteTx::~WriteTx() {
    if (done_) return;
    if (!nested_) t_writing = nullptr;
    try {
        if (nested_) conn_.exec("ROLLBACK TO nested_write; RELEASE nested_write");
        else conn_.exec("ROLLBACK");
    } catch (const std::exception& e) {
        // A failed COMMIT may already have rolled back; nothing else to do.
        spdlog::debug("rollback: {}", e.what());
    }
}

bool is_storage_fault(int sqlite_code) {
    switch (sqlite_code & 0xff) {
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_IOERR:
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CANTOPEN:
        case SQLITE_NOMEM:
        case SQLITE_PROTOCOL: return true;
        default: return false;
    }
}

bool uncounted_write(Db& db, const std::function<void(SQLite::Database&)>& write) {
    try {
        // Not a WriteTx: it would count as a commit and empty the catalogue's page cache. The
        // process write lock still orders it with the others.
        std::lock_guard lock(db.write_mutex());
        SQLite::Database& conn = db.conn();
        conn.exec("BEGIN IMMEDIATE");
        try {
            write(conn);
            conn.exec("COMMIT");
        } catch (...) {
            try {
                conn.exec("ROLLBACK");
            } catch (const std::exception&) {}  // a failed COMMIT may have rolled back already
            throw;
        }
        return true;
    } catch (const std::exception& e) {
        spdlog::warn("an uncounted write failed: {}", e.what());
        return false;
    }
}

bool database_accepts_writes(Db& db) {
    return uncounted_write(
        db, [](SQLite::Database& conn) { conn.exec("PRAGMA user_version = " + std::to_string(schema_version(conn))); });
}

void WriteTx::commit() {
    if (nested_) {
        conn_.exec("RELEASE nested_write");
        done_ = true;
        return;
    }
    conn_.exec("COMMIT");
    done_ = true;
    t_writing = nullptr;  // a WriteTx opened after this one in the same scope is a new transaction
    // Counted after COMMIT returns: whoever reads the new count then reads what was committed.
    db_.count_commit();
}

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 1: the whole model
//-----------------------------------------------------------------------------
// Times are INTEGER seconds since the epoch, UTC (uneplace::UnixSeconds). CHECK constraints repeat
// the bounds of DOMAIN.md as a last line: the shared validators are the first, and give the codes.

namespace {

const char* const kMigration1 = R"SQL(
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('partner', 'structure')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    territory   TEXT NOT NULL CHECK (length(territory) BETWEEN 2 AND 3),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX organisations_by_status ON organisations (status, kind, territory);

-- Admins belong to no organisation (the association itself); everyone else to exactly one.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER REFERENCES organisations (id),
    role            TEXT NOT NULL CHECK (role IN ('admin', 'partner', 'social_worker')),
    email           TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended')),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK ((role = 'admin') = (organisation_id IS NULL))
);
CREATE INDEX users_by_organisation ON users (organisation_id);

-- An admin with no row here is national; otherwise scoped to these départements.
CREATE TABLE admin_territories (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    territory TEXT NOT NULL,
    PRIMARY KEY (user_id, territory)
) WITHOUT ROWID;

-- Login sessions: only a hash of the bearer token is stored.
CREATE TABLE auth_sessions (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    token_hash  TEXT NOT NULL UNIQUE,
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    ended_at    INTEGER
);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id);

CREATE TABLE venues (
    id            INTEGER PRIMARY KEY,
    partner_id    INTEGER NOT NULL REFERENCES organisations (id),
    name          TEXT NOT NULL,
    address       TEXT NOT NULL,
    postal_code   TEXT NOT NULL CHECK (length(postal_code) = 5),
    city          TEXT NOT NULL DEFAULT '',
    territory     TEXT NOT NULL,
    accessibility INTEGER NOT NULL DEFAULT 0 CHECK (accessibility BETWEEN 0 AND 15),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX venues_by_partner ON venues (partner_id);

CREATE TABLE offers (
    id            INTEGER PRIMARY KEY,
    partner_id    INTEGER NOT NULL REFERENCES organisations (id),
    venue_id      INTEGER NOT NULL REFERENCES venues (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL CHECK (category IN ('theatre', 'dance', 'circus', 'concert', 'opera',
                    'comedy', 'cinema', 'exhibition', 'museum', 'heritage', 'sport_event',
                    'sport_practice', 'leisure', 'workshop', 'festival', 'talk', 'young_audience')),
    min_age       INTEGER NOT NULL DEFAULT 0 CHECK (min_age BETWEEN 0 AND 18),
    accessibility INTEGER NOT NULL DEFAULT 0 CHECK (accessibility BETWEEN 0 AND 15),
    pickup_mode   TEXT NOT NULL CHECK (pickup_mode IN ('guest_list', 'e_ticket', 'printed')),
    status        TEXT NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'pending', 'published', 'rejected', 'archived')),
    reject_reason TEXT,
    published_at  INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX offers_by_partner ON offers (partner_id, status);
CREATE INDEX offers_by_status ON offers (status);

-- opens_at NULL means "at publication" (the offer's published_at).
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    offer_id        INTEGER NOT NULL REFERENCES offers (id),
    start_at        INTEGER NOT NULL,
    duration_min    INTEGER NOT NULL CHECK (duration_min BETWEEN 1 AND 1440),
    capacity        INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    max_per_booking INTEGER NOT NULL CHECK (max_per_booking BETWEEN 1 AND 10),
    opens_at        INTEGER,
    closes_at       INTEGER NOT NULL,
    allocation      TEXT NOT NULL CHECK (allocation IN ('first_come', 'ballot')),
    draw_at         INTEGER,
    drawn_at        INTEGER,
    status          TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    reminders_sent  INTEGER NOT NULL DEFAULT 0 CHECK (reminders_sent IN (0, 1)),
    waitlist_closed INTEGER NOT NULL DEFAULT 0 CHECK (waitlist_closed IN (0, 1)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (closes_at <= start_at - 7200),
    CHECK (allocation = 'first_come' OR (draw_at IS NOT NULL AND draw_at < closes_at))
);
CREATE INDEX sessions_by_offer ON sessions (offer_id);
CREATE INDEX sessions_by_start ON sessions (start_at);

-- Minimal data on purpose (DOMAIN.md): no income, no status documents. `reference` is the
-- pseudonymous handle admins, statistics and the redacted audit log keep after P1 erasure.
CREATE TABLE beneficiaries (
    id                 INTEGER PRIMARY KEY,
    structure_id       INTEGER NOT NULL REFERENCES organisations (id),
    reference          TEXT NOT NULL UNIQUE,
    first_name         TEXT,
    last_name          TEXT,
    birth_year         INTEGER,
    postal_code        TEXT,
    household_size     INTEGER NOT NULL DEFAULT 1 CHECK (household_size BETWEEN 1 AND 15),
    phone              TEXT,
    preferred_language TEXT,
    pause_lifted_at    INTEGER,
    erased_at          INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    CHECK (erased_at IS NOT NULL OR (first_name IS NOT NULL AND last_name IS NOT NULL))
);
CREATE INDEX beneficiaries_by_structure ON beneficiaries (structure_id);

-- One row per request: a booking (confirmed → attended | no_show | cancelled | late_cancelled) or
-- a request that holds no place yet (waitlisted, ballot_entered → expired | withdrawn | lost). A
-- served request becomes a booking in place, so the id a social worker got with 202 stays valid.
CREATE TABLE bookings (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER NOT NULL REFERENCES sessions (id),
    structure_id     INTEGER NOT NULL REFERENCES organisations (id),
    social_worker_id INTEGER NOT NULL REFERENCES users (id),
    beneficiary_id   INTEGER NOT NULL REFERENCES beneficiaries (id),
    places           INTEGER NOT NULL CHECK (places BETWEEN 1 AND 10),
    status           TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled', 'late_cancelled',
                       'attended', 'no_show', 'waitlisted', 'ballot_entered', 'expired',
                       'withdrawn', 'lost')),
    origin           TEXT NOT NULL DEFAULT 'direct' CHECK (origin IN ('direct', 'waitlist', 'ballot')),
    code             TEXT UNIQUE,
    attended_count   INTEGER,
    requested_at     INTEGER NOT NULL,
    waitlisted_at    INTEGER,
    confirmed_at     INTEGER,
    ended_at         INTEGER,
    checked_in_at    INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK ((code IS NULL) = (status IN ('waitlisted', 'ballot_entered', 'expired', 'withdrawn', 'lost'))),
    CHECK (attended_count IS NULL OR attended_count BETWEEN 1 AND places)
);
CREATE INDEX bookings_by_session ON bookings (session_id, status);
CREATE INDEX bookings_by_beneficiary ON bookings (beneficiary_id, status);
CREATE INDEX bookings_by_structure ON bookings (structure_id, status);
-- R5 as a last line: one live booking or request per beneficiary and session.
CREATE UNIQUE INDEX bookings_one_live_per_beneficiary ON bookings (session_id, beneficiary_id)
    WHERE status IN ('confirmed', 'attended', 'waitlisted', 'ballot_entered');

CREATE VIEW waitlist AS
    SELECT id, session_id, structure_id, beneficiary_id, places, waitlisted_at
    FROM bookings WHERE status = 'waitlisted';

-- R3 as a last line: the places held (confirmed, attended, no_show) never exceed capacity, whatever
-- the code above does. The booking path decides under BEGIN IMMEDIATE and never trips these.
CREATE TRIGGER bookings_no_overbooking_insert BEFORE INSERT ON bookings
WHEN NEW.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'overbooking_prevented')
    WHERE NEW.places + (SELECT COALESCE(SUM(places), 0) FROM bookings
                        WHERE session_id = NEW.session_id AND status IN ('confirmed', 'attended', 'no_show'))
          > (SELECT capacity FROM sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER bookings_no_overbooking_update BEFORE UPDATE OF status, places ON bookings
WHEN NEW.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'overbooking_prevented')
    WHERE NEW.places + (SELECT COALESCE(SUM(places), 0) FROM bookings
                        WHERE session_id = NEW.session_id AND id <> NEW.id
                          AND status IN ('confirmed', 'attended', 'no_show'))
          > (SELECT capacity FROM sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER sessions_capacity_not_below_held BEFORE UPDATE OF capacity ON sessions
BEGIN
    SELECT RAISE(ABORT, 'overbooking_prevented')
    WHERE NEW.capacity < (SELECT COALESCE(SUM(places), 0) FROM bookings
                          WHERE session_id = NEW.id AND status IN ('confirmed', 'attended', 'no_show'));
END;

CREATE TABLE feedback (
    booking_id INTEGER PRIMARY KEY REFERENCES bookings (id),
    went       TEXT NOT NULL CHECK (went IN ('yes', 'no', 'partly')),
    rating     INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    comment    TEXT NOT NULL DEFAULT '',
    author_id  INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- B3: the seed and the resulting order, so anyone can re-run the draw and get the same answer.
CREATE TABLE ballot_draws (
    session_id INTEGER PRIMARY KEY REFERENCES sessions (id),
    seed       TEXT NOT NULL,
    drawn_at   INTEGER NOT NULL,
    result     TEXT NOT NULL
);

-- Append-only. The only update allowed is P1's redaction (redacted 0 → 1).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    actor_user_id  INTEGER,
    action         TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      INTEGER,
    before         TEXT,
    after          TEXT,
    beneficiary_id INTEGER,
    redacted       INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1))
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_by_beneficiary ON audit_log (beneficiary_id) WHERE beneficiary_id IS NOT NULL;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END;
CREATE TRIGGER audit_log_only_redaction BEFORE UPDATE ON audit_log
WHEN NOT (OLD.redacted = 0 AND NEW.redacted = 1 AND NEW.id = OLD.id AND NEW.at = OLD.at
          AND NEW.action = OLD.action AND NEW.entity = OLD.entity)
BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END;

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT NOT NULL,
    booking_id INTEGER,
    session_id INTEGER,
    message    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);
CREATE UNIQUE INDEX notifications_one_reminder ON notifications (booking_id, kind) WHERE kind = 'reminder';

-- Idempotency-Key: the first answer to a create, replayed for 24 h.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Territory settings; territory '*' holds the national defaults. Bounds as validate_settings.
CREATE TABLE settings (
    territory                        TEXT PRIMARY KEY,
    share_percent                    INTEGER NOT NULL CHECK (share_percent BETWEEN 1 AND 100),
    release_hours_before_close       INTEGER NOT NULL CHECK (release_hours_before_close BETWEEN 0 AND 720),
    max_upcoming_bookings            INTEGER NOT NULL CHECK (max_upcoming_bookings BETWEEN 1 AND 50),
    no_show_limit                    INTEGER NOT NULL CHECK (no_show_limit BETWEEN 1 AND 20),
    no_show_window_days              INTEGER NOT NULL CHECK (no_show_window_days BETWEEN 1 AND 730),
    pause_days                       INTEGER NOT NULL CHECK (pause_days BETWEEN 0 AND 365),
    default_max_per_booking          INTEGER NOT NULL CHECK (default_max_per_booking BETWEEN 1 AND 10),
    default_close_hours_before_start INTEGER NOT NULL CHECK (default_close_hours_before_start BETWEEN 2 AND 720),
    erase_after_months               INTEGER NOT NULL CHECK (erase_after_months BETWEEN 1 AND 120),
    updated_at                       INTEGER NOT NULL
);
)SQL";

// Ballot losers keep their draw order on the waitlist (B2): a rank among entries of one instant.
const char* const kMigration2 = R"SQL(
ALTER TABLE bookings ADD COLUMN waitlist_rank INTEGER NOT NULL DEFAULT 0;
CREATE INDEX bookings_waitlisted ON bookings (status, session_id) WHERE status IN ('waitlisted', 'ballot_entered');
)SQL";

// The catalogue filtered by département starts from the venues of that département (the territory
// lives on the venue); without these, every query walked all published offers (bench line 4).
const char* const kMigration3 = R"SQL(
CREATE INDEX venues_by_territory ON venues (territory);
CREATE INDEX offers_by_venue ON offers (venue_id);
)SQL";

// The places held kept on the session row (bench line 4: the catalogue summed the bookings of
// every row it listed). Kept by triggers on bookings, so every path that changes what a booking
// holds (book, cancel, waitlist promotion, ballot draw, check-in, session cancel, erasure, demo
// data, the bench generator) updates it in its own statement and transaction, and none can
// forget. R3's last-line triggers read the counter instead of summing too. "Held" is
// holds_places() of the shared module: confirmed, attended, no_show.
const char* const kMigration4 = R"SQL(
ALTER TABLE sessions ADD COLUMN places_held INTEGER NOT NULL DEFAULT 0 CHECK (places_held >= 0);
UPDATE sessions SET places_held = (SELECT COALESCE(SUM(places), 0) FROM bookings b
                                   WHERE b.session_id = sessions.id AND b.status IN ('confirmed', 'attended', 'no_show'));

CREATE TRIGGER bookings_hold_insert AFTER INSERT ON bookings
WHEN NEW.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    UPDATE sessions SET places_held = places_held + NEW.places WHERE id = NEW.session_id;
END;
CREATE TRIGGER bookings_hold_update AFTER UPDATE OF status, places, session_id ON bookings
WHEN OLD.status IN ('confirmed', 'attended', 'no_show') OR NEW.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    UPDATE sessions SET places_held = places_held - OLD.places
    WHERE id = OLD.session_id AND OLD.status IN ('confirmed', 'attended', 'no_show');
    UPDATE sessions SET places_held = places_held + NEW.places
    WHERE id = NEW.session_id AND NEW.status IN ('confirmed', 'attended', 'no_show');
END;
CREATE TRIGGER bookings_hold_delete AFTER DELETE ON bookings
WHEN OLD.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    UPDATE sessions SET places_held = places_held - OLD.places WHERE id = OLD.session_id;
END;

-- R3's last line, as in migration 1, on the counter (the BEFORE triggers see it without the row).
DROP TRIGGER IF EXISTS bookings_no_overbooking_insert;
DROP TRIGGER IF EXISTS bookings_no_overbooking_update;
DROP TRIGGER IF EXISTS sessions_capacity_not_below_held;
CREATE TRIGGER bookings_no_overbooking_insert BEFORE INSERT ON bookings
WHEN NEW.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'overbooking_prevented') FROM sessions
    WHERE id = NEW.session_id AND places_held + NEW.places > capacity;
END;
CREATE TRIGGER bookings_no_overbooking_update BEFORE UPDATE OF status, places, session_id ON bookings
WHEN NEW.status IN ('confirmed', 'attended', 'no_show')
BEGIN
    SELECT RAISE(ABORT, 'overbooking_prevented') FROM sessions
    WHERE id = NEW.session_id
      AND places_held + NEW.places - (CASE WHEN OLD.session_id = NEW.session_id
                                                AND OLD.status IN ('confirmed', 'attended', 'no_show')
                                           THEN OLD.places ELSE 0 END) > capacity;
END;
CREATE TRIGGER sessions_capacity_not_below_held BEFORE UPDATE OF capacity ON sessions
WHEN NEW.capacity < OLD.places_held
BEGIN
    SELECT RAISE(ABORT, 'overbooking_prevented');
END;
)SQL";

// What the catalogue filters and sorts on, kept on the session row (bench line 4): its venue's
// département, its offer's category, and whether its offer is published. A catalogue page then
// walks one index in start order and stops at its limit, instead of joining every session of a
// département (or of France) to its offer and venue first: a département's page fell from about
// 5 ms to 0.2 ms of SQLite on the national data, and the whole-of-France page lost the Bloom filter
// over every offer that SQLite built to check "published" (4 ms). Kept by triggers, so a venue
// moved to another département, an offer recategorised, published, rejected or archived, and any
// session inserted by any path (server, demo data, bench generator) carries the right keys in the
// same statement; a test compares them with the joined truth. (A session never changes offer.)
const char* const kMigration5 = R"SQL(
ALTER TABLE sessions ADD COLUMN territory TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN offer_published INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET
    territory = (SELECT v.territory FROM offers o JOIN venues v ON v.id = o.venue_id WHERE o.id = sessions.offer_id),
    category = (SELECT o.category FROM offers o WHERE o.id = sessions.offer_id),
    offer_published = (SELECT o.status = 'published' FROM offers o WHERE o.id = sessions.offer_id);

CREATE TRIGGER sessions_listing_keys_insert AFTER INSERT ON sessions
BEGIN
    UPDATE sessions SET
        territory = (SELECT v.territory FROM offers o JOIN venues v ON v.id = o.venue_id WHERE o.id = NEW.offer_id),
        category = (SELECT o.category FROM offers o WHERE o.id = NEW.offer_id),
        offer_published = (SELECT o.status = 'published' FROM offers o WHERE o.id = NEW.offer_id)
    WHERE id = NEW.id;
END;
CREATE TRIGGER offers_listing_keys_update AFTER UPDATE OF status, category, venue_id ON offers
BEGIN
    UPDATE sessions SET
        territory = (SELECT territory FROM venues WHERE id = NEW.venue_id),
        category = NEW.category,
        offer_published = NEW.status = 'published'
    WHERE offer_id = NEW.id;
END;
CREATE TRIGGER venues_listing_keys_update AFTER UPDATE OF territory ON venues
BEGIN
    UPDATE sessions SET territory = NEW.territory
    WHERE offer_id IN (SELECT id FROM offers WHERE venue_id = NEW.id);
END;

-- Only what a catalogue can list: scheduled sessions of published offers.
CREATE INDEX sessions_listed ON sessions (start_at) WHERE status = 'scheduled' AND offer_published = 1;
CREATE INDEX sessions_listed_by_territory ON sessions (territory, start_at) WHERE status = 'scheduled' AND offer_published = 1;
CREATE INDEX sessions_listed_by_category ON sessions (category, start_at) WHERE status = 'scheduled' AND offer_published = 1;
CREATE INDEX sessions_listed_by_territory_category ON sessions (territory, category, start_at)
    WHERE status = 'scheduled' AND offer_published = 1;
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 6: ticket signing keys (I2)
//-----------------------------------------------------------------------------

// Ed25519 key pairs that sign the invitations' tickets. The newest row signs; every row still
// verifies, so a rotation (`uneplace rotate-ticket-key`) never voids a ticket already printed.
// The secret keys live in the database, so its backups must be kept as private as the database.
const char* const kMigration6 = R"SQL(
CREATE TABLE ticket_keys (
    id          INTEGER PRIMARY KEY,  -- the ticket's key id
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    secret_key  BLOB NOT NULL CHECK (length(secret_key) = 64),
    created_at  INTEGER NOT NULL
);
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 7: the e-mail outbox and mail preferences (M1–M6)
//-----------------------------------------------------------------------------

// M6: every message is a row, written in the same transaction as the state change that causes it
// (a crash neither loses one nor queues one twice), and sent later by the mail worker. Sending is
// at least once: a crash after the mail server took a message and before its row says so sends it
// again after the restart, with the same Message-ID (mail.cpp), which mail systems deduplicate. The text and HTML are
// written at that moment (what was true when it happened); the invitation PDF of M1 is not
// stored: it is drawn again from the booking when the message leaves, so the database holds no
// blobs and the booking's write transaction never waits for libharu.
// `dedup_key` ("<event>:<booking id>"): one event queues one message, whatever retries the
// caller or the scheduler make.
const char* const kMigration7 = R"SQL(
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('M1', 'M2', 'M3', 'M4')),
    event             TEXT NOT NULL,
    dedup_key         TEXT NOT NULL UNIQUE,
    user_id           INTEGER NOT NULL REFERENCES users (id),
    recipient         TEXT NOT NULL,
    subject           TEXT NOT NULL,
    body_text         TEXT NOT NULL,
    body_html         TEXT NOT NULL,
    booking_id        INTEGER REFERENCES bookings (id),
    attach_invitation INTEGER NOT NULL DEFAULT 0 CHECK (attach_invitation IN (0, 1)),
    status            TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    last_error        TEXT,
    created_at        INTEGER NOT NULL,
    sent_at           INTEGER,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_by_status ON outbox (status, id);

-- M5: M2 (reminders) and M4 (feedback requests) may be turned off; M1 and M3 cannot.
ALTER TABLE users ADD COLUMN mail_reminders INTEGER NOT NULL DEFAULT 1 CHECK (mail_reminders IN (0, 1));
ALTER TABLE users ADD COLUMN mail_feedback_requests INTEGER NOT NULL DEFAULT 1
    CHECK (mail_feedback_requests IN (0, 1));
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 8: the ticketing-network feed (issue 15)
//-----------------------------------------------------------------------------

// API keys of partner organisations: only a BLAKE2b-256 digest of the key is kept (the key is
// 256 random bits, so a fast hash is enough: nobody can guess their way back to one). `user_id`
// is whose rights the key carries (the partner user who made it, or the organisation's oldest
// active user when an administrator made it); `scopes` a bit set (feed:write 1, feed:read 2,
// webhooks 4).
// feed_objects maps a partner's own ids (ext_id) to ours, per organisation and kind, with the
// last source_version applied.
// feed_events: the organisation's booking events, written by triggers in the very statement that
// changes the booking or the session, so no code path (booking, cancellation, waitlist, ballot,
// check-in, session cancellation) can forget one and none is written for a change rolled back.
// `seq` (AUTOINCREMENT: never reused) orders them; single writer, so a reader never sees a later
// seq committed before an earlier one (no gaps). The guest is not copied here: the feed reads it
// in P2 form at read time, so an erased beneficiary (P1) leaves nothing behind.
const char* const kMigration8 = R"SQL(
CREATE TABLE api_keys (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    prefix          TEXT NOT NULL,
    key_hash        TEXT NOT NULL UNIQUE,
    scopes          INTEGER NOT NULL CHECK (scopes BETWEEN 1 AND 7),
    created_at      INTEGER NOT NULL,
    last_used_at    INTEGER,
    revoked_at      INTEGER
);
CREATE INDEX api_keys_by_organisation ON api_keys (organisation_id, id);

CREATE TABLE feed_objects (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('venue', 'offer', 'session')),
    ext_id          TEXT NOT NULL CHECK (length(ext_id) BETWEEN 1 AND 64),
    object_id       INTEGER NOT NULL,
    source_version  INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, kind, ext_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX feed_objects_by_object ON feed_objects (kind, object_id);

CREATE TABLE feed_events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL,
    type            TEXT NOT NULL,
    occurred_at     INTEGER NOT NULL,
    session_id      INTEGER NOT NULL,
    booking_id      INTEGER,
    places          INTEGER
);
CREATE INDEX feed_events_by_organisation ON feed_events (organisation_id, seq);

-- session.full: a booking that starts holding places takes the session to its capacity. Summed
-- here rather than read from sessions.places_held, whose triggers may run before or after these.
-- One trigger per event of bookings, its statements in order: SQLite does not promise an order
-- between triggers, and the booking's own event must come before the session's.
CREATE TRIGGER feed_booking_inserted AFTER INSERT ON bookings
WHEN NEW.status = 'confirmed'
BEGIN
    INSERT INTO feed_events (organisation_id, type, occurred_at, session_id, booking_id, places)
    SELECT o.partner_id, 'booking.created', NEW.updated_at, NEW.session_id, NEW.id, NEW.places
    FROM sessions s JOIN offers o ON o.id = s.offer_id WHERE s.id = NEW.session_id;
    INSERT INTO feed_events (organisation_id, type, occurred_at, session_id)
    SELECT o.partner_id, 'session.full', NEW.updated_at, NEW.session_id
    FROM sessions s JOIN offers o ON o.id = s.offer_id
    WHERE s.id = NEW.session_id
      AND (SELECT SUM(places) FROM bookings WHERE session_id = NEW.session_id
           AND status IN ('confirmed', 'attended', 'no_show')) >= s.capacity;
END;
CREATE TRIGGER feed_booking_changed AFTER UPDATE OF status ON bookings
WHEN OLD.status <> NEW.status
BEGIN
    INSERT INTO feed_events (organisation_id, type, occurred_at, session_id, booking_id, places)
    SELECT o.partner_id, t.type, NEW.updated_at, NEW.session_id, NEW.id, NEW.places
    FROM sessions s JOIN offers o ON o.id = s.offer_id,
         (SELECT CASE
             WHEN NEW.status = 'confirmed' AND OLD.status = 'waitlisted' THEN 'waitlist.served'
             WHEN NEW.status = 'confirmed' AND OLD.status = 'ballot_entered' THEN 'booking.created'
             WHEN NEW.status IN ('cancelled', 'late_cancelled') AND OLD.status = 'confirmed' THEN 'booking.cancelled'
             WHEN NEW.status = 'attended' THEN 'booking.checked_in'
             WHEN NEW.status = 'no_show' THEN 'booking.no_show'
          END AS type) t
    WHERE s.id = NEW.session_id AND t.type IS NOT NULL;
    INSERT INTO feed_events (organisation_id, type, occurred_at, session_id)
    SELECT o.partner_id, 'session.full', NEW.updated_at, NEW.session_id
    FROM sessions s JOIN offers o ON o.id = s.offer_id
    WHERE s.id = NEW.session_id AND NEW.status = 'confirmed'
      AND OLD.status NOT IN ('confirmed', 'attended', 'no_show')
      AND (SELECT SUM(places) FROM bookings WHERE session_id = NEW.session_id
           AND status IN ('confirmed', 'attended', 'no_show')) >= s.capacity;
END;
CREATE TRIGGER feed_session_cancelled AFTER UPDATE OF status ON sessions
WHEN NEW.status = 'cancelled' AND OLD.status <> 'cancelled'
BEGIN
    INSERT INTO feed_events (organisation_id, type, occurred_at, session_id)
    SELECT o.partner_id, 'session.cancelled', NEW.updated_at, NEW.id FROM offers o WHERE o.id = NEW.offer_id;
END;
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 9: the territory a booking was made in
//-----------------------------------------------------------------------------

// Statistics count a booking where it was made, whatever later happens to its venue: the
// territory is copied from the session when the booking is written (insert_request names it; the
// trigger fills it for any other writer). A venue moved by an administrator moves its sessions
// still to come (the catalogue lists them there), never those that took place.
const char* const kMigration9 = R"SQL(
ALTER TABLE bookings ADD COLUMN territory TEXT NOT NULL DEFAULT '';
UPDATE bookings SET territory = (SELECT s.territory FROM sessions s WHERE s.id = bookings.session_id);
CREATE TRIGGER bookings_territory_insert AFTER INSERT ON bookings WHEN NEW.territory = ''
BEGIN
    UPDATE bookings SET territory = (SELECT territory FROM sessions WHERE id = NEW.session_id) WHERE id = NEW.id;
END;
DROP TRIGGER IF EXISTS venues_listing_keys_update;
CREATE TRIGGER venues_listing_keys_update AFTER UPDATE OF territory ON venues
BEGIN
    UPDATE sessions SET territory = NEW.territory
    WHERE offer_id IN (SELECT id FROM offers WHERE venue_id = NEW.id) AND start_at > unixepoch();
END;
CREATE INDEX bookings_by_territory ON bookings (territory);
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 10: the household's children (issue 18, finding outings)
//-----------------------------------------------------------------------------
// Their birth years, so the catalogue can match an offer's min_age against the whole family:
// "2017,2020" (empty when not recorded). Erased with the rest of the person (P1).

const char* const kMigration10 = R"SQL(
ALTER TABLE beneficiaries ADD COLUMN children_birth_years TEXT NOT NULL DEFAULT '';
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 11: signed webhooks of the feed (issue 15)
//-----------------------------------------------------------------------------
// webhook_keys: Ed25519 key pairs that sign deliveries, as ticket_keys do for tickets: the newest
// signs; a key superseded by `uneplace rotate-webhook-key` gets `retired_at` and stays listed by
// GET /webhooks/keys for a week, so receivers verify deliveries still in flight.
// webhooks: an organisation's subscriptions. `events` is a bit set (kWebhookEventTypes);
// `last_seq` is the last feed_events row the delivery worker turned into deliveries for it (it
// starts at the newest seq when the webhook is made: a subscription hears what happens after).
// webhook_deliveries: the queue and its log, one row per (webhook, event) — a ping or a
// redelivery is a row of its own. Sent one webhook at a time in id order, which is seq order.
// The body is not stored: it is read from feed_events when it leaves (the guest in P2 form at that
// moment, so P1 erasure leaves nothing behind here either).
const char* const kMigration11 = R"SQL(
CREATE TABLE webhook_keys (
    id          INTEGER PRIMARY KEY,  -- the key id sent in webhook-key-id
    public_key  BLOB NOT NULL CHECK (length(public_key) = 32),
    secret_key  BLOB NOT NULL CHECK (length(secret_key) = 64),
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER
);

CREATE TABLE webhooks (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    url             TEXT NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    events          INTEGER NOT NULL CHECK (events BETWEEN 1 AND 127),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
    last_seq        INTEGER NOT NULL,
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    disabled_at     INTEGER,
    disabled_reason TEXT
);
CREATE INDEX webhooks_by_organisation ON webhooks (organisation_id, id);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    webhook_id      INTEGER NOT NULL REFERENCES webhooks (id),
    event_seq       INTEGER,  -- NULL for a ping
    event_id        TEXT NOT NULL,
    type            TEXT NOT NULL,
    redelivery_of   INTEGER REFERENCES webhook_deliveries (id),
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,  -- Unix milliseconds (the retry schedule compresses in tests)
    last_status     INTEGER,
    last_error      TEXT,
    last_latency_ms INTEGER,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, id);
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 12: securing accounts (issue 12)
//-----------------------------------------------------------------------------
// The TOTP secret (base32; pending until confirmed, when totp_enabled_at is set) and the last time
// step accepted, so a code opens one login only; recovery codes and reset links kept as digests;
// what names a login session in its owner's list.

const char* const kMigration12 = R"SQL(
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE auth_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_sessions ADD COLUMN last_seen_at INTEGER;
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   INTEGER
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id, code_hash);
CREATE TABLE password_resets (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 13: posters of offers (issue 18)
//-----------------------------------------------------------------------------
// One poster per offer, in its two sizes as served (WebP, re-encoded from pixels by images.cpp).
// In the database itself, so the online backup carries them with the rest. `version` goes up with
// each upload and is part of the URL, which is therefore cacheable for ever; `etag` is a hash of
// both files.

const char* const kMigration13 = R"SQL(
CREATE TABLE IF NOT EXISTS offer_images (
    offer_id INTEGER PRIMARY KEY REFERENCES offers(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    etag TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    large BLOB NOT NULL,
    thumb BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
)SQL";

//-----------------------------------------------------------------------------
// [SECTION] Schema, migration 14: the outbox by booking
//-----------------------------------------------------------------------------
// outbox.booking_id references bookings, and with foreign keys on, deleting a booking (the
// benchmark's clean-up, a test's) looked for its messages by reading the whole outbox, one
// message per booking at national scale: 25,000 deletions took minutes. Also how a booking's
// messages are found.

const char* const kMigration14 = R"SQL(
CREATE INDEX IF NOT EXISTS outbox_by_booking ON outbox (booking_id);
)SQL";

struct Migration {
    int version;
    const char* description;
    const char* sql;
};

const Migration kMigrations[] = {
    {1, "organisations, users, venues, offers, sessions, beneficiaries, bookings, audit", kMigration1},
    {2, "waitlist rank of ballot losers, request indexes", kMigration2},
    {3, "catalogue indexes by département", kMigration3},
    {4, "places held kept on the session row", kMigration4},
    {5, "catalogue keys (département, category, published) kept on the session row", kMigration5},
    {6, "ticket signing keys", kMigration6},
    {7, "e-mail outbox and mail preferences", kMigration7},
    {8, "ticketing-network feed: API keys, ext_id map, booking events", kMigration8},
    {9, "the territory a booking was made in", kMigration9},
    {10, "children's birth years of a beneficiary's household", kMigration10},
    {11, "signed webhooks of the feed: keys, subscriptions, deliveries", kMigration11},
    {12, "securing accounts: second factor, recovery codes, reset links, sessions' devices", kMigration12},
    {13, "posters of offers", kMigration13},
    {14, "the outbox by booking", kMigration14},
};

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Migration runner
//-----------------------------------------------------------------------------

int latest_schema_version() { return kMigrations[std::size(kMigrations) - 1].version; }

int schema_version(SQLite::Database& conn) {
    if (!conn.tableExists("schema_migrations")) return 0;
    SQLite::Statement q(conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    q.executeStep();
    return q.getColumn(0).getInt();
}

void refresh_query_statistics(SQLite::Database& conn) {
    // Without statistics SQLite guesses every index equally selective and walks all published
    // offers for a catalogue page of one département. A full ANALYZE, not a sampled one: a sample
    // of offers_by_status misjudged "published" as rare and chose a plan 6x slower (bench line 4).
    // It takes about 0.5 s on the national benchmark database.
    conn.exec("ANALYZE");
}

int migrate(SQLite::Database& conn) {
    conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    int current = schema_version(conn);
    if (current > latest_schema_version())
        throw std::runtime_error("la base de données (schéma " + std::to_string(current) +
                                 ") est plus récente que ce programme (schéma " +
                                 std::to_string(latest_schema_version()) + ")");
    int applied = 0;
    for (const auto& m : kMigrations) {
        if (m.version <= current) continue;
        // Each migration and its bookkeeping row commit together, so a crash leaves either the
        // old schema or the new one.
        conn.exec("BEGIN IMMEDIATE");
        try {
            // Re-read under the lock: another process may have migrated meanwhile.
            if (schema_version(conn) >= m.version) {
                conn.exec("ROLLBACK");
                continue;
            }
            conn.exec(m.sql);
            SQLite::Statement ins(conn, "INSERT INTO schema_migrations (version, description, applied_at)"
                                        " VALUES (?, ?, strftime('%s','now'))");
            ins.bind(1, m.version);
            ins.bind(2, m.description);
            ins.exec();
            conn.exec("PRAGMA user_version = " + std::to_string(m.version));
            conn.exec("COMMIT");
        } catch (...) {
            try {
                conn.exec("ROLLBACK");
            } catch (...) {}
            throw;
        }
        spdlog::info("migration {} appliquée : {}", m.version, m.description);
        ++applied;
    }
    return applied;
}

//-----------------------------------------------------------------------------
// [SECTION] Helpers and backup
//-----------------------------------------------------------------------------

std::optional<std::int64_t> opt_int(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getInt64();
}

std::optional<std::string> opt_text(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

void backup_database(const std::string& db_path, const std::string& out_path) {
    auto src = open_connection(db_path);
    SQLite::Database dst(out_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // Steps of 256 pages: between steps the source is unlocked, so a serving process keeps
    // writing; the backup restarts by itself when the source changes under it.
    SQLite::Backup backup(dst, *src);
    int rc;
    do {
        rc = backup.executeStep(256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    if (rc != SQLITE_DONE) throw std::runtime_error("sauvegarde interrompue (code SQLite " + std::to_string(rc) + ")");
}

}  // namespace uneplace::server
