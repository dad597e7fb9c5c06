// uneplace shared module — what an invitation says (I1–I3), without drawing it: the signed ticket's
// text form (I2), the pickup instructions printed for each pickup mode (I1), the door list's order
// (I3). The server signs and draws the PDFs; the client recognises a pasted or scanned ticket.
// Signing and checking signatures is not here: it needs a key and libsodium (server/src/tickets.cpp).
//
// Index of this file:
// [SECTION] base64url
// [SECTION] Signed ticket (I2)
// [SECTION] Invitation and door list wording (I1, I3)
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uneplace/domain.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] base64url
//-----------------------------------------------------------------------------

// RFC 4648 §5 without padding (what fits a QR code and a URL without escaping).
std::string base64url_encode(std::string_view bytes);
// Nullopt on any character outside the alphabet, on padding, or on an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

//-----------------------------------------------------------------------------
// [SECTION] Signed ticket (I2)
//-----------------------------------------------------------------------------
// A ticket is `UP1.<base64url payload>.<base64url Ed25519 signature>`; the signature covers the
// bytes "UP1.<base64url payload>" (what the door reads, so nothing has to be re-encoded to check).
// The payload is one line of text, fields separated by '|':
//     <key id>|<booking id>|<session id>|<code>|<places>|<session start, Unix seconds>
// e.g. "2|1042|77|K7QM-3XPA|2|1767380400": ~40 bytes, ~145 characters of ticket in all, a small QR.

inline constexpr std::string_view kTicketPrefix = "UP1.";

struct TicketPayload {
    Id key_id = 0;  // which of the server's signing keys (old keys stay valid after a rotation)
    Id booking_id = 0;
    Id session_id = 0;
    std::string code;  // the booking code as printed ("K7QM-3XPA")
    int places = 0;
    UnixSeconds start = 0;
};

std::string ticket_payload_text(const TicketPayload& p);
// Nullopt unless exactly six fields, positive ids, 1–10 places and a non-empty code without '|'.
std::optional<TicketPayload> parse_ticket_payload(std::string_view text);

// A ticket cut into what a verifier needs; nullopt when it is not shaped like one.
struct TicketParts {
    std::string signed_text;  // "UP1.<base64url payload>": the bytes the signature covers
    TicketPayload payload;
    std::string signature;  // raw bytes (64 for Ed25519)
};
std::optional<TicketParts> split_ticket(std::string_view ticket);
// The ticket text for a payload and its raw signature.
std::string ticket_text(const std::string& signed_text, std::string_view signature);
// The part that is signed, for a payload: "UP1.<base64url payload>".
std::string ticket_signed_text(const TicketPayload& p);
// True when what was typed, pasted or scanned (surrounding spaces ignored) is a ticket rather than
// a typed code: the check-in screen then sends it as `ticket`.
bool looks_like_ticket(std::string_view text);
// The input without the spaces and line ends a scanner or a paste adds around it.
std::string trim_ticket(std::string_view text);

//-----------------------------------------------------------------------------
// [SECTION] Invitation and door list wording (I1, I3)
//-----------------------------------------------------------------------------

// What the guest does at the door, for each pickup mode (printed on the invitation).
std::string pickup_instructions_fr(PickupMode mode);

// One line of the door list: the guest in P2 form only.
struct DoorListLine {
    std::string code;
    int places = 0;
    std::string guest;  // P2: "Amina K."
    std::string structure;
};
// I3: sorted by code, so the door finds a guest from the code on the invitation.
void sort_door_list(std::vector<DoorListLine>& lines);

}  // namespace uneplace
