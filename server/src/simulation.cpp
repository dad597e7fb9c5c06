// uneplace simulate — see simulation.hpp for what it is, bench/SIMULATION.md for the parameters.
//
// Index of this file:
// [SECTION] Random numbers (seeded, passed in)
// [SECTION] Parameters
// [SECTION] Policies
// [SECTION] Départements, categories (fixed tables)
// [SECTION] Generating the world
// [SECTION] Running one policy: state
// [SECTION] Running one policy: events
// [SECTION] Figures
// [SECTION] Report, JSON, Markdown
#include "simulation.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cmath>
#include <numeric>
#include <queue>
#include <stdexcept>

#include "uneplace/allocation.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"

namespace uneplace::sim {

//-----------------------------------------------------------------------------
// [SECTION] Random numbers
//-----------------------------------------------------------------------------

namespace {

// splitmix64 over a counter (the shared module's mixer): small, fast, identical on every platform,
// unlike std::*_distribution whose algorithms the standard leaves to each library.
struct Rng {
    std::uint64_t state;
    explicit Rng(std::uint64_t seed) : state(seed) {}
    std::uint64_t next() {
        const std::uint64_t r = splitmix64(state);
        state += 0x9E3779B97F4A7C15ull;
        return r;
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    double open_uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }  // (0, 1)
    double exponential(double mean) { return -mean * std::log(open_uniform()); }
    double normal() {  // Box–Muller, one of the pair
        return std::sqrt(-2.0 * std::log(open_uniform())) * std::cos(6.283185307179586 * uniform());
    }
    // exp(N(−σ²/2, σ)): mean 1, so it spreads without shifting the average.
    double lognormal_mean1(double sigma) { return std::exp(sigma * normal() - sigma * sigma / 2); }
    // Number of failures before a success of probability p: mean (1 − p) / p.
    int geometric_with_mean(double mean) {
        if (mean <= 0) return 0;
        const double p = 1.0 / (1.0 + mean);
        return static_cast<int>(std::floor(std::log(open_uniform()) / std::log(1.0 - p)));
    }
    int poisson(double lambda) {
        if (lambda <= 0) return 0;
        if (lambda > 30) return std::max(0, static_cast<int>(std::lround(lambda + std::sqrt(lambda) * normal())));
        const double limit = std::exp(-lambda);
        int k = 0;
        for (double p = uniform(); p > limit; p *= uniform()) ++k;
        return k;
    }
    float unit() { return static_cast<float>(uniform()); }
};

// Index in a cumulative weight table (ascending, last = total).
std::size_t pick(std::span<const double> cumulative, double u) {
    const double x = u * cumulative.back();
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), x);
    return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

std::vector<double> cumulate(std::span<const double> weights) {
    std::vector<double> c(weights.size());
    std::partial_sum(weights.begin(), weights.end(), c.begin());
    return c;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Parameters
//-----------------------------------------------------------------------------

std::span<const ParamSpec> param_specs() {
    static const ParamSpec kSpecs[] = {
        {"places_per_year", &Params::places_per_year, 1000, 5e6, true, "donated places in a year at scale 1"},
        {"small_session_mean", &Params::small_session_mean, 1, 50, false, "mean capacity of an ordinary session"},
        {"large_session_share", &Params::large_session_share, 0, 1, false, "share of sessions with 20-100 places"},
        {"last_minute_share", &Params::last_minute_share, 0, 1, false, "donations published 1-5 days before the start"},
        {"lead_days_min", &Params::lead_days_min, 3, 365, false,
         "shortest publication lead of an ordinary donation (days)"},
        {"lead_days_max", &Params::lead_days_max, 3, 365, false,
         "longest publication lead of an ordinary donation (days)"},
        {"ballot_min_capacity", &Params::ballot_min_capacity, 2, 10000, true,
         "popular sessions this large are drawn by ballot"},
        {"ballot_open_days", &Params::ballot_open_days, 1, 60, false, "days ballot requests are collected"},
        {"supply_urban_exponent", &Params::supply_urban_exponent, 0.5, 2, false,
         "supply of a departement ~ population^this"},
        {"structures", &Params::structures, 10, 100000, true, "social structures at scale 1"},
        {"beneficiaries", &Params::beneficiaries, 100, 1e7, true, "people who may ask for outings, at scale 1"},
        {"structure_size_pareto", &Params::structure_size_pareto, 0.5, 5, false, "Pareto shape of structure sizes"},
        {"fast_structure_share", &Params::fast_structure_share, 0, 1, false,
         "share of (largest) structures that book within hours"},
        {"fast_delay_hours", &Params::fast_delay_hours, 0.01, 240, false, "their mean delay after publication (hours)"},
        {"slow_delay_days", &Params::slow_delay_days, 0.01, 60, false, "the others' mean delay (days)"},
        {"demand_per_place", &Params::demand_per_place, 0, 20, false, "requests per donated place"},
        {"demand_spread", &Params::demand_spread, 0, 3, false, "log-normal sigma of a session's appeal"},
        {"household_mean", &Params::household_mean, 1, 15, false, "mean household size"},
        {"appetite_skew", &Params::appetite_skew, 1, 10, false, "how unequally people of one structure ask"},
        {"preference_tries", &Params::preference_tries, 1, 20, true, "people looked at for one who likes the category"},
        {"prior_zero_share", &Params::prior_zero_share, 0, 1, false, "share of people with no outing the year before"},
        {"prior_outings_mean", &Params::prior_outings_mean, 1, 50, false,
         "mean outings the year before, among the others"},
        {"unreliable_share", &Params::unreliable_share, 0, 1, false, "share of people who often do not come"},
        {"drop_reliable", &Params::drop_reliable, 0, 1, false,
         "chance a reliable person does not come (same-day booking)"},
        {"drop_unreliable", &Params::drop_unreliable, 0, 1, false, "chance an unreliable person does not come"},
        {"forget_per_week", &Params::forget_per_week, 0, 1, false, "extra chance of not coming per week of lead"},
        {"self_cancel_share", &Params::self_cancel_share, 0, 1, false, "of those not coming, share who cancel"},
        {"forgot_share", &Params::forgot_share, 0, 1, false, "of the silent ones, share who forgot"},
        {"reminder_response", &Params::reminder_response, 0, 1, false, "chance a reminder is read and acted upon"},
        {"companion_absent", &Params::companion_absent, 0, 1, false, "chance a companion does not come"},
        {"share_percent", &Params::share_percent, 1, 100, true, "R4 share of a session per structure (%)"},
        {"release_hours", &Params::release_hours, 0, 720, true, "R4 cap lifted this many hours before closes_at"},
        {"reminder_hours", &Params::reminder_hours, 25, 720, true, "M2 reminder this many hours before the start"},
        {"pause_no_shows", &Params::pause_no_shows, 1, 20, true, "R8 no-shows that pause"},
        {"pause_window_days", &Params::pause_window_days, 1, 730, true, "R8 window (days)"},
        {"pause_days", &Params::pause_days, 1, 365, true, "R8 pause length (days)"},
        {"max_upcoming", &Params::max_upcoming, 1, 50, true, "R7 upcoming bookings per person"},
    };
    return kSpecs;
}

namespace {
std::string format_number(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    std::string s(buf, r.ptr);
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
}
}  // namespace

std::optional<std::string> apply_param(Params& params, std::string_view assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return "--param attend nom=valeur, par exemple --param demand_per_place=1.2 (reçu « " +
               std::string(assignment) + " »)";
    const std::string_view name = assignment.substr(0, eq), text = assignment.substr(eq + 1);
    const ParamSpec* spec = nullptr;
    for (const auto& s : param_specs())
        if (s.name == name) spec = &s;
    if (!spec) {
        std::string known;
        for (const auto& s : param_specs()) known += (known.empty() ? "" : ", ") + std::string(s.name);
        return "paramètre inconnu « " + std::string(name) + " » ; paramètres connus : " + known;
    }
    double value = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(value))
        return "valeur invalide pour " + std::string(name) + " : « " + std::string(text) +
               " » (un nombre est attendu, avec un point décimal, par exemple 0.25)";
    if (value < spec->min || value > spec->max)
        return std::string(name) + " doit être compris entre " + format_number(spec->min) + " et " +
               format_number(spec->max) + " (reçu " + format_number(value) + ")";
    if (spec->integral && value != std::floor(value))
        return std::string(name) + " attend un nombre entier (reçu " + format_number(value) + ")";
    params.*(spec->member) = value;
    if (params.lead_days_min > params.lead_days_max)
        return "lead_days_min (" + format_number(params.lead_days_min) + ") ne peut dépasser lead_days_max (" +
               format_number(params.lead_days_max) + ")";
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Policies
//-----------------------------------------------------------------------------

std::vector<Policy> standard_policies() {
    std::vector<Policy> out;
    // The programme before the platform: whoever asks first gets the places; a cancelled place
    // goes back to the catalogue but nobody is waiting for it; nobody is reminded or paused.
    out.push_back({"fcfs", "premier arrivé, premier servi", false, false, false, false, false, false});
    out.push_back({"uneplace", "uneplace (règles et réglages actuels)"});
    Policy p{"uneplace_without_r4", "sans la part équitable (R4)"};
    p.share_cap = false;
    out.push_back(p);
    p = {"uneplace_without_priority", "sans la priorité aux moins sortis (W2, B2)"};
    p.priority = false;
    out.push_back(p);
    p = {"uneplace_without_waitlist", "sans la liste d’attente (W1–W3)"};
    p.waitlist = false;
    out.push_back(p);
    p = {"uneplace_without_ballots", "sans les tirages au sort (B1–B3)"};
    p.ballots = false;
    out.push_back(p);
    p = {"uneplace_without_r8", "sans les suspensions (R8)"};
    p.pauses = false;
    out.push_back(p);
    p = {"uneplace_without_reminders", "sans les rappels (M2)"};
    p.reminders = false;
    out.push_back(p);
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Départements, categories
//-----------------------------------------------------------------------------

namespace {

// Population in thousands (INSEE, about 2021, rounded), in the order of all_departements():
// 01 … 19, 2A, 2B, 21 … 95, 971 … 974, 976. Demand follows population; supply follows it more than
// proportionally (supply_urban_exponent): theatres, stadiums and museums cluster in cities.
constexpr int kPopulationThousands[] = {
    660,  530,  335, 165,  141,  1090, 328,  270, 153,  310, 375,  279, 2040, 695,  144,  352,  655,  302,
    240,        // 01–19
    160,  182,  // 2A 2B
    535,  600,  116, 413,  543,  518,  600,  432, 915,  750, 1415, 191, 1650, 1190, 1090, 219,  610,  1270,
    259,  // 21–39
    415,  329,  765, 227,  1440, 680,  174,  331, 76,   820, 495,  565, 172,  307,  733,  184,  760,  1045,
    204,                                                                                                     // 40–58
    2610, 830,  280, 1465, 660,  690,  229,  480, 1140, 765, 1880, 235, 550,  566,  436,  830,  2145, 1255,  // 59–76
    1420, 1450, 375, 570,  390,  260,  1080, 560, 690,  438, 372,  364, 335,  141,  1300, 1625, 1650, 1410,  // 77–94
    1250, 384,  361, 285,  870,  300,  // 95, 971–976
};

constexpr int kCategoryCount = 17;
// Share of the donations (supply) and appeal to the people asking (demand ×), per Category in
// declaration order. Our reading of the programme's reports: shows and matches are asked for more
// than talks and heritage visits.
constexpr double kCategorySupply[kCategoryCount] = {0.16, 0.05, 0.04, 0.14, 0.02, 0.05, 0.08, 0.06, 0.08,
                                                    0.03, 0.10, 0.04, 0.04, 0.03, 0.03, 0.02, 0.03};
constexpr double kCategoryAppeal[kCategoryCount] = {0.9, 0.7, 1.4, 1.5, 0.8, 1.3, 1.3, 0.7, 0.8,
                                                    0.6, 1.6, 0.9, 1.2, 0.8, 1.2, 0.4, 1.3};

bool family_category(Category c) {
    return c == Category::YoungAudience || c == Category::Circus || c == Category::Leisure ||
           c == Category::SportPractice;
}
bool daytime_category(Category c) {
    return c == Category::Museum || c == Category::Exhibition || c == Category::Heritage || c == Category::Workshop;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Generating the world
//-----------------------------------------------------------------------------

World generate_world(const Params& P, std::uint64_t seed, double scale) {
    World w;
    w.seed = seed;
    w.scale = scale;
    w.year_start = days_from_civil(2027, 1, 1) * kDay;
    w.year_end = w.year_start + 365 * kDay;
    Rng rng(splitmix64(seed));

    const auto deps = all_departements();
    constexpr std::size_t kDeps = std::size(kPopulationThousands);
    if (deps.size() != kDeps) throw std::logic_error("population table out of step with all_departements()");
    std::vector<double> supply_w(kDeps), demand_w(kDeps);
    for (std::size_t d = 0; d < kDeps; ++d) {
        demand_w[d] = kPopulationThousands[d];
        supply_w[d] = std::pow(kPopulationThousands[d], P.supply_urban_exponent);
    }
    const double supply_total = std::accumulate(supply_w.begin(), supply_w.end(), 0.0);
    const double demand_total = std::accumulate(demand_w.begin(), demand_w.end(), 0.0);
    std::vector<double> tension(kDeps);  // requests per place in a département relative to the nation
    for (std::size_t d = 0; d < kDeps; ++d) tension[d] = (demand_w[d] / demand_total) / (supply_w[d] / supply_total);
    const auto supply_c = cumulate(supply_w);
    const auto category_c = cumulate(kCategorySupply);
    double mean_appeal = 0;
    for (int c = 0; c < kCategoryCount; ++c) mean_appeal += kCategorySupply[c] * kCategoryAppeal[c];
    mean_appeal /= category_c.back();

    // Supply: sessions until the year's places are donated.
    const double target_places = std::max(1.0, P.places_per_year * scale);
    static constexpr double kWeekday[7] = {1.0, 0.6, 0.8, 1.1, 1.0, 1.4, 1.6};  // Sunday … Saturday
    std::int64_t places = 0;
    while (static_cast<double>(places) < target_places) {
        SimSession s;
        s.id = static_cast<Id>(w.sessions.size() + 1);
        s.departement = static_cast<int>(pick(supply_c, rng.uniform()));
        s.category = static_cast<Category>(pick(category_c, rng.uniform()));
        if (rng.uniform() < P.large_session_share) {
            const double u = rng.uniform();
            s.capacity = 20 + static_cast<int>(81 * u * u);
        } else {
            s.capacity = std::min(limits::kCapacityMax, 1 + rng.geometric_with_mean(P.small_session_mean - 1));
        }
        s.max_per_booking = std::min(s.capacity, family_category(s.category) ? 4 : 2);
        // A day of the year, more on Friday and Saturday, fewer in August (venues close).
        std::int64_t day = 0;
        for (;;) {
            day = static_cast<std::int64_t>(rng.uniform() * 365);
            const std::int64_t days = w.year_start / kDay + day;
            const CivilDate date = civil_from_days(days);
            const double weight = kWeekday[weekday_from_days(days)] / 1.6 * (date.month == 8 ? 0.5 : 1.0);
            if (rng.uniform() < weight) break;
        }
        s.start = w.year_start + day * kDay + (daytime_category(s.category) ? 13 : 18) * kHour;
        const UnixSeconds closes_at = s.start - 24 * kHour;
        if (rng.uniform() < P.last_minute_share) {
            s.opens_at = s.start - static_cast<UnixSeconds>(rng.uniform(26 * kHour, 5 * kDay));
        } else {
            s.opens_at = s.start - static_cast<UnixSeconds>(rng.uniform(P.lead_days_min, P.lead_days_max) * kDay);
            const UnixSeconds draw_at = s.opens_at + static_cast<UnixSeconds>(P.ballot_open_days * kDay);
            const UnixSeconds release = closes_at - static_cast<UnixSeconds>(P.release_hours) * kHour;
            s.popular_ballot = s.capacity >= P.ballot_min_capacity &&
                               kCategoryAppeal[static_cast<int>(s.category)] >= 1.2 && draw_at < release;
            if (s.popular_ballot) s.draw_at = draw_at;
        }
        places += s.capacity;
        w.sessions.push_back(s);
    }

    // Structures: one per département at least, the rest where people live; sizes very unequal.
    const auto demand_c = cumulate(demand_w);
    const std::size_t n_structures =
        std::max<std::size_t>(kDeps, static_cast<std::size_t>(std::llround(P.structures * scale)));
    std::vector<double> size(n_structures);
    w.structures.resize(n_structures);
    for (std::size_t i = 0; i < n_structures; ++i) {
        w.structures[i].departement = i < kDeps ? static_cast<int>(i) : static_cast<int>(pick(demand_c, rng.uniform()));
        size[i] = std::min(1000.0, std::pow(rng.open_uniform(), -1.0 / P.structure_size_pareto));
    }
    std::vector<std::size_t> by_size(n_structures);
    std::iota(by_size.begin(), by_size.end(), 0);
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
    const auto n_fast =
        static_cast<std::size_t>(std::llround(P.fast_structure_share * static_cast<double>(n_structures)));
    for (std::size_t rank = 0; rank < n_structures; ++rank) {
        SimStructure& s = w.structures[by_size[rank]];
        s.mean_delay_s =
            rank < n_fast ? P.fast_delay_hours * kHour : P.slow_delay_days * kDay * rng.lognormal_mean1(0.5);
    }
    const double size_total = std::accumulate(size.begin(), size.end(), 0.0);
    const double n_people = std::max(3.0 * static_cast<double>(n_structures), std::round(P.beneficiaries * scale));

    // Beneficiaries, a contiguous range per structure; the first ones of a range ask most (appetite).
    const auto appeal_supply = [&] {
        std::vector<double> v(kCategoryCount);
        for (int c = 0; c < kCategoryCount; ++c) v[c] = kCategorySupply[c] * kCategoryAppeal[c];
        return cumulate(v);
    }();
    for (std::size_t i = 0; i < n_structures; ++i) {
        SimStructure& s = w.structures[i];
        s.id = static_cast<Id>(i + 1);
        s.first_beneficiary = static_cast<std::uint32_t>(w.beneficiaries.size());
        s.beneficiary_count = static_cast<std::uint32_t>(std::max(1.0, std::round(n_people * size[i] / size_total)));
        for (std::uint32_t k = 0; k < s.beneficiary_count; ++k) {
            SimBeneficiary b;
            b.structure = static_cast<std::uint32_t>(i);
            b.household = std::min(limits::kHouseholdMax, 1 + rng.geometric_with_mean(P.household_mean - 1));
            b.drop = rng.uniform() < P.unreliable_share ? P.drop_unreliable : P.drop_reliable;
            for (int n = 0; n < 4; ++n) b.preferred |= 1u << pick(appeal_supply, rng.uniform());
            if (rng.uniform() >= P.prior_zero_share) {
                const int outings = 1 + rng.geometric_with_mean(P.prior_outings_mean - 1);
                for (int n = 0; n < outings; ++n) {
                    const auto t = w.year_start - 1 - static_cast<UnixSeconds>(rng.uniform() * 365 * kDay);
                    (rng.uniform() < b.drop ? b.prior_no_shows : b.prior_outings).push_back(t);
                }
                std::sort(b.prior_outings.begin(), b.prior_outings.end());
                std::sort(b.prior_no_shows.begin(), b.prior_no_shows.end());
            }
            w.beneficiaries.push_back(std::move(b));
        }
    }

    // Structures of each département, weighted by their number of people.
    std::vector<std::vector<std::uint32_t>> dep_structures(kDeps);
    std::vector<std::vector<double>> dep_cumulative(kDeps);
    for (std::size_t i = 0; i < n_structures; ++i) {
        const auto d = static_cast<std::size_t>(w.structures[i].departement);
        dep_structures[d].push_back(static_cast<std::uint32_t>(i));
        dep_cumulative[d].push_back((dep_cumulative[d].empty() ? 0.0 : dep_cumulative[d].back()) +
                                    w.structures[i].beneficiary_count);
    }

    // Demand: each session draws its wishes; each wish comes from a structure of its département,
    // after that structure's delay, for one of its people who likes the category if one is found.
    for (std::size_t si = 0; si < w.sessions.size(); ++si) {
        const SimSession& s = w.sessions[si];
        const auto d = static_cast<std::size_t>(s.departement);
        const double lambda = P.demand_per_place * s.capacity * kCategoryAppeal[static_cast<int>(s.category)] /
                              mean_appeal * tension[d] * rng.lognormal_mean1(P.demand_spread);
        const int n = rng.poisson(lambda);
        std::vector<std::uint32_t> asked;  // a worker does not ask twice for one person and one session
        for (int k = 0; k < n; ++k) {
            SimRequest r;
            r.session = static_cast<std::uint32_t>(si);
            r.structure = dep_structures[d][pick(dep_cumulative[d], rng.uniform())];
            const SimStructure& st = w.structures[r.structure];
            r.at = s.opens_at + static_cast<UnixSeconds>(rng.exponential(st.mean_delay_s));
            // Up to preference_tries people for one who likes the category, then anyone not yet asked for.
            std::optional<std::uint32_t> chosen;
            for (int t = 0; t < static_cast<int>(P.preference_tries) + 5; ++t) {
                const std::uint32_t b = st.first_beneficiary +
                                        std::min(st.beneficiary_count - 1,
                                                 static_cast<std::uint32_t>(st.beneficiary_count *
                                                                            std::pow(rng.uniform(), P.appetite_skew)));
                if (std::find(asked.begin(), asked.end(), b) != asked.end()) continue;
                chosen = b;
                if (t + 1 >= static_cast<int>(P.preference_tries) ||
                    (w.beneficiaries[b].preferred & (1u << static_cast<int>(s.category))))
                    break;
            }
            if (!chosen) continue;  // nobody else in this structure for this session: the wish is not made
            r.beneficiary = *chosen;
            asked.push_back(r.beneficiary);
            r.places = std::min(w.beneficiaries[r.beneficiary].household, s.max_per_booking);
            r.u_drop = rng.unit();
            r.u_cancel = rng.unit();
            r.u_cancel_time = rng.unit();
            r.u_forgot = rng.unit();
            r.u_reminder = rng.unit();
            r.u_companion = rng.unit();
            w.requests.push_back(r);
        }
    }
    std::stable_sort(w.requests.begin(), w.requests.end(),
                     [](const SimRequest& a, const SimRequest& b) { return a.at < b.at; });
    return w;
}

//-----------------------------------------------------------------------------
// [SECTION] Running one policy: state
//-----------------------------------------------------------------------------

namespace {

// Same-instant order: what frees places first, then what serves them, then new requests, then
// what closes. A reminder at the very instant of release_at (the defaults: start − 72 h) frees its
// places before the lifted cap serves the waitlist.
enum class Ev : std::uint8_t { Cancel, Reminder, Release, Draw, Request, Close, Outing };

struct QueuedEvent {
    UnixSeconds at;
    Ev kind;
    std::uint32_t id;
    std::uint64_t seq;
    bool operator>(const QueuedEvent& o) const {
        if (at != o.at) return at > o.at;
        if (kind != o.kind) return kind > o.kind;
        return seq > o.seq;
    }
};

struct WaitingRequest {
    std::uint32_t request;
    UnixSeconds entered_at;
    std::int64_t rank;  // ballot losers keep their draw order
};

struct SessionState {
    SessionInfo info;
    int held = 0;
    std::vector<StructurePlaces> held_by_structure;
    std::vector<WaitingRequest> waitlist;
    std::vector<std::uint32_t> ballot;  // requests entered before draw_at
    std::vector<std::uint32_t> bookings;
    int freed_before_close = 0;  // places of free cancellations (C1)
    int late_cancelled = 0;      // places of late cancellations
};

struct BookingState {
    std::uint32_t request = 0;
    UnixSeconds created = 0;
    BookingStatus status = BookingStatus::Confirmed;
    bool from_waitlist = false;
    bool goes = true;      // fate at creation (common random numbers)
    bool cancels = false;  // a non-goer who tells the worker
    bool forgot = false;   // a silent non-goer who forgot: a reminder brings them
    bool reminded_goes = false;
    int attended = 0;
};

struct BeneficiaryState {
    std::vector<std::uint32_t> confirmed;      // bookings still confirmed
    std::vector<std::uint32_t> open_requests;  // sessions with a waitlist or ballot entry
    std::vector<UnixSeconds> attended;         // outing starts (prior year included)
    std::vector<UnixSeconds> no_shows;
};

template <class T>
void erase_value(std::vector<T>& v, const T& x) {
    const auto it = std::find(v.begin(), v.end(), x);
    if (it != v.end()) v.erase(it);
}

int& held_of(SessionState& s, Id structure_id) {
    for (auto& r : s.held_by_structure)
        if (r.structure_id == structure_id) return r.places;
    s.held_by_structure.push_back({structure_id, 0});
    return s.held_by_structure.back().places;
}

//-----------------------------------------------------------------------------
// [SECTION] Running one policy: events
//-----------------------------------------------------------------------------

class Runner {
public:
    Runner(const World& w, const Params& p, const Policy& policy, std::vector<Event>* log)
        : w_(w), p_(p), policy_(policy), log_(log) {
        settings_.share_percent = policy.share_cap ? static_cast<int>(p.share_percent) : 100;
        settings_.release_hours_before_close = static_cast<int>(p.release_hours);
        settings_.max_upcoming_bookings = static_cast<int>(p.max_upcoming);
        settings_.no_show_limit = policy.pauses ? static_cast<int>(p.pause_no_shows) : 0;  // 0: R8 never pauses
        settings_.no_show_window_days = static_cast<int>(p.pause_window_days);
        settings_.pause_days = static_cast<int>(p.pause_days);
        const auto deps = all_departements();
        sessions_.resize(w.sessions.size());
        for (std::size_t i = 0; i < w.sessions.size(); ++i) {
            const SimSession& s = w.sessions[i];
            SessionInfo& info = sessions_[i].info;
            info.id = s.id;
            info.offer_id = s.id;
            info.territory = std::string(deps[static_cast<std::size_t>(s.departement)].code);
            info.start = s.start;
            info.duration_min = s.duration_min;
            info.capacity = s.capacity;
            info.max_per_booking = s.max_per_booking;
            info.opens_at = s.opens_at;
            info.closes_at =
                s.closes_at ? s.closes_at
                            : s.start - static_cast<UnixSeconds>(settings_.default_close_hours_before_start) * kHour;
            info.category = s.category;
            if (policy.ballots && s.popular_ballot) {
                info.allocation = AllocationMode::Ballot;
                info.draw_at = s.draw_at;
                push(s.draw_at, Ev::Draw, static_cast<std::uint32_t>(i));
            }
            push(release_at(info, settings_), Ev::Release, static_cast<std::uint32_t>(i));
            push(info.closes_at, Ev::Close, static_cast<std::uint32_t>(i));
            push(info.start, Ev::Outing, static_cast<std::uint32_t>(i));
        }
        people_.resize(w.beneficiaries.size());
        for (std::size_t i = 0; i < w.beneficiaries.size(); ++i) {
            people_[i].attended = w.beneficiaries[i].prior_outings;
            people_[i].no_shows = w.beneficiaries[i].prior_no_shows;
        }
        for (std::size_t i = 0; i < w.requests.size(); ++i)
            push(w.requests[i].at, Ev::Request, static_cast<std::uint32_t>(i));
    }

    void run() {
        while (!queue_.empty()) {
            const QueuedEvent e = queue_.top();
            queue_.pop();
            switch (e.kind) {
                case Ev::Request: on_request(e.id, e.at); break;
                case Ev::Cancel: cancel(e.id, e.at); break;
                case Ev::Reminder: on_reminder(e.id, e.at); break;
                case Ev::Release: serve(e.id, e.at); break;
                case Ev::Draw: on_draw(e.id, e.at); break;
                case Ev::Close: serve(e.id, e.at); break;  // W3: at closes_at serve_waitlist expires everything
                case Ev::Outing: on_outing(e.id, e.at); break;
            }
        }
    }

    PolicyFigures figures();

private:
    void push(UnixSeconds at, Ev kind, std::uint32_t id) { queue_.push({at, kind, id, seq_++}); }
    void record(UnixSeconds at, EventKind kind, std::uint32_t session, std::uint32_t request, int places,
                int attended = 0, bool from_waitlist = false, std::string_view code = {}) {
        if (log_) log_->push_back({at, kind, session, request, places, attended, from_waitlist, std::string(code)});
    }

    // The snapshot the server would load in its transaction, from the in-memory state. The rules
    // only look at the person's bookings still to come (R5–R7), so confirmed ones are enough.
    BookingSnapshot& snapshot(std::uint32_t request, UnixSeconds now, int places, bool leave_out_own_request) {
        const SimRequest& r = w_.requests[request];
        const SimStructure& st = w_.structures[r.structure];
        SessionState& ss = sessions_[r.session];
        const BeneficiaryState& b = people_[r.beneficiary];
        BookingSnapshot& s = snap_;
        s.now = now;
        s.actor = Actor{st.id, Role::SocialWorker, AccountStatus::Active, AccountStatus::Active, st.id};
        s.session = ss.info;
        s.beneficiary.id = static_cast<Id>(r.beneficiary) + 1;
        s.beneficiary.structure_id = st.id;
        s.beneficiary.no_show_times = b.no_shows;
        s.beneficiary_bookings.clear();
        for (std::uint32_t k : b.confirmed) {
            const SessionInfo& other = sessions_[w_.requests[bookings_[k].request].session].info;
            s.beneficiary_bookings.push_back(
                {static_cast<Id>(k) + 1, other.id, other.start, other.end(), BookingStatus::Confirmed});
        }
        s.beneficiary_requests.clear();
        for (std::uint32_t si : b.open_requests)
            if (!(leave_out_own_request && si == r.session)) s.beneficiary_requests.push_back(sessions_[si].info.id);
        s.places_held = ss.held;
        s.structure_places_held = held_of(ss, st.id);
        s.settings = settings_;
        s.places = places;
        return s;
    }

    // W2/B2 history through the shared function (0 for everyone when the policy has no priority).
    int outings_last_365(std::uint32_t beneficiary, UnixSeconds now) {
        if (!policy_.priority) return 0;
        history_.clear();
        for (UnixSeconds t : people_[beneficiary].attended) history_.push_back({0, 0, t, t, BookingStatus::Attended});
        return attended_outings_last_365(history_, now);
    }

    void on_request(std::uint32_t request, UnixSeconds now) {
        const SimRequest& r = w_.requests[request];
        ++requests_;
        const BookingDecision d = decide_booking(snapshot(request, now, r.places, false));
        if (d.outcome == BookingOutcome::Confirm) {
            book(request, now, false);
        } else if (d.outcome == BookingOutcome::EnterBallot) {
            sessions_[r.session].ballot.push_back(request);
            people_[r.beneficiary].open_requests.push_back(r.session);
            record(now, EventKind::EnteredBallot, r.session, request, r.places);
        } else {
            ++refusals_[d.refusal->code];
            record(now, EventKind::Refused, r.session, request, r.places, 0, false, d.refusal->code);
            if (d.may_join_waitlist && policy_.waitlist) wait(request, now, 0);
        }
    }

    void wait(std::uint32_t request, UnixSeconds now, std::int64_t rank) {
        const SimRequest& r = w_.requests[request];
        sessions_[r.session].waitlist.push_back({request, now, rank});
        people_[r.beneficiary].open_requests.push_back(r.session);
        record(now, EventKind::Waitlisted, r.session, request, r.places);
    }

    void book(std::uint32_t request, UnixSeconds now, bool from_waitlist) {
        const SimRequest& r = w_.requests[request];
        SessionState& ss = sessions_[r.session];
        const auto k = static_cast<std::uint32_t>(bookings_.size());
        BookingState b;
        b.request = request;
        b.created = now;
        b.from_waitlist = from_waitlist;
        // Fate: the person's own chance of not coming grows with the wait before the outing.
        const double weeks = static_cast<double>(ss.info.start - now) / (7.0 * kDay);
        const double drop =
            1.0 - (1.0 - w_.beneficiaries[r.beneficiary].drop) * std::pow(1.0 - p_.forget_per_week, weeks);
        b.goes = r.u_drop >= drop;
        b.cancels = !b.goes && r.u_cancel < p_.self_cancel_share;
        b.forgot = !b.goes && !b.cancels && r.u_forgot < p_.forgot_share;
        bookings_.push_back(b);
        ss.held += r.places;
        held_of(ss, w_.structures[r.structure].id) += r.places;
        ss.bookings.push_back(k);
        people_[r.beneficiary].confirmed.push_back(k);
        record(now, EventKind::Booked, r.session, request, r.places, 0, from_waitlist);
        if (b.cancels)
            push(now + static_cast<UnixSeconds>(r.u_cancel_time * static_cast<double>(ss.info.start - now)), Ev::Cancel,
                 k);
        const UnixSeconds reminder = ss.info.start - static_cast<UnixSeconds>(p_.reminder_hours) * kHour;
        if (policy_.reminders && reminder > now) push(reminder, Ev::Reminder, k);
    }

    void cancel(std::uint32_t k, UnixSeconds now) {
        BookingState& b = bookings_[k];
        const SimRequest& r = w_.requests[b.request];
        SessionState& ss = sessions_[r.session];
        const CancellationDecision c = decide_cancellation(b.status, ss.info, now);
        if (!c.ok()) return;  // already attended, cancelled, or the outing has started
        b.status = c.new_status;
        ss.held -= r.places;
        held_of(ss, w_.structures[r.structure].id) -= r.places;
        erase_value(people_[r.beneficiary].confirmed, k);
        if (c.kind == CancellationKind::Free) {
            ss.freed_before_close += r.places;
            record(now, EventKind::Cancelled, r.session, b.request, r.places);
            serve(r.session, now);
        } else {
            ss.late_cancelled += r.places;
            record(now, EventKind::LateCancelled, r.session, b.request, r.places);
        }
    }

    // M2: a non-goer who reads it acts: one who forgot comes after all, any other cancels now.
    void on_reminder(std::uint32_t k, UnixSeconds now) {
        BookingState& b = bookings_[k];
        if (b.status != BookingStatus::Confirmed) return;
        ++reminders_sent_;
        if (b.goes || w_.requests[b.request].u_reminder >= p_.reminder_response) return;
        if (b.forgot) b.reminded_goes = true;
        else cancel(k, now);
    }

    // W2–W3 through serve_waitlist(): the order, the cap, the fit and the expiry are the shared module's.
    void serve(std::uint32_t si, UnixSeconds now) {
        SessionState& ss = sessions_[si];
        if (ss.waitlist.empty()) return;
        entries_.clear();
        for (const WaitingRequest& q : ss.waitlist) {
            const SimRequest& r = w_.requests[q.request];
            WaitlistEntry e;
            e.id = static_cast<Id>(q.request) + 1;
            e.structure_id = w_.structures[r.structure].id;
            e.beneficiary_id = static_cast<Id>(r.beneficiary) + 1;
            e.places = r.places;
            e.attended_last_365 = outings_last_365(r.beneficiary, now);
            e.entered_at = q.entered_at;
            e.rank = q.rank;
            e.eligible = !check_request_without_scarcity(snapshot(q.request, now, r.places, true));
            entries_.push_back(e);
        }
        const WaitlistServing result = serve_waitlist(ss.info, entries_, ss.held_by_structure, settings_, now);
        auto leave = [&](Id id) {
            const auto request = static_cast<std::uint32_t>(id - 1);
            std::erase_if(ss.waitlist, [&](const WaitingRequest& q) { return q.request == request; });
            erase_value(people_[w_.requests[request].beneficiary].open_requests, si);
            return request;
        };
        for (Id id : result.served) {
            ++waitlist_served_;
            book(leave(id), now, true);
        }
        for (Id id : result.expired) {
            ++waitlist_expired_;
            const auto request = leave(id);
            record(now, EventKind::Expired, si, request, w_.requests[request].places);
        }
    }

    // B2–B3 through draw_ballot(): winners book, losers wait in draw order (or are lost without a waitlist).
    void on_draw(std::uint32_t si, UnixSeconds now) {
        SessionState& ss = sessions_[si];
        if (ss.info.allocation != AllocationMode::Ballot) return;
        std::vector<BallotRequest> requests;
        for (std::uint32_t q : ss.ballot) {
            const SimRequest& r = w_.requests[q];
            BallotRequest b;
            b.id = static_cast<Id>(q) + 1;
            b.structure_id = w_.structures[r.structure].id;
            b.beneficiary_id = static_cast<Id>(r.beneficiary) + 1;
            b.places = r.places;
            b.attended_last_365 = outings_last_365(r.beneficiary, now);
            b.eligible = !check_request_without_scarcity(snapshot(q, now, r.places, true));
            requests.push_back(b);
        }
        for (std::uint32_t q : ss.ballot) erase_value(people_[w_.requests[q].beneficiary].open_requests, si);
        ss.ballot.clear();
        const BallotResult result =
            draw_ballot(ss.info, requests, splitmix64(w_.seed ^ static_cast<std::uint64_t>(ss.info.id)),
                        ss.held_by_structure, settings_);
        for (Id id : result.winners) {
            ++ballot_won_;
            book(static_cast<std::uint32_t>(id - 1), now, false);
        }
        std::int64_t rank = 0;
        for (Id id : result.waitlisted) {
            const auto q = static_cast<std::uint32_t>(id - 1);
            if (policy_.waitlist) wait(q, now, rank++);
            else {
                ++refusals_["ballot_lost"];
                record(now, EventKind::Refused, si, q, w_.requests[q].places, 0, false, "ballot_lost");
            }
        }
    }

    // K2 at the start: the partner records who came (check_attendance decides the status).
    void on_outing(std::uint32_t si, UnixSeconds now) {
        SessionState& ss = sessions_[si];
        for (std::uint32_t k : ss.bookings) {
            BookingState& b = bookings_[k];
            if (b.status != BookingStatus::Confirmed) continue;
            const SimRequest& r = w_.requests[b.request];
            std::optional<int> came;
            if (b.goes || b.reminded_goes)
                came = r.places - (r.places > 1 && r.u_companion < p_.companion_absent ? 1 : 0);
            const Checked<BookingStatus> checked = check_attendance(ss.info, b.status, r.places, came, now);
            if (!checked.ok()) throw std::logic_error("simulation: attendance refused: " + checked.refusal->code);
            b.status = checked.value;
            erase_value(people_[r.beneficiary].confirmed, k);
            if (b.status == BookingStatus::Attended) {
                b.attended = *came;
                people_[r.beneficiary].attended.push_back(now);
                record(now, EventKind::Attended, si, b.request, r.places, b.attended);
            } else {
                people_[r.beneficiary].no_shows.push_back(now);
                record(now, EventKind::NoShow, si, b.request, r.places);
            }
        }
    }

    const World& w_;
    const Params& p_;
    const Policy& policy_;
    std::vector<Event>* log_;
    TerritorySettings settings_;
    std::priority_queue<QueuedEvent, std::vector<QueuedEvent>, std::greater<>> queue_;
    std::uint64_t seq_ = 0;
    std::vector<SessionState> sessions_;
    std::vector<BookingState> bookings_;
    std::vector<BeneficiaryState> people_;
    BookingSnapshot snap_;
    std::vector<BeneficiaryBooking> history_;
    std::vector<WaitlistEntry> entries_;
    std::map<std::string, std::int64_t> refusals_;
    std::int64_t requests_ = 0, waitlist_served_ = 0, waitlist_expired_ = 0, ballot_won_ = 0, reminders_sent_ = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] Figures
//-----------------------------------------------------------------------------

double ratio(std::int64_t a, std::int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0; }

// Gini coefficient of non-negative counts: 0 when everyone has the same, → 1 when one has everything.
double gini(std::vector<std::int64_t> x) {
    if (x.empty()) return 0;
    std::sort(x.begin(), x.end());
    double weighted = 0, total = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        weighted += static_cast<double>(i + 1) * static_cast<double>(x[i]);
        total += static_cast<double>(x[i]);
    }
    if (total == 0) return 0;
    const auto n = static_cast<double>(x.size());
    return 2 * weighted / (n * total) - (n + 1) / n;
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace

PolicyFigures Runner::figures() {
    PolicyFigures f;
    f.requests = requests_;
    f.refusals = refusals_;
    f.waitlist_served = waitlist_served_;
    f.waitlist_expired = waitlist_expired_;
    f.ballot_won = ballot_won_;
    f.reminders_sent = reminders_sent_;

    // Donated, attended, unique people and first-timers: the shared impact figures, as admins see them.
    std::vector<ImpactSession> sessions;
    sessions.reserve(sessions_.size());
    for (const auto& s : sessions_)
        sessions.push_back(
            {s.info.id, 0, s.info.territory, s.info.category, s.info.start, s.info.capacity, SessionStatus::Scheduled});
    std::vector<ImpactBooking> bookings;
    bookings.reserve(bookings_.size());
    for (std::size_t k = 0; k < bookings_.size(); ++k) {
        const BookingState& b = bookings_[k];
        const SimRequest& r = w_.requests[b.request];
        bookings.push_back({static_cast<Id>(k) + 1, sessions_[r.session].info.id, w_.structures[r.structure].id,
                            static_cast<Id>(r.beneficiary) + 1, sessions_[r.session].info.start, r.places, b.status,
                            b.attended, b.from_waitlist, std::nullopt});
    }
    std::vector<ImpactBooking> history;
    for (std::size_t i = 0; i < w_.beneficiaries.size(); ++i)
        for (UnixSeconds t : w_.beneficiaries[i].prior_outings)
            history.push_back({0, 0, 0, static_cast<Id>(i) + 1, t, 1, BookingStatus::Attended, 1, false, std::nullopt});
    const ImpactQuery all{w_.year_start, w_.year_end, "", ImpactGroupBy::None};
    const ImpactFigures total = impact_figures(sessions, bookings, history, all).at(0).figures;
    f.places_donated = total.places_donated;
    f.people_attended = total.people_attended;
    f.bookings = total.bookings;
    f.usage_ratio = ratio(total.people_attended, total.places_donated);
    f.unique_beneficiaries = total.unique_beneficiaries;
    f.first_timers = total.first_timers;
    f.first_timer_share = ratio(total.first_timers, total.unique_beneficiaries);

    ImpactQuery by_territory = all;
    by_territory.group_by = ImpactGroupBy::Territory;
    std::vector<double> ratios;
    for (const ImpactRow& row : impact_figures(sessions, bookings, {}, by_territory)) {
        if (row.figures.places_donated == 0) continue;
        const double r = ratio(row.figures.people_attended, row.figures.places_donated);
        f.usage_ratio_by_departement[row.key] = r;
        ratios.push_back(r);
    }
    if (!ratios.empty()) {
        const double mean = std::accumulate(ratios.begin(), ratios.end(), 0.0) / static_cast<double>(ratios.size());
        double var = 0;
        for (double r : ratios) var += (r - mean) * (r - mean);
        var /= static_cast<double>(ratios.size());
        f.usage_ratio_by_departement_cv = mean > 0 ? std::sqrt(var) / mean : 0;
    }

    // Places wasted, session by session: what was not held at the outing was either given back late
    // (nobody can book after closes_at), freed earlier and not taken again, or never booked.
    for (const SessionState& s : sessions_) {
        const int unheld = s.info.capacity - s.held;
        const int before_close = unheld - s.late_cancelled;
        const int not_rebooked = std::min(before_close, s.freed_before_close);
        f.wasted.late_cancelled += s.late_cancelled;
        f.wasted.cancelled_not_rebooked += not_rebooked;
        f.wasted.never_booked += before_close - not_rebooked;
    }
    std::vector<std::int64_t> outings(w_.beneficiaries.size(), 0);
    std::vector<bool> asked(w_.beneficiaries.size(), false);
    std::vector<bool> structure_asked(w_.structures.size(), false), structure_served(w_.structures.size(), false);
    for (const SimRequest& r : w_.requests) {
        asked[r.beneficiary] = true;
        structure_asked[r.structure] = true;
    }
    // The 5 % largest structures by people (at least one), for what R4 takes from them.
    std::vector<std::uint32_t> by_people(w_.structures.size());
    std::iota(by_people.begin(), by_people.end(), 0u);
    std::stable_sort(by_people.begin(), by_people.end(), [&](std::uint32_t a, std::uint32_t b) {
        return w_.structures[a].beneficiary_count > w_.structures[b].beneficiary_count;
    });
    std::vector<bool> largest(w_.structures.size(), false);
    const std::size_t n_largest = by_people.empty() ? 0 : std::max<std::size_t>(1, by_people.size() / 20);
    for (std::size_t i = 0; i < n_largest; ++i) largest[by_people[i]] = true;
    std::int64_t held_all = 0, held_largest = 0;
    std::vector<double> lead_days;
    for (const BookingState& b : bookings_) {
        const SimRequest& r = w_.requests[b.request];
        if (b.status == BookingStatus::NoShow) f.wasted.no_show += r.places;
        if (holds_places(b.status)) {
            structure_served[r.structure] = true;
            held_all += r.places;
            if (largest[r.structure]) held_largest += r.places;
        }
        if (b.status == BookingStatus::Attended) {
            f.wasted.companions_absent += r.places - b.attended;
            ++outings[r.beneficiary];
            lead_days.push_back(static_cast<double>(sessions_[r.session].info.start - b.created) / kDay);
        }
    }
    std::vector<std::int64_t> asked_outings;
    for (std::size_t i = 0; i < outings.size(); ++i)
        if (asked[i]) asked_outings.push_back(outings[i]);
    f.gini_outings_per_beneficiary = gini(std::move(asked_outings));
    std::int64_t n_asked = 0, n_served = 0;
    for (std::size_t i = 0; i < structure_asked.size(); ++i) {
        n_asked += structure_asked[i];
        n_served += structure_asked[i] && structure_served[i];
    }
    f.structures_served_share = ratio(n_served, n_asked);
    f.largest_structures_share = ratio(held_largest, held_all);
    f.median_days_booking_to_outing = median(std::move(lead_days));
    return f;
}

PolicyFigures run_policy(const World& world, const Params& params, const Policy& policy, std::vector<Event>* log) {
    Runner runner(world, params, policy, log);
    runner.run();
    return runner.figures();
}

//-----------------------------------------------------------------------------
// [SECTION] Report, JSON, Markdown
//-----------------------------------------------------------------------------

Report simulate(const Params& params, std::uint64_t seed, double scale, std::span<const Policy> policies) {
    Report report;
    report.seed = seed;
    report.scale = scale;
    report.params = params;
    const World world = generate_world(params, seed, scale);
    report.sessions = static_cast<std::int64_t>(world.sessions.size());
    report.structures = static_cast<std::int64_t>(world.structures.size());
    report.beneficiaries = static_cast<std::int64_t>(world.beneficiaries.size());
    report.requests = static_cast<std::int64_t>(world.requests.size());
    for (const Policy& p : policies) report.policies.emplace_back(p, run_policy(world, params, p));
    return report;
}

nlohmann::json to_json(const PolicyFigures& f) {
    nlohmann::json wasted = {
        {"never_booked", f.wasted.never_booked},           {"cancelled_not_rebooked", f.wasted.cancelled_not_rebooked},
        {"late_cancelled", f.wasted.late_cancelled},       {"no_show", f.wasted.no_show},
        {"companions_absent", f.wasted.companions_absent}, {"total", f.wasted.total()}};
    return {{"usage_ratio", f.usage_ratio},
            {"places_donated", f.places_donated},
            {"people_attended", f.people_attended},
            {"places_wasted", wasted},
            {"first_timer_share", f.first_timer_share},
            {"first_timers", f.first_timers},
            {"unique_beneficiaries", f.unique_beneficiaries},
            {"gini_outings_per_beneficiary", f.gini_outings_per_beneficiary},
            {"structures_served_share", f.structures_served_share},
            {"largest_structures_share", f.largest_structures_share},
            {"usage_ratio_by_departement", f.usage_ratio_by_departement},
            {"usage_ratio_by_departement_cv", f.usage_ratio_by_departement_cv},
            {"median_days_booking_to_outing", f.median_days_booking_to_outing},
            {"requests", f.requests},
            {"bookings", f.bookings},
            {"refusals", f.refusals},
            {"waitlist_served", f.waitlist_served},
            {"waitlist_expired", f.waitlist_expired},
            {"ballot_won", f.ballot_won},
            {"reminders_sent", f.reminders_sent}};
}

nlohmann::json to_json(const Report& report) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& s : param_specs()) params[std::string(s.name)] = report.params.*(s.member);
    nlohmann::json policies = nlohmann::json::object();
    for (const auto& [p, f] : report.policies) policies[p.name] = to_json(f);
    return {{"seed", report.seed},
            {"scale", report.scale},
            {"params", params},
            {"policies", policies},
            {"world",
             {{"sessions", report.sessions},
              {"structures", report.structures},
              {"beneficiaries", report.beneficiaries},
              {"requests", report.requests}}}};
}

namespace {
std::string percent_fr(double r) { return format_permille_fr(static_cast<int>(std::lround(r * 1000))); }
std::string decimal_fr(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    std::string s = buf;
    std::replace(s.begin(), s.end(), '.', ',');
    return s;
}
}  // namespace

std::string to_markdown(const Report& report) {
    std::string out;
    out += "Simulation d’une année du programme (graine " + std::to_string(report.seed) + ", échelle " +
           decimal_fr(report.scale, 3) + ") : " + format_count_fr(report.sessions) + " séances, " +
           format_count_fr(report.structures) + " structures, " + format_count_fr(report.beneficiaries) +
           " personnes accompagnées, " + format_count_fr(report.requests) + " demandes.\n\n";
    out += "| politique | taux d’usage | places perdues | primo-sortants | Gini des sorties | structures servies | "
           "part des 5 % plus grandes structures | écart entre départements (CV) | jours de la réservation à la sortie "
           "(médiane) |\n";
    out += "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& [p, f] : report.policies)
        out += "| " + p.label_fr + " | " + percent_fr(f.usage_ratio) + " | " + format_count_fr(f.wasted.total()) +
               " | " + percent_fr(f.first_timer_share) + " | " + decimal_fr(f.gini_outings_per_beneficiary, 3) + " | " +
               percent_fr(f.structures_served_share) + " | " + percent_fr(f.largest_structures_share) + " | " +
               decimal_fr(f.usage_ratio_by_departement_cv, 3) + " | " + decimal_fr(f.median_days_booking_to_outing, 1) +
               " |\n";
    out += "\nPlaces perdues, par cause :\n\n";
    out +=
        "| politique | jamais réservées | annulées, non reprises | annulées tard | absents | accompagnants absents |\n";
    out += "|---|---|---|---|---|---|\n";
    for (const auto& [p, f] : report.policies)
        out += "| " + p.label_fr + " | " + format_count_fr(f.wasted.never_booked) + " | " +
               format_count_fr(f.wasted.cancelled_not_rebooked) + " | " + format_count_fr(f.wasted.late_cancelled) +
               " | " + format_count_fr(f.wasted.no_show) + " | " + format_count_fr(f.wasted.companions_absent) + " |\n";
    return out;
}

}  // namespace uneplace::sim
