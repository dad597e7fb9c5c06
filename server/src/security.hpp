// uneplace server — securing an account (API.md « Accounts and operations »): the password policy,
// changing a password, one-time reset links, the TOTP second factor with its recovery codes, and
// the list of one's login sessions. Login itself, the caller and the hashing slots are in auth.hpp.
//
// Index of this file:
// [SECTION] Password policy
// [SECTION] Passwords: change and reset
// [SECTION] Second factor (TOTP, RFC 6238)
// [SECTION] One's login sessions
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Password policy
//-----------------------------------------------------------------------------

// Loads cracklib's dictionary (Debian's cracklib-runtime) and liboath; throws when the dictionary
// cannot be read, so a server never runs with a policy that silently lets every password through.
void init_account_security();

// The shared rule (length, 5 different characters), then cracklib: its packed dictionary with its
// mangling rules, checks against the account's own e-mail and name, and the word list it ships
// (which holds the common passwords: "azerty", "iloveyou", "password"…) matched against the
// password's core once digits and symbols around it and repetitions are taken away
// ("Password1234!", "soleilsoleil"). Throws Failure weak_password (or the shared code) on `field`.
void require_strong_password(std::string_view password, std::string_view field, std::string_view email = {},
                             std::string_view display_name = {});

//-----------------------------------------------------------------------------
// [SECTION] Passwords: change and reset
//-----------------------------------------------------------------------------

// Asks the current password (403 wrong_current_password, with the login back-off), checks the new
// one, and ends every other login session of the user.
void change_password(App& app, const Actor& actor, std::string_view current_password, std::string_view new_password);

struct ResetLink {
    std::string url;  // {public_url}/#/reinitialisation/{token}; the token is kept only as a digest
    UnixSeconds expires_at = 0;
};
// By an administrator who sees the user's organisation (a national one for another administrator):
// a one-time link valid one hour; issuing one voids the user's earlier unused links.
ResetLink issue_reset_link(App& app, const Actor& admin, Id user_id);
// Sets the new password for the link's user, spends the link and ends all the user's sessions
// [reset_link_invalid when unknown, used or expired].
void reset_password(App& app, std::string_view token, std::string_view new_password);

//-----------------------------------------------------------------------------
// [SECTION] Second factor (TOTP, RFC 6238)
//-----------------------------------------------------------------------------

struct TotpEnrolment {
    std::string secret;       // base32, for typing into an authenticator app
    std::string otpauth_url;  // otpauth://totp/uneplace:{email}?secret=…&issuer=uneplace
    int qr_size = 0;          // the same URL as a QR code: qr_size × qr_size modules,
    std::string qr_modules;   // row by row, '1' dark and '0' light (the client draws it)
};
// A new secret, pending until confirmed [totp_already_enabled].
TotpEnrolment start_totp(App& app, const Actor& actor);
// Checks a code of the pending secret, turns the second factor on, and answers 10 recovery codes,
// shown this once and kept as digests [totp_not_started, totp_invalid (422)].
std::vector<std::string> confirm_totp(App& app, const Actor& actor, std::string_view code);
// At login, after the password: true when `code` is the current TOTP code (each accepted once) or
// an unused recovery code (spent). Inside the login's write transaction.
bool check_second_factor(SQLite::Database& conn, UnixSeconds now, Id user_id, std::string_view code);
// `uneplace reset-second-factor`, run by the association's operators on the server itself for a
// person who lost both phone and recovery codes: the second factor off, its codes deleted, every
// session ended, audited [not_found for an unknown address].
void clear_second_factor(App& app, std::string_view email);
// Does the user have a second factor turned on?
bool has_second_factor(SQLite::Database& conn, Id user_id);
// An administrator who must turn on the second factor before doing anything else.
bool must_enrol_second_factor(const App& app, const Actor& a);

//-----------------------------------------------------------------------------
// [SECTION] One's login sessions
//-----------------------------------------------------------------------------

struct LoginSessionView {
    Id id = 0;
    UnixSeconds created_at = 0;
    UnixSeconds last_seen_at = 0;
    UnixSeconds expires_at = 0;
    std::string user_agent;
    bool current = false;
};
std::vector<LoginSessionView> list_login_sessions(App& app, const Actor& actor);
// Inside the caller's write transaction: ends every live session of the user but `keep` (the one
// that changed the password; 0: none kept — a reset, a suspension). Returns how many ended.
int end_user_sessions(SQLite::Database& c, Id user_id, UnixSeconds now, Id keep = 0);
// Ends one of the caller's own live sessions [not_found otherwise].
void end_login_session(App& app, const Actor& actor, Id session_id);

}  // namespace uneplace::server
