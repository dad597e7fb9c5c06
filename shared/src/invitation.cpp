// uneplace shared module — invitations (I1–I3): ticket text, pickup wording, door list order.
//
// Index of this file:
// [SECTION] base64url
// [SECTION] Signed ticket (I2)
// [SECTION] Invitation and door list wording (I1, I3)
#include "uneplace/invitation.hpp"

#include <algorithm>
#include <charconv>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] base64url
//-----------------------------------------------------------------------------

namespace {
constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kBase64Url[(acc >> bits) & 63u];
        }
    }
    if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 63u];
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;  // 6 bits alone cannot end a byte
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = base64url_value(c);
        if (v < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFFu);
        }
    }
    // The bits left over must be zero: one text per byte string, so an altered last symbol is seen.
    if ((acc & ((1u << bits) - 1u)) != 0) return std::nullopt;
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Signed ticket (I2)
//-----------------------------------------------------------------------------

namespace {
template <class T>
bool read_number(std::string_view s, T& out) {
    if (s.empty() || s.size() > 19) return false;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
}  // namespace

std::string ticket_payload_text(const TicketPayload& p) {
    return std::to_string(p.key_id) + "|" + std::to_string(p.booking_id) + "|" + std::to_string(p.session_id) + "|" +
           p.code + "|" + std::to_string(p.places) + "|" + std::to_string(p.start);
}

std::optional<TicketPayload> parse_ticket_payload(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t from = 0;
    while (true) {
        const auto bar = text.find('|', from);
        fields.push_back(text.substr(from, bar == std::string_view::npos ? std::string_view::npos : bar - from));
        if (bar == std::string_view::npos) break;
        from = bar + 1;
    }
    if (fields.size() != 6) return std::nullopt;
    TicketPayload p;
    if (!read_number(fields[0], p.key_id) || !read_number(fields[1], p.booking_id) ||
        !read_number(fields[2], p.session_id) || !read_number(fields[4], p.places) || !read_number(fields[5], p.start))
        return std::nullopt;
    if (p.key_id <= 0 || p.booking_id <= 0 || p.session_id <= 0 || p.places < 1 || p.places > 10) return std::nullopt;
    if (fields[3].empty() || fields[3].size() > 16) return std::nullopt;
    p.code = std::string(fields[3]);
    return p;
}

std::string ticket_signed_text(const TicketPayload& p) {
    return std::string(kTicketPrefix) + base64url_encode(ticket_payload_text(p));
}

std::string ticket_text(const std::string& signed_text, std::string_view signature) {
    return signed_text + "." + base64url_encode(signature);
}

std::optional<TicketParts> split_ticket(std::string_view ticket) {
    if (ticket.size() > 400 || !ticket.starts_with(kTicketPrefix)) return std::nullopt;
    const auto dot = ticket.find('.', kTicketPrefix.size());
    if (dot == std::string_view::npos) return std::nullopt;
    auto payload_bytes = base64url_decode(ticket.substr(kTicketPrefix.size(), dot - kTicketPrefix.size()));
    auto signature = base64url_decode(ticket.substr(dot + 1));
    if (!payload_bytes || !signature) return std::nullopt;
    auto payload = parse_ticket_payload(*payload_bytes);
    if (!payload) return std::nullopt;
    return TicketParts{std::string(ticket.substr(0, dot)), std::move(*payload), std::move(*signature)};
}

std::string trim_ticket(std::string_view text) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return std::string(text);
}

bool looks_like_ticket(std::string_view text) { return trim_ticket(text).starts_with(kTicketPrefix); }

//-----------------------------------------------------------------------------
// [SECTION] Invitation and door list wording (I1, I3)
//-----------------------------------------------------------------------------

std::string pickup_instructions_fr(PickupMode mode) {
    switch (mode) {
        case PickupMode::GuestList:
            return "Votre nom est sur la liste des invités\u00A0: présentez-vous à l’accueil avec cette invitation "
                   "(imprimée ou sur un téléphone) ou donnez simplement le code.";
        case PickupMode::ETicket:
            return "Le lieu envoie aussi un billet électronique\u00A0: présentez ce billet ou cette invitation à "
                   "l’accueil.";
        case PickupMode::Printed:
            return "Présentez cette invitation imprimée à l’accueil\u00A0: le code QR sera lu à l’entrée.";
    }
    return {};
}

void sort_door_list(std::vector<DoorListLine>& lines) {
    std::sort(lines.begin(), lines.end(), [](const DoorListLine& a, const DoorListLine& b) { return a.code < b.code; });
}

}  // namespace uneplace
