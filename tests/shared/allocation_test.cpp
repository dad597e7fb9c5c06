// Waitlist W1–W3, ballot B1–B3 and booking codes K1, with golden values that the native and the
// WebAssembly builds must both reproduce.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "uneplace/allocation.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/local_time.hpp"

using namespace uneplace;

namespace {

UnixSeconds utc(std::string_view text) { return parse_utc_instant(text).value; }

SessionInfo session(int capacity) {
    SessionInfo s;
    s.id = 900;
    s.territory = "75";
    s.start = utc("2026-12-05T19:30:00Z");
    s.duration_min = 120;
    s.capacity = capacity;
    s.max_per_booking = 4;
    s.opens_at = utc("2026-11-01T00:00:00Z");
    s.closes_at = s.start - 24 * kHour;
    return s;
}

const UnixSeconds kBefore = utc("2026-11-20T10:00:00Z");  // well before release_at (share cap applies)

WaitlistEntry entry(Id id, Id structure, int places, int attended, UnixSeconds entered) {
    WaitlistEntry e;
    e.id = id;
    e.structure_id = structure;
    e.beneficiary_id = id + 1000;
    e.places = places;
    e.attended_last_365 = attended;
    e.entered_at = entered;
    return e;
}

}  // namespace

// --- Waitlist ---------------------------------------------------------------------------------

TEST(Waitlist, FamilyOfFourIsSkippedNotBlockingARequestForTwo) {
    const SessionInfo s = session(10);
    const StructurePlaces held[] = {{1, 4}, {2, 4}};  // 8 held, 2 free
    const WaitlistEntry entries[] = {
        entry(1, 3, 4, 0, kBefore - 100),  // first in line, but a family of 4
        entry(2, 4, 2, 0, kBefore - 50),
    };
    TerritorySettings settings;
    settings.share_percent = 100;
    const auto r = serve_waitlist(s, entries, held, settings, kBefore);
    EXPECT_EQ(r.served, std::vector<Id>{2});
    EXPECT_TRUE(r.expired.empty());
    EXPECT_EQ(r.places_left_after, 0);
}

TEST(Waitlist, PriorityFewestOutingsThenEarliest) {
    const SessionInfo s = session(20);
    const StructurePlaces held[] = {{9, 16}};
    const WaitlistEntry entries[] = {
        entry(1, 1, 2, 2, kBefore - 300),  // earliest, but 2 outings this year
        entry(2, 2, 2, 0, kBefore - 100),
        entry(3, 3, 2, 0, kBefore - 200),  // same history as 2, earlier
        entry(4, 4, 1, 1, kBefore - 400),
    };
    const auto r = serve_waitlist(s, entries, held, TerritorySettings{}, kBefore);
    EXPECT_EQ(r.served, (std::vector<Id>{3, 2}));
    // One more place: the 1-outing entry comes before the 2-outing one.
    const StructurePlaces held2[] = {{9, 15}};
    EXPECT_EQ(serve_waitlist(s, entries, held2, TerritorySettings{}, kBefore).served, (std::vector<Id>{3, 2, 4}));
}

TEST(Waitlist, StopsAtClosesAt) {
    const SessionInfo s = session(10);
    const WaitlistEntry entries[] = {entry(1, 1, 2, 0, kBefore), entry(2, 2, 4, 3, kBefore),
                                     entry(3, 3, 2, 1, kBefore)};
    TerritorySettings settings;
    settings.share_percent = 100;
    auto r = serve_waitlist(s, entries, {}, settings, s.closes_at - 1);
    EXPECT_EQ(r.served, (std::vector<Id>{1, 3, 2}));
    r = serve_waitlist(s, entries, {}, settings, s.closes_at);
    EXPECT_TRUE(r.served.empty());
    EXPECT_EQ(r.expired, (std::vector<Id>{1, 3, 2}));  // in priority order, for the notifications
    SessionInfo cancelled = s;
    cancelled.status = SessionStatus::Cancelled;
    EXPECT_EQ(serve_waitlist(cancelled, entries, {}, settings, kBefore).expired.size(), 3u);
}

TEST(Waitlist, ShareCapUntilReleaseThenLifted) {
    const SessionInfo s = session(20);  // cap max(4, 5) = 5 per structure
    const StructurePlaces held[] = {{1, 4}, {2, 10}};
    const WaitlistEntry entries[] = {entry(1, 1, 2, 0, kBefore - 10), entry(2, 3, 2, 0, kBefore - 5)};
    const TerritorySettings settings;
    EXPECT_EQ(serve_waitlist(s, entries, held, settings, kBefore).served, std::vector<Id>{2});
    const UnixSeconds release = release_at(s, settings);
    EXPECT_EQ(serve_waitlist(s, entries, held, settings, release - 1).served, std::vector<Id>{2});
    EXPECT_EQ(serve_waitlist(s, entries, held, settings, release).served, (std::vector<Id>{1, 2}));
}

TEST(Waitlist, IneligibleEntriesAreSkipped) {
    const SessionInfo s = session(4);
    WaitlistEntry a = entry(1, 1, 2, 0, kBefore - 10);
    a.eligible = false;  // booked something overlapping meanwhile
    const WaitlistEntry entries[] = {a, entry(2, 2, 2, 0, kBefore)};
    TerritorySettings settings;
    settings.share_percent = 100;
    EXPECT_EQ(serve_waitlist(s, entries, {}, settings, kBefore).served, std::vector<Id>{2});
}

TEST(Waitlist, BallotLosersKeepTheirDrawOrder) {
    WaitlistEntry a = entry(50, 1, 1, 0, kBefore), b = entry(20, 2, 1, 0, kBefore);
    a.rank = 0;
    b.rank = 1;
    EXPECT_TRUE(waitlist_before(a, b));  // rank decides before the id
    b.rank = 0;
    EXPECT_FALSE(waitlist_before(a, b));
}

// --- Ballot ---------------------------------------------------------------------------------

TEST(Ballot, SplitMix64KnownValues) {
    EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFull);  // the reference generator's first output
    EXPECT_EQ(splitmix64(1), 0x910A2DEC89025CC1ull);
    EXPECT_EQ(ballot_key(0x2026120519300000ull, 15), 0x1466A01796C2168Cull);
}

TEST(Ballot, GoldenDrawWithFixedSeed) {
    SessionInfo s = session(8);  // share cap max(2, ceil(8 × 25 %)) = 2 per structure
    s.max_per_booking = 2;
    s.allocation = AllocationMode::Ballot;
    s.draw_at = s.closes_at - 72 * kHour;  // before release_at: the cap applies
    struct R {
        Id id, structure;
        int places, attended;
    };
    const R rows[] = {{11, 1, 2, 0}, {12, 1, 1, 0}, {13, 2, 2, 1}, {14, 2, 4, 0}, {15, 3, 2, 0},
                      {16, 3, 1, 2}, {17, 4, 2, 0}, {18, 4, 1, 0}, {19, 1, 2, 0}, {20, 5, 1, 0}};
    std::vector<BallotRequest> requests;
    for (const auto& r : rows) requests.push_back({r.id, r.structure, r.id + 100, r.places, r.attended});
    const auto result = draw_ballot(s, requests, 0x2026120519300000ull, {}, TerritorySettings{});

    std::vector<Id> order;
    for (const auto& l : result.lines) order.push_back(l.request_id);
    EXPECT_EQ(order, (std::vector<Id>{15, 18, 17, 11, 12, 14, 19, 20, 13, 16}));
    EXPECT_EQ(result.winners, (std::vector<Id>{15, 18, 11, 20, 13}));
    EXPECT_EQ(result.waitlisted, (std::vector<Id>{17, 12, 14, 19, 16}));
    EXPECT_EQ(result.places_left_after, 0);
    EXPECT_EQ(result.lines[0].key, 0x1466A01796C2168Cull);
    EXPECT_EQ(result.lines[2].outcome, BallotOutcome::Waitlisted);  // 17: its structure already has 1 + 2 > 2

    // Re-running with the same data gives the same draw (B3), whatever the input order.
    std::reverse(requests.begin(), requests.end());
    EXPECT_EQ(draw_ballot(s, requests, 0x2026120519300000ull, {}, TerritorySettings{}).winners, result.winners);
}

TEST(Ballot, EverybodyWithTheSameHistoryIsOrderedByKeyAlone) {
    SessionInfo s = session(100);
    s.allocation = AllocationMode::Ballot;
    s.draw_at = s.closes_at - 72 * kHour;
    std::vector<BallotRequest> requests;
    for (Id id = 1; id <= 8; ++id) requests.push_back({id, id, id, 1, 3});
    const auto draw42 = draw_ballot(s, requests, 42, {}, TerritorySettings{});
    const auto draw43 = draw_ballot(s, requests, 43, {}, TerritorySettings{});
    std::vector<Id> o42, o43;
    for (const auto& l : draw42.lines) o42.push_back(l.request_id);
    for (const auto& l : draw43.lines) o43.push_back(l.request_id);
    EXPECT_EQ(o42, (std::vector<Id>{3, 2, 5, 8, 1, 4, 7, 6}));
    EXPECT_EQ(o43, (std::vector<Id>{2, 3, 8, 4, 5, 1, 6, 7}));
    for (std::size_t i = 1; i < draw42.lines.size(); ++i) EXPECT_LT(draw42.lines[i - 1].key, draw42.lines[i].key);
    EXPECT_EQ(draw42.winners.size(), 8u);  // room for all
}

TEST(Ballot, CapLiftedWhenTheDrawIsAfterReleaseAndIneligibleLast) {
    SessionInfo s = session(8);
    s.max_per_booking = 2;
    s.allocation = AllocationMode::Ballot;
    s.draw_at = s.closes_at - kHour;  // after release_at (closes_at − 48 h)
    std::vector<BallotRequest> requests;
    for (Id id = 1; id <= 5; ++id) requests.push_back({id, 1, id, 2, 0});  // all from one structure
    requests[4].eligible = false;
    const auto r = draw_ballot(s, requests, 7, {}, TerritorySettings{});
    EXPECT_EQ(r.winners.size(), 4u);
    EXPECT_TRUE(r.waitlisted.empty());
    EXPECT_EQ(r.lines.back().request_id, 5);
    EXPECT_EQ(r.lines.back().outcome, BallotOutcome::Ineligible);
    // Same requests before release: only the share (2 places) goes to that structure.
    s.draw_at = s.closes_at - 72 * kHour;
    const auto capped = draw_ballot(s, requests, 7, {}, TerritorySettings{});
    EXPECT_EQ(capped.winners.size(), 1u);
    EXPECT_EQ(capped.waitlisted.size(), 3u);
}

TEST(Ballot, DrawnExactlyAtReleaseAtIsUncapped) {
    // Boundary: R4's cap holds until release_at, exclusive (as decide_booking: "at release_at the cap
    // is lifted"). A draw at that very second fills the places without the share; one second earlier
    // the share still applies.
    SessionInfo s = session(8);
    s.max_per_booking = 2;
    s.allocation = AllocationMode::Ballot;
    const UnixSeconds release = s.closes_at - 48 * kHour;
    std::vector<BallotRequest> requests;
    for (Id id = 1; id <= 4; ++id) requests.push_back({id, 1, id, 2, 0});  // all from one structure
    s.draw_at = release;
    const auto at = draw_ballot(s, requests, 11, {}, TerritorySettings{});
    EXPECT_EQ(at.winners.size(), 4u);
    EXPECT_EQ(at.places_left_after, 0);
    s.draw_at = release - 1;
    const auto before = draw_ballot(s, requests, 11, {}, TerritorySettings{});
    EXPECT_EQ(before.winners.size(), 1u) << "share cap: max(2, ceil(8 × 25 %)) = 2 places, one request";
    EXPECT_EQ(before.waitlisted.size(), 3u);
}

// --- Booking codes ----------------------------------------------------------------------------

TEST(Codes, FormatAndCheckSymbol) {
    const std::array<std::uint8_t, 7> zeros{};
    EXPECT_EQ(make_booking_code(zeros), "0000-0000");
    const std::array<std::uint8_t, 7> bytes{1, 2, 3, 4, 5, 6, 7};
    EXPECT_EQ(make_booking_code(bytes), "1234-567W");  // 1·1+2·3+3·5+4·7+5·9+6·11+7·13 = 252 ≡ 28 → W
    const std::array<std::uint8_t, 7> high{0xFF, 0xE0, 0x3F, 0, 0, 0, 0x21};  // only the low 5 bits count
    EXPECT_EQ(make_booking_code(high), "Z0Z0-0017");                          // 31·1 + 31·5 + 1·13 = 199 ≡ 7
    EXPECT_EQ(kCrockfordAlphabet.size(), 32u);
    for (char c : std::string_view("ILOU")) EXPECT_EQ(kCrockfordAlphabet.find(c), std::string_view::npos);
}

TEST(Codes, GoldenCodesFromAFixedRandomSource) {
    std::vector<std::string> codes;
    for (std::uint64_t i = 1; i <= 5; ++i) codes.push_back(make_booking_code(splitmix64(2026 + i)));
    EXPECT_EQ(codes, (std::vector<std::string>{"0D55-1RXD", "00QN-VR4N", "H8WD-8KWN", "WMPS-G9MC", "DC3N-KAFF"}));
}

TEST(Codes, TolerantParsing) {
    struct Case {
        const char* input;
        const char* canonical;  // "" = invalid_code
    };
    const Case cases[] = {
        {"1234-567W", "1234-567W"},
        {"1234567w", "1234-567W"},
        {" 1234 567W ", "1234-567W"},
        {"12-34-56-7W", "1234-567W"},
        {"I234-567W", "1234-567W"},
        {"l234-567w", "1234-567W"},
        {"O000-0000", "0000-0000"},
        {"oooo-oooo", "0000-0000"},
        {"1234\u00A0567W", "1234-567W"},
        {"H8WD-8KWN", "H8WD-8KWN"},
        {"1234-567X", ""},
        {"1234-567", ""},
        {"1234-567W0", ""},
        {"U234-567W", ""},
        {"1234-5#7W", ""},
        {"", ""},
        {"é234-567W", ""},
    };
    for (const auto& c : cases) {
        const auto r = parse_booking_code(c.input);
        if (*c.canonical) {
            EXPECT_TRUE(r.ok()) << c.input;
            EXPECT_EQ(r.value, c.canonical) << c.input;
        } else {
            ASSERT_FALSE(r.ok()) << c.input;
            EXPECT_EQ(r.refusal->code, "invalid_code");
            EXPECT_EQ(r.refusal->field, "code");
        }
    }
}

TEST(Codes, EverySingleMistypedSymbolIsCaught) {
    int caught = 0;
    for (std::uint64_t i = 1; i <= 20; ++i) {
        const std::string code = make_booking_code(splitmix64(i * 7919));
        ASSERT_TRUE(parse_booking_code(code).ok()) << code;
        for (std::size_t pos = 0; pos < code.size(); ++pos) {
            if (code[pos] == '-') continue;
            for (char sym : kCrockfordAlphabet) {
                if (sym == code[pos]) continue;
                std::string typo = code;
                typo[pos] = sym;
                EXPECT_FALSE(parse_booking_code(typo).ok()) << typo;
                ++caught;
            }
        }
    }
    EXPECT_EQ(caught, 20 * 8 * 31);
}
