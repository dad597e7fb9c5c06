// uneplace server — routes of invitations and door lists (issue 16; API.md « Invitations, door
// lists, messages »): the invitation PDF of a booking, the door list PDF of a session, and the
// public keys that verify tickets offline. Check-in by ticket is POST …/checkin (http_offers.cpp).
//
// Index of this file:
// [SECTION] Routes
// [SECTION] Route table
#include <sodium.h>

#include <cstring>

#include "api.hpp"
#include "store.hpp"
#include "tickets.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Routes
//-----------------------------------------------------------------------------

constexpr const char* kPdfMime = "application/pdf";

Response get_invitation_pdf(App& app, Request& req) {
    const InvitationPdf inv = invitation_for(app, req.who(), req.id_param());
    // The file name carries the code, which people read on the invitation too ("invitation-K7QM-3XPA.pdf").
    return file_response(render_invitation_pdf(inv), kPdfMime, "invitation-" + inv.code + ".pdf");
}

Response get_door_list_pdf(App& app, Request& req) {
    const Id id = req.id_param();
    return file_response(render_door_list_pdf(door_list_for(app, req.who(), id)), kPdfMime,
                         "liste-accueil-seance-" + std::to_string(id) + ".pdf");
}

Response get_checkin_keys(App& app, Request&) {
    json keys = json::array();
    for (const auto& k : ticket_keys(app.db.conn()))
        keys.push_back({{"kid", std::to_string(k.id)},
                        {"public_key_base64", base64_original(k.public_key)},
                        {"created_at", time_or_null(k.created_at)}});
    return json_response(200, {{"algorithm", "Ed25519"}, {"keys", keys}});
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Route table
//-----------------------------------------------------------------------------

void add_invitation_routes(std::vector<Route>& r) {
    const json pdf_schema = {{"type", "string"}, {"format", "binary"}, {"description", "application/pdf"}};
    r.push_back({"GET",
                 "/api/v1/bookings/{id}/invitation.pdf",
                 Access_SocialWorker | Access_Admin,
                 get_invitation_pdf,
                 "Invitation à imprimer (I1, PDF A6) : titre, lieu et adresse, date et heure locales, places, "
                 "invité·e (« Amina K. », P2), modalités d’accueil, code en grand et code QR du billet signé (I2). "
                 "409 booking_cancelled pour une réservation annulée",
                 nullptr,
                 pdf_schema,
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"GET",
                 "/api/v1/sessions/{id}/door-list.pdf",
                 Access_Partner | Access_Admin,
                 get_door_list_pdf,
                 "Liste d’accueil à imprimer (I3, PDF A4) : invité·es en forme P2, code et places, triés par code, "
                 "avec une case à cocher",
                 nullptr,
                 pdf_schema,
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back(
        {"GET",
         "/api/v1/checkin/keys",
         Access_Anyone,
         get_checkin_keys,
         "Clés publiques Ed25519 qui vérifient les billets hors ligne (I2) : "
         "UP1.<charge base64url>.<signature base64url>, la signature couvrant « UP1.<charge> » ; la charge "
         "est « kid|réservation|séance|code|places|début (secondes Unix) »",
         nullptr,
         s_obj({{"algorithm", s_str()},
                {"keys",
                 {{"type", "array"},
                  {"items", s_obj({{"kid", s_str()}, {"public_key_base64", s_str()}, {"created_at", s_time()}})}}}}),
         200,
         false,
         {}});
    add_mail_routes(r);  // the same section of API.md: preferences and the outbox (http_mail.cpp)
}

}  // namespace uneplace::server
