// uneplace server — SQLite access: per-thread connections, write transactions, migrations.
//
// Index of this file:
// [SECTION] Db: one database file, one connection per thread
// [SECTION] WriteTx: BEGIN IMMEDIATE under the process write lock
// [SECTION] Migrations
// [SECTION] Small query helpers
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Db
//-----------------------------------------------------------------------------

// SQLite connections may not be shared between threads (SQLiteCpp does not support the serialized
// mode), so each thread opens its own the first time it asks; httplib's worker threads live as
// long as the server, so this is a pool without the bookkeeping.
class Db {
public:
    explicit Db(std::string path);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    const std::string& path() const { return path_; }
    SQLite::Database& conn();
    // Serialises writers inside this process. BEGIN IMMEDIATE alone is enough for correctness
    // (and protects against other processes), but SQLite's busy handler polls with sleeps; a mutex
    // hands the write lock over at once and in order, which keeps latency flat under load.
    std::mutex& write_mutex() { return write_mutex_; }
    // Write transactions committed by this process since it opened the file. An answer computed
    // after reading N is stale once it is not N any more (the page cache of the catalogue).
    std::uint64_t commits() const { return commits_.load(std::memory_order_acquire); }
    void count_commit() { commits_.fetch_add(1, std::memory_order_acq_rel); }

private:
    std::string path_;
    std::uint64_t generation_;
    std::mutex write_mutex_;
    std::atomic<std::uint64_t> commits_{0};
};

// Opens a connection with the pragmas every connection needs (WAL, foreign keys, busy timeout).
std::unique_ptr<SQLite::Database> open_connection(const std::string& path);

// A statement prepared once per connection and kept with it (this thread's connection of a Db),
// for the queries of the booking path: a booking used to prepare about fifteen statements anew,
// and an INSERT into bookings compiles the table's triggers at every prepare. Reset when the
// guard leaves its scope, so no read stays open on a kept statement.
// Used again while already in use (a nested call), or on a connection that is not a Db's, it
// prepares a statement of its own, as SQLite::Statement does.
class KeptStatement {
public:
    KeptStatement(SQLite::Database& conn, const char* sql);
    ~KeptStatement();
    KeptStatement(const KeptStatement&) = delete;
    KeptStatement& operator=(const KeptStatement&) = delete;
    SQLite::Statement& operator*() { return *stmt_; }
    SQLite::Statement* operator->() { return stmt_; }

private:
    SQLite::Statement* stmt_ = nullptr;
    std::unique_ptr<SQLite::Statement> own_;
    bool* in_use_ = nullptr;
};

//-----------------------------------------------------------------------------
// [SECTION] WriteTx
//-----------------------------------------------------------------------------

// The only way the server writes: take the process write lock, BEGIN IMMEDIATE (the SQLite write
// lock, so the reads that follow see the latest committed state and nobody writes until COMMIT),
// read, decide, write, commit(). Destruction without commit() rolls back.
// A WriteTx opened while the same thread already holds one on the same Db is a SAVEPOINT inside
// it: the feed (store_feed.cpp) wraps the domain services, each with its own WriteTx, and its
// ext_id bookkeeping in one transaction, so a line of a batch is applied whole or not at all.
class WriteTx {
public:
    explicit WriteTx(Db& db);
    ~WriteTx();
    WriteTx(const WriteTx&) = delete;
    WriteTx& operator=(const WriteTx&) = delete;
    void commit();
    SQLite::Database& conn() { return conn_; }

private:
    Db& db_;
    std::unique_lock<std::mutex> lock_;
    SQLite::Database& conn_;
    bool nested_ = false;  // a SAVEPOINT inside this thread's open WriteTx
    bool done_ = false;
};

//-----------------------------------------------------------------------------
// [SECTION] Migrations
//-----------------------------------------------------------------------------

// Applies every migration newer than the database's version, each in its own transaction, and
// returns how many were applied. Forward-only: a database newer than this binary is refused.
int migrate(SQLite::Database& conn);
// Refreshes the query planner's statistics (ANALYZE): at start, then hourly.
void refresh_query_statistics(SQLite::Database& conn);
int schema_version(SQLite::Database& conn);
int latest_schema_version();

//-----------------------------------------------------------------------------
// [SECTION] Small query helpers
//-----------------------------------------------------------------------------

// Column helpers that map SQL NULL to std::nullopt.
std::optional<std::int64_t> opt_int(const SQLite::Column& c);
std::optional<std::string> opt_text(const SQLite::Column& c);

// True for the SQLite result codes (primary or extended) that are faults of the storage, not of a
// request: a full disk, a read-only file, an I/O error, a database another process holds. The
// server answers them 503 `unavailable` and carries on; they clear without a restart.
bool is_storage_fault(int sqlite_code);

// A small write nothing a catalogue page shows depends on (a session's "last seen", /readyz's
// probe): under the process write lock, in its own transaction, but not counted in Db::commits.
// False, logged, when it could not be written (busy or full disk): callers treat it as best effort.
bool uncounted_write(Db& db, const std::function<void(SQLite::Database&)>& write);

// True when the database accepts a write now: a transaction that rewrites the schema version
// with the same value (a real page written to the log, nothing changed) and commits. /readyz.
bool database_accepts_writes(Db& db);

// Online backup of the live database into `out_path` (sqlite3_backup_*), safe while serving.
void backup_database(const std::string& db_path, const std::string& out_path);

}  // namespace uneplace::server
