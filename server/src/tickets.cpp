// uneplace server — signed tickets (I2). See tickets.hpp.
//
// Index of this file:
// [SECTION] Ed25519 key tables (tickets and webhooks)
// [SECTION] Ticket keys
// [SECTION] Signing and verifying
#include "tickets.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Ed25519 key tables (tickets and webhooks)
//-----------------------------------------------------------------------------

std::string blob_text(const SQLite::Column& c) {
    return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

Id insert_signing_key(SQLite::Database& conn, const char* table, UnixSeconds now) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    SQLite::Statement ins(
        conn, std::string("INSERT INTO ") + table + " (public_key, secret_key, created_at) VALUES (?, ?, ?)");
    ins.bind(1, pk, static_cast<int>(sizeof pk));
    ins.bind(2, sk, static_cast<int>(sizeof sk));
    ins.bind(3, now);
    ins.exec();
    sodium_memzero(sk, sizeof sk);
    return conn.getLastInsertRowid();
}

Ed25519Signature sign_with_newest_key(SQLite::Database& conn, const char* table,
                                      const std::function<std::string(Id)>& text_of) {
    SQLite::Statement q(conn, std::string("SELECT id, secret_key FROM ") + table + " ORDER BY id DESC LIMIT 1");
    if (!q.executeStep()) throw std::runtime_error(std::string("no signing key in ") + table);
    Ed25519Signature out;
    out.key_id = q.getColumn(0).getInt64();
    std::string sk = blob_text(q.getColumn(1));
    q.reset();
    const std::string text = text_of(out.key_id);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         reinterpret_cast<const unsigned char*>(sk.data()));
    sodium_memzero(sk.data(), sk.size());
    out.bytes.assign(reinterpret_cast<const char*>(signature), sizeof signature);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Ticket keys
//-----------------------------------------------------------------------------

void ensure_ticket_key(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Transaction tx(conn, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement q(conn, "SELECT COUNT(*) FROM ticket_keys");
    q.executeStep();
    const bool none = q.getColumn(0).getInt64() == 0;
    q.reset();
    if (none) insert_signing_key(conn, "ticket_keys", now);
    tx.commit();
}

Id rotate_ticket_key(SQLite::Database& conn, UnixSeconds now) {
    SQLite::Transaction tx(conn, SQLite::TransactionBehavior::IMMEDIATE);
    const Id id = insert_signing_key(conn, "ticket_keys", now);
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
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), blob_text(q.getColumn(1)), q.getColumn(2).getInt64()});
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Signing and verifying
//-----------------------------------------------------------------------------

std::string sign_ticket(SQLite::Database& conn, TicketPayload payload) {
    std::string signed_text;
    const Ed25519Signature signature = sign_with_newest_key(conn, "ticket_keys", [&](Id key_id) {
        payload.key_id = key_id;
        signed_text = ticket_signed_text(payload);
        return signed_text;
    });
    return ticket_text(signed_text, signature.bytes);
}

std::optional<TicketPayload> verify_ticket(SQLite::Database& conn, std::string_view ticket) {
    auto parts = split_ticket(ticket);
    if (!parts || parts->signature.size() != crypto_sign_BYTES) return std::nullopt;
    SQLite::Statement q(conn, "SELECT public_key FROM ticket_keys WHERE id = ?");
    q.bind(1, parts->payload.key_id);
    if (!q.executeStep()) return std::nullopt;
    const std::string pk = blob_text(q.getColumn(0));
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
