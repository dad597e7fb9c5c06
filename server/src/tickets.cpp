// uneplace server — signed tickets (I2). See tickets.hpp.
//
// Index of this file:
// [SECTION] Keys
// [SECTION] Signing and verifying
#include "tickets.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Keys
//-----------------------------------------------------------------------------

namespace {

std::string blob(const SQLite::Column& c) {
    return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

Id insert_key(SQLite::Database& conn, UnixSeconds now) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    SQLite::Statement ins(conn, "INSERT INTO ticket_keys (public_key, secret_key, created_at) VALUES (?, ?, ?)");
    ins.bind(1, pk, static_cast<int>(sizeof pk));
    ins.bind(2, sk, static_cast<int>(sizeof sk));
    ins.bind(3, now);
    ins.exec();
    sodium_memzero(sk, sizeof sk);
    return conn.getLastInsertRowid();
}

}  // namespace

void ensure_ticket_key(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Transaction tx(conn, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(conn, "SELECT COUNT(*) FROM ticket_keys");
    q.executeStep();
    const bool none = q.getColumn(0).getInt64() == 0;
    q.reset();
    if (none) insert_key(conn, now);
    tx.commit();
}

Id rotate_ticket_key(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Transaction tx(conn, SQLite::TransactionBehavior::IMMEDIATE);
    const Id id = insert_key(conn, now);
    tx.commit();
    return id;
}

std::string base64_original(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::vector<TicketKey> ticket_keys(SQLite::Database& conn) {
    SQLite::Statement q(conn, "SELECT id, public_key, created_at FROM ticket_keys ORDER BY id");
    std::vector<TicketKey> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getInt64(), blob(q.getColumn(1)), q.getColumn(2).getInt64()});
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Signing and verifying
//-----------------------------------------------------------------------------

std::string sign_ticket(SQLite::Database& conn, TicketPayload payload) {
    SQLite::Statement q(conn, "SELECT id, secret_key FROM ticket_keys ORDER BY id DESC LIMIT 1");
    if (!q.executeStep()) throw std::runtime_error("no ticket signing key (ensure_ticket_key not run)");
    payload.key_id = q.getColumn(0).getInt64();
    std::string sk = blob(q.getColumn(1));
    q.reset();
    const std::string signed_text = ticket_signed_text(payload);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(signed_text.data()),
                         signed_text.size(), reinterpret_cast<const unsigned char*>(sk.data()));
    sodium_memzero(sk.data(), sk.size());
    return ticket_text(signed_text, std::string_view(reinterpret_cast<const char*>(signature), sizeof signature));
}

std::optional<TicketPayload> verify_ticket(SQLite::Database& conn, std::string_view ticket) {
    auto parts = split_ticket(ticket);
    if (!parts || parts->signature.size() != crypto_sign_BYTES) return std::nullopt;
    SQLite::Statement q(conn, "SELECT public_key FROM ticket_keys WHERE id = ?");
    q.bind(1, parts->payload.key_id);
    if (!q.executeStep()) return std::nullopt;
    const std::string pk = blob(q.getColumn(0));
    q.reset();
    if (pk.size() != crypto_sign_PUBLICKEYBYTES) return std::nullopt;
    const int bad =
        crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(parts->signature.data()),
                                    reinterpret_cast<const unsigned char*>(parts->signed_text.data()),
                                    parts->signed_text.size(), reinterpret_cast<const unsigned char*>(pk.data()));
    if (bad != 0) return std::nullopt;
    return std::move(parts->payload);
}

}  // namespace uneplace::server
