// `uneplace simulate` (issue 17): a hand-computed year of three sessions, figures recounted from the
// event log, determinism, rules switched off through the shared functions, and the real binary run
// as the test command runs it (with its French refusals of bad parameters).
//
// Index of this file:
// [SECTION] Helpers (a hand-made world, running the binary)
// [SECTION] Three sessions computed by hand
// [SECTION] Figures follow from the events
// [SECTION] Determinism
// [SECTION] The shared rules decide
// [SECTION] The command line
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "harness.hpp"
#include "simulation.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::test {
namespace {

using namespace uneplace::sim;

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

const Policy& policy_named(const std::vector<Policy>& all, const std::string& name) {
    for (const auto& p : all)
        if (p.name == name) return p;
    throw std::runtime_error("no policy " + name);
}

struct Ran {
    int exit_code = -1;
    std::string out, err;
};

// fork/exec of the real binary, stdout and stderr into files of a temporary directory.
Ran run_binary(const std::vector<std::string>& args, const TempDir& dir) {
    const std::string out_path = (dir.path() / "stdout.txt").string(), err_path = (dir.path() / "stderr.txt").string();
    std::vector<std::string> all = {binary_path()};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    Ran ran;
    if (rc != 0) return ran;
    int status = 0;
    waitpid(pid, &status, 0);
    ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    auto slurp = [](const std::string& p) {
        std::ifstream f(p);
        return std::string(std::istreambuf_iterator<char>(f), {});
    };
    ran.out = slurp(out_path);
    ran.err = slurp(err_path);
    return ran;
}

//-----------------------------------------------------------------------------
// [SECTION] Three sessions computed by hand
//-----------------------------------------------------------------------------

// Two structures in Ain (01): S1 (id 1) and S2 (id 2); six people b1…b6 with no history and
// drop 0 (whether they come is set by each request's uniforms: u_drop 0.999 comes, 0 does not).
// T = 2027-01-01 00:00 UTC, every session opens at T and closes 24 h before its start.
//
//   A: capacity 4, 2 a booking, starts T+10 d. b1 (S1, 2 places) at T+1 h, b2 (S1, 2) at T+2 h,
//      b3 (S2, 2) at T+1 d. b1 and b3 come with everyone; b2 silently forgets (no reminder heard).
//   B: capacity 2, starts T+20 d. b4 (S2, 2) at T+1 h will not come, says nothing, but acts on a
//      reminder; b5 (S2, 2) at T+2 h comes.
//   C: capacity 3, starts T+5 d. b6 (S1, 2) at T+1 h comes, one companion does not.
//
// uneplace (share 25 %: a structure holds max(2, ceil(4 × 25 %)) = 2 places of A before release_at):
//   A: b1 booked (2). b2 refused structure_share_exceeded (S1 already holds 2) → waitlist. b3 booked
//      (2): A is full; at release_at nothing is free; b2 expires at closes_at. Attended 2 + 2.
//   B: b4 booked. b5 refused session_full → waitlist. Reminder at start − 72 h (= release_at): b4
//      cancels (free: before closes_at), serve_waitlist() gives the 2 places to b5, who comes.
//      Attended 2, nothing wasted.
//   C: b6 attended 1 of 2; 1 place never booked.
//   Attended 4 + 2 + 1 = 7 of 9 donated. Wasted: companions_absent 1, never_booked 1.
//   Refusals: structure_share_exceeded 1, session_full 1. Reminders sent: b1, b3 (A), b4 (B), b6
//   (C) = 4 (b5 is booked at the reminder's instant: none for it).
//   Attended bookings, days from booking to outing: b1 10 − 1/24, b3 9, b5 3, b6 5 − 1/24;
//   median (4.958… + 9) / 2 = 6.979….
//   People who asked: b1…b6, outings 1 0 1 0 1 1 → Gini = 2(3+4+5+6)/(6·4) − 7/6 = 1/3.
//   Unique beneficiaries holding places: b1 b3 b5 b6 = 4, all first-timers.
// fcfs (no cap, no waitlist, no reminder):
//   A: b1, b2 booked; b3 refused session_full. b2 does not come: no_show 2. Attended 2.
//   B: b4 booked, b5 refused session_full (lost). b4 no_show 2.
//   C: as above: attended 1, companions_absent 1, never_booked 1.
//   Attended 3 of 9. Wasted: no_show 4, companions 1, never booked 1 = 6.
//   Outings 1 0 0 0 0 1 → Gini = 2(5+6)/(6·2) − 7/6 = 2/3. Unique b1 b2 b4 b6 = 4.
World three_sessions() {
    World w;
    w.seed = 7;
    w.year_start = days_from_civil(2027, 1, 1) * kDay;
    w.year_end = w.year_start + 365 * kDay;
    const UnixSeconds T = w.year_start;
    auto session = [&](Id id, int capacity, UnixSeconds start) {
        SimSession s;
        s.id = id;
        s.departement = 0;
        s.category = Category::Theatre;
        s.start = start;
        s.capacity = capacity;
        s.max_per_booking = 2;
        s.opens_at = T;
        return s;
    };
    w.sessions = {session(1, 4, T + 10 * kDay), session(2, 2, T + 20 * kDay), session(3, 3, T + 5 * kDay)};
    w.structures = {{1, 0, 0, 6, 3600}, {2, 0, 0, 6, 86400}};
    for (std::uint32_t s : {0u, 0u, 1u, 1u, 1u, 0u}) {
        SimBeneficiary b;
        b.structure = s;
        b.household = 2;
        b.drop = 0;
        w.beneficiaries.push_back(b);
    }
    auto request = [&](std::uint32_t session_index, std::uint32_t structure, std::uint32_t beneficiary, UnixSeconds at,
                       bool comes, float u_cancel, float u_forgot, float u_reminder, float u_companion) {
        SimRequest r;
        r.session = session_index;
        r.structure = structure;
        r.beneficiary = beneficiary;
        r.at = at;
        r.places = 2;
        r.u_drop = comes ? 0.999f : 0.0f;
        r.u_cancel = u_cancel;
        r.u_cancel_time = 0.5f;
        r.u_forgot = u_forgot;
        r.u_reminder = u_reminder;
        r.u_companion = u_companion;
        return r;
    };
    // In time order, as generate_world() leaves them.
    w.requests = {
        request(0, 0, 0, T + kHour, true, 0.99f, 0.99f, 0.99f, 0.99f),      // b1 → A, comes
        request(1, 1, 3, T + kHour, false, 0.99f, 0.99f, 0.0f, 0.99f),      // b4 → B, won't go, heeds reminder
        request(2, 0, 5, T + kHour, true, 0.99f, 0.99f, 0.99f, 0.0f),       // b6 → C, a companion absent
        request(0, 0, 1, T + 2 * kHour, false, 0.99f, 0.0f, 0.99f, 0.99f),  // b2 → A, forgets, ignores reminder
        request(1, 1, 4, T + 2 * kHour, true, 0.99f, 0.99f, 0.99f, 0.99f),  // b5 → B, comes
        request(0, 1, 2, T + kDay, true, 0.99f, 0.99f, 0.99f, 0.99f),       // b3 → A, comes
    };
    return w;
}

TEST(Simulation, ThreeSessionsComputedByHand) {
    const World w = three_sessions();
    const Params params;
    const auto policies = standard_policies();

    const PolicyFigures u = run_policy(w, params, policy_named(policies, "uneplace"));
    EXPECT_EQ(u.places_donated, 9);
    EXPECT_EQ(u.people_attended, 7);
    EXPECT_DOUBLE_EQ(u.usage_ratio, 7.0 / 9.0);
    EXPECT_EQ(u.wasted.never_booked, 1);
    EXPECT_EQ(u.wasted.cancelled_not_rebooked, 0);
    EXPECT_EQ(u.wasted.late_cancelled, 0);
    EXPECT_EQ(u.wasted.no_show, 0);
    EXPECT_EQ(u.wasted.companions_absent, 1);
    EXPECT_EQ(u.refusals, (std::map<std::string, std::int64_t>{{"session_full", 1}, {"structure_share_exceeded", 1}}));
    EXPECT_EQ(u.waitlist_served, 1);
    EXPECT_EQ(u.waitlist_expired, 1);
    EXPECT_EQ(u.reminders_sent, 4);
    EXPECT_EQ(u.unique_beneficiaries, 4);
    EXPECT_EQ(u.first_timers, 4);
    EXPECT_DOUBLE_EQ(u.first_timer_share, 1.0);
    EXPECT_NEAR(u.gini_outings_per_beneficiary, 1.0 / 3.0, 1e-12);
    EXPECT_DOUBLE_EQ(u.structures_served_share, 1.0);
    EXPECT_NEAR(u.median_days_booking_to_outing, ((5.0 - 1.0 / 24) + 9.0) / 2, 1e-9);
    ASSERT_EQ(u.usage_ratio_by_departement.size(), 1u);
    EXPECT_DOUBLE_EQ(u.usage_ratio_by_departement.at("01"), 7.0 / 9.0);
    EXPECT_DOUBLE_EQ(u.usage_ratio_by_departement_cv, 0.0);

    const PolicyFigures f = run_policy(w, params, policy_named(policies, "fcfs"));
    EXPECT_EQ(f.places_donated, 9);
    EXPECT_EQ(f.people_attended, 3);
    EXPECT_EQ(f.wasted.no_show, 4);
    EXPECT_EQ(f.wasted.companions_absent, 1);
    EXPECT_EQ(f.wasted.never_booked, 1);
    EXPECT_EQ(f.wasted.total(), 6);
    EXPECT_EQ(f.refusals, (std::map<std::string, std::int64_t>{{"session_full", 2}}));
    EXPECT_EQ(f.waitlist_served, 0);
    EXPECT_EQ(f.reminders_sent, 0);
    EXPECT_EQ(f.unique_beneficiaries, 4);
    EXPECT_NEAR(f.gini_outings_per_beneficiary, 2.0 / 3.0, 1e-12);

    // Without reminders only B changes: b4 does not come (no_show 2) and b5 waits in vain.
    const PolicyFigures r = run_policy(w, params, policy_named(policies, "uneplace_without_reminders"));
    EXPECT_EQ(r.people_attended, 5);
    EXPECT_EQ(r.wasted.no_show, 2);
    EXPECT_EQ(r.waitlist_served, 0);
}

//-----------------------------------------------------------------------------
// [SECTION] Figures follow from the events
//-----------------------------------------------------------------------------

TEST(Simulation, FiguresAreRecountedFromTheEventLog) {
    Params params;
    const World w = generate_world(params, 3, 0.01);
    ASSERT_GT(w.requests.size(), 1000u);
    for (const Policy& policy : standard_policies()) {
        SCOPED_TRACE(policy.name);
        std::vector<Event> log;
        const PolicyFigures f = run_policy(w, params, policy, &log);
        std::int64_t donated = 0;
        for (const auto& s : w.sessions) donated += s.capacity;
        std::int64_t attended = 0, no_show = 0, absent = 0, late = 0, booked = 0, served = 0, expired = 0;
        std::map<std::string, std::int64_t> refusals;
        std::vector<std::int64_t> free_after(w.sessions.size(), 0), freed(w.sessions.size(), 0),
            held(w.sessions.size(), 0);
        UnixSeconds last = INT64_MIN;
        for (const Event& e : log) {
            ASSERT_GE(e.at, last) << "events out of time order";
            last = e.at;
            switch (e.kind) {
                case EventKind::Booked:
                    ++booked;
                    served += e.from_waitlist;
                    held[e.session] += e.places;
                    break;
                case EventKind::Cancelled:
                    held[e.session] -= e.places;
                    freed[e.session] += e.places;
                    break;
                case EventKind::LateCancelled:
                    held[e.session] -= e.places;
                    late += e.places;
                    break;
                case EventKind::Attended:
                    attended += e.attended;
                    absent += e.places - e.attended;
                    break;
                case EventKind::NoShow: no_show += e.places; break;
                case EventKind::Refused: ++refusals[e.code]; break;
                case EventKind::Expired: ++expired; break;
                default: break;
            }
            ASSERT_LE(held[e.session], w.sessions[e.session].capacity) << "R3 broken";
            ASSERT_GE(held[e.session], 0);
        }
        EXPECT_EQ(f.places_donated, donated);
        EXPECT_EQ(f.people_attended, attended);
        EXPECT_EQ(f.wasted.no_show, no_show);
        EXPECT_EQ(f.wasted.companions_absent, absent);
        EXPECT_EQ(f.wasted.late_cancelled, late);
        EXPECT_EQ(f.wasted.total(), donated - attended);
        EXPECT_EQ(f.refusals, refusals);
        EXPECT_EQ(f.waitlist_served, served);
        EXPECT_EQ(f.waitlist_expired, expired);
        EXPECT_DOUBLE_EQ(f.usage_ratio, static_cast<double>(attended) / static_cast<double>(donated));
        // Places never held at the outing: never booked, or freed and not taken again, or given back late.
        std::int64_t unheld = 0;
        for (std::size_t s = 0; s < w.sessions.size(); ++s) unheld += w.sessions[s].capacity - held[s];
        EXPECT_EQ(f.wasted.never_booked + f.wasted.cancelled_not_rebooked + f.wasted.late_cancelled, unheld);
        EXPECT_GT(attended, 0);
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Determinism
//-----------------------------------------------------------------------------

// An empty year (a territory with no session) gives zeros, not a crash.
TEST(Simulation, AnEmptyWorldGivesZeros) {
    World w;
    const PolicyFigures f = run_policy(w, Params{}, standard_policies().at(1));
    EXPECT_EQ(f.places_donated, 0);
    EXPECT_EQ(f.usage_ratio, 0.0);
    EXPECT_EQ(f.largest_structures_share, 0.0);
    EXPECT_EQ(f.median_days_booking_to_outing, 0.0);
}

TEST(Simulation, SameSeedSameReportOtherSeedOtherReport) {
    const Params params;
    const auto policies = standard_policies();
    const std::vector<Policy> two = {policies[0], policies[1]};
    const std::string a = to_json(simulate(params, 11, 0.005, two)).dump();
    const std::string b = to_json(simulate(params, 11, 0.005, two)).dump();
    const std::string c = to_json(simulate(params, 12, 0.005, two)).dump();
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

//-----------------------------------------------------------------------------
// [SECTION] The shared rules decide
//-----------------------------------------------------------------------------

// Each rule is switched off through what the shared functions are given; its own refusal code then
// disappears while the rest of the rules keep refusing.
TEST(Simulation, SwitchingARuleOffRemovesExactlyItsRefusals) {
    const Params params;
    const World w = generate_world(params, 5, 0.02);
    const auto policies = standard_policies();
    auto refusals = [&](const char* name) { return run_policy(w, params, policy_named(policies, name)).refusals; };
    auto count = [](const std::map<std::string, std::int64_t>& m, const char* code) {
        auto it = m.find(code);
        return it == m.end() ? std::int64_t{0} : it->second;
    };
    const auto all = refusals("uneplace");
    EXPECT_GT(count(all, "structure_share_exceeded"), 0);  // R4 through decide_booking()
    EXPECT_GT(count(all, "beneficiary_paused"), 0);        // R8 through paused_until()
    EXPECT_GT(count(all, "session_full"), 0);              // R3
    EXPECT_GT(count(all, "booking_closed"), 0);            // R2: wishes that came after closes_at
    EXPECT_GT(count(all, "too_many_upcoming"), 0);         // R7

    const auto no_r4 = refusals("uneplace_without_r4");
    EXPECT_EQ(count(no_r4, "structure_share_exceeded"), 0);
    EXPECT_GT(count(no_r4, "beneficiary_paused"), 0);
    const auto no_r8 = refusals("uneplace_without_r8");
    EXPECT_EQ(count(no_r8, "beneficiary_paused"), 0);
    EXPECT_GT(count(no_r8, "structure_share_exceeded"), 0);
    // The R4 share is the shared module's: a larger share refuses less.
    Params wider = params;
    wider.share_percent = 50;
    EXPECT_LT(count(run_policy(w, wider, policy_named(policies, "uneplace")).refusals, "structure_share_exceeded"),
              count(all, "structure_share_exceeded"));
    // Ballots through draw_ballot(): without a waitlist their losers are lost, and only then.
    EXPECT_GT(count(refusals("uneplace_without_waitlist"), "ballot_lost"), 0);
    EXPECT_EQ(count(all, "ballot_lost"), 0);
}

// The default parameters are calibrated so that first come, first served uses about 40 % of the
// donated places (the programme's history), and the rules do better than it.
TEST(Simulation, CalibrationFcfsNearFortyPercentAndRulesDoBetter) {
    const Params params;
    const auto policies = standard_policies();
    const std::vector<Policy> two = {policies[0], policies[1]};
    const Report r = simulate(params, 1, 0.02, two);
    const double fcfs = r.policies[0].second.usage_ratio, rules = r.policies[1].second.usage_ratio;
    EXPECT_GT(fcfs, 0.35);
    EXPECT_LT(fcfs, 0.45);
    EXPECT_GT(rules, fcfs);
    // Fewer outings for those who already go most, more for those who go least (W2/B2), and the
    // largest structures hold a smaller share of the places (R4).
    EXPECT_LT(r.policies[1].second.gini_outings_per_beneficiary, r.policies[0].second.gini_outings_per_beneficiary);
    EXPECT_GT(r.policies[1].second.first_timer_share, r.policies[0].second.first_timer_share);
    EXPECT_LT(r.policies[1].second.largest_structures_share, r.policies[0].second.largest_structures_share);
}

//-----------------------------------------------------------------------------
// [SECTION] The command line
// [SECTION] The settings' what-if (GET /api/v1/settings/{territory}/what-if)
//-----------------------------------------------------------------------------

TEST(SimulationCli, RunsAtOnePercentAndWritesTheJsonShape) {
    TempDir dir;
    const std::string json_path = (dir.path() / "out.json").string(), md_path = (dir.path() / "out.md").string();
    const Ran ran = run_binary({"simulate", "--seed", "1", "--scale", "0.01", "--json", json_path, "--markdown",
                                md_path, "--param", "reminder_response=0.6", "--param", "share_percent=30"},
                               dir);
    ASSERT_EQ(ran.exit_code, 0) << ran.err;
    std::ifstream f(json_path);
    const auto j = nlohmann::json::parse(f, nullptr, false);
    ASSERT_TRUE(j.is_object());
    EXPECT_EQ(j["seed"], 1);
    EXPECT_EQ(j["scale"], 0.01);
    EXPECT_EQ(j["params"]["reminder_response"], 0.6);
    EXPECT_EQ(j["params"]["share_percent"], 30);
    EXPECT_EQ(j["params"].size(), param_specs().size());
    const std::vector<std::string> names = {"fcfs",
                                            "uneplace",
                                            "uneplace_without_r4",
                                            "uneplace_without_priority",
                                            "uneplace_without_waitlist",
                                            "uneplace_without_ballots",
                                            "uneplace_without_r8",
                                            "uneplace_without_reminders"};
    ASSERT_EQ(j["policies"].size(), names.size());
    for (const auto& name : names) {
        SCOPED_TRACE(name);
        const auto& p = j["policies"][name];
        ASSERT_TRUE(p.is_object());
        for (const char* key :
             {"usage_ratio", "first_timer_share", "gini_outings_per_beneficiary", "structures_served_share",
              "usage_ratio_by_departement_cv", "median_days_booking_to_outing"}) {
            ASSERT_TRUE(p[key].is_number()) << key;
            EXPECT_GE(p[key].get<double>(), 0.0) << key;
        }
        for (const char* key :
             {"usage_ratio", "first_timer_share", "gini_outings_per_beneficiary", "structures_served_share"})
            EXPECT_LE(p[key].get<double>(), 1.0) << key;
        const auto& wasted = p["places_wasted"];
        std::int64_t sum = 0;
        for (const char* cause :
             {"never_booked", "cancelled_not_rebooked", "late_cancelled", "no_show", "companions_absent"}) {
            ASSERT_TRUE(wasted[cause].is_number_integer()) << cause;
            sum += wasted[cause].get<std::int64_t>();
        }
        EXPECT_EQ(sum, wasted["total"].get<std::int64_t>());
        EXPECT_EQ(sum, p["places_donated"].get<std::int64_t>() - p["people_attended"].get<std::int64_t>());
        ASSERT_TRUE(p["usage_ratio_by_departement"].is_object());
        EXPECT_TRUE(p["usage_ratio_by_departement"].contains("75"));
        EXPECT_TRUE(p["usage_ratio_by_departement"].contains("974"));
    }
    // About 1 % of 700,000 places.
    EXPECT_NEAR(j["policies"]["fcfs"]["places_donated"].get<double>(), 7000, 200);
    std::ifstream m(md_path);
    const std::string md(std::istreambuf_iterator<char>(m), {});
    EXPECT_NE(md.find("| premier arrivé, premier servi |"), std::string::npos) << md;
    EXPECT_NE(md.find("taux d’usage"), std::string::npos);
    EXPECT_NE(ran.out.find("Durée"), std::string::npos);
}

// The command of the issue, as written, twice: the same file byte for byte; another seed, another file.
TEST(SimulationCli, SameCommandSameFileOtherSeedOtherFile) {
    TempDir dir;
    auto run = [&](const char* seed, const char* name) {
        const std::string path = (dir.path() / name).string();
        const Ran ran = run_binary({"simulate", "--seed", seed, "--scale", "0.01", "--json", path}, dir);
        EXPECT_EQ(ran.exit_code, 0) << ran.err;
        std::ifstream f(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(f), {});
    };
    const std::string a = run("1", "a.json"), b = run("1", "b.json"), c = run("2", "c.json");
    ASSERT_GT(a.size(), 1000u);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
}

TEST(SimulationCli, BadParametersGetAFrenchMessageAndANonZeroExit) {
    TempDir dir;
    const std::string json_path = (dir.path() / "out.json").string();
    struct Case {
        std::vector<std::string> extra;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"--param", "demand_per_plaice=1"}, "paramètre inconnu « demand_per_plaice »"},
        {{"--param", "demand_per_place=beaucoup"}, "valeur invalide pour demand_per_place"},
        {{"--param", "demand_per_place"}, "--param attend nom=valeur"},
        {{"--param", "reminder_response=1.5"}, "reminder_response doit être compris entre 0 et 1"},
        {{"--param", "share_percent=12.5"}, "share_percent attend un nombre entier"},
        {{"--param", "lead_days_min=90"}, "lead_days_min (90) ne peut dépasser lead_days_max"},
        {{"--param", "demand_per_place=nan"}, "valeur invalide pour demand_per_place"},
        {{"--scale=0"}, "--scale attend un nombre entre 0.0001 et 2"},
        {{"--scale=1,5"}, "--scale attend un nombre"},
        {{"--seed=-3"}, "--seed attend un entier positif"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.says);
        std::vector<std::string> args = {"simulate", "--json", json_path};
        if (c.extra[0].rfind("--scale", 0) != 0) args.insert(args.end(), {"--scale", "0.001"});
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        const Ran ran = run_binary(args, dir);
        EXPECT_EQ(ran.exit_code, 2) << ran.err;
        EXPECT_NE(ran.err.find(c.says), std::string::npos) << ran.err;
        EXPECT_FALSE(std::filesystem::exists(json_path));
    }
}

//-----------------------------------------------------------------------------
// [SECTION] The settings' what-if
//-----------------------------------------------------------------------------

// Lozère (48), which the demo data leaves empty, so the year replayed is the test's own:
// one session of 4 places (2 a booking). The demo worker's structure books 2 places for b1, asks 2
// more for b2 (R4: max(2, ceil(4 × 25 %)) = 2 places a structure before release_at: refused, b2
// waits), another structure books 2 for b3; the session is full, b2 expires at closes_at. At the
// outing b1 comes alone (1 of 2 places), b3 does not come. Replayed under the current settings the
// route must find what happened: 1 person of 4 places, one companion absent, 2 places of no-show;
// with share 100 %, b2 is booked and b3, coming later, is refused session_full and waits in vain.
TEST(SettingsWhatIf, ReplaysTheTerritorysYearUnderOtherSettings) {
    ServerProcess s;
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    Api other = logged_in(kOtherWorker, s);
    Api admin = logged_in(kAdmin, s);
    const std::int64_t venue = lozere_venue(partner);
    const auto offer = published_offer(partner, admin, {{"venue_id", venue}, {"category", "concert"}});
    const json session = new_session(partner, offer, {{"capacity", 4}, {"max_per_booking", 2}});
    const auto sid = session["session_id"];
    Reply b1 = book(worker, sid, new_beneficiary(worker), 2);
    ASSERT_EQ(b1.status, 201) << b1.body;
    Reply waiting = book(worker, sid, new_beneficiary(worker), 2, true);
    ASSERT_EQ(waiting["status"], "waitlisted") << waiting.body;
    Reply b3 = book(other, sid, new_beneficiary(other, {{"postal_code", "75020"}}), 2);
    ASSERT_EQ(b3.status, 201) << b3.body;
    // Nothing of the last 12 months yet: the session is still to come.
    Reply before = admin.get("/api/v1/settings/48/what-if");
    ASSERT_EQ(before.status, 200) << before.body;
    EXPECT_EQ(before["sessions"], 0);
    advance_to(s, instant(session["start"]) + 2 * kDay);
    run_scheduler(s);
    // The partner records the outing: b1 came with one of the two places, b3 did not come.
    const std::string checkin = "/api/v1/sessions/" + std::to_string(sid.get<std::int64_t>()) + "/checkin";
    ASSERT_EQ(partner.post(checkin, {{"code", b1["code"]}, {"attended_count", 1}}).status, 200);
    ASSERT_EQ(partner.post(checkin, {{"code", b3["code"]}, {"no_show", true}}).status, 200);

    Reply same = admin.get("/api/v1/settings/48/what-if");
    ASSERT_EQ(same.status, 200) << same.body;
    const json cur = same.json_body()["current"]["figures"];
    EXPECT_EQ(same["sessions"], 1);
    EXPECT_EQ(same["requests"], 3);
    EXPECT_EQ(same["current"]["settings"]["share_percent"], 25);
    EXPECT_EQ(same["current"]["settings"]["reminder_hours"], 72);
    EXPECT_EQ(cur["places_donated"], 4);
    EXPECT_EQ(cur["people_attended"], 1);
    EXPECT_EQ(cur["usage_ratio"], 0.25);
    EXPECT_EQ(cur["places_wasted"]["companions_absent"], 1);
    EXPECT_EQ(cur["places_wasted"]["no_show"], 2);
    EXPECT_EQ(cur["places_wasted"]["never_booked"], 0);
    EXPECT_EQ(cur["refusals"], (json{{"structure_share_exceeded", 1}}));
    EXPECT_EQ(cur["waitlist_expired"], 1);
    EXPECT_EQ(same["proposed"]["figures"], cur);  // nothing changed: the same replay
    EXPECT_EQ(same["difference"]["usage_ratio"], 0.0);
    EXPECT_EQ(same["summary_fr"],
              "Sur les 12 derniers mois (1 séance, 3 demandes), ces réglages auraient donné un taux "
              "d’usage de 25,0\u00A0% au lieu de 25,0\u00A0% (autant de personnes venues).");

    Reply wider = admin.get("/api/v1/settings/48/what-if?share_percent=100&reminder_hours=48");
    ASSERT_EQ(wider.status, 200) << wider.body;
    const json pro = wider.json_body()["proposed"]["figures"];
    EXPECT_EQ(wider["proposed"]["settings"]["share_percent"], 100);
    EXPECT_EQ(wider["proposed"]["settings"]["reminder_hours"], 48);
    EXPECT_EQ(wider["current"]["figures"], cur);
    EXPECT_EQ(pro["refusals"], (json{{"session_full", 1}}));
    EXPECT_EQ(pro["waitlist_expired"], 1);
    EXPECT_EQ(pro["bookings"], 2);
    EXPECT_EQ(pro["places_donated"], 4);
    // Nothing was saved.
    EXPECT_EQ(admin.get("/api/v1/settings/48")["share_percent"], 25);

    // Refusals: a setting out of range, a reminder after closing, not a number, a territory that does
    // not exist, a social worker.
    Reply zero = admin.get("/api/v1/settings/48/what-if?share_percent=0");
    EXPECT_EQ(zero.status, 422);
    EXPECT_EQ(zero.json_body()["error"]["field"], "share_percent");
    Reply late = admin.get("/api/v1/settings/48/what-if?reminder_hours=12");
    EXPECT_EQ(late.status, 422);
    EXPECT_EQ(late.json_body()["error"]["field"], "reminder_hours");
    EXPECT_FALSE(late.json_body()["error"]["message"].get<std::string>().empty());
    EXPECT_EQ(admin.get("/api/v1/settings/48/what-if?share_percent=beaucoup").status, 422);
    EXPECT_EQ(admin.get("/api/v1/settings/99/what-if").status, 404);
    EXPECT_EQ(worker.get("/api/v1/settings/48/what-if").status, 403);
    // Published in the OpenAPI document.
    EXPECT_TRUE(
        admin.get("/api/v1/openapi.json").json_body()["paths"].contains("/api/v1/settings/{territory}/what-if"));
}

// Every setting of kTerritorySettingFields is read by its name (out of range: refused, naming it);
// a parameter that is no setting is refused rather than silently ignored.
TEST(SettingsWhatIf, ReadsEverySettingByItsNameAndRefusesOthers) {
    Api admin = logged_in(kAdmin);
    for (const auto& f : kTerritorySettingFields) {
        SCOPED_TRACE(f.name);
        Reply r = admin.get(std::string("/api/v1/settings/75/what-if?") + f.name + "=-1");
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(r.json_body()["error"]["field"], f.name);
    }
    const json current = admin.get("/api/v1/settings/75").json_body();
    Reply wider = admin.get("/api/v1/settings/75/what-if?default_max_per_booking=3&erase_after_months=36");
    ASSERT_EQ(wider.status, 200) << wider.body;
    EXPECT_EQ(wider["proposed"]["settings"]["default_max_per_booking"], 3);
    EXPECT_EQ(wider["proposed"]["settings"]["erase_after_months"], 36);
    EXPECT_EQ(wider["current"]["settings"]["erase_after_months"], current["erase_after_months"]);
    Reply typo = admin.get("/api/v1/settings/75/what-if?share_pourcent=30");
    EXPECT_EQ(typo.status, 422) << typo.body;
    EXPECT_EQ(typo.error_code(), "unknown_field");
    EXPECT_EQ(typo.json_body()["error"]["field"], "share_pourcent");
    EXPECT_EQ(admin.get("/api/v1/settings/75").json_body(), current) << "nothing saved";
}

}  // namespace
}  // namespace uneplace::test
