// uneplace server — signed tickets (I2): Ed25519 (libsodium) over the shared module's ticket text,
// with the key pairs kept in the database (migration 6). The newest key signs; every key verifies.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "db.hpp"
#include "uneplace/invitation.hpp"

namespace uneplace::server {

// Creates the first key pair when there is none (at `serve`, after the migrations).
void ensure_ticket_key(SQLite::Database& conn, UnixSeconds now);
// A new key pair that signs from now on; the old ones keep verifying. Returns the new key id.
Id rotate_ticket_key(SQLite::Database& conn, UnixSeconds now);

// The ticket for `payload` (its key_id is set to the newest key's), signed.
std::string sign_ticket(SQLite::Database& conn, TicketPayload payload);

// The payload of a ticket whose signature one of the keys verifies; nullopt for anything else
// (malformed, unknown key, altered payload or signature).
std::optional<TicketPayload> verify_ticket(SQLite::Database& conn, std::string_view ticket);

struct TicketKey {
    Id id = 0;
    std::string public_key;  // 32 raw bytes
    UnixSeconds created_at = 0;
};
// Every key, oldest first (GET /api/v1/checkin/keys: doors verify offline with these).
std::vector<TicketKey> ticket_keys(SQLite::Database& conn);

// Raw bytes in standard base64 with padding (public keys and signatures, as receivers decode them).
std::string base64_original(std::string_view bytes);

// Ed25519 key tables. Tickets (ticket_keys) and webhook deliveries (webhook_keys, webhooks.hpp)
// keep their key pairs in tables of the same shape — id, public_key, secret_key, created_at — and
// sign with the newest. `table` is one of those two names, never input.
Id insert_signing_key(SQLite::Database& conn, const char* table, UnixSeconds now);
struct Ed25519Signature {
    Id key_id = 0;
    std::string bytes;  // 64 raw bytes
};
// Signs `text_of(key_id)` with the table's newest key (a ticket's text names the key that signs
// it); the secret key never leaves this function. Throws when the table has no key.
Ed25519Signature sign_with_newest_key(SQLite::Database& conn, const char* table,
                                      const std::function<std::string(Id)>& text_of);
// A BLOB column's bytes.
std::string blob_text(const SQLite::Column& c);

}  // namespace uneplace::server
