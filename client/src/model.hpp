// uneplace client — the API's objects as the screens use them, and their JSON readers.
// Readers are lenient (a missing field reads as empty or zero): the server is the authority,
// the client shows what it gets and never crashes on a surprise.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "api.hpp"

struct SessionDetail {
    CatalogueEntry entry;              // the catalogue fields
    std::string description;
    std::string venue_address;
    std::string venue_postal_code;
    std::string partner_name;
    std::string pickup_mode;           // guest_list | e_ticket | printed
    std::string draw_at;               // ballot sessions
    std::string opens_at;
    std::string status;                // scheduled | cancelled
    int duration_min = 0;
    int min_age = 0;
    unsigned accessibility = 0;        // uneplace::AccessibilityFlags
    int places_held = 0;
    int structure_places_held = -1;    // the caller's structure, when the server says (-1: unknown)
};

struct Beneficiary {
    long long id = 0;
    std::string first_name;
    std::string last_name;
    int birth_year = 0;                // 0: not given
    std::string postal_code;
    int household_size = 1;
    std::string phone;
    std::string preferred_language;
    int upcoming_bookings = 0;
    std::string paused_until;          // R8: RFC 3339 end of the pause, empty when none
    std::string display_name() const { return first_name + " " + last_name; }
};

struct Booking {
    long long id = 0;
    long long session_id = 0;
    long long beneficiary_id = 0;
    int places = 0;
    std::string status;                // confirmed, cancelled, late_cancelled, attended, no_show,
                                       // waitlisted, ballot_entered, expired, lost…
    std::string code;
    std::string created_at;
    // Joined for display when the server includes them.
    std::string title;
    std::string start;
    std::string territory;
    std::string closes_at;
    std::string venue_name;
    std::string beneficiary_name;
    bool has_feedback = false;
};

struct Notification {
    long long id = 0;
    std::string kind;                  // confirmed, promoted, cancelled, reminder, expired…
    std::string message;
    std::string created_at;
    bool read = false;
    long long booking_id = 0;
    long long session_id = 0;
};

CatalogueEntry parse_catalogue_entry(const nlohmann::json& j);
SessionDetail parse_session_detail(const nlohmann::json& j);
Beneficiary parse_beneficiary(const nlohmann::json& j);
Booking parse_booking(const nlohmann::json& j);
Notification parse_notification(const nlohmann::json& j);
nlohmann::json beneficiary_to_json(const Beneficiary& b);
