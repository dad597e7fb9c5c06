// uneplace server — accounts: Argon2id password hashes, session tokens, login, logout, the caller.
//
// Index of this file:
// [SECTION] Crypto primitives
// [SECTION] Loading the caller
// [SECTION] Login, authenticate, logout
// [SECTION] Admin accounts
#include "auth.hpp"

#include <sodium.h>

#include <cstring>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "security.hpp"
#include "store.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Crypto primitives
//-----------------------------------------------------------------------------

void init_crypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium n'a pas pu s'initialiser");
}

std::string hash_password(std::string_view password, bool fast) {
    // INTERACTIVE: ~64 MiB and a fraction of a second, the libsodium recommendation for logins.
    const auto ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const auto mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("crypto_pwhash_str: mémoire insuffisante");
    return out;
}

bool verify_password(const std::string& stored_hash, std::string_view password) {
    return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

HashSlot::HashSlot(App& app) : app_(app) {
    if (!app_.hash_gate.enter()) {
        app_.metrics.count("password_hash_busy_total");
        throw Failure("server_busy");
    }
}

HashSlot::~HashSlot() { app_.hash_gate.leave(); }

std::string hash_password_in_slot(App& app, std::string_view password) {
    HashSlot slot(app);
    return hash_password(password, app.options.fast_hash);
}

std::string random_token(std::size_t bytes) {
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::string token_digest(std::string_view token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

std::uint64_t random_u64() {
    std::uint64_t v;
    randombytes_buf(&v, sizeof v);
    return v;
}

//-----------------------------------------------------------------------------
// [SECTION] Loading the caller
//-----------------------------------------------------------------------------

Actor load_actor(SQLite::Database& conn, Id user_id) {
    SQLite::Statement q(conn,
                        "SELECT u.id, u.role, u.organisation_id, u.email, u.display_name, u.status, o.status, o.name,"
                        " o.territory, u.totp_enabled_at IS NOT NULL"
                        " FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ?");
    q.bind(1, user_id);
    if (!q.executeStep()) fail("not_found");
    Actor a;
    a.user_id = q.getColumn(0).getInt64();
    a.role = from_code<Role>(q.getColumn(1).getString()).value_or(Role::SocialWorker);
    a.organisation_id = opt_int(q.getColumn(2));
    a.email = q.getColumn(3).getString();
    a.display_name = q.getColumn(4).getString();
    a.user_status = from_code<AccountStatus>(q.getColumn(5).getString()).value_or(AccountStatus::Pending);
    if (!q.getColumn(6).isNull())
        a.organisation_status = from_code<AccountStatus>(q.getColumn(6).getString()).value_or(AccountStatus::Pending);
    a.organisation_name = q.getColumn(7).isNull() ? "" : q.getColumn(7).getString();
    a.organisation_territory = q.getColumn(8).isNull() ? "" : q.getColumn(8).getString();
    a.second_factor = q.getColumn(9).getInt() != 0;
    if (a.role == Role::Admin) {
        SQLite::Statement t(conn, "SELECT territory FROM admin_territories WHERE user_id = ? ORDER BY territory");
        t.bind(1, user_id);
        while (t.executeStep()) a.territories.push_back(t.getColumn(0).getString());
    }
    return a;
}

//-----------------------------------------------------------------------------
// [SECTION] Login, authenticate, logout
//-----------------------------------------------------------------------------

namespace {
// Verified against when the email is unknown, so an unknown address costs the same time as a
// wrong password and timing does not reveal which accounts exist.
const std::string& dummy_hash(bool fast) {
    static const std::string slow = hash_password("uneplace-dummy-password", false);
    static const std::string quick = hash_password("uneplace-dummy-password", true);
    return fast ? quick : slow;
}
}  // namespace

LoginResult login(App& app, std::string_view email_in, std::string_view password,
                  const std::optional<std::string>& second_factor_code, std::string_view user_agent) {
    // Surrounding spaces are a typing accident, not a different address (normalize_email trims too).
    if (auto r = validate_email(trim(email_in))) fail(*r);
    const std::string email = normalize_email(email_in);

    Id user_id = 0;
    std::string stored;
    {
        SQLite::Statement q(app.db.conn(), "SELECT id, password_hash FROM users WHERE email = ?");
        q.bind(1, email);
        if (q.executeStep()) {
            user_id = q.getColumn(0).getInt64();
            stored = q.getColumn(1).getString();
        }
    }
    // The slow hash runs outside any database lock (logins never hold up bookings), in one of the
    // few hashing slots (a login flood queues instead of taking a gigabyte).
    const bool ok = [&] {
        HashSlot slot(app);
        return user_id != 0 ? verify_password(stored, password)
                            : (verify_password(dummy_hash(app.options.fast_hash), password), false);
    }();
    // Unknown accounts back off too: the answer must not tell which addresses have an account.
    if (!ok) {
        app.login_backoff.failed(email);
        spdlog::warn("login refused email_digest={}", token_digest(email).substr(0, 12));
        fail("invalid_credentials");
    }

    LoginResult res;
    res.token = random_token();
    res.csrf_token = random_token(24);
    const UnixSeconds now = app.now();
    res.expires_at = now + app.options.session_hours * kHour;
    WriteTx tx(app.db);
    // The second factor, after the password (API.md: 401 totp_required when none was sent). A
    // wrong code counts as a wrong password for the account's back-off.
    if (has_second_factor(tx.conn(), user_id)) {
        if (!second_factor_code || second_factor_code->empty()) fail("totp_required", "totp");
        if (!check_second_factor(tx.conn(), now, user_id, *second_factor_code)) {
            app.login_backoff.failed(email);
            fail("totp_invalid", "totp");
        }
    }
    // What the person will recognise in their list of sessions; never trusted for anything else.
    std::string agent(user_agent.substr(0, 200));
    if (!is_valid_utf8(agent)) agent.clear();
    SQLite::Statement ins(tx.conn(),
                          "INSERT INTO auth_sessions (user_id, token_hash, csrf_token, created_at, expires_at,"
                          " user_agent, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, user_id);
    ins.bind(2, token_digest(res.token));
    ins.bind(3, res.csrf_token);
    ins.bind(4, now);
    ins.bind(5, res.expires_at);
    ins.bind(6, agent);
    ins.bind(7, now);
    ins.exec();
    const Id session_id = tx.conn().getLastInsertRowid();
    res.actor = load_actor(tx.conn(), user_id);
    res.actor.auth_session_id = session_id;
    res.actor.csrf_token = res.csrf_token;
    audit(tx.conn(), now, user_id, "auth.login", "user", user_id, nullptr,
          nlohmann::json{{"auth_session_id", session_id}});
    tx.commit();
    app.login_backoff.succeeded(email);  // password and second factor both right
    return res;
}

std::optional<Actor> authenticate(App& app, std::string_view token) {
    if (token.empty() || token.size() > 200) return std::nullopt;
    const UnixSeconds now = app.now();
    SQLite::Statement q(app.db.conn(), "SELECT id, user_id, csrf_token, COALESCE(last_seen_at, 0) FROM auth_sessions"
                                       " WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?");
    q.bind(1, token_digest(token));
    q.bind(2, now);
    if (!q.executeStep()) return std::nullopt;
    const Id session_id = q.getColumn(0).getInt64();
    const Id user_id = q.getColumn(1).getInt64();
    const std::string csrf = q.getColumn(2).getString();
    const UnixSeconds last_seen = q.getColumn(3).getInt64();
    q.reset();
    // "Last seen" for the list of one's sessions, to the nearest 5 minutes: one small write per
    // session every 5 minutes, not one per request, and never counted as a commit (nothing a
    // catalogue page shows changed). Best effort: a busy or full disk leaves it as it was.
    if (now - last_seen >= 5 * 60) {
        uncounted_write(app.db, [&](SQLite::Database& c) {
            SQLite::Statement up(c, "UPDATE auth_sessions SET last_seen_at = ? WHERE id = ?");
            up.bind(1, now);
            up.bind(2, session_id);
            up.exec();
        });
    }
    Actor a = load_actor(app.db.conn(), user_id);
    a.auth_session_id = session_id;
    a.csrf_token = csrf;
    return a;
}

void logout(App& app, const Actor& actor) {
    WriteTx tx(app.db);
    SQLite::Statement up(tx.conn(), "UPDATE auth_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL");
    up.bind(1, app.now());
    up.bind(2, actor.auth_session_id);
    up.exec();
    audit(tx.conn(), app.now(), actor.user_id, "auth.logout", "user", actor.user_id, nullptr,
          nlohmann::json{{"auth_session_id", actor.auth_session_id}});
    tx.commit();
}

//-----------------------------------------------------------------------------
// [SECTION] Admin accounts
//-----------------------------------------------------------------------------

Id create_admin(App& app, std::string_view email_in, std::string_view password, std::string_view display_name) {
    if (auto r = validate_email(trim(email_in))) fail(*r);
    require_strong_password(password, "password", email_in, display_name);
    const std::string email = normalize_email(email_in);
    const std::string hash = hash_password_in_slot(app, password);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    ensure_email_free(tx.conn(), email, "email");
    const Id id = insert_user(tx.conn(), std::nullopt, Role::Admin, email, hash, std::string(display_name),
                              AccountStatus::Active, now);
    audit(tx.conn(), now, std::nullopt, "user.create_admin", "user", id, nullptr,
          nlohmann::json{{"email", email}, {"role", "admin"}, {"status", "active"}});
    tx.commit();
    return id;
}

}  // namespace uneplace::server
