// uneplace client — the booking form's pre-check: what the client knows, as the snapshot the
// server builds inside its transaction, so uneplace::decide_booking() (the same function the
// server calls) says in the browser what the server will answer. Pure: tested natively
// (tests/client) against the server's answers for non-default territory settings and long shows.
#pragma once
#include <vector>

#include "api/types.hpp"
#include "uneplace/rules.hpp"

// `bookings` are the beneficiary's (GET /bookings?beneficiary_id=…): their sessions' real ends
// feed the overlap rule R6; the session's `settings` (its territory's) feed R4 and R7.
uneplace::BookingSnapshot booking_snapshot(const User& user, const SessionDetail& session, const Beneficiary& person,
                                           const std::vector<Booking>& bookings, int places, uneplace::UnixSeconds now);

// What the shared rules know of a partner's session row (C2 cancellation, K2 attendance window).
uneplace::SessionInfo session_info_of(const SessionRow& s);
// Over: start + duration has passed (without a duration, at its start). A session over shows as
// past, not "Programmée", and its capacity and check-ins are no longer changed.
bool session_is_over(const SessionRow& s, uneplace::UnixSeconds now);

// The end of a booked session: its `end` when the server gives it, else start + duration, else
// start + 2 h (an old server that gives neither: a typical show).
uneplace::UnixSeconds booking_end(const Booking& booking);
