// uneplace simulate — a year of the national programme, simulated on the same generated demand under
// several policies, to show what each rule does to the usage ratio (attended ÷ donated) and to the
// distribution of outings. The rules themselves are NOT written here: every decision is the shared
// module's (decide_booking, check_request_without_scarcity, serve_waitlist, draw_ballot,
// decide_cancellation, check_attendance, attended_outings_last_365, impact_figures). This file only
// generates supply, demand and behaviour, and orders the events in time.
//
// Deterministic from the seed: one PRNG (splitmix64 over a counter) passed around, no clock, no
// global randomness, ordered containers only. bench/SIMULATION.md documents every parameter.
//
// Index of this file:
// [SECTION] Parameters (named, documented, overridable with --param name=value)
// [SECTION] Policies (which rules are switched on)
// [SECTION] Generated world (supply, structures, beneficiaries, requests)
// [SECTION] Results (figures per policy, optional event log)
// [SECTION] Running, JSON and Markdown
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "uneplace/domain.hpp"

namespace uneplace::sim {

//-----------------------------------------------------------------------------
// [SECTION] Parameters
//-----------------------------------------------------------------------------

// Every number the simulation assumes. Defaults and their reasons: bench/SIMULATION.md.
// All are doubles so one table can name, bound and override them; integral ones are rounded.
struct Params {
    // Supply
    double places_per_year = 700000;      // donated places at scale 1 (DOMAIN.md: ~700,000 a year)
    double small_session_mean = 5;        // mean capacity of an ordinary session (1 + geometric)
    double large_session_share = 0.05;    // share of sessions with 20–100 places (stadiums, festivals)
    double last_minute_share = 0.20;      // donations published 1–5 days before the start
    double lead_days_min = 7;             // ordinary donations: published this many days ahead…
    double lead_days_max = 45;            // …up to this many
    double ballot_min_capacity = 20;      // popular sessions this large are drawn by ballot (B1–B3)
    double ballot_open_days = 5;          // ballot requests collected for this many days after publication
    double supply_urban_exponent = 1.25;  // supply of a département ∝ population^this (venues cluster in cities)
    // Demand
    double structures = 7000;            // social structures at scale 1
    double beneficiaries = 300000;       // people accompanied who may ask for an outing, at scale 1
    double structure_size_pareto = 1.1;  // Pareto shape of the structures' sizes (small = very unequal)
    double fast_structure_share = 0.05;  // the largest structures (CCAS) book within hours…
    double fast_delay_hours = 2;         // …mean delay after publication
    double slow_delay_days = 1.5;        // the others, mean delay (a day or two later)
    double demand_per_place = 0.6;       // requests per donated place, on average (calibrates fcfs to ~40 %)
    double demand_spread = 0.8;          // log-normal sigma of a session's appeal (hits and quiet shows)
    double household_mean = 1.9;         // mean household size (1 + geometric); places = min(household, max)
    double appetite_skew = 2.0;          // within a structure, a few people ask far more often than others
    double preference_tries = 3;         // a worker looks at this many people for one who likes the category
    double prior_zero_share = 0.5;       // share of people with no outing in the year before
    double prior_outings_mean = 3;       // mean outings the year before, among the others
    // Behaviour
    double unreliable_share = 0.2;    // people who often do not come
    double drop_reliable = 0.12;      // chance a reliable person does not come, booked the same day
    double drop_unreliable = 0.5;     // the same for an unreliable person
    double forget_per_week = 0.03;    // extra chance of not coming per week between booking and outing
    double self_cancel_share = 0.35;  // of those not coming, share who tell their worker (a cancellation)
    double forgot_share = 0.5;        // of the silent ones, share who simply forgot (a reminder brings them)
    double reminder_response = 0.5;   // chance a reminder (M2) is read and acted upon
    double companion_absent = 0.1;    // chance a companion of an attended booking does not come
    // Settings of the uneplace policy (TerritorySettings defaults, DOMAIN.md)
    double share_percent = 25;       // R4
    double release_hours = 48;       // R4: release_at = closes_at − this
    double reminder_hours = 72;      // M2: reminder at start − this
    double pause_no_shows = 3;       // R8: this many no-shows…
    double pause_window_days = 180;  // R8: …within this window…
    double pause_days = 60;          // R8: …pause this long
    double max_upcoming = 3;         // R7
};

struct ParamSpec {
    std::string_view name;
    double Params::*member;
    double min, max;
    bool integral;
    std::string_view meaning;  // one line, English (the full reasoning is in bench/SIMULATION.md)
};
std::span<const ParamSpec> param_specs();

// "name=value" applied to `params`; on a bad name or value, a French message for people.
std::optional<std::string> apply_param(Params& params, std::string_view assignment);

//-----------------------------------------------------------------------------
// [SECTION] Policies
//-----------------------------------------------------------------------------

// Which rules a policy applies. Switching a rule off never re-implements anything: it changes the
// settings handed to the shared functions (share 100 % lifts R4, no-show limit 0 lifts R8), the
// data (every history count 0 removes the W2/B2 priority) or whether an event exists (no reminder,
// no waitlist entry, no ballot session).
struct Policy {
    std::string name;       // JSON key
    std::string label_fr;   // Markdown
    bool share_cap = true;  // R4
    bool priority = true;   // W2/B2: fewest outings in the last 365 days first
    bool waitlist = true;   // W1–W3: refused requests wait, freed places are re-offered
    bool ballots = true;    // B1–B3 for popular sessions
    bool pauses = true;     // R8
    bool reminders = true;  // M2
};
// fcfs, uneplace, then uneplace_without_<rule> for each rule switched off alone.
std::vector<Policy> standard_policies();

//-----------------------------------------------------------------------------
// [SECTION] Generated world
//-----------------------------------------------------------------------------

struct SimSession {
    Id id = 0;
    int departement = 0;  // index in all_departements()
    Category category = Category::Theatre;
    UnixSeconds start = 0;
    int duration_min = 120;
    int capacity = 1;
    int max_per_booking = 2;
    UnixSeconds opens_at = 0;
    UnixSeconds closes_at = 0;    // 0: start − the settings' default_close_hours_before_start
    bool popular_ballot = false;  // drawn by ballot when the policy has ballots
    UnixSeconds draw_at = 0;
};

struct SimStructure {
    Id id = 0;
    int departement = 0;
    std::uint32_t first_beneficiary = 0, beneficiary_count = 0;  // a contiguous range of beneficiaries
    double mean_delay_s = 0;  // mean delay between a publication and this structure's requests
};

struct SimBeneficiary {
    std::uint32_t structure = 0;
    int household = 1;
    double drop = 0.1;                        // chance of not coming when booked the same day
    std::uint32_t preferred = 0;              // bit per Category
    std::vector<UnixSeconds> prior_outings;   // attended the year before (W2/B2 history, first-timers)
    std::vector<UnixSeconds> prior_no_shows;  // R8 history
};

// One social worker's wish: this person, this session, these places, at this time. The same list is
// played under every policy; its uniforms fix the person's behaviour (common random numbers), so
// two policies differ only by what the rules do.
struct SimRequest {
    std::uint32_t session = 0, structure = 0, beneficiary = 0;
    UnixSeconds at = 0;
    int places = 1;
    float u_drop = 0, u_cancel = 0, u_cancel_time = 0, u_forgot = 0, u_reminder = 0, u_companion = 0;
};

struct World {
    std::uint64_t seed = 0;
    double scale = 1;
    UnixSeconds year_start = 0, year_end = 0;  // sessions start in [year_start, year_end)
    std::vector<SimSession> sessions;
    std::vector<SimStructure> structures;
    std::vector<SimBeneficiary> beneficiaries;
    std::vector<SimRequest> requests;  // sorted by time
};

World generate_world(const Params& params, std::uint64_t seed, double scale);

//-----------------------------------------------------------------------------
// [SECTION] Results
//-----------------------------------------------------------------------------

// Where donated places that did not become an attended seat went. Sums to donated − attended.
struct Wasted {
    std::int64_t never_booked = 0;            // no booking held it at the outing, and none was cancelled
    std::int64_t cancelled_not_rebooked = 0;  // freed by a cancellation before closes_at, not taken again
    std::int64_t late_cancelled = 0;          // cancelled after closes_at (C1): nobody can take it
    std::int64_t no_show = 0;                 // booked, nobody came
    std::int64_t companions_absent = 0;       // booked for companions who did not come
    std::int64_t total() const {
        return never_booked + cancelled_not_rebooked + late_cancelled + no_show + companions_absent;
    }
};

struct PolicyFigures {
    std::int64_t places_donated = 0, people_attended = 0, bookings = 0, requests = 0;
    double usage_ratio = 0;
    Wasted wasted;
    std::int64_t unique_beneficiaries = 0, first_timers = 0;
    double first_timer_share = 0;
    double gini_outings_per_beneficiary = 0;  // over every person who asked at least once
    double structures_served_share = 0;       // structures that asked and got at least one outing booked
    double largest_structures_share = 0;      // places held by the 5 % largest structures (by people) ÷ all held
    std::map<std::string, double> usage_ratio_by_departement;
    double usage_ratio_by_departement_cv = 0;      // standard deviation ÷ mean over départements
    double median_days_booking_to_outing = 0;      // attended bookings
    std::map<std::string, std::int64_t> refusals;  // decide_booking codes, first request of each wish
    std::int64_t waitlist_served = 0, waitlist_expired = 0, ballot_won = 0, reminders_sent = 0;
};

// What happened, in time order, when the caller asks for it (tests recount the figures from it).
enum class EventKind : std::uint8_t {
    Refused,
    Booked,
    EnteredBallot,
    Waitlisted,
    Cancelled,
    LateCancelled,
    Attended,
    NoShow,
    Expired
};
struct Event {
    UnixSeconds at = 0;
    EventKind kind = EventKind::Refused;
    std::uint32_t session = 0, request = 0;
    int places = 0;    // Booked / Cancelled / LateCancelled / NoShow: the booking's places
    int attended = 0;  // Attended: people who came
    bool from_waitlist = false;
    std::string code;  // Refused: the refusal code
};

PolicyFigures run_policy(const World& world, const Params& params, const Policy& policy,
                         std::vector<Event>* log = nullptr);

//-----------------------------------------------------------------------------
// [SECTION] Running, JSON and Markdown
//-----------------------------------------------------------------------------

struct Report {
    std::uint64_t seed = 0;
    double scale = 1;
    Params params;
    std::vector<std::pair<Policy, PolicyFigures>> policies;
    std::int64_t sessions = 0, structures = 0, beneficiaries = 0, requests = 0;
};

Report simulate(const Params& params, std::uint64_t seed, double scale, std::span<const Policy> policies);

nlohmann::json to_json(const PolicyFigures& f);
nlohmann::json to_json(const Report& report);
// French summary: one row per policy.
std::string to_markdown(const Report& report);

}  // namespace uneplace::sim
