// uneplace server — accounts: Argon2id password hashes, session tokens, login, logout, the caller.
//
// Index of this file:
// [SECTION] Crypto primitives (libsodium)
// [SECTION] Login sessions
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "app.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Crypto primitives
//-----------------------------------------------------------------------------

void init_crypto();  // sodium_init(); aborts start-up if the CSPRNG is unavailable
// Argon2id (crypto_pwhash_str). `fast` uses the minimum cost: for test servers only.
std::string hash_password(std::string_view password, bool fast);
bool verify_password(const std::string& stored_hash, std::string_view password);
// Holds one of app.hash_gate's slots while a hash runs; throws Failure server_busy (429, with
// Retry-After) when none frees up within --hash-wait-ms. Every hash of a request takes one.
class HashSlot {
public:
    explicit HashSlot(App& app);
    ~HashSlot();
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;

private:
    App& app_;
};
// hash_password() inside a HashSlot: what every new or changed password goes through.
std::string hash_password_in_slot(App& app, std::string_view password);
// `bytes` random bytes from the CSPRNG, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);
// What the database keeps instead of a token: BLAKE2b-256, hex.
std::string token_digest(std::string_view token);
// A uniformly random 64-bit value from the CSPRNG (ballot seeds, booking codes).
std::uint64_t random_u64();

//-----------------------------------------------------------------------------
// [SECTION] Login sessions
//-----------------------------------------------------------------------------

struct LoginResult {
    std::string token;
    std::string csrf_token;
    UnixSeconds expires_at = 0;
    Actor actor;
};

// Checks the email with the shared validator, then the password; 401 invalid_credentials on any
// mismatch (unknown email included, after the same hashing work, so timing tells nothing).
// With a second factor turned on, `second_factor_code` (a TOTP code or a recovery code) must be
// right too [totp_required when absent, totp_invalid when wrong]. `user_agent` is kept to name the
// session in the person's list of sessions.
LoginResult login(App& app, std::string_view email, std::string_view password,
                  const std::optional<std::string>& second_factor_code = std::nullopt,
                  std::string_view user_agent = {});
// The caller behind a token, if the session is live.
std::optional<Actor> authenticate(App& app, std::string_view token);
void logout(App& app, const Actor& actor);
// Loads a user with its organisation and territories (throws Failure not_found).
Actor load_actor(SQLite::Database& conn, Id user_id);

// Creates an active national admin (CLI create-admin and demo data). Validates email and password
// with the shared validators; throws Failure.
Id create_admin(App& app, std::string_view email, std::string_view password, std::string_view display_name);

}  // namespace uneplace::server
