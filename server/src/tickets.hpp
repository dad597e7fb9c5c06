// uneplace server — signed tickets (I2): Ed25519 (libsodium) over the shared module's ticket text,
// with the key pairs kept in the database (migration 6). The newest key signs; every key verifies.
#pragma once
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

}  // namespace uneplace::server
