// uneplace client — the booking form's pre-check (data/precheck.hpp).
#include "data/precheck.hpp"

uneplace::UnixSeconds booking_end(const Booking& b) {
    const uneplace::UnixSeconds start = instant_of(b.start);
    if (const uneplace::UnixSeconds end = instant_of(b.end); end > start) return end;
    if (b.duration_min > 0) return start + b.duration_min * 60;
    return start + 2 * uneplace::kHour;
}

uneplace::BookingSnapshot booking_snapshot(const User& user, const SessionDetail& d, const Beneficiary& b,
                                           const std::vector<Booking>& bookings, int places,
                                           uneplace::UnixSeconds now) {
    using namespace uneplace;
    BookingSnapshot snap;
    snap.now = now;
    snap.actor.user_id = user.id;
    snap.actor.role = Role::SocialWorker;
    snap.actor.organisation_id = user.organisation_id;
    snap.session.id = d.entry.session_id;
    snap.session.offer_id = d.entry.offer_id;
    snap.session.territory = d.entry.territory;
    snap.session.start = instant_of(d.entry.start);
    snap.session.duration_min = d.duration_min;
    snap.session.capacity = d.entry.capacity;
    snap.session.max_per_booking = d.entry.max_per_booking;
    snap.session.opens_at = instant_of(d.opens_at);
    snap.session.closes_at = instant_of(d.entry.closes_at);
    snap.session.allocation = d.entry.allocation == "ballot" ? AllocationMode::Ballot : AllocationMode::FirstCome;
    snap.session.draw_at = instant_of(d.draw_at);
    snap.session.status = d.status == "cancelled" ? SessionStatus::Cancelled : SessionStatus::Scheduled;
    snap.session.min_age = d.min_age;
    snap.beneficiary.id = b.id;
    snap.beneficiary.structure_id = user.organisation_id;
    if (b.birth_year > 0) snap.beneficiary.birth_year = b.birth_year;
    for (const Booking& bk : bookings) {
        if (bk.status == "waitlisted" || bk.status == "ballot_entered") {
            snap.beneficiary_requests.push_back(bk.session_id);
            continue;
        }
        const auto status = from_code<BookingStatus>(bk.status);
        if (!status) continue;
        snap.beneficiary_bookings.push_back({bk.id, bk.session_id, instant_of(bk.start), booking_end(bk), *status});
    }
    // R8: the person's unexcused no-shows (the sessions' start), from the bookings loaded for the
    // form. Whether a pause holds is the server's word (the person's paused_until, which knows of a
    // pause an administrator lifted, pause_lifted_at here unknown): without it the no-shows are
    // left out, so a lifted pause never blocks the form; with it the shared rule says until when.
    if (!b.paused_until.empty())
        for (const Booking& bk : bookings)
            if (bk.status == "no_show") snap.beneficiary.no_show_times.push_back(instant_of(bk.start));
    snap.places_held = d.places_held;
    snap.structure_places_held = d.structure_places_held < 0 ? 0 : d.structure_places_held;
    snap.settings = d.settings;
    snap.places = places;
    return snap;
}

uneplace::SessionInfo session_info_of(const SessionRow& s) {
    uneplace::SessionInfo i;
    i.id = s.id;
    i.territory = s.territory;
    i.start = instant_of(s.start);
    i.duration_min = s.duration_min;
    i.capacity = s.capacity;
    i.max_per_booking = s.max_per_booking;
    i.closes_at = instant_of(s.closes_at);
    i.status = s.status == "cancelled" ? uneplace::SessionStatus::Cancelled : uneplace::SessionStatus::Scheduled;
    return i;
}

bool session_is_over(const SessionRow& s, uneplace::UnixSeconds now) {
    return instant_of(s.start) + (uneplace::UnixSeconds)s.duration_min * 60 <= now;
}
