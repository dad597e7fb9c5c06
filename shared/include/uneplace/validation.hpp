// uneplace shared module — validators of DOMAIN.md "Validation (shared)" and of every entity's fields.
// The client calls them for instant feedback, the server for the final word: same code, same codes.
// Single-value validators return std::optional<Refusal> (nullopt = valid) or Checked<T> when they
// also normalise. Whole-form validators clean text fields in place (trim) and return every refusal,
// in field order, so a form can flag all fields at once; the server answers with the first.
//
// Index of this file:
// [SECTION] UTF-8 text
// [SECTION] Email, password, phone
// [SECTION] Postal codes and départements
// [SECTION] Codes of enumerations (category, pickup mode, accessibility…)
// [SECTION] Organisations, users, venues
// [SECTION] Offers
// [SECTION] Sessions
// [SECTION] Beneficiaries
// [SECTION] Feedback
// [SECTION] Territory settings
// [SECTION] Ticketing-network feed (ext_id, scopes, batch lines)
// [SECTION] Webhooks (URL, addresses, event types, retry schedule)
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] UTF-8 text
//-----------------------------------------------------------------------------
// "Characters" are Unicode code points: "é" is 1, "👍" is 1, a family emoji joined by ZWJ is
// several. Bytes never count. Trimming removes ASCII white space and U+00A0 at both ends.

bool is_valid_utf8(std::string_view s);
// Appends `text` as a JSON string: the escapes nlohmann/json writes (" and backslash, \b \f \n \r
// \t, other control characters as \u00XX), other characters as they are; each byte that starts no
// well-formed character is written as U+FFFD, so the result is always valid JSON and UTF-8.
void append_json_string(std::string& out, std::string_view text);
// Number of code points; only meaningful on valid UTF-8.
std::size_t utf8_length(std::string_view s);
std::string_view trim(std::string_view s);
// First code point as its UTF-8 bytes (empty for empty input).
std::string_view utf8_first(std::string_view s);

struct TextRule {
    std::string_view field;  // field name reported in refusals, e.g. "title"
    int min_chars = 0;       // 0 = optional: empty text is valid
    int max_chars = 0;
    bool multiline = false;     // lets \n and \t through (descriptions, comments, addresses)
    bool needs_letter = false;  // a name or a title: at least one visible letter or digit
};
// Trims, then checks in this order: valid UTF-8 [invalid_utf8], no control character (C0, DEL, C1;
// \n \t allowed when multiline, \r\n folded to \n) [control_character], no invisible or reserved
// character (zero-width spaces and joiners other than ZWJ/ZWNJ, soft hyphen, Hangul fillers,
// private use, noncharacters) and no combining mark without a letter before it
// [invisible_character], empty when min_chars > 0 [required], shorter than min_chars [too_short],
// longer than max_chars [too_long], and with needs_letter, at least one letter or digit
// [no_visible_letter].
Checked<std::string> clean_text(std::string_view input, const TextRule& rule);

//-----------------------------------------------------------------------------
// [SECTION] Email, password, phone
//-----------------------------------------------------------------------------

// Email: one @, a dotted domain, at most 254 characters. Refusal field is "email".
std::optional<Refusal> validate_email(std::string_view email);
// Trimmed and lower-cased (ASCII): the form accounts are looked up by.
std::string normalize_email(std::string_view email);

// At least 12 characters (code points), at most 256 [password_too_short, password_too_long],
// valid UTF-8 [invalid_utf8], at least 5 different characters [weak_password]. Field "password".
// Passwords are never trimmed. The server adds its common-password list (server/src/security.hpp).
std::optional<Refusal> validate_password(std::string_view password);

// French phone: "0X XX XX XX XX" or "+33 X XX XX XX XX" (also 0033…, with or without spaces,
// dots or hyphens; X of the first group 1–9). Returns E.164 "+33612345678" [invalid_phone, "phone"].
Checked<std::string> normalize_phone_fr(std::string_view input);
// "+33612345678" → "06 12 34 56 78" (input already normalised; other input is returned as is).
std::string format_phone_fr(std::string_view e164);

//-----------------------------------------------------------------------------
// [SECTION] Postal codes and départements
//-----------------------------------------------------------------------------

// 5 digits whose prefix names a département: "75011" → "75", "20090" → "2A", "20200" → "2B",
// "97411" → "974" [invalid_postal_code, "postal_code"]. 975xx, 977xx, 98xxx and 00xxx are refused.
Checked<std::string> departement_from_postal_code(std::string_view postal_code);
// One of the 101 codes (exact: "2A", not "2a") [invalid_territory, field].
std::optional<Refusal> validate_territory(std::string_view code, std::string_view field = "territory");

//-----------------------------------------------------------------------------
// [SECTION] Codes of enumerations
//-----------------------------------------------------------------------------

Checked<Category> parse_category(std::string_view code);          // [invalid_category, "category"]
Checked<PickupMode> parse_pickup_mode(std::string_view code);     // [invalid_pickup_mode, "pickup_mode"]
Checked<AllocationMode> parse_allocation(std::string_view code);  // [invalid_allocation, "allocation"]
Checked<OrgKind> parse_org_kind(std::string_view code);           // [invalid_kind, "kind"]
Checked<FeedbackWent> parse_went(std::string_view code);          // [invalid_went, "went"]
// One accessibility key [invalid_accessibility, "accessibility"].
Checked<AccessibilityFlags> parse_accessibility_key(std::string_view code);

//-----------------------------------------------------------------------------
// [SECTION] Organisations, users, venues
//-----------------------------------------------------------------------------

// POST /api/v1/organisations
struct OrganisationDraft {
    std::string kind;                  // "partner" | "structure"
    std::string name;                  // 2–120
    std::string territory;             // one of the 101 codes
    std::string contact_email;         // field "contact.email"
    std::string contact_password;      // field "contact.password"
    std::string contact_display_name;  // 2–80, field "contact.display_name"
};
std::vector<Refusal> validate_organisation(OrganisationDraft& org);

// POST /api/v1/venues. The postal code must be in the declared territory
// [postal_code_territory_mismatch, "postal_code"].
struct VenueDraft {
    std::string name;     // 2–120
    std::string address;  // 5–300, multiline
    std::string postal_code;
    std::string territory;
    AccessibilityFlags accessibility = AccessibilityFlags_None;
};
std::vector<Refusal> validate_venue(VenueDraft& venue);

//-----------------------------------------------------------------------------
// [SECTION] Offers
//-----------------------------------------------------------------------------

// POST /api/v1/offers (the venue's existence and ownership are the server's to check).
struct OfferDraft {
    std::string title;        // 3–120
    std::string description;  // 0–4000, multiline
    std::string category;     // code
    int min_age = 0;          // 0–18 [min_age_out_of_range]
    AccessibilityFlags accessibility = AccessibilityFlags_None;
    std::string pickup_mode;  // code
};
std::vector<Refusal> validate_offer(OfferDraft& offer);

// Offer life cycle: draft → pending → published | rejected; draft, pending, published, rejected →
// archived; rejected → draft (edited and resubmitted). Anything else [invalid_transition].
std::optional<Refusal> check_offer_transition(OfferStatus from, OfferStatus to);

// Admin's rejection reason, 3–1000 characters, field "reason".
Checked<std::string> clean_reject_reason(std::string_view reason);

//-----------------------------------------------------------------------------
// [SECTION] Sessions
//-----------------------------------------------------------------------------

// POST /api/v1/offers/{id}/sessions, after start_local was turned into UTC (local_time.hpp).
struct SessionDraft {
    UnixSeconds start = 0;
    int duration_min = 0;                  // 1–1440 [duration_out_of_range]
    int capacity = 0;                      // 1–10000 [capacity_out_of_range]
    std::optional<int> max_per_booking;    // 1–10, nullopt → settings default (2)
    std::optional<UnixSeconds> opens_at;   // nullopt → opens at publication
    std::optional<UnixSeconds> closes_at;  // nullopt → default, see validate_session
    AllocationMode allocation = AllocationMode::FirstCome;
    std::optional<UnixSeconds> draw_at;  // required in ballot mode, ignored (cleared) otherwise
};
// Checks and fills defaults in place:
// - start must leave time to book: start − 2 h > now [start_too_soon, "start_local"];
// - closes_at default start − 24 h (setting); when that is already past at `now`, start − 2 h, so a
//   last-minute donation is still bookable; closes_at ≤ start − 2 h [closes_at_too_late],
//   closes_at > now [closes_at_in_past], closes_at > opens_at [closes_at_before_opens_at];
// - ballot: draw_at given [draw_at_required], now < draw_at [draw_at_in_past],
//   draw_at < closes_at [draw_at_not_before_closes_at], draw_at > opens_at [draw_at_before_opens_at].
std::vector<Refusal> validate_session(SessionDraft& session, UnixSeconds now, const TerritorySettings& settings);

// Capacity may be raised any time, lowered only down to the places already held
// [capacity_out_of_range, capacity_below_held; field "capacity"].
std::optional<Refusal> check_capacity_change(int new_capacity, int places_held);

//-----------------------------------------------------------------------------
// [SECTION] Beneficiaries
//-----------------------------------------------------------------------------

// POST/PATCH /api/v1/beneficiaries. No income or status fields on purpose (the structure vouches).
struct BeneficiaryDraft {
    std::string first_name;          // 1–60
    std::string last_name;           // 1–60
    std::optional<int> birth_year;   // current_year − 120 … current_year [birth_year_out_of_range]
    std::string postal_code;         // any valid French postal code
    int household_size = 1;          // 1–15 [household_size_out_of_range]
    std::string phone;               // optional; normalised to E.164 in place
    std::string preferred_language;  // optional, ≤ 40, free text ("arabe", "ukrainien"…)
    // The household's children, when the social worker records them (the catalogue's min_age):
    // at most household_size − 1, each current_year − 17 … current_year [children_out_of_range].
    std::vector<int> children_birth_years;
};
// `current_year` comes from the caller's clock (civil year of now, UTC is fine).
std::vector<Refusal> validate_beneficiary(BeneficiaryDraft& beneficiary, int current_year);

//-----------------------------------------------------------------------------
// [SECTION] Feedback
//-----------------------------------------------------------------------------

// POST /api/v1/bookings/{id}/feedback (the F1 time window is in rules.hpp).
struct FeedbackDraft {
    std::string went;           // "yes" | "no" | "partly" [invalid_went]
    std::optional<int> rating;  // 1–5 [rating_out_of_range]; may be absent when went = "no"
    std::string comment;        // ≤ 1000, multiline
};
std::vector<Refusal> validate_feedback(FeedbackDraft& feedback);

//-----------------------------------------------------------------------------
// [SECTION] Territory settings
//-----------------------------------------------------------------------------

// Sane bounds for an admin's settings [setting_out_of_range, field = member name]:
// share_percent 1–100, release 0–720 h, max upcoming 1–50, no-show limit 1–20, window 1–730 d,
// pause 0–365 d, default max_per_booking 1–10, default close 2–720 h, erase 1–120 months.
std::vector<Refusal> validate_settings(const TerritorySettings& settings);

//-----------------------------------------------------------------------------
// [SECTION] Ticketing-network feed
//-----------------------------------------------------------------------------
// API.md "Ticketing-network feed": a partner's own ids, the scopes of its API keys, and what a
// line of a batch names (the server reads the JSON; the rules on what it holds live here).

inline constexpr std::size_t kExtIdMaxChars = 64;
inline constexpr int kBatchMaxLines = 1000;

// 1–64 characters of [A-Za-z0-9._:-] [invalid_ext_id].
std::optional<Refusal> validate_ext_id(std::string_view ext_id, std::string_view field = "ext_id");

enum ApiKeyScope : unsigned {
    ApiKeyScope_FeedWrite = 1u << 0,  // "feed:write": upserts and batches
    ApiKeyScope_FeedRead = 1u << 1,   // "feed:read": the change feed and the session reports
    ApiKeyScope_Webhooks = 1u << 2,   // "webhooks": subscriptions and their deliveries
};
// "feed:write" → ApiKeyScope_FeedWrite…; anything else [invalid_scope].
Checked<unsigned> parse_api_key_scope(std::string_view code);
// The codes of a set of scopes, in the order above.
std::vector<std::string> api_key_scope_codes(unsigned scopes);

// What a line of a batch puts: its `kind` ("venue", "offer", "session") [validation on "kind"].
enum class FeedKind { Venue, Offer, Session };
Checked<FeedKind> parse_feed_kind(std::string_view code);
std::string_view to_code(FeedKind kind);
// API.md: a published offer edited through the feed goes back to moderation (pending) when its
// category or its minimum age changes; other edits keep it published.
bool published_offer_edit_needs_review(std::string_view category, int min_age, const OfferDraft& after);
// A line's `op` must be "put" [validation on "op"]; `source_version` ≥ 0 [invalid_source_version].
std::optional<Refusal> validate_batch_op(std::string_view op);
std::optional<Refusal> validate_source_version(long long version);

//-----------------------------------------------------------------------------
// [SECTION] Webhooks
//-----------------------------------------------------------------------------
// API.md "Ticketing-network feed", webhooks: what a subscription may name and when a delivery is
// tried again. The server resolves names and connects; the rules on addresses live here (pure).

// A subscription's URL, split. `target` is the path and query ("/" when none).
struct WebhookUrl {
    bool https = true;
    std::string host;  // a name, a dotted IPv4 address or an IPv6 address without its brackets
    int port = 443;
    std::string target = "/";
};
// "https://host[:port][/path][?query]", at most 2,000 printable ASCII characters, no user part, no
// fragment [invalid_webhook_url]; "http://" only when `allow_private` (--webhooks-allow-private)
// [webhook_url_forbidden]; a literal address is checked as webhook_address_forbidden does.
Checked<WebhookUrl> parse_webhook_url(std::string_view url, bool allow_private);
// True for an address no webhook may reach (4 bytes IPv4 or 16 bytes IPv6, network order):
// private, loopback, link-local, CGNAT (100.64/10), multicast, unspecified, broadcast, reserved or
// documentation ranges, unique-local IPv6, and IPv4 addresses embedded in IPv6 (mapped, compatible,
// NAT64, 6to4) that are any of those.
bool webhook_address_forbidden(const unsigned char* bytes, std::size_t size);

// The event types a webhook subscribes to (API.md "Events"), as a bit set.
inline constexpr const char* kWebhookEventTypes[] = {"booking.created",  "booking.cancelled", "booking.checked_in",
                                                     "booking.no_show",  "waitlist.served",   "session.full",
                                                     "session.cancelled"};
// "booking.created" → its bit; anything else [invalid_event_type on "events"].
Checked<unsigned> parse_webhook_event(std::string_view type);
// The bit of a known type, 0 for any other (ping).
unsigned webhook_event_bit(std::string_view type);
std::vector<std::string> webhook_event_codes(unsigned events);

// After `failed_attempts` failed attempts, the wait before the next one: 5 s, 30 s, 2 min,
// 10 min, 1 h, 4 h, 12 h, 24 h; nullopt after the ninth failure (the delivery is then failed).
std::optional<long long> webhook_retry_delay(int failed_attempts);
inline constexpr int kWebhookMaxAttempts = 9;

}  // namespace uneplace
