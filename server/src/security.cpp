// uneplace server — securing an account: password policy, change and reset, TOTP, one's sessions.
//
// Index of this file:
// [SECTION] Password policy (cracklib)
// [SECTION] Passwords: change and reset
// [SECTION] Second factor (liboath)
// [SECTION] One's login sessions
#include "security.hpp"

#include <crack.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unordered_set>

#include "auth.hpp"
#include "store.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Password policy (cracklib)
//-----------------------------------------------------------------------------

namespace {

// cracklib keeps static buffers: one check at a time.
std::mutex g_cracklib_mutex;
// The word list cracklib-runtime ships beside its packed dictionary. It holds the passwords people
// pick first ("azerty", "iloveyou", "soleil"…) among ordinary words.
std::unordered_set<std::string> g_common_words;
constexpr const char* kWordListPath = "/usr/share/dict/cracklib-small";

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// What a person adds around a weak word to pass a rule: digits and symbols before and after
// ("!Password2024"), and the word said twice or three times ("soleilsoleil"). The core is what
// remains, lower-cased.
std::string password_core(std::string_view password) {
    std::string s = lower_ascii(password);
    auto decoration = [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || std::ispunct(static_cast<unsigned char>(c)) || c == ' ';
    };
    while (!s.empty() && decoration(s.back())) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && decoration(s[start])) ++start;
    s.erase(0, start);
    for (std::size_t times : {3u, 2u}) {
        if (s.size() % times != 0) continue;
        const std::size_t part = s.size() / times;
        bool repeated = true;
        for (std::size_t i = part; i < s.size() && repeated; ++i) repeated = s[i] == s[i - part];
        if (repeated && part > 0) return s.substr(0, part);
    }
    return s;
}

std::string local_part(std::string_view email) { return std::string(email.substr(0, email.find('@'))); }

}  // namespace

void init_account_security() {
    if (oath_init() != OATH_OK) throw std::runtime_error("liboath n’a pas pu s’initialiser");
    // The Debian-specific check reports a missing dictionary instead of exiting the process.
    char message[256] = {0};
    if (!__DEBIAN_SPECIFIC__SafeFascistCheck("Vérification-de-démarrage-42", GetDefaultCracklibDict(), message,
                                             sizeof message))
        throw std::runtime_error(std::string("le dictionnaire de mots de passe de cracklib est illisible (") +
                                 GetDefaultCracklibDict() + ") : installez cracklib-runtime");
    std::ifstream words(kWordListPath);
    if (!words) throw std::runtime_error(std::string("liste de mots introuvable : ") + kWordListPath);
    std::string w;
    while (std::getline(words, w))
        if (w.size() >= 4) g_common_words.insert(lower_ascii(w));
    spdlog::info("politique des mots de passe : dictionnaire cracklib et {} mots courants", g_common_words.size());
}

void require_strong_password(std::string_view password, std::string_view field, std::string_view email,
                             std::string_view display_name) {
    if (auto r = validate_password(password)) throw Failure(r->code, std::string(field));
    const std::string core = password_core(password);
    if (core.size() < 4 || g_common_words.count(core)) throw Failure("weak_password", std::string(field));
    const std::string pw(password);
    const std::string user = local_part(email);
    const std::string gecos(display_name);
    std::lock_guard lock(g_cracklib_mutex);
    if (const char* why = FascistCheckUser(pw.c_str(), GetDefaultCracklibDict(), user.empty() ? nullptr : user.c_str(),
                                           gecos.empty() ? nullptr : gecos.c_str())) {
        spdlog::debug("weak password refused: {}", why);
        throw Failure("weak_password", std::string(field));
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Passwords: change and reset
//-----------------------------------------------------------------------------

namespace {

void set_password_hash(SQLite::Database& c, Id user_id, const std::string& hash, UnixSeconds now) {
    SQLite::Statement up(c, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?");
    up.bind(1, hash);
    up.bind(2, now);
    up.bind(3, user_id);
    up.exec();
}

}  // namespace

int end_user_sessions(SQLite::Database& c, Id user_id, UnixSeconds now, Id keep) {
    SQLite::Statement end(c,
                          "UPDATE auth_sessions SET ended_at = ? WHERE user_id = ? AND id <> ? AND ended_at IS NULL");
    end.bind(1, now);
    end.bind(2, user_id);
    end.bind(3, keep);
    return end.exec();
}

void change_password(App& app, const Actor& actor, std::string_view current_password, std::string_view new_password) {
    // Guessing the current password from a stolen session meets the login's back-off.
    if (app.login_backoff.wait_seconds(actor.email) > 0) fail("rate_limited");
    std::string stored;
    {
        SQLite::Statement q(app.db.conn(), "SELECT password_hash FROM users WHERE id = ?");
        q.bind(1, actor.user_id);
        if (!q.executeStep()) fail("not_found");
        stored = q.getColumn(0).getString();
    }
    const bool ok = [&] {
        HashSlot slot(app);
        return verify_password(stored, current_password);
    }();
    if (!ok) {
        app.login_backoff.failed(actor.email);
        fail("wrong_current_password", "current_password");
    }
    require_strong_password(new_password, "new_password", actor.email, actor.display_name);
    const std::string hash = hash_password_in_slot(app, new_password);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    set_password_hash(tx.conn(), actor.user_id, hash, now);
    const int ended = end_user_sessions(tx.conn(), actor.user_id, now, actor.auth_session_id);
    audit(tx.conn(), now, actor.user_id, "user.password_change", "user", actor.user_id, nullptr,
          nlohmann::json{{"other_sessions_ended", ended}});
    tx.commit();
}

ResetLink issue_reset_link(App& app, const Actor& admin, Id user_id) {
    const std::string token = random_token();
    const UnixSeconds now = app.now();
    ResetLink link;
    link.expires_at = now + kHour;
    WriteTx tx(app.db);
    auto& c = tx.conn();
    user_managed_by(c, admin, user_id);
    // One link at a time: a new one voids those given before (a link shown to the wrong person
    // is fixed by issuing another).
    SQLite::Statement void_old(c, "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL");
    void_old.bind(1, now);
    void_old.bind(2, user_id);
    void_old.exec();
    SQLite::Statement ins(c, "INSERT INTO password_resets (user_id, token_hash, created_by, created_at, expires_at)"
                             " VALUES (?, ?, ?, ?, ?)");
    ins.bind(1, user_id);
    ins.bind(2, token_digest(token));
    ins.bind(3, admin.user_id);
    ins.bind(4, now);
    ins.bind(5, link.expires_at);
    ins.exec();
    audit(c, now, admin.user_id, "user.reset_link", "user", user_id, nullptr,
          nlohmann::json{{"expires_at", link.expires_at}});
    tx.commit();
    link.url = app.options.public_url + "/#/reinitialisation/" + token;
    return link;
}

void reset_password(App& app, std::string_view token, std::string_view new_password) {
    if (token.empty() || token.size() > 200) fail("reset_link_invalid", "token");
    const std::string digest = token_digest(token);
    // The link is read once before hashing (a dead link costs no Argon2id work) and again under
    // the write lock, where it is spent: two uses racing each other cannot both succeed.
    Id user_id = 0;
    std::string email, display_name;
    auto find_live = [&](SQLite::Database& c) {
        SQLite::Statement q(c, "SELECT r.user_id, u.email, u.display_name FROM password_resets r"
                               " JOIN users u ON u.id = r.user_id"
                               " WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ?");
        q.bind(1, digest);
        q.bind(2, app.now());
        if (!q.executeStep()) fail("reset_link_invalid", "token");
        user_id = q.getColumn(0).getInt64();
        email = q.getColumn(1).getString();
        display_name = q.getColumn(2).getString();
    };
    find_live(app.db.conn());
    require_strong_password(new_password, "new_password", email, display_name);
    const std::string hash = hash_password_in_slot(app, new_password);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    find_live(c);
    SQLite::Statement spend(c, "UPDATE password_resets SET used_at = ? WHERE token_hash = ?");
    spend.bind(1, now);
    spend.bind(2, digest);
    spend.exec();
    set_password_hash(c, user_id, hash, now);
    const int ended = end_user_sessions(c, user_id, now);
    audit(c, now, user_id, "user.password_reset", "user", user_id, nullptr, nlohmann::json{{"sessions_ended", ended}});
    tx.commit();
    app.login_backoff.succeeded(email);  // the person proved who they are: past mistakes are forgiven
}

//-----------------------------------------------------------------------------
// [SECTION] Second factor (liboath)
//-----------------------------------------------------------------------------

namespace {

constexpr unsigned kTotpStep = 30;      // seconds, RFC 6238's default, what every app uses
constexpr std::size_t kTotpWindow = 1;  // the code before and after: a phone's clock drifts
constexpr int kRecoveryCodes = 10;
// Recovery codes: 16 characters of an alphabet without look-alikes (0/o, 1/l/i), 80 bits, shown as
// four groups of four. Long enough that a fast digest at rest is safe, short enough to type.
constexpr std::string_view kRecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";

std::string base32_encode(const std::string& raw) {
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_encode(raw.data(), raw.size(), &out, &len) != OATH_OK) throw std::runtime_error("base32");
    std::string s(out, len);
    free(out);
    s.erase(std::remove(s.begin(), s.end(), '='), s.end());
    return s;
}

std::string base32_decode(const std::string& text) {
    char* out = nullptr;
    size_t len = 0;
    if (oath_base32_decode(text.data(), text.size(), &out, &len) != OATH_OK) throw std::runtime_error("base32");
    std::string s(out, len);
    sodium_memzero(out, len);
    free(out);
    return s;
}

std::string new_recovery_code() {
    std::string code;
    for (int i = 0; i < 16; ++i) {
        if (i > 0 && i % 4 == 0) code += '-';
        code += kRecoveryAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kRecoveryAlphabet.size()))];
    }
    return code;
}

// A recovery code as typed: spaces and hyphens dropped, lower case.
std::string normalise_recovery_code(std::string_view typed) {
    std::string s;
    for (char c : typed)
        if (c != ' ' && c != '-') s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool six_digits(std::string_view code) {
    return code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The time step `code` belongs to, if it is a code of `secret` within the window around `now`.
std::optional<std::uint64_t> totp_step_of(const std::string& secret_base32, UnixSeconds now, std::string_view code) {
    if (!six_digits(code)) return std::nullopt;
    const std::string secret = base32_decode(secret_base32);
    const std::string otp(code);
    int position = 0;
    std::uint64_t counter = 0;
    const int rc = oath_totp_validate3(secret.data(), secret.size(), static_cast<time_t>(now), kTotpStep, 0,
                                       kTotpWindow, &position, &counter, otp.c_str());
    if (rc < 0) return std::nullopt;
    return counter;
}

}  // namespace

bool has_second_factor(SQLite::Database& conn, Id user_id) {
    SQLite::Statement q(conn, "SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = ?");
    q.bind(1, user_id);
    return q.executeStep() && q.getColumn(0).getInt() != 0;
}

bool must_enrol_second_factor(const App& app, const Actor& a) {
    return a.role == Role::Admin && app.options.admin_second_factor && !a.second_factor;
}

TotpEnrolment start_totp(App& app, const Actor& actor) {
    std::string raw(20, '\0');  // 160 bits, RFC 4226's recommendation for HMAC-SHA1
    randombytes_buf(raw.data(), raw.size());
    TotpEnrolment e;
    e.secret = base32_encode(raw);
    sodium_memzero(raw.data(), raw.size());
    e.otpauth_url = "otpauth://totp/uneplace:" + actor.email + "?secret=" + e.secret +
                    "&issuer=uneplace&algorithm=SHA1&digits=6&period=30";
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeString(e.otpauth_url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!qr) throw std::runtime_error("QRcode_encodeString");
    e.qr_size = qr->width;
    e.qr_modules.reserve(static_cast<std::size_t>(qr->width * qr->width));
    for (int i = 0; i < qr->width * qr->width; ++i) e.qr_modules += (qr->data[i] & 1) ? '1' : '0';

    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    if (has_second_factor(c, actor.user_id)) fail("totp_already_enabled");
    SQLite::Statement up(c, "UPDATE users SET totp_secret = ?, totp_last_step = 0, updated_at = ? WHERE id = ?");
    up.bind(1, e.secret);
    up.bind(2, now);
    up.bind(3, actor.user_id);
    up.exec();
    audit(c, now, actor.user_id, "user.totp_start", "user", actor.user_id, nullptr, nullptr);
    tx.commit();
    return e;
}

std::vector<std::string> confirm_totp(App& app, const Actor& actor, std::string_view code) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    if (has_second_factor(c, actor.user_id)) fail("totp_already_enabled");
    SQLite::Statement q(c, "SELECT totp_secret FROM users WHERE id = ?");
    q.bind(1, actor.user_id);
    if (!q.executeStep() || q.getColumn(0).isNull()) fail("totp_not_started");
    const std::string secret = q.getColumn(0).getString();
    q.reset();
    // 422, not login's 401: the person is logged in, only the code they typed is wrong.
    const auto step = totp_step_of(secret, now, code);
    if (!step) throw Failure("totp_invalid", "code", 422);
    SQLite::Statement on(c, "UPDATE users SET totp_enabled_at = ?, totp_last_step = ?, updated_at = ? WHERE id = ?");
    on.bind(1, now);
    on.bind(2, static_cast<std::int64_t>(*step));
    on.bind(3, now);
    on.bind(4, actor.user_id);
    on.exec();
    SQLite::Statement clear(c, "DELETE FROM recovery_codes WHERE user_id = ?");
    clear.bind(1, actor.user_id);
    clear.exec();
    std::vector<std::string> codes;
    SQLite::Statement ins(c, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)");
    for (int i = 0; i < kRecoveryCodes; ++i) {
        codes.push_back(new_recovery_code());
        ins.bind(1, actor.user_id);
        ins.bind(2, token_digest(normalise_recovery_code(codes.back())));
        ins.exec();
        ins.reset();
    }
    audit(c, now, actor.user_id, "user.totp_enable", "user", actor.user_id, nullptr,
          nlohmann::json{{"recovery_codes", kRecoveryCodes}});
    tx.commit();
    return codes;
}

void clear_second_factor(App& app, std::string_view email) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    SQLite::Statement q(c, "SELECT id FROM users WHERE email = ?");
    q.bind(1, normalize_email(email));
    if (!q.executeStep()) fail("not_found", "email");
    const Id user_id = q.getColumn(0).getInt64();
    q.reset();
    SQLite::Statement off(c, "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = 0,"
                             " updated_at = ? WHERE id = ?");
    off.bind(1, now);
    off.bind(2, user_id);
    off.exec();
    SQLite::Statement codes(c, "DELETE FROM recovery_codes WHERE user_id = ?");
    codes.bind(1, user_id);
    codes.exec();
    const int ended = end_user_sessions(c, user_id, now);
    audit(c, now, std::nullopt, "user.totp_reset", "user", user_id, nullptr,
          nlohmann::json{{"by", "uneplace reset-second-factor"}, {"sessions_ended", ended}});
    tx.commit();
}

bool check_second_factor(SQLite::Database& c, UnixSeconds now, Id user_id, std::string_view code) {
    if (six_digits(code)) {
        SQLite::Statement q(c, "SELECT totp_secret, totp_last_step FROM users WHERE id = ?");
        q.bind(1, user_id);
        if (!q.executeStep() || q.getColumn(0).isNull()) return false;
        const std::string secret = q.getColumn(0).getString();
        const std::int64_t last = q.getColumn(1).getInt64();
        q.reset();
        const auto step = totp_step_of(secret, now, code);
        // Each code opens one login: one seen over a shoulder or in a log is already spent.
        if (!step || static_cast<std::int64_t>(*step) <= last) return false;
        SQLite::Statement up(c, "UPDATE users SET totp_last_step = ? WHERE id = ?");
        up.bind(1, static_cast<std::int64_t>(*step));
        up.bind(2, user_id);
        up.exec();
        return true;
    }
    const std::string normalised = normalise_recovery_code(code);
    if (normalised.size() != 16) return false;
    SQLite::Statement spend(c, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ?"
                               " AND used_at IS NULL");
    spend.bind(1, now);
    spend.bind(2, user_id);
    spend.bind(3, token_digest(normalised));
    if (spend.exec() != 1) return false;
    audit(c, now, user_id, "user.recovery_code_used", "user", user_id, nullptr, nullptr);
    return true;
}

//-----------------------------------------------------------------------------
// [SECTION] One's login sessions
//-----------------------------------------------------------------------------

std::vector<LoginSessionView> list_login_sessions(App& app, const Actor& actor) {
    SQLite::Statement q(app.db.conn(),
                        "SELECT id, created_at, COALESCE(last_seen_at, created_at), expires_at, user_agent"
                        " FROM auth_sessions WHERE user_id = ? AND ended_at IS NULL AND expires_at > ?"
                        " ORDER BY COALESCE(last_seen_at, created_at) DESC, id DESC LIMIT 100");
    q.bind(1, actor.user_id);
    q.bind(2, app.now());
    std::vector<LoginSessionView> out;
    while (q.executeStep()) {
        LoginSessionView v;
        v.id = q.getColumn(0).getInt64();
        v.created_at = q.getColumn(1).getInt64();
        v.last_seen_at = q.getColumn(2).getInt64();
        v.expires_at = q.getColumn(3).getInt64();
        v.user_agent = q.getColumn(4).getString();
        v.current = v.id == actor.auth_session_id;
        out.push_back(std::move(v));
    }
    return out;
}

void end_login_session(App& app, const Actor& actor, Id session_id) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    SQLite::Statement end(tx.conn(), "UPDATE auth_sessions SET ended_at = ? WHERE id = ? AND user_id = ?"
                                     " AND ended_at IS NULL");
    end.bind(1, now);
    end.bind(2, session_id);
    end.bind(3, actor.user_id);
    if (end.exec() != 1) fail("not_found");
    audit(tx.conn(), now, actor.user_id, "auth.session_end", "user", actor.user_id, nullptr,
          nlohmann::json{{"auth_session_id", session_id}});
    tx.commit();
}

}  // namespace uneplace::server
