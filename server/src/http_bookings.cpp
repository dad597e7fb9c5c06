// uneplace server — routes of the social-worker side: beneficiaries, bookings, cancellation,
// feedback (and the admin's lifting of an R8 pause), notifications.
//
// Index of this file:
// [SECTION] Beneficiaries
// [SECTION] Bookings
// [SECTION] Notifications
// [SECTION] Schemas and route table
#include "api.hpp"
#include "store.hpp"
#include "views.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Beneficiaries
//-----------------------------------------------------------------------------

BeneficiaryDraft beneficiary_draft(const json& body, const BeneficiaryView* current) {
    reject_unknown_fields(body, {"first_name", "last_name", "birth_year", "postal_code", "household_size", "phone",
                                 "preferred_language", "children_birth_years"});
    BeneficiaryDraft d;
    if (current) {
        d.first_name = opt_string(body, "first_name").value_or(current->first_name.value_or(""));
        d.last_name = opt_string(body, "last_name").value_or(current->last_name.value_or(""));
        d.birth_year = body.contains("birth_year") ? opt_int_field(body, "birth_year") : current->birth_year;
        d.postal_code = opt_string(body, "postal_code").value_or(current->postal_code.value_or(""));
        d.household_size = opt_int_field(body, "household_size").value_or(current->household_size);
        d.phone = body.contains("phone") ? opt_string(body, "phone").value_or("") : current->phone.value_or("");
        d.preferred_language = body.contains("preferred_language") ? opt_string(body, "preferred_language").value_or("")
                                                                   : current->preferred_language.value_or("");
    } else {
        d.first_name = req_string(body, "first_name");
        d.last_name = req_string(body, "last_name");
        d.birth_year = opt_int_field(body, "birth_year");
        d.postal_code = req_string(body, "postal_code");
        d.household_size = opt_int_field(body, "household_size").value_or(1);
        d.phone = opt_string(body, "phone").value_or("");
        d.preferred_language = opt_string(body, "preferred_language").value_or("");
    }
    // The household's children: an array of birth years (absent on PATCH: unchanged).
    if (body.contains("children_birth_years")) {
        const json& years = body["children_birth_years"];
        if (!years.is_array()) fail("children_out_of_range", "children_birth_years");
        for (const auto& y : years) {
            if (!y.is_number_integer()) fail("children_out_of_range", "children_birth_years");
            d.children_birth_years.push_back(y.get<int>());
        }
    } else if (current) {
        d.children_birth_years = current->children_birth_years;
    }
    return d;
}

Response post_beneficiary(App& app, Request& req) {
    BeneficiaryDraft d = beneficiary_draft(req.body_json(), nullptr);
    return json_response(201, beneficiary_json(create_beneficiary(app, req.who(), d)));
}

Response get_beneficiaries(App& app, Request& req) {
    std::string q;
    if (auto text = query_param(req, "q")) {
        auto cleaned = clean_text(*text, {"q", 0, limits::kSearchMaxChars, false});
        if (!cleaned.ok()) fail(*cleaned.refusal);
        q = cleaned.value;
    }
    auto page = list_beneficiaries(app, req.who(), q, page_of(req));
    return page_response(page, beneficiary_json);
}

Response get_beneficiary_route(App& app, Request& req) {
    return json_response(200, beneficiary_json(get_beneficiary(app, req.who(), req.id_param())));
}

Response patch_beneficiary(App& app, Request& req) {
    const Id id = req.id_param();
    const BeneficiaryView current = get_beneficiary(app, req.who(), id);
    BeneficiaryDraft d = beneficiary_draft(req.body_json(), &current);
    return json_response(200, beneficiary_json(update_beneficiary(app, req.who(), id, d)));
}

Response post_lift_pause(App& app, Request& req) {
    return json_response(200, beneficiary_json(lift_pause(app, req.who(), req.id_param())));
}

//-----------------------------------------------------------------------------
// [SECTION] Bookings
//-----------------------------------------------------------------------------

Response post_booking(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"session_id", "beneficiary_id", "places", "join_waitlist"});
    BookingRequest b;
    b.session_id = req_int(body, "session_id");
    b.beneficiary_id = req_int(body, "beneficiary_id");
    b.places = opt_int_field(body, "places").value_or(1);
    b.join_waitlist = opt_bool(body, "join_waitlist", false);
    BookingView v = create_booking(app, req.who(), b);
    json j = booking_json(v);
    // 201 for a booking that holds places; 202 for a request still waiting (list or ballot).
    return json_response(v.status == "confirmed" ? 201 : 202, j);
}

Response get_bookings(App& app, Request& req) {
    BookingFilter f;
    f.status = query_param(req, "status").value_or("");
    if (auto s = query_int(req, "session_id")) f.session_id = *s;
    if (auto b = query_int(req, "beneficiary_id")) f.beneficiary_id = *b;
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t)) fail(*r);
        f.territory = *t;
    }
    auto page = list_bookings(app, req.who(), f, page_of(req));
    return page_response(page, booking_json);
}

Response get_booking_route(App& app, Request& req) {
    return json_response(200, booking_json(get_booking(app, req.who(), req.id_param())));
}

Response post_booking_cancel(App& app, Request& req) {
    return json_response(200, booking_json(cancel_booking(app, req.who(), req.id_param())));
}

Response post_feedback(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"went", "rating", "comment"});
    FeedbackDraft d;
    d.went = req_string(body, "went");
    d.rating = opt_int_field(body, "rating");
    d.comment = opt_string(body, "comment").value_or("");
    return json_response(200, booking_json(save_feedback(app, req.who(), req.id_param(), d)));
}

//-----------------------------------------------------------------------------
// [SECTION] Notifications
//-----------------------------------------------------------------------------

Response get_notifications(App& app, Request& req) {
    auto page = list_notifications(app, req.who(), query_bool(req, "unread").value_or(false), page_of(req));
    return page_response(page, notification_json);
}

Response post_notification_read(App& app, Request& req) {
    return json_response(200, notification_json(mark_notification_read(app, req.who(), req.id_param())));
}

//-----------------------------------------------------------------------------
// [SECTION] Schemas and route table
//-----------------------------------------------------------------------------

const json kNotificationSchema = s_obj({{"id", s_int()},
                                        {"kind", s_str()},
                                        {"message", s_str()},
                                        {"booking_id", s_nullable(s_int())},
                                        {"session_id", s_nullable(s_int())},
                                        {"created_at", s_time()},
                                        {"read", s_bool()}});
json beneficiary_schema() {
    return s_obj({{"id", s_int()},
                  {"reference", s_str()},
                  {"structure_id", s_int()},
                  {"first_name", s_str()},
                  {"last_name", s_str()},
                  {"birth_year", s_nullable(s_int())},
                  {"postal_code", s_str()},
                  {"household_size", s_int()},
                  {"children_birth_years", json{{"type", "array"}, {"items", s_int()}}},
                  {"phone", s_nullable(s_str())},
                  {"preferred_language", s_nullable(s_str())},
                  {"paused_until", s_nullable(s_time())},
                  {"upcoming_bookings", s_int()},
                  {"erased", s_bool()},
                  {"created_at", s_time()},
                  {"updated_at", s_time()}});
}

json booking_schema() {
    return s_obj(
        {{"id", s_int()},
         {"session_id", s_int()},
         {"beneficiary_id", s_int()},
         {"places", s_int()},
         {"status", s_enum({"confirmed", "cancelled", "late_cancelled", "attended", "no_show", "waitlisted",
                            "ballot_entered", "expired", "withdrawn", "lost"})},
         {"code", s_nullable(s_str())},
         {"origin", s_enum({"direct", "waitlist", "ballot"})},
         {"attended_count", s_nullable(s_int())},
         {"created_at", s_time()},
         {"structure", s_obj({{"id", s_int()}, {"name", s_str()}})},
         {"beneficiary",
          s_obj({{"id", s_int()}, {"reference", s_str()}, {"first_name", s_str()}, {"last_name", s_str()}})},
         {"session", s_obj({{"id", s_int()},
                            {"title", s_str()},
                            {"start", s_time()},
                            {"start_local", s_str()},
                            {"duration_min", s_int()},
                            {"end", s_time()},
                            {"closes_at", s_time()},
                            {"territory", s_str()},
                            {"venue", s_obj({{"name", s_str()}, {"city", s_str()}})}})},
         {"feedback", s_nullable(s_obj({{"went", s_str()}, {"rating", s_nullable(s_int())}, {"comment", s_str()}}))}});
}

}  // namespace

void add_booking_routes(std::vector<Route>& r) {
    const json beneficiary_body = s_obj({{"first_name", s_str()},
                                         {"last_name", s_str()},
                                         {"birth_year", s_nullable(s_int())},
                                         {"postal_code", s_str()},
                                         {"household_size", s_int()},
                                         {"children_birth_years", json{{"type", "array"}, {"items", s_int()}}},
                                         {"phone", s_nullable(s_str())},
                                         {"preferred_language", s_nullable(s_str())}},
                                        {"first_name", "last_name", "postal_code"});
    r.push_back({"POST",
                 "/api/v1/beneficiaries",
                 Access_SocialWorker,
                 post_beneficiary,
                 "Enregistrer un bénéficiaire de sa structure",
                 beneficiary_body,
                 beneficiary_schema(),
                 201,
                 true,
                 {400, 401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/beneficiaries",
                 Access_SocialWorker,
                 get_beneficiaries,
                 "Bénéficiaires de sa structure (?q= nom ou référence)",
                 nullptr,
                 s_list(beneficiary_schema()),
                 200,
                 false,
                 {401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/beneficiaries/{id}",
                 Access_SocialWorker,
                 get_beneficiary_route,
                 "Un bénéficiaire de sa structure (pause R8 comprise)",
                 nullptr,
                 beneficiary_schema(),
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"PATCH",
                 "/api/v1/beneficiaries/{id}",
                 Access_SocialWorker,
                 patch_beneficiary,
                 "Modifier un bénéficiaire (champs omis inchangés)",
                 beneficiary_body,
                 beneficiary_schema(),
                 200,
                 false,
                 {400, 401, 403, 404, 422}});
    r.push_back({"POST",
                 "/api/v1/beneficiaries/{id}/lift-pause",
                 Access_Admin,
                 post_lift_pause,
                 "Lever la pause R8 d’un bénéficiaire (administrateur du territoire)",
                 nullptr,
                 beneficiary_schema(),
                 200,
                 false,
                 {401, 403, 404}});

    r.push_back(
        {"POST",
         "/api/v1/bookings",
         Access_SocialWorker,
         post_booking,
         "Réserver (R1–R10, dans une transaction BEGIN IMMEDIATE) : 201 confirmée avec son code ; 202 en liste "
         "d’attente (join_waitlist) ou inscrite au tirage ; 409 avec le code de la règle",
         s_obj({{"session_id", s_int()}, {"beneficiary_id", s_int()}, {"places", s_int()}, {"join_waitlist", s_bool()}},
               {"session_id", "beneficiary_id", "places"}),
         booking_schema(),
         201,
         true,
         {400, 401, 403, 404, 409, 422}});
    r.push_back({"GET",
                 "/api/v1/bookings",
                 Access_Admin | Access_SocialWorker,
                 get_bookings,
                 "Réservations de sa structure, ou des territoires (admin : bénéficiaires par référence seulement)",
                 nullptr,
                 s_list(booking_schema()),
                 200,
                 false,
                 {401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/bookings/{id}",
                 Access_Admin | Access_SocialWorker,
                 get_booking_route,
                 "Une réservation",
                 nullptr,
                 booking_schema(),
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"POST",
                 "/api/v1/bookings/{id}/cancel",
                 Access_SocialWorker,
                 post_booking_cancel,
                 "Annuler (C1) : libre jusqu’à closes_at, tardive ensuite, impossible après le début ; une demande en "
                 "attente est retirée",
                 nullptr,
                 booking_schema(),
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back(
        {"POST",
         "/api/v1/bookings/{id}/feedback",
         Access_SocialWorker,
         post_feedback,
         "Retour de sortie (F1) : went yes|no|partly, rating 1–5, comment",
         s_obj({{"went", s_enum({"yes", "no", "partly"})}, {"rating", s_nullable(s_int())}, {"comment", s_str()}},
               {"went"}),
         booking_schema(),
         200,
         false,
         {400, 401, 403, 404, 409, 422}});

    r.push_back({"GET",
                 "/api/v1/notifications",
                 Access_LoggedIn,
                 get_notifications,
                 "Notifications de l’utilisateur, les plus récentes d’abord (?unread=true)",
                 nullptr,
                 s_list(kNotificationSchema),
                 200,
                 false,
                 {401}});
    r.push_back({"POST",
                 "/api/v1/notifications/{id}/read",
                 Access_LoggedIn,
                 post_notification_read,
                 "Marquer une notification comme lue",
                 nullptr,
                 kNotificationSchema,
                 200,
                 false,
                 {401, 404}});
}

}  // namespace uneplace::server
