// uneplace shared module — the vocabulary of DOMAIN.md as plain types.
// Enums carry their stable API code (DOMAIN.md / API.md) and their French label from one table, so
// the server's JSON, the OpenAPI document and the client's screens never spell a value twice.
//
// Index of this file:
// [SECTION] Time and identifiers
// [SECTION] Enumerations (roles, statuses, categories, pickup modes, allocation)
// [SECTION] Enumeration tables: to_code(), from_code<E>(), label_fr(), enum_table<E>()
// [SECTION] Accessibility flags
// [SECTION] Territory settings (the "default N" numbers of DOMAIN.md)
// [SECTION] Fixed numbers of DOMAIN.md (not settings)
// [SECTION] Départements (the 101 territory codes)
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Time and identifiers
//-----------------------------------------------------------------------------

// An instant: seconds since 1970-01-01T00:00:00Z. The server stores UTC; local time is only for
// display and input (see local_time.hpp). Never read from a clock inside this module.
using UnixSeconds = std::int64_t;
// Database ids. Opaque to clients; the ballot mixes them into its keys (B3), so they are integers.
using Id = std::int64_t;

constexpr UnixSeconds kMinute = 60;
constexpr UnixSeconds kHour = 3600;
constexpr UnixSeconds kDay = 86400;

//-----------------------------------------------------------------------------
// [SECTION] Enumerations
//-----------------------------------------------------------------------------

enum class Role : std::uint8_t { Admin, Partner, SocialWorker };  // "admin" "partner" "social_worker"
enum class OrgKind : std::uint8_t { Partner, Structure };         // "partner" "structure"
// Status of an organisation and of a user: pending until an admin approves, then active, maybe suspended.
enum class AccountStatus : std::uint8_t { Pending, Active, Suspended };  // "pending" "active" "suspended"
enum class OfferStatus : std::uint8_t { Draft, Pending, Published, Rejected, Archived };
enum class SessionStatus : std::uint8_t { Scheduled, Cancelled };
enum class AllocationMode : std::uint8_t { FirstCome, Ballot };        // "first_come" "ballot"
enum class PickupMode : std::uint8_t { GuestList, ETicket, Printed };  // "guest_list" "e_ticket" "printed"
enum class BookingStatus : std::uint8_t { Confirmed, Cancelled, LateCancelled, Attended, NoShow };
// A request that is not (yet) a booking: on the waitlist or entered in a ballot.
enum class RequestStatus : std::uint8_t { Waitlisted, BallotEntered, Served, Lost, Expired, Withdrawn };
enum class FeedbackWent : std::uint8_t { Yes, No, Partly };  // "yes" "no" "partly"
enum class Category : std::uint8_t {
    Theatre,
    Dance,
    Circus,
    Concert,
    Opera,
    Comedy,
    Cinema,
    Exhibition,
    Museum,
    Heritage,
    SportEvent,
    SportPractice,
    Leisure,
    Workshop,
    Festival,
    Talk,
    YoungAudience,
};

// A booking holds places while confirmed, and keeps them once the outing happened (attended or
// no-show): these are the places counted against capacity (R3) and the share cap (R4).
constexpr bool holds_places(BookingStatus s) {
    return s == BookingStatus::Confirmed || s == BookingStatus::Attended || s == BookingStatus::NoShow;
}
// "Active booking" of R5/R6: not cancelled and not a no-show.
constexpr bool is_active(BookingStatus s) { return s == BookingStatus::Confirmed || s == BookingStatus::Attended; }

//-----------------------------------------------------------------------------
// [SECTION] Enumeration tables
//-----------------------------------------------------------------------------

// One row per value: the API code and the French label people read.
template <class E>
struct EnumEntry {
    E value;
    std::string_view code;
    std::string_view label_fr;
};

// The full table of an enum, in declaration order (specialised in domain.cpp for every enum above).
template <class E>
std::span<const EnumEntry<E>> enum_table();
template <>
std::span<const EnumEntry<Role>> enum_table<Role>();
template <>
std::span<const EnumEntry<OrgKind>> enum_table<OrgKind>();
template <>
std::span<const EnumEntry<AccountStatus>> enum_table<AccountStatus>();
template <>
std::span<const EnumEntry<OfferStatus>> enum_table<OfferStatus>();
template <>
std::span<const EnumEntry<SessionStatus>> enum_table<SessionStatus>();
template <>
std::span<const EnumEntry<AllocationMode>> enum_table<AllocationMode>();
template <>
std::span<const EnumEntry<PickupMode>> enum_table<PickupMode>();
template <>
std::span<const EnumEntry<BookingStatus>> enum_table<BookingStatus>();
template <>
std::span<const EnumEntry<RequestStatus>> enum_table<RequestStatus>();
template <>
std::span<const EnumEntry<FeedbackWent>> enum_table<FeedbackWent>();
template <>
std::span<const EnumEntry<Category>> enum_table<Category>();

// API code of a value, e.g. to_code(Category::SportEvent) == "sport_event".
template <class E>
std::string_view to_code(E value) {
    for (const auto& e : enum_table<E>())
        if (e.value == value) return e.code;
    return {};
}
// French label, e.g. label_fr(Category::SportEvent) == "sport (spectateur)".
template <class E>
std::string_view label_fr(E value) {
    for (const auto& e : enum_table<E>())
        if (e.value == value) return e.label_fr;
    return {};
}
// Value of an API code (exact, case-sensitive), e.g. from_code<Category>("opera").
template <class E>
std::optional<E> from_code(std::string_view code) {
    for (const auto& e : enum_table<E>())
        if (e.code == code) return e.value;
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Accessibility flags
//-----------------------------------------------------------------------------

using AccessibilityFlags = unsigned;  // -> enum AccessibilityFlags_
enum AccessibilityFlags_ : unsigned {
    AccessibilityFlags_None = 0,
    AccessibilityFlags_Wheelchair = 1u << 0,  // "wheelchair": step-free access, wheelchair places
    AccessibilityFlags_Hearing = 1u << 1,     // "hearing": induction loop, surtitles, LSF
    AccessibilityFlags_Visual = 1u << 2,      // "visual": audio description, tactile visit
    AccessibilityFlags_Cognitive = 1u << 3,   // "cognitive": easy-read, relaxed performance
    AccessibilityFlags_All = 0xFu,
};
struct AccessibilityKey {
    AccessibilityFlags flag;
    std::string_view code;  // JSON key in `accessibility: {...}`
    std::string_view label_fr;
};
std::span<const AccessibilityKey> accessibility_keys();
std::optional<AccessibilityFlags> accessibility_flag_from_code(std::string_view code);

//-----------------------------------------------------------------------------
// [SECTION] Territory settings
//-----------------------------------------------------------------------------

// Numbers DOMAIN.md writes "default N": an admin may change them per territory. The server loads
// the row of the session's territory into this struct; members keep the DOMAIN.md defaults.
struct TerritorySettings {
    int share_percent = 25;                     // R4: a structure holds at most ceil(capacity × share)
    int release_hours_before_close = 48;        // R4: release_at = closes_at − 48 h
    int max_upcoming_bookings = 3;              // R7
    int no_show_limit = 3;                      // R8: this many unexcused no-shows…
    int no_show_window_days = 180;              // R8: …within this many days…
    int pause_days = 60;                        // R8: …pause bookings for this many days
    int default_max_per_booking = 2;            // Session: the beneficiary + 1 companion
    int default_close_hours_before_start = 24;  // Session: closes_at = start − 24 h
    int erase_after_months = 24;                // P1: identifying fields erased after the last booking
    bool operator==(const TerritorySettings&) const = default;
};

// The nine settings by name — the API's field and the settings table's column — in the API's order:
// the one list the server's SQL and JSON and the client's readers walk, so that a tenth setting is
// added here (and in DOMAIN.md, the schema and the admin screen), not in five more places.
struct TerritorySettingField {
    const char* name;
    int TerritorySettings::*member;
};
inline constexpr TerritorySettingField kTerritorySettingFields[] = {
    {"share_percent", &TerritorySettings::share_percent},
    {"release_hours_before_close", &TerritorySettings::release_hours_before_close},
    {"max_upcoming_bookings", &TerritorySettings::max_upcoming_bookings},
    {"no_show_limit", &TerritorySettings::no_show_limit},
    {"no_show_window_days", &TerritorySettings::no_show_window_days},
    {"pause_days", &TerritorySettings::pause_days},
    {"default_max_per_booking", &TerritorySettings::default_max_per_booking},
    {"default_close_hours_before_start", &TerritorySettings::default_close_hours_before_start},
    {"erase_after_months", &TerritorySettings::erase_after_months},
};

//-----------------------------------------------------------------------------
// [SECTION] Fixed numbers of DOMAIN.md (not settings)
//-----------------------------------------------------------------------------

namespace limits {
constexpr int kTitleMinChars = 3, kTitleMaxChars = 120;             // Offer title
constexpr int kDescriptionMaxChars = 4000;                          // Offer description
constexpr int kMinAgeMax = 18;                                      // Offer min age 0–18 (0 = all)
constexpr int kDurationMinMinutes = 1, kDurationMaxMinutes = 1440;  // Session duration
constexpr int kCapacityMin = 1, kCapacityMax = 10000;               // Session capacity
constexpr int kMaxPerBookingMin = 1, kMaxPerBookingMax = 10;        // Session max_per_booking
constexpr UnixSeconds kLatestCloseBeforeStart = 2 * kHour;          // closes_at ≤ start − 2 h
constexpr UnixSeconds kLatestStartAhead = 731 * kDay;  // a session starts within 2 years of now [start_too_far]
constexpr int kHouseholdMin = 1, kHouseholdMax = 15;   // Beneficiary household size
constexpr int kPasswordMinChars = 12, kPasswordMaxChars = 256;  // upper bound only guards Argon2id cost
constexpr int kEmailMaxChars = 254;
constexpr int kCommentMaxChars = 1000;                          // Feedback comment
constexpr int kRatingMin = 1, kRatingMax = 5;                   // Feedback rating
constexpr UnixSeconds kAttendanceOpensBeforeStart = 2 * kHour;  // K2 window [start − 2 h, start + 7 d)
constexpr UnixSeconds kAttendanceClosesAfterStart = 7 * kDay;
constexpr UnixSeconds kFeedbackClosesAfterStart = 60 * kDay;  // F1 window [start, start + 60 d)
constexpr UnixSeconds kHistoryWindow = 365 * kDay;            // W2/B2 and first-timers: last 365 days
// Text fields not sized by DOMAIN.md (our choice, generous for real names and addresses).
constexpr int kPersonNameMaxChars = 60;                             // first / last name of a beneficiary
constexpr int kDisplayNameMinChars = 2, kDisplayNameMaxChars = 80;  // a user's display name
constexpr int kOrgNameMinChars = 2, kOrgNameMaxChars = 120;         // organisation, venue name
constexpr int kAddressMinChars = 5, kAddressMaxChars = 300;
constexpr int kLanguageMaxChars = 40;                       // beneficiary's preferred language (free text)
constexpr int kReasonMinChars = 3, kReasonMaxChars = 1000;  // admin's rejection reason
constexpr int kSearchMaxChars = 200;                        // catalogue ?q=
constexpr int kBirthYearMaxAge = 120;                       // birth year ≥ current year − 120
}  // namespace limits

//-----------------------------------------------------------------------------
// [SECTION] Départements
//-----------------------------------------------------------------------------

// A territory: 01–19, 2A, 2B, 21–95, 971–974, 976 (101 codes), with its French name.
struct Departement {
    std::string_view code;     // "75", "2A", "974"
    std::string_view name_fr;  // "Paris", "Corse-du-Sud", "La Réunion"
};
// The 101 départements in code order (01 … 19, 2A, 2B, 21 … 95, 971 … 976).
std::span<const Departement> all_departements();
bool is_departement_code(std::string_view code);
// French name, or empty for an unknown code.
std::string_view departement_name(std::string_view code);
// Overseas (971–974, 976): own time zone, no daylight saving.
bool is_overseas(std::string_view departement_code);

}  // namespace uneplace
