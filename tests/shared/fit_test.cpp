// Does a session fit this person (rules.hpp fits_household): the catalogue's fits_beneficiary= and
// the app's "why not". The session is on Saturday 12 December 2026 in Paris.
#include <gtest/gtest.h>

#include "uneplace/fit.hpp"
#include "uneplace/local_time.hpp"

using namespace uneplace;

namespace {
BookingSnapshot saturday_matinee() {
    BookingSnapshot s;
    s.now = parse_utc_instant("2026-12-02T10:00:00Z").value;
    s.actor = {1, Role::SocialWorker, AccountStatus::Active, AccountStatus::Active, 7};
    s.session.id = 500;
    s.session.territory = "75";
    s.session.start = parse_utc_instant("2026-12-12T14:00:00Z").value;
    s.session.duration_min = 90;
    s.session.capacity = 24;
    s.session.max_per_booking = 4;
    s.session.min_age = 5;
    s.session.opens_at = s.now - kDay;
    s.session.closes_at = s.session.start - kDay;
    s.beneficiary = {100, 7, 1988, {}, 0};
    return s;
}
// Mme Diallo and her two children of 6 and 9 (born 2020 and 2017).
const Household kDiallo{3, {2020, 2017}};
std::string code_of(const Fit& f) { return f.refusal ? f.refusal->code : ""; }
}  // namespace

TEST(FitsHousehold, AFamilyThatFits) {
    const Fit f = fits_household(saturday_matinee(), kDiallo);
    EXPECT_TRUE(f.fits);
    EXPECT_EQ(code_of(f), "");
    EXPECT_EQ(f.why_fr, "");
}

TEST(FitsHousehold, TooManyForOneBooking) {
    BookingSnapshot s = saturday_matinee();
    s.session.max_per_booking = 2;
    const Fit f = fits_household(s, kDiallo);
    EXPECT_FALSE(f.fits);
    EXPECT_EQ(code_of(f), "places_out_of_range");
    EXPECT_EQ(f.why_fr, "Cette séance permet 2\u00A0places par réservation\u00A0: le foyer de 3\u00A0personnes n’y "
                        "tient pas ensemble.");
    s.session.max_per_booking = 3;
    EXPECT_TRUE(fits_household(s, kDiallo).fits) << "exactly the household's size";
}

TEST(FitsHousehold, TheYoungestChildDecides) {
    BookingSnapshot s = saturday_matinee();
    s.session.min_age = 8;
    const Fit f = fits_household(s, kDiallo);
    EXPECT_FALSE(f.fits);
    EXPECT_EQ(code_of(f), "child_too_young");
    EXPECT_EQ(f.youngest_age, 6);
    EXPECT_EQ(f.why_fr,
              "Cette sortie est à partir de 8\u00A0ans\u00A0: l’enfant le plus jeune du foyer aura 6\u00A0ans.");
    s.session.min_age = 6;  // 2026 − 2020: the year's age, as R9 counts it
    EXPECT_TRUE(fits_household(s, kDiallo).fits);
    // Children not recorded: only the beneficiary's own age (R9) is known.
    s.session.min_age = 8;
    EXPECT_TRUE(fits_household(s, Household{3, {}}).fits);
}

TEST(FitsHousehold, TheBookingRulesOfThePerson) {
    BookingSnapshot s = saturday_matinee();
    // R9 on the beneficiary.
    s.session.min_age = 18;
    s.beneficiary.birth_year = 2010;
    EXPECT_EQ(code_of(fits_household(s, Household{1, {}})), "age_restricted");
    s = saturday_matinee();
    // R5: already booked; R6: another outing at the same time.
    s.beneficiary_bookings = {{9, 500, s.session.start, s.session.end(), BookingStatus::Confirmed}};
    EXPECT_EQ(code_of(fits_household(s, kDiallo)), "already_booked");
    s.beneficiary_bookings = {{9, 501, s.session.start + 30 * kMinute, s.session.end() + kHour,
                               BookingStatus::Confirmed, "Le Lac des cygnes"}};
    const Fit overlap = fits_household(s, kDiallo);
    EXPECT_EQ(code_of(overlap), "overlapping_booking");
    EXPECT_NE(overlap.why_fr.find("Le Lac des cygnes"), std::string::npos) << overlap.why_fr;
    // R7: three outings to come.
    s.beneficiary_bookings.clear();
    for (Id i = 0; i < 3; ++i)
        s.beneficiary_bookings.push_back({i, 600 + i, s.now + (3 + i) * kDay, s.now + (3 + i) * kDay + kHour});
    EXPECT_EQ(code_of(fits_household(s, kDiallo)), "too_many_upcoming");
    // R8: three no-shows in the window.
    s = saturday_matinee();
    s.beneficiary.no_show_times = {s.now - 30 * kDay, s.now - 20 * kDay, s.now - 10 * kDay};
    const Fit paused = fits_household(s, kDiallo);
    EXPECT_EQ(code_of(paused), "beneficiary_paused");
    EXPECT_NE(paused.why_fr.find("suspendues jusqu’au"), std::string::npos) << paused.why_fr;
}

TEST(FitsHousehold, ScarcityAndTheBookingWindowAreNotAsked) {
    BookingSnapshot s = saturday_matinee();
    s.places_held = s.session.capacity;  // full: the family can still wait on the list
    s.session.opens_at = s.now + kDay;   // not open yet: listed, bookable later
    EXPECT_TRUE(fits_household(s, kDiallo).fits);
}
