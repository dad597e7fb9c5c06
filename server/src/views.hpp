// uneplace server — JSON shapes of the API's objects, one function per object, so every route
// renders a session, a venue or a booking the same way.
#pragma once
#include "api.hpp"
#include "store.hpp"

namespace uneplace::server {

json user_json(const Actor& a);  // GET /me, login
json user_view_json(const UserView& u);
json organisation_json(const OrganisationView& o);
// A full venue, with territory and accessibility (a session carries its venue's reference fields,
// written by append_session_json).
json venue_json(const VenueView& v);
json offer_json(const OfferView& o);
// The URL of an offer's poster (`thumb`: its catalogue size), null when it has none.
json image_url_json(Id offer_id, int version, bool thumb);
// A session as the catalogue lists it (API.md fields first, then the details the client shows):
// appended to `out` as JSON text (what lists write), or as a json object (one session's page).
void append_session_json(std::string& out, const SessionView& s);
json session_json(const SessionView& s);
// A page of sessions as page_json() shapes it ({"items": […], "next_cursor": …}), as text.
std::string sessions_page_text(const std::vector<SessionView>& sessions, const std::optional<std::string>& next_cursor);
json session_detail_json(const SessionDetail& d, const Actor& viewer);
json guest_json(const GuestLine& g);
// The guest list as CSV (shared/csv.hpp's dialect): a line naming the session, then
// Code;Places;Invité;Structure;Statut;Présents — guests in P2 form only.
std::string guest_list_csv(const SessionView& session, const std::vector<GuestLine>& lines);
json beneficiary_json(const BeneficiaryView& b);
json booking_json(const BookingView& b);
json notification_json(const NotificationView& n);
json settings_json(const std::string& territory, const TerritorySettings& s);
json settings_schema();  // its OpenAPI schema (settings routes, session detail)
json audit_json(const AuditEntry& e);
json impact_row_json(const ImpactRow& r);

template <class T, class F>
json items_json(const std::vector<T>& items, F&& render) {
    json a = json::array();
    for (const auto& x : items) a.push_back(render(x));
    return a;
}

// ?limit= (default 50, 1–500) and ?cursor= of a list route.
PageRequest page_of(const Request& req);
// What every list route answers: 200 {items: [rendered…], next_cursor}.
template <class T, class F>
Response page_response(const Page<T>& page, F&& render) {
    return json_response(200, page_json(items_json(page.items, render), page.next_cursor));
}

}  // namespace uneplace::server
