// What a webhook receiver does with a delivery (API.md « Ticketing-network feed »): decode the
// published keys, and check Ed25519 over `webhook-id.webhook-timestamp.body` with the key that
// webhook-key-id names, the signature after "v1a,". A receiver's own code, written apart from the
// server's signing: the network's client (bench/network_partner.cpp) and the webhook tests
// (tests/server/webhooks_test.cpp) both check deliveries with it. Header-only, libsodium.
#pragma once
#include <sodium.h>

#include <map>
#include <string>

namespace uneplace::receiver {

// Standard base64 with padding (the keys and signatures), as raw bytes; "" when malformed.
inline std::string from_base64(const std::string& text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return {};
    out.resize(len);
    return out;
}

// `keys`: kid → public key (32 raw bytes). `Delivery` has the headers and body as strings: id,
// timestamp, signature, key_id, body.
template <class Delivery>
bool signature_verifies(const std::map<std::string, std::string>& keys, const Delivery& d) {
    auto key = keys.find(d.key_id);
    if (key == keys.end() || key->second.size() != crypto_sign_PUBLICKEYBYTES) return false;
    if (d.signature.rfind("v1a,", 0) != 0) return false;
    const std::string sig = from_base64(d.signature.substr(4));
    if (sig.size() != crypto_sign_BYTES) return false;
    const std::string signed_text = d.id + "." + d.timestamp + "." + d.body;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(),
                                       reinterpret_cast<const unsigned char*>(key->second.data())) == 0;
}

}  // namespace uneplace::receiver
