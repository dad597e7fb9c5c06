// Property tests: random sequences of book / cancel / capacity change / waitlist serving / ballot draw,
// driven by a seeded in-test PRNG, on an in-memory model that uses only the shared module's rules —
// the way the server does. After every step: capacity never exceeded, the share cap never broken
// before release, never two overlapping (or duplicate) active bookings for one beneficiary, never more
// upcoming bookings than allowed. A fingerprint of the final states is golden: native and WebAssembly
// must produce the same one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "uneplace/allocation.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

using namespace uneplace;

namespace {

// splitmix64 as a stream: deterministic everywhere, no <random> distribution differences.
struct Rng {
    std::uint64_t state;
    std::uint64_t next() { return splitmix64(state += 0x9E3779B97F4A7C15ull); }
    int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
};

struct MBooking {
    Id id, session, structure, beneficiary;
    int places;
    BookingStatus status;
};
struct MRequest {
    Id id, session, structure, beneficiary;
    int places;
    UnixSeconds entered;
    std::int64_t rank;
    bool ballot;
    bool open;
};
struct MSession {
    SessionInfo info;
    bool drawn = false;
};

struct Counters {
    int confirmed = 0, ballot_entered = 0, waitlisted = 0, served = 0, won = 0, cancelled = 0, late_cancelled = 0,
        capacity_changes = 0, capacity_refused = 0, refused_scarcity = 0, refused_other = 0, expired = 0;
};

constexpr int kBeneficiaries = 12;
constexpr int kStructures = 3;

struct Model {
    std::vector<MSession> sessions;
    std::vector<MBooking> bookings;
    std::vector<MRequest> requests;
    UnixSeconds now = 0;
    TerritorySettings settings;
    Id next_id = 1;
    Counters count;

    static Id structure_of(Id beneficiary) { return 1 + (beneficiary - 1) % kStructures; }
    static int history_of(Id beneficiary) { return static_cast<int>(beneficiary % 3); }  // attended outings
    MSession& session(Id id) { return sessions[static_cast<std::size_t>(id - 1)]; }

    int held(Id session_id, Id structure = 0) const {
        int n = 0;
        for (const auto& b : bookings)
            if (b.session == session_id && holds_places(b.status) && (structure == 0 || b.structure == structure))
                n += b.places;
        return n;
    }
    std::vector<StructurePlaces> held_list(Id session_id) const {
        std::vector<StructurePlaces> out;
        for (Id st = 1; st <= kStructures; ++st)
            if (int n = held(session_id, st)) out.push_back({st, n});
        return out;
    }

    BookingSnapshot snapshot(Id beneficiary, Id session_id, int places, Id exclude_request = 0) {
        BookingSnapshot s;
        s.now = now;
        s.actor = {1, Role::SocialWorker, AccountStatus::Active, AccountStatus::Active, structure_of(beneficiary)};
        s.session = session(session_id).info;
        s.beneficiary.id = beneficiary;
        s.beneficiary.structure_id = structure_of(beneficiary);
        s.beneficiary.birth_year = 1980;
        for (const auto& b : bookings)
            if (b.beneficiary == beneficiary && is_active(b.status)) {
                const SessionInfo& i = session(b.session).info;
                s.beneficiary_bookings.push_back({b.id, b.session, i.start, i.end(), b.status});
            }
        for (const auto& r : requests)
            if (r.open && r.beneficiary == beneficiary && r.id != exclude_request)
                s.beneficiary_requests.push_back(r.session);
        s.places_held = held(session_id);
        s.structure_places_held = held(session_id, structure_of(beneficiary));
        s.settings = settings;
        s.places = places;
        return s;
    }

    // Records a confirmed booking and checks, at this very moment, what allocation must never break.
    void allocate(Id session_id, Id beneficiary, int places, bool share_cap_in_force) {
        const SessionInfo& info = session(session_id).info;
        const Id structure = structure_of(beneficiary);
        bookings.push_back({next_id++, session_id, structure, beneficiary, places, BookingStatus::Confirmed});
        EXPECT_LE(held(session_id), info.capacity) << "capacity exceeded in session " << session_id;
        if (share_cap_in_force) {
            EXPECT_LE(held(session_id, structure), structure_share_cap(info.capacity, info.max_per_booking, settings))
                << "share cap broken before release in session " << session_id;
        }
        int upcoming = 0;
        for (const auto& b : bookings)
            if (b.beneficiary == beneficiary && is_active(b.status) && session(b.session).info.start > now) ++upcoming;
        EXPECT_LE(upcoming, settings.max_upcoming_bookings);
    }

    void serve(Id session_id) {
        std::vector<WaitlistEntry> entries;
        for (const auto& r : requests) {
            if (!r.open || r.ballot || r.session != session_id) continue;
            WaitlistEntry e;
            e.id = r.id;
            e.structure_id = r.structure;
            e.beneficiary_id = r.beneficiary;
            e.places = r.places;
            e.attended_last_365 = history_of(r.beneficiary);
            e.entered_at = r.entered;
            e.rank = r.rank;
            e.eligible = !check_request_without_scarcity(snapshot(r.beneficiary, session_id, r.places, r.id));
            entries.push_back(e);
        }
        if (entries.empty()) return;
        const auto held_now = held_list(session_id);
        const auto result = serve_waitlist(session(session_id).info, entries, held_now, settings, now);
        const bool capped = share_cap_applies(session(session_id).info, settings, now);
        for (Id id : result.served) {
            MRequest& r = find_request(id);
            r.open = false;
            allocate(session_id, r.beneficiary, r.places, capped);
            ++count.served;
        }
        for (Id id : result.expired) {
            find_request(id).open = false;
            ++count.expired;
        }
    }

    void draw(Id session_id) {
        MSession& m = session(session_id);
        m.drawn = true;
        std::vector<BallotRequest> list;
        for (const auto& r : requests) {
            if (!r.open || !r.ballot || r.session != session_id) continue;
            const bool eligible = !check_request_without_scarcity(snapshot(r.beneficiary, session_id, r.places, r.id));
            list.push_back({r.id, r.structure, r.beneficiary, r.places, history_of(r.beneficiary), eligible});
        }
        const auto result = draw_ballot(m.info, list, 0xC0FFEEull ^ static_cast<std::uint64_t>(session_id),
                                        held_list(session_id), settings);
        const bool capped = m.info.draw_at < release_at(m.info, settings);
        for (Id id : result.winners) {
            MRequest& r = find_request(id);
            r.open = false;
            allocate(session_id, r.beneficiary, r.places, capped);
            ++count.won;
        }
        std::int64_t rank = 0;
        for (Id id : result.waitlisted) {  // losers join the waitlist in draw order
            MRequest& r = find_request(id);
            r.ballot = false;
            r.entered = m.info.draw_at;
            r.rank = rank++;
        }
        for (const auto& line : result.lines)
            if (line.outcome == BallotOutcome::Ineligible) find_request(line.request_id).open = false;
    }

    MRequest& find_request(Id id) {
        for (auto& r : requests)
            if (r.id == id) return r;
        ADD_FAILURE() << "unknown request " << id;
        return requests.front();
    }

    void check_beneficiaries() const {
        for (std::size_t i = 0; i < bookings.size(); ++i) {
            const auto& a = bookings[i];
            if (!is_active(a.status)) continue;
            for (std::size_t j = i + 1; j < bookings.size(); ++j) {
                const auto& b = bookings[j];
                if (!is_active(b.status) || b.beneficiary != a.beneficiary) continue;
                EXPECT_NE(a.session, b.session) << "two active bookings of one beneficiary in one session";
                const SessionInfo& sa = sessions[static_cast<std::size_t>(a.session - 1)].info;
                const SessionInfo& sb = sessions[static_cast<std::size_t>(b.session - 1)].info;
                EXPECT_FALSE(overlaps(sa.start, sa.end(), sb.start, sb.end()))
                    << "beneficiary " << a.beneficiary << " in overlapping sessions " << a.session << " and "
                    << b.session;
            }
        }
        for (const auto& m : sessions) EXPECT_LE(held(m.info.id), m.info.capacity);
    }
};

Model make_model(Rng& rng) {
    Model m;
    const UnixSeconds base = 1'796'000'000;  // early December 2026
    m.now = base;
    for (Id id = 1; id <= 6; ++id) {
        SessionInfo s;
        s.id = id;
        s.territory = "75";
        s.start = base + rng.between(3, 8) * kDay + rng.between(0, 6) * kHour;
        s.duration_min = rng.between(60, 240);
        s.capacity = rng.between(1, 12);
        s.max_per_booking = rng.between(1, 4);
        s.opens_at = base;
        s.closes_at = s.start - 24 * kHour;
        if (rng.between(0, 2) == 0) {
            s.allocation = AllocationMode::Ballot;
            s.draw_at = s.closes_at - (rng.between(0, 1) ? 72 : 24) * kHour;  // before or after release_at
        }
        m.sessions.push_back({s});
    }
    return m;
}

std::uint64_t run(std::uint64_t seed, int steps, Counters& total) {
    Rng rng{seed};
    Model m = make_model(rng);
    for (int step = 0; step < steps; ++step) {
        const int op = rng.between(0, 9);
        if (op <= 4) {  // book
            const Id beneficiary = rng.between(1, kBeneficiaries);
            const Id session_id = rng.between(1, 6);
            const int places = rng.between(1, 4);
            const auto d = decide_booking(m.snapshot(beneficiary, session_id, places));
            if (d.outcome == BookingOutcome::Confirm) {
                EXPECT_GE(d.places_left, places);
                m.allocate(session_id, beneficiary, places,
                           share_cap_applies(m.session(session_id).info, m.settings, m.now));
                ++m.count.confirmed;
            } else if (d.outcome == BookingOutcome::EnterBallot) {
                m.requests.push_back({m.next_id++, session_id, Model::structure_of(beneficiary), beneficiary, places,
                                      m.now, 0, true, true});
                ++m.count.ballot_entered;
            } else if (d.may_join_waitlist) {
                ++m.count.refused_scarcity;
                EXPECT_TRUE(d.rule == Rule::R3 || d.rule == Rule::R4);
                if (rng.between(0, 1)) {
                    m.requests.push_back({m.next_id++, session_id, Model::structure_of(beneficiary), beneficiary,
                                          places, m.now, 0, false, true});
                    ++m.count.waitlisted;
                }
            } else {
                ++m.count.refused_other;
            }
        } else if (op == 5) {  // cancel a random active booking
            std::vector<std::size_t> active;
            for (std::size_t i = 0; i < m.bookings.size(); ++i)
                if (m.bookings[i].status == BookingStatus::Confirmed) active.push_back(i);
            if (!active.empty()) {
                MBooking& b =
                    m.bookings[active[static_cast<std::size_t>(rng.between(0, static_cast<int>(active.size()) - 1))]];
                const auto d = decide_cancellation(b.status, m.session(b.session).info, m.now);
                if (d.ok()) {
                    b.status = d.new_status;
                    ++(d.kind == CancellationKind::Free ? m.count.cancelled : m.count.late_cancelled);
                    m.serve(b.session);
                }
            }
        } else if (op == 6) {  // partner changes the capacity
            const Id session_id = rng.between(1, 6);
            const int capacity = rng.between(1, 15);
            if (check_capacity_change(capacity, m.held(session_id))) {
                EXPECT_LT(capacity, m.held(session_id));
                ++m.count.capacity_refused;
            } else {
                m.session(session_id).info.capacity = capacity;
                ++m.count.capacity_changes;
                m.serve(session_id);
            }
        } else {  // time passes: draws fall due, the share cap lifts, waitlists are served or expire
            m.now += rng.between(0, 5) * kHour + rng.between(0, 59) * kMinute;
            for (auto& s : m.sessions) {
                if (s.info.allocation == AllocationMode::Ballot && !s.drawn && m.now >= s.info.draw_at) {
                    if (m.now < s.info.closes_at) m.draw(s.info.id);
                    else s.drawn = true;  // too late to draw: requests expire like waitlist entries
                    for (auto& r : m.requests)
                        if (r.session == s.info.id && r.ballot && r.open && m.now >= s.info.closes_at) r.open = false;
                }
                m.serve(s.info.id);
            }
        }
        m.check_beneficiaries();
        if (::testing::Test::HasFailure()) break;
    }
    // Fingerprint: FNV-1a over the final bookings, in creation order.
    std::uint64_t h = 0xCBF29CE484222325ull;
    auto mix = [&h](std::uint64_t v) {
        for (int i = 0; i < 8; ++i) {
            h ^= (v >> (8 * i)) & 0xFF;
            h *= 0x100000001B3ull;
        }
    };
    for (const auto& b : m.bookings) {
        mix(static_cast<std::uint64_t>(b.id));
        mix(static_cast<std::uint64_t>(b.session));
        mix(static_cast<std::uint64_t>(b.beneficiary));
        mix(static_cast<std::uint64_t>(b.places));
        mix(static_cast<std::uint64_t>(b.status));
    }
    const Counters& c = m.count;
    total.confirmed += c.confirmed;
    total.ballot_entered += c.ballot_entered;
    total.waitlisted += c.waitlisted;
    total.served += c.served;
    total.won += c.won;
    total.cancelled += c.cancelled;
    total.late_cancelled += c.late_cancelled;
    total.capacity_changes += c.capacity_changes;
    total.capacity_refused += c.capacity_refused;
    total.refused_scarcity += c.refused_scarcity;
    total.refused_other += c.refused_other;
    total.expired += c.expired;
    return h;
}

}  // namespace

TEST(Properties, RandomSequencesKeepEveryInvariant) {
    Counters total;
    std::uint64_t fingerprint = 0;
    for (std::uint64_t seed = 1; seed <= 150; ++seed) {
        fingerprint = splitmix64(fingerprint ^ run(seed, 400, total));
        ASSERT_FALSE(HasFailure()) << "seed " << seed;
    }
    // Every kind of event really happened (otherwise the properties would hold vacuously).
    EXPECT_GT(total.confirmed, 100);
    EXPECT_GT(total.ballot_entered, 20);
    EXPECT_GT(total.waitlisted, 20);
    EXPECT_GT(total.served, 10);
    EXPECT_GT(total.won, 10);
    EXPECT_GT(total.cancelled, 10);
    EXPECT_GT(total.late_cancelled, 5);
    EXPECT_GT(total.capacity_changes, 10);
    EXPECT_GT(total.capacity_refused, 10);
    EXPECT_GT(total.refused_scarcity, 20);
    EXPECT_GT(total.refused_other, 20);
    EXPECT_GT(total.expired, 10);
    // Golden: the same 150 runs give the same bookings natively and in WebAssembly.
    EXPECT_EQ(fingerprint, 0x6F0F26F22DCDA319ull)
        << std::hex << "fingerprint 0x" << fingerprint << std::dec << " — confirmed " << total.confirmed << " served "
        << total.served << " won " << total.won;
}
