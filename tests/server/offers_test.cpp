// The partner side: venues, offers and moderation, sessions, capacity, cancellation (C2), the guest
// list (P2), check-in (K2).
#include <gtest/gtest.h>

#include "harness.hpp"
#include "uneplace/codes.hpp"

using namespace uneplace::test;

TEST(Venues, CreateListPatchWithValidation) {
    Api partner = logged_in(kPartner);
    json body = {{"name", "Petite salle"}, {"address", "3 passage Thiéré"},
                 {"postal_code", "75011"}, {"territory", "75"},
                 {"city", "Paris"},        {"accessibility", {{"wheelchair", true}}}};
    Reply r = partner.post("/api/v1/venues", body);
    ASSERT_EQ(r.status, 201) << r.body;
    const int id = r["id"];
    EXPECT_EQ(r["accessibility"]["wheelchair"], true);
    EXPECT_EQ(r["accessibility"]["hearing"], false);
    Reply patched = partner.patch("/api/v1/venues/" + std::to_string(id), {{"name", "Petite salle (rénovée)"}});
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_EQ(patched["name"], "Petite salle (rénovée)");
    EXPECT_EQ(patched["address"], "3 passage Thiéré");
    bool listed = false;
    for (const auto& v : partner.get("/api/v1/venues?limit=500").items()) listed = listed || v["id"] == id;
    EXPECT_TRUE(listed);

    json mismatch = body;
    mismatch["postal_code"] = "69002";
    Reply bad = partner.post("/api/v1/venues", mismatch);
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.error_code(), "postal_code_territory_mismatch");
    json flags = body;
    flags["accessibility"] = {{"teleport", true}};
    EXPECT_EQ(partner.post("/api/v1/venues", flags).error_code(), "invalid_accessibility");

    Api other = logged_in(kOtherPartner);
    EXPECT_EQ(other.get("/api/v1/venues/" + std::to_string(id)).status, 404);
    EXPECT_EQ(other.patch("/api/v1/venues/" + std::to_string(id), {{"name", "Volée"}}).status, 404);
    EXPECT_EQ(logged_in(kWorker).post("/api/v1/venues", body).status, 403);
}

// Issue 12, item 3. Once a venue has a published offer its postal code and département are fixed
// for its partner; an administrator may move it, and the bookings made there keep counting where
// they were made (the export by territory, the booking's recorded territory).
TEST(Venues, APublishedVenueStaysPutAndItsBookingsKeepTheirTerritory) {
    ServerProcess s;
    Api partner = logged_in(kPartner, s);
    Api admin = logged_in(kAdmin, s);
    Api worker = logged_in(kWorker, s);
    Reply venue = partner.post("/api/v1/venues", {{"name", "Salle du Faubourg"},
                                                  {"address", "12 rue du Faubourg"},
                                                  {"postal_code", "75010"},
                                                  {"territory", "75"},
                                                  {"city", "Paris"}});
    ASSERT_EQ(venue.status, 201) << venue.body;
    const std::string path = "/api/v1/venues/" + std::to_string(venue["id"].get<int>());
    // No published offer yet: the partner may still correct the address.
    ASSERT_EQ(partner.patch(path, {{"postal_code", "75011"}}).status, 200);
    const auto offer = published_offer(partner, admin, {{"venue_id", venue["id"]}});
    const auto session = new_session(partner, offer)["session_id"].get<std::int64_t>();
    Reply booked = book(worker, session, new_beneficiary(worker));
    ASSERT_EQ(booked.status, 201) << booked.body;
    const std::string code = booked["code"];

    const json move = {{"postal_code", "92100"}, {"territory", "92"}, {"city", "Boulogne-Billancourt"}};
    Reply refused = partner.patch(path, move);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.error_code(), "venue_locked");
    EXPECT_EQ(partner.patch(path, {{"postal_code", "75012"}}).error_code(), "venue_locked");
    // Everything else is still the partner's to change.
    EXPECT_EQ(partner.patch(path, {{"name", "Salle du Faubourg (rénovée)"}}).status, 200);
    EXPECT_EQ(partner.get(path)["territory"], "75");

    // An administrator of the Rhône alone cannot take it; the national one moves it.
    EXPECT_EQ(rhone_admin(s).patch(path, move).status, 404);
    Reply moved = admin.patch(path, move);
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved["territory"], "92");
    const auto exported = [&](const char* territory) {
        return admin.get(std::string("/api/v1/exports/bookings.csv?territory=") + territory).body;
    };
    EXPECT_NE(exported("75").find(code), std::string::npos) << "the booking still counts in Paris";
    EXPECT_EQ(exported("92").find(code), std::string::npos);
    // The session still to come is listed where the venue now is.
    bool listed_in_92 = false;
    for (const auto& row : worker.get("/api/v1/catalogue?territory=92&limit=500").items())
        listed_in_92 = listed_in_92 || row["session_id"] == session;
    EXPECT_TRUE(listed_in_92);
}

TEST(Offers, LifeCycleDraftPendingPublishedRejected) {
    Api partner = logged_in(kPartner);
    Api admin = logged_in(kAdmin);
    json body = {{"venue_id", first_venue(partner)}, {"title", "Bérénice"}, {"category", "theatre"},
                 {"pickup_mode", "guest_list"},      {"min_age", 12},       {"accessibility", {{"hearing", true}}}};
    Reply created = partner.post("/api/v1/offers", body);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created["status"], "draft");
    const std::string path = "/api/v1/offers/" + std::to_string(created["id"].get<int>());

    // Not yet visible to social workers; approving a draft is not a transition.
    EXPECT_EQ(logged_in(kWorker).get(path).status, 404);
    EXPECT_EQ(admin.post(path + "/approve").status, 409);
    EXPECT_EQ(partner.post(path + "/submit")["status"], "pending");
    Reply rej = admin.post(path + "/reject", {{"reason", "Merci de préciser l’accessibilité."}});
    ASSERT_EQ(rej.status, 200);
    EXPECT_EQ(rej["status"], "rejected");
    EXPECT_EQ(rej["reject_reason"], "Merci de préciser l’accessibilité.");
    EXPECT_EQ(admin.post(path + "/reject", {{"reason", ""}}).status, 422);
    // Editing a rejected offer sends it back to draft; then it goes through again.
    Reply edited = partner.patch(path, {{"description", "Tragédie de Racine, surtitrée."}});
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(edited["status"], "draft");
    EXPECT_EQ(partner.post(path + "/submit")["status"], "pending");
    Reply pub = admin.post(path + "/approve");
    EXPECT_EQ(pub["status"], "published");
    EXPECT_TRUE(pub["published_at"].is_string());
    EXPECT_EQ(logged_in(kWorker).get(path).status, 200);
    // A published offer is no longer edited; partners do not moderate.
    EXPECT_EQ(partner.patch(path, {{"title", "Autre"}}).status, 409);
    EXPECT_EQ(partner.post(path + "/approve").status, 403);
    EXPECT_EQ(partner.post(path + "/archive")["status"], "archived");
}

TEST(Offers, ValidationAndScope) {
    Api partner = logged_in(kPartner);
    const auto venue = first_venue(partner);
    auto code_of = [&](json b) { return partner.post("/api/v1/offers", b).error_code(); };
    json ok = {{"venue_id", venue}, {"title", "Titre correct"}, {"category", "dance"}, {"pickup_mode", "printed"}};
    json b = ok;
    b["title"] = "ab";
    EXPECT_EQ(code_of(b), "too_short");
    b = ok;
    b["category"] = "rodeo";
    EXPECT_EQ(code_of(b), "invalid_category");
    b = ok;
    b["min_age"] = 19;
    EXPECT_EQ(code_of(b), "min_age_out_of_range");
    b = ok;
    b["pickup_mode"] = "pigeon";
    EXPECT_EQ(code_of(b), "invalid_pickup_mode");
    b = ok;
    b["description"] = std::string(4001, 'a');
    EXPECT_EQ(code_of(b), "too_long");
    // Another partner's venue is not yours to use.
    b = ok;
    b["venue_id"] = first_venue(logged_in(kOtherPartner));
    Reply r = partner.post("/api/v1/offers", b);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json_body()["error"]["field"], "venue_id");
    // Listing: the partner's own offers only.
    const int own = partner.get("/api/v1/me")["organisation_id"];
    Api admin = logged_in(kAdmin);
    const auto ours = published_offer(partner, admin);
    const auto theirs = published_offer(logged_in(kOtherPartner), admin);
    Reply draft = partner.post("/api/v1/offers", ok);
    ASSERT_EQ(draft.status, 201) << draft.body;
    const json mine = partner.get("/api/v1/offers?limit=500").items();
    EXPECT_TRUE(lists(mine, "id", ours));
    EXPECT_TRUE(lists(mine, "id", draft["id"]));
    EXPECT_FALSE(lists(mine, "id", theirs));
    for (const auto& o : mine) EXPECT_EQ(o["partner_id"], own);
    const json for_worker = logged_in(kWorker).get("/api/v1/offers?limit=500").items();
    EXPECT_TRUE(lists(for_worker, "id", ours));
    EXPECT_TRUE(lists(for_worker, "id", theirs));
    EXPECT_FALSE(lists(for_worker, "id", draft["id"])) << "a draft is not shown to social workers";
    for (const auto& o : for_worker) EXPECT_EQ(o["status"], "published");
}

TEST(Sessions, CreateInVenueLocalTimeAndShowInCatalogue) {
    Api partner = logged_in(kPartner);
    Api admin = logged_in(kAdmin);
    const auto offer = published_offer(partner, admin);
    const std::string start = local_start(12, 20, 30);
    json s = new_session(partner, offer, {{"start_local", start}, {"capacity", 7}});
    EXPECT_EQ(s["start_local"].get<std::string>().substr(0, 19), start.substr(0, 19));
    EXPECT_EQ(s["capacity"], 7);
    EXPECT_EQ(s["places_left"], 7);
    EXPECT_EQ(s["max_per_booking"], 2);
    // Default closing time: 24 h before the start.
    EXPECT_EQ(uneplace::parse_utc_instant(s["start"].get<std::string>()).value -
                  uneplace::parse_utc_instant(s["closes_at"].get<std::string>()).value,
              86400);
    Api worker = logged_in(kWorker);
    bool found = false;
    for (const auto& it : worker.get("/api/v1/catalogue?limit=500").items())
        found = found || it["session_id"] == s["session_id"];
    EXPECT_TRUE(found);
    Reply detail = worker.get("/api/v1/sessions/" + std::to_string(s["session_id"].get<int>()));
    ASSERT_EQ(detail.status, 200);
    EXPECT_EQ(detail["structure_places_held"], 0);
    EXPECT_EQ(detail["structure_share_cap"], 2);
}

TEST(Sessions, ValidationCodes) {
    Api partner = logged_in(kPartner);
    const auto offer = published_offer(partner, logged_in(kAdmin));
    const std::string path = "/api/v1/offers/" + std::to_string(offer) + "/sessions";
    auto code_of = [&](json over) {
        json b = {
            {"start_local", local_start(10)}, {"duration_min", 90}, {"capacity", 10}, {"allocation", "first_come"}};
        for (auto& [k, v] : over.items()) b[k] = v;
        Reply r = partner.post(path, b);
        EXPECT_EQ(r.status, 422) << r.body;
        return r.error_code();
    };
    EXPECT_EQ(code_of({{"start_local", "2020-01-01T20:00:00"}}), "start_too_soon");
    EXPECT_EQ(code_of({{"start_local", "demain soir"}}), "invalid_datetime");
    EXPECT_EQ(code_of({{"duration_min", 0}}), "duration_out_of_range");
    EXPECT_EQ(code_of({{"capacity", 10001}}), "capacity_out_of_range");
    EXPECT_EQ(code_of({{"max_per_booking", 11}}), "max_per_booking_out_of_range");
    EXPECT_EQ(code_of({{"allocation", "lottery"}}), "invalid_allocation");
    EXPECT_EQ(code_of({{"allocation", "ballot"}}), "draw_at_required");
    EXPECT_EQ(code_of({{"closes_at", utc_in(-3600)}}), "closes_at_in_past");
    const std::string draw_late = utc_in(20 * 86400);
    EXPECT_EQ(code_of({{"allocation", "ballot"}, {"draw_at", draw_late}}), "draw_at_not_before_closes_at");
    EXPECT_EQ(code_of({{"allocation", "ballot"}, {"draw_at", utc_in(-60)}}), "draw_at_in_past");
    // The partner of another venue does not reach this offer.
    EXPECT_EQ(logged_in(kOtherPartner)
                  .post(path, {{"start_local", local_start(10)}, {"duration_min", 90}, {"capacity", 10}})
                  .status,
              404);
}

TEST(Sessions, CapacityNeverBelowHeldAndRaiseServesWaitlist) {
    Api partner = logged_in(kPartner);
    Api worker = logged_in(kWorker);
    const auto offer = published_offer(partner, logged_in(kAdmin));
    const int sid = new_session(partner, offer, {{"capacity", 2}})["session_id"];
    const std::string path = "/api/v1/sessions/" + std::to_string(sid);
    ASSERT_EQ(book(worker, sid, new_beneficiary(worker), 2).status, 201);
    Reply low = partner.patch(path, {{"capacity", 1}});
    EXPECT_EQ(low.status, 409);
    EXPECT_EQ(low.error_code(), "capacity_below_held");
    // Full: a request of another structure waits (the first one holds its R4 share already), then
    // a capacity raise serves it at once (W2).
    Api other = logged_in(kOtherWorker);
    const auto ben = new_beneficiary(other);
    Reply full = book(other, sid, ben, 1);
    EXPECT_EQ(full.status, 409);
    EXPECT_EQ(full.error_code(), "session_full");
    EXPECT_EQ(full.json_body()["error"]["may_join_waitlist"], true);
    Reply waiting = book(other, sid, ben, 1, true);
    ASSERT_EQ(waiting.status, 202) << waiting.body;
    EXPECT_EQ(waiting["status"], "waitlisted");
    Reply raised = partner.patch(path, {{"capacity", 3}});
    ASSERT_EQ(raised.status, 200) << raised.body;
    EXPECT_EQ(raised["places_left"], 0);
    Reply served = other.get("/api/v1/bookings/" + std::to_string(waiting["id"].get<int>()));
    EXPECT_EQ(served["status"], "confirmed");
    EXPECT_EQ(served["origin"], "waitlist");
    EXPECT_TRUE(served["code"].is_string());
    EXPECT_EQ(partner.patch(path, {{"capacity", 0}}).error_code(), "capacity_out_of_range");
    EXPECT_EQ(logged_in(kOtherPartner).patch(path, {{"capacity", 50}}).status, 404);
}

TEST(Sessions, PartnerCancellationCancelsBookingsAndNotifies) {
    Api partner = logged_in(kPartner);
    Api worker = logged_in(kWorker);
    const auto offer = published_offer(partner, logged_in(kAdmin));
    const int sid = new_session(partner, offer, {{"capacity", 1}})["session_id"];
    Reply b = book(worker, sid, new_beneficiary(worker), 1);
    ASSERT_EQ(b.status, 201);
    Reply w = book(worker, sid, new_beneficiary(worker), 1, true);
    ASSERT_EQ(w.status, 202);
    Reply c = partner.post("/api/v1/sessions/" + std::to_string(sid) + "/cancel");
    ASSERT_EQ(c.status, 200) << c.body;
    EXPECT_EQ(c["status"], "cancelled");
    EXPECT_EQ(worker.get("/api/v1/bookings/" + std::to_string(b["id"].get<int>()))["status"], "cancelled");
    EXPECT_EQ(worker.get("/api/v1/bookings/" + std::to_string(w["id"].get<int>()))["status"], "expired");
    int notified = 0;
    for (const auto& n : worker.get("/api/v1/notifications?limit=500").items())
        if (n["kind"] == "session_cancelled" && n["session_id"] == sid) ++notified;
    EXPECT_EQ(notified, 2);
    Reply again = partner.post("/api/v1/sessions/" + std::to_string(sid) + "/cancel");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.error_code(), "session_unavailable");
    EXPECT_EQ(book(worker, sid, new_beneficiary(worker)).error_code(), "session_unavailable");
}

TEST(GuestList, ShowsFirstNameAndInitialOnly) {
    Api partner = logged_in(kPartner);
    Api worker = logged_in(kWorker);
    const std::int64_t sid = fresh_session(demo_server());
    const auto ben = new_beneficiary(
        worker, {{"first_name", "Élodie"}, {"last_name", "Œuvray"}, {"phone", "06 11 22 33 44"}, {"birth_year", 1990}});
    Reply b = book(worker, sid, ben, 2);
    ASSERT_EQ(b.status, 201);
    Reply gl = partner.get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list");
    ASSERT_EQ(gl.status, 200);
    ASSERT_EQ(gl.items().size(), 1u);
    json line = gl.items()[0];
    EXPECT_EQ(line["guest"], "Élodie Œ.");
    EXPECT_EQ(line["places"], 2);
    EXPECT_EQ(line["code"], b["code"]);
    EXPECT_EQ(line["structure"], "CCAS de Paris 11e");
    // P2: nothing else about the person anywhere in the answer.
    EXPECT_EQ(gl.body.find("Œuvray"), std::string::npos);
    EXPECT_EQ(gl.body.find("33 44"), std::string::npos);
    EXPECT_EQ(gl.body.find("1990"), std::string::npos);
    EXPECT_EQ(logged_in(kOtherPartner).get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list").status, 404);
    EXPECT_EQ(worker.get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list").status, 403);
    EXPECT_EQ(logged_in(kAdmin).get("/api/v1/sessions/" + std::to_string(sid) + "/guest-list").status, 200);
}

TEST(CheckIn, CodesAndWindow) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api partner = logged_in(kPartner, s);
    Api worker = logged_in(kWorker, s);
    const auto offer = published_offer(partner, logged_in(kAdmin, s));
    const json session = new_session(partner, offer, {{"start_local", local_start(3)}});
    const int sid = session["session_id"];
    const std::string path = "/api/v1/sessions/" + std::to_string(sid) + "/checkin";
    Reply b = book(worker, sid, new_beneficiary(worker), 2);
    ASSERT_EQ(b.status, 201);
    const std::string code = b["code"];

    // A mistyped code is refused before any look-up (K1 check symbol).
    std::string typo = code;
    typo[0] = typo[0] == 'A' ? 'B' : 'A';
    Reply bad = partner.post(path, {{"code", typo}, {"attended_count", 1}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.error_code(), "invalid_code");
    // Days before: the attendance window is closed.
    Reply early = partner.post(path, {{"code", code}, {"attended_count", 1}});
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(early.error_code(), "attendance_window_closed");

    // Another session, the day after, to try a foreign code and a no-show.
    const json later = new_session(partner, offer, {{"start_local", local_start(4)}});
    const int other_sid = later["session_id"];
    Reply other = book(worker, other_sid, new_beneficiary(worker), 1);
    ASSERT_EQ(other.status, 201) << other.body;

    advance_to(s, instant(session["start"]) - 3600);  // one hour before the start
    // Lower case and spaces are read the same (K1).
    std::string typed = code;
    for (auto& ch : typed) ch = static_cast<char>(std::tolower(ch));
    Reply ok = partner.post(path, {{"code", " " + typed + " "}, {"attended_count", 2}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok["status"], "attended");
    EXPECT_EQ(ok["attended_count"], 2);
    Reply twice = partner.post(path, {{"code", code}, {"attended_count", 2}});
    EXPECT_EQ(twice.status, 409);
    EXPECT_EQ(twice.error_code(), "already_checked_in");
    // A valid code of another session is unknown here.
    Reply unknown = partner.post(path, {{"code", other["code"]}, {"attended_count", 1}});
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(unknown.error_code(), "not_found");

    const std::string other_path = "/api/v1/sessions/" + std::to_string(other_sid) + "/checkin";
    advance_to(s, instant(later["start"]) + 3600);
    EXPECT_EQ(partner.post(other_path, {{"code", other["code"]}, {"attended_count", 5}}).error_code(),
              "attended_count_out_of_range");
    EXPECT_EQ(partner.post(other_path, {{"code", other["code"]}}).status, 422);
    Reply ns = partner.post(other_path, {{"booking_id", other["id"]}, {"no_show", true}});
    ASSERT_EQ(ns.status, 200) << ns.body;
    EXPECT_EQ(ns["status"], "no_show");
    // Another partner never reaches the session.
    EXPECT_EQ(logged_in(kOtherPartner, s).post(path, {{"code", code}, {"attended_count", 1}}).status, 404);
    // Eight days after the start: closed again.
    advance_to(s, instant(session["start"]) + 8 * 86400);
    Reply late = partner.post(path, {{"booking_id", b["id"]}, {"attended_count", 1}});
    EXPECT_EQ(late.error_code(), "attendance_window_closed");
}

TEST(CheckIn, RateLimitedPerUser) {
    ServerProcess s({.extra_args = {"--checkin-rate", "5"}});
    Api partner = logged_in(kPartner, s);
    const std::int64_t sid = fresh_session(s);
    int limited = 0;
    for (int i = 0; i < 10; ++i) {
        Reply r = partner.post("/api/v1/sessions/" + std::to_string(sid) + "/checkin",
                               {{"code", "0000-0000"}, {"attended_count", 1}});
        if (r.status == 429) ++limited;
        else EXPECT_TRUE(r.status == 404 || r.status == 422) << r.body;
    }
    EXPECT_GE(limited, 4);
}

TEST(Sessions, DaylightSavingEdgesInVenueTime) {
    Api partner = logged_in(kPartner);
    const auto offer = published_offer(partner, logged_in(kAdmin));
    const std::string path = "/api/v1/offers/" + std::to_string(offer) + "/sessions";
    const int year = uneplace::civil_from_unix(unix_now()).year + 1;
    char text[40];
    auto post = [&](const std::string& start) {
        return partner.post(path, {{"start_local", start}, {"duration_min", 60}, {"capacity", 5}});
    };
    // Spring forward: 02:30 does not exist on the last Sunday of March in Paris.
    std::snprintf(text, sizeof text, "%04d-03-%02dT02:30:00", year, uneplace::last_sunday(year, 3));
    EXPECT_EQ(post(text).error_code(), "nonexistent_local_time");
    // Fall back: 02:30 happens twice; the offset chooses the second one, the default is the first.
    std::snprintf(text, sizeof text, "%04d-10-%02dT02:30:00", year, uneplace::last_sunday(year, 10));
    Reply first = post(text);
    ASSERT_EQ(first.status, 201) << first.body;
    EXPECT_EQ(first["start_local"].get<std::string>().substr(19), "+02:00");
    Reply second = post(std::string(text) + "+01:00");
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_EQ(second["start_local"].get<std::string>().substr(19), "+01:00");
    EXPECT_EQ(instant(second["start"]) - instant(first["start"]), 3600);
    // A written offset must be the venue's real one at that instant.
    std::snprintf(text, sizeof text, "%04d-01-15T20:00:00+02:00", year);
    EXPECT_EQ(post(text).error_code(), "offset_mismatch");
}
