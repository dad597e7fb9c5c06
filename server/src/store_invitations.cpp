// uneplace server — invitations and door lists (I1–I3): what the PDFs print, read and worded
// here; drawn by pdf.cpp; tickets signed by tickets.cpp.
//
// Index of this file:
// [SECTION] Invitation (I1, I2)
// [SECTION] Door list (I3)
#include "store.hpp"
#include "tickets.hpp"
#include "uneplace/french.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Invitation
//-----------------------------------------------------------------------------

namespace {

// P2 even for the social worker who knows the full name: the invitation leaves the office.
std::string guest_p2(SQLite::Database& c, Id beneficiary_id) {
    SQLite::Statement q(c, "SELECT first_name, last_name, reference FROM beneficiaries WHERE id = ?");
    q.bind(1, beneficiary_id);
    if (!q.executeStep()) return {};
    if (q.getColumn(0).isNull()) return q.getColumn(2).getString();  // erased (P1): the reference only
    return guest_display_name(q.getColumn(0).getString(), q.getColumn(1).getString());
}

std::string venue_address(const VenueView& v) { return v.address + ", " + v.postal_code + "\u00A0" + v.city; }

}  // namespace

InvitationPdf invitation_for(App& app, const Actor& actor, Id booking_id) {
    auto& c = app.db.conn();
    const BookingView b = get_booking(app, actor, booking_id);  // scoped: 404 for anyone else's
    if (b.status == "cancelled" || b.status == "late_cancelled") fail("booking_cancelled");
    if (!b.code) fail("booking_not_active");  // a waitlist or ballot request holds no place
    const auto s = find_session(c, b.session_id);
    if (!s) fail("not_found");
    const std::string_view territory = s->info.territory;

    InvitationPdf inv;
    inv.title = s->title;
    inv.venue_name = s->venue.name;
    inv.venue_address = venue_address(s->venue);
    inv.date_time = format_datetime_fr(territory, s->info.start);
    inv.places = count_fr(b.places, "place", "places");
    inv.guest = guest_p2(c, b.beneficiary_id);
    inv.structure = b.structure_name;
    const auto mode = from_code<PickupMode>(s->pickup_mode);
    inv.pickup = pickup_instructions_fr(mode.value_or(PickupMode::GuestList));
    inv.code = *b.code;
    inv.ticket = sign_ticket(c, TicketPayload{0, b.id, b.session_id, *b.code, b.places, s->info.start});
    return inv;
}

//-----------------------------------------------------------------------------
// [SECTION] Door list
//-----------------------------------------------------------------------------

DoorListPdf door_list_for(App& app, const Actor& actor, Id session_id) {
    const auto lines = guest_list(app, actor, session_id);  // checks the caller may see it first
    const auto s = find_session(app.db.conn(), session_id);
    if (!s) fail("not_found");
    DoorListPdf out;
    out.title = s->title;
    out.venue_name = s->venue.name;
    out.date_time = format_datetime_fr(s->info.territory, s->info.start);
    out.capacity = s->info.capacity;
    for (const auto& g : lines) out.lines.push_back({g.code, g.places, g.guest, g.structure});
    sort_door_list(out.lines);
    return out;
}

}  // namespace uneplace::server
