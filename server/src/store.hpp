// uneplace server — domain services: SQL and transactions around the shared rules. Every function
// takes the caller and scopes its queries to what the caller may see (404 for the rest). No HTTP.
//
// Index of this file:
// [SECTION] Audit log and notifications
// [SECTION] Idempotency keys
// [SECTION] Settings
// [SECTION] Session views (catalogue, session details)
// [SECTION] Scope helpers
// [SECTION] Organisations, users, settings (store_accounts.cpp)
// [SECTION] Venues, offers, sessions, guest list, check-in (store_offers.cpp)
// [SECTION] Booking engine: snapshots, codes, waitlist serving (store_bookings.cpp)
// [SECTION] Beneficiaries, bookings, feedback, notifications (store_bookings.cpp)
// [SECTION] Invitations and door lists (store_invitations.cpp)
// [SECTION] Statistics, exports, audit, consistency (store_reports.cpp)
// [SECTION] Scheduled jobs (store_jobs.cpp)
#pragma once
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "app.hpp"
#include "images.hpp"
#include "pdf.hpp"
#include "simulation.hpp"
#include "uneplace/allocation.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/fit.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Audit log and notifications
//-----------------------------------------------------------------------------

// The one function every state change goes through: who, when, what, before/after (JSON).
// `beneficiary_id` marks entries that P1 must redact when that beneficiary is erased.
void audit(SQLite::Database& conn, UnixSeconds at, std::optional<Id> actor_user_id, std::string_view action,
           std::string_view entity, std::optional<Id> entity_id, const nlohmann::json& before,
           const nlohmann::json& after, std::optional<Id> beneficiary_id = std::nullopt);

// Stores a notification for a user (listed by GET /api/v1/notifications). Message in French.
void notify(SQLite::Database& conn, UnixSeconds at, Id user_id, std::string_view kind, std::optional<Id> booking_id,
            std::optional<Id> session_id, const std::string& message);

//-----------------------------------------------------------------------------
// [SECTION] Idempotency keys
//-----------------------------------------------------------------------------

// The first answer given to (user, key) within 24 h, if any.
struct StoredAnswer {
    int status = 0;
    std::string body;
    std::string request_hash;
};
std::optional<StoredAnswer> idempotency_find(App& app, Id user_id, const std::string& key);
void idempotency_save(App& app, Id user_id, const std::string& key, const std::string& request_hash, int status,
                      const std::string& body);

//-----------------------------------------------------------------------------
// [SECTION] Settings
//-----------------------------------------------------------------------------

// The territory's row, else the national row ('*'), else DOMAIN.md's defaults.
TerritorySettings load_settings(SQLite::Database& conn, std::string_view territory);
// INSERT OR REPLACE of the territory's row ("*": national), inside the caller's transaction.
void save_settings(SQLite::Database& conn, std::string_view territory, const TerritorySettings& s, UnixSeconds now);
// The nine settings as a JSON object, by their API names (audit entries, the settings routes).
nlohmann::json settings_fields_json(const TerritorySettings& s);

//-----------------------------------------------------------------------------
// [SECTION] Session views
//-----------------------------------------------------------------------------

struct VenueView {
    Id id = 0;
    Id partner_id = 0;
    std::string name, address, postal_code, city, territory;
    AccessibilityFlags accessibility = 0;
    bool archived = false;
};

// A session with what people read about it (offer, venue, partner) and its places held.
struct SessionView {
    SessionInfo info;
    std::string title, description, pickup_mode, partner_name;
    AccessibilityFlags offer_accessibility = 0;
    VenueView venue;
    int places_held = 0;
    std::optional<UnixSeconds> opens_at_set;  // as stored (NULL = at publication)
    std::optional<UnixSeconds> drawn_at;
    int image_version = 0;  // the offer's poster (0: none), see image_urls_json()
};

// One session as the rules and the views need it, or nullopt.
std::optional<SessionView> find_session(SQLite::Database& conn, Id session_id);
// For store_*.cpp: the SELECT … FROM … of a SessionView (add WHERE/ORDER) and its row reader.
extern const char* const kSessionViewSelect;
SessionView read_session_view(SQLite::Statement& q);

struct CatalogueFilter {
    std::optional<UnixSeconds> from, to;  // start in [from, to)
    std::string territory;                // "" = all
    std::string region;                   // INSEE region code (its départements), "" = all
    std::string near;                     // a département and its neighbours, "" = all
    std::optional<Id> fits_beneficiary;   // only what fits this person's household (checked as theirs)
    std::string category;                 // "" = all
    std::string q;                        // words in title, description, venue, city, partner
    AccessibilityFlags accessible = 0;    // every flag asked must be offered
    bool available_only = false;          // places_left > 0
    int limit = 50;
    std::string cursor;
};
struct CataloguePage {
    std::vector<SessionView> items;
    std::optional<std::string> next_cursor;
    UnixSeconds as_of = 0;  // the `now` the page was read at
    // Until the next write, time alone changes the page when the first of its rows (the one after
    // the page included) closes: rows only leave the catalogue with time, none arrive.
    UnixSeconds changes_at = std::numeric_limits<UnixSeconds>::max();
};
// Published offers' scheduled sessions still open to requests (closes_at > now), by start.
CataloguePage list_catalogue(App& app, const Actor& actor, const CatalogueFilter& filter);

//-----------------------------------------------------------------------------
// [SECTION] Scope helpers
//-----------------------------------------------------------------------------

// " AND <column> IN (the admin's départements)" for a scoped admin, "" for a national one.
std::string admin_scope_sql(const Actor& admin, const char* territory_column);
// A page of results: up to `limit` items after `cursor` (ids ascending unless said otherwise).
struct PageRequest {
    int limit = 50;
    std::string cursor;  // opaque; empty = first page
};
// Decodes an id cursor (422 validation on "cursor" when malformed); 0 for the first page.
Id cursor_id(const PageRequest& page);
template <class T>
struct Page {
    std::vector<T> items;
    std::optional<std::string> next_cursor;
};
// Reads a page from a query that asks for one row more than `limit` (ordered by id, either way):
// that extra row is only there to say a next page exists, whose cursor is the last id kept.
template <class T, class ReadRow>
Page<T> read_page(SQLite::Statement& q, int limit, ReadRow read_row) {
    Page<T> out;
    while (q.executeStep()) out.items.push_back(read_row(q));
    if (static_cast<int>(out.items.size()) > limit) {
        out.items.pop_back();
        out.next_cursor = std::to_string(out.items.back().id);
    }
    return out;
}
// The row `select` + `where_id` (" WHERE x.id = ?") finds for `id`, read by `read_row`; nullopt when none.
template <class ReadRow>
auto find_by_id(SQLite::Database& conn, const char* select, const char* where_id, Id id, ReadRow read_row)
    -> std::optional<std::invoke_result_t<ReadRow, SQLite::Statement&>> {
    SQLite::Statement q(conn, std::string(select) + where_id);
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_row(q);
}
// The caller's organisation; -1 (no row has it) for an administrator, who belongs to none.
inline Id own_org(const Actor& a) { return a.organisation_id.value_or(-1); }

//-----------------------------------------------------------------------------
// [SECTION] Organisations, users, settings
//-----------------------------------------------------------------------------

struct OrganisationView {
    Id id = 0;
    OrgKind kind = OrgKind::Structure;
    std::string name, territory;
    AccountStatus status = AccountStatus::Pending;
    UnixSeconds created_at = 0;
    int users = 0;
};
struct UserView {
    Id id = 0;
    std::optional<Id> organisation_id;
    Role role = Role::SocialWorker;
    std::string email, display_name;
    AccountStatus status = AccountStatus::Pending;
    UnixSeconds created_at = 0;
    std::vector<std::string> territories;  // admins
};
struct SignUp {
    OrganisationView organisation;
    UserView contact;
};

// Whether an account has the address; inside a write transaction, 409 email_taken on `field`
// when one has it (sign-up answers the same either way, so it asks email_taken). Then the
// user row of a new account (the address normalised, the password already hashed). Returns its id.
bool email_taken(SQLite::Database& conn, const std::string& email);
void ensure_email_free(SQLite::Database& conn, const std::string& email, const char* field);
Id insert_user(SQLite::Database& conn, std::optional<Id> organisation_id, Role role, const std::string& email,
               const std::string& password_hash, const std::string& display_name, AccountStatus status,
               UnixSeconds now);
// POST /organisations: validates with the shared validator; organisation and contact pending.
SignUp sign_up(App& app, OrganisationDraft& draft);
struct OrganisationFilter {
    std::optional<AccountStatus> status;
    std::optional<OrgKind> kind;
    std::string territory;
};
Page<OrganisationView> list_organisations(App& app, const Actor& admin, const OrganisationFilter& f,
                                          const PageRequest& page);
// An admin of its territory, or a member of the organisation; 404 otherwise.
OrganisationView get_organisation(App& app, const Actor& actor, Id id);
// approve: pending | suspended → active (its pending users become active too);
// suspend: pending | active → suspended. Anything else [invalid_transition].
OrganisationView set_organisation_status(App& app, const Actor& admin, Id id, AccountStatus to);

Page<UserView> list_users(App& app, const Actor& actor, Id organisation_id, const PageRequest& page);
// A member of an active organisation invites a colleague (pending until an admin approves).
UserView add_user(App& app, const Actor& actor, Id organisation_id, std::string_view email, std::string_view password,
                  std::string_view display_name);
UserView set_user_status(App& app, const Actor& admin, Id user_id, AccountStatus to);
// The user an administrator may manage (approve, suspend, issue a reset link for): one of an
// organisation the admin sees, or — for a national admin — another administrator; never oneself
// [not_found, forbidden].
UserView user_managed_by(SQLite::Database& c, const Actor& admin, Id user_id);
// National admins create admins, national or scoped to départements.
UserView create_admin_account(App& app, const Actor& admin, std::string_view email, std::string_view password,
                              std::string_view display_name, const std::vector<std::string>& territories);

// "*" is the national row.
TerritorySettings get_settings(App& app, const Actor& admin, const std::string& territory);
TerritorySettings put_settings(App& app, const Actor& admin, const std::string& territory, const TerritorySettings& s);

//-----------------------------------------------------------------------------
// [SECTION] Venues, offers, sessions, guest list, check-in
//-----------------------------------------------------------------------------

// An instant typed by a partner: with an offset as written, without one the venue's local time.
UnixSeconds parse_instant_for_venue(const std::string& territory, const std::string& text, const char* field);

VenueView create_venue(App& app, const Actor& partner, VenueDraft& draft, const std::string& city);
Page<VenueView> list_venues(App& app, const Actor& actor, const PageRequest& page);
VenueView get_venue(App& app, const Actor& actor, Id id);
VenueView update_venue(App& app, const Actor& actor, Id id, VenueDraft& draft, const std::string& city, bool archived);

struct OfferView {
    Id id = 0;
    Id partner_id = 0;
    Id venue_id = 0;
    std::string partner_name, venue_name, territory;
    std::string title, description, category, pickup_mode;
    int min_age = 0;
    AccessibilityFlags accessibility = 0;
    OfferStatus status = OfferStatus::Draft;
    std::string reject_reason;
    std::optional<UnixSeconds> published_at;
    UnixSeconds created_at = 0, updated_at = 0;
    int sessions = 0;
    int image_version = 0;  // the poster (0: none)
};
OfferView create_offer(App& app, const Actor& partner, Id venue_id, OfferDraft& draft);
struct OfferFilter {
    std::optional<OfferStatus> status;
    std::string territory;
};
Page<OfferView> list_offers(App& app, const Actor& actor, const OfferFilter& f, const PageRequest& page);
// Partner: its own; admin: its territories; social worker: published ones. 404 otherwise.
OfferView get_offer(App& app, const Actor& actor, Id id);
// Edits while draft, pending or rejected (a rejected offer returns to draft).
OfferView update_offer(App& app, const Actor& partner, Id id, Id venue_id, OfferDraft& draft);
// Posters (issue 18): the two sizes made by images.cpp, stored with the offer (migration 13).
// Partner, own offer; the same status rule as update_offer (published: 409 invalid_transition).
OfferView set_offer_image(App& app, const Actor& partner, Id id, const Poster& poster);
// The row itself, inside the caller's transaction (the demo data seeds posters with it).
void store_offer_image(SQLite::Database& c, Id offer_id, int version, const Poster& poster, UnixSeconds now);
struct OfferImage {
    std::string bytes;  // image/webp
    std::string etag;   // differs between the two sizes
    int version = 0;
};
// Whoever may see the offer (404 otherwise); nullopt when it has no poster.
std::optional<OfferImage> get_offer_image(App& app, const Actor& actor, Id id, bool thumb);
// submit (partner): draft → pending; approve (admin): pending → published; reject (admin, reason):
// pending → rejected; archive (partner or admin). check_offer_transition decides.
OfferView transition_offer(App& app, const Actor& actor, Id id, OfferStatus to, const std::string& reason = {});

struct SessionInput {
    std::string start_local;  // venue's local time (offset optional)
    int duration_min = 0;
    int capacity = 0;
    std::optional<int> max_per_booking;
    std::optional<std::string> opens_at, closes_at, draw_at;  // RFC 3339 instants
    std::string allocation = "first_come";
};
SessionView create_session(App& app, const Actor& partner, Id offer_id, const SessionInput& in);
std::vector<SessionView> list_offer_sessions(App& app, const Actor& actor, Id offer_id);
// The session with what the caller may see about it (404 when it may not see it at all).
struct SessionDetail {
    SessionView view;
    int structure_places_held = 0;  // social worker: its structure's places
    int structure_share_cap = 0;    // R4 figure for the caller's structure
    UnixSeconds release_at = 0;
    int waitlisted = 0;  // requests waiting (partner, admin)
    int ballot_entries = 0;
    TerritorySettings settings;  // the territory's, so the browser's pre-check decides as the server
};
SessionDetail get_session(App& app, const Actor& actor, Id id);
struct SessionPatch {
    std::optional<int> capacity;
    std::optional<int> max_per_booking;
};
// Capacity raised: the waitlist is served at once (W2). Lowered: never below the places held.
SessionDetail update_session(App& app, const Actor& partner, Id id, const SessionPatch& patch);
// C2: every booking cancelled, open requests expired, every social worker concerned notified.
SessionDetail cancel_session(App& app, const Actor& actor, Id id);

struct GuestLine {
    Id booking_id = 0;
    std::string code;
    int places = 0;
    std::string guest;  // P2: "Amina K."
    std::string structure;
    std::string status;
    std::optional<int> attended_count;
};
std::vector<GuestLine> guest_list(App& app, const Actor& actor, Id session_id);

struct CheckIn {
    std::optional<std::string> code;         // as typed; or
    std::optional<Id> booking_id;            // from the guest list; or
    std::optional<std::string> ticket;       // I2: the signed ticket read from the invitation's QR code
    std::optional<std::string> ticket_code;  // set by check_in() once the ticket's signature checks
    std::optional<int> attended_count;
    bool no_show = false;
};
// A ticket that does not verify [invalid_ticket]; a cancelled booking's ticket [booking_cancelled].
GuestLine check_in(App& app, const Actor& partner, Id session_id, const CheckIn& in);
// K2 correction: a mistaken check-in (attended or no_show) goes back to confirmed while the session is
// not over; `attended_count` and `no_show` of `in` are not read. Audited as booking.check_in_undo.
GuestLine undo_check_in(App& app, const Actor& partner, Id session_id, const CheckIn& in);

//-----------------------------------------------------------------------------
// [SECTION] Booking engine
//-----------------------------------------------------------------------------

// The rules' view of a user (R10), from the caller or from the database.
uneplace::Actor rules_actor(const Actor& a);
uneplace::Actor load_rules_actor(SQLite::Database& conn, Id user_id);
// Everything decide_booking() needs, read with `conn` (inside the write transaction when deciding).
BookingSnapshot load_booking_snapshot(SQLite::Database& conn, const SessionView& session, const uneplace::Actor& actor,
                                      Id beneficiary_id, int places, UnixSeconds now,
                                      std::optional<Id> ignore_request = {});
// The beneficiary's part of that snapshot (who, no-shows, bookings, requests): R9 and R5–R8.
void load_person(SQLite::Database& conn, BookingSnapshot& snapshot, Id beneficiary_id,
                 std::optional<Id> ignore_request = {});
// The household the catalogue's fits_beneficiary= matches sessions against (size, children).
Household load_household(SQLite::Database& conn, Id beneficiary_id);
// W2/B2: attended outings of a beneficiary in the 365 days before now.
int attended_last_365(SQLite::Database& conn, Id beneficiary_id, UnixSeconds now);
// A fresh K1 code not used by any booking yet (CSPRNG through the shared generator).
std::string new_booking_code(SQLite::Database& conn);
// W1: whether every rule but scarcity still lets a waiting request through (the person may have
// booked something overlapping meanwhile, or its social worker left) — for the waitlist and the draw.
bool request_still_eligible(SQLite::Database& conn, const SessionView& session, Id worker_id, Id beneficiary_id,
                            int places, UnixSeconds now, Id request_id);
// The places each structure holds on a session (R4's figures for serving the waitlist and drawing).
std::vector<StructurePlaces> held_places_by_structure(SQLite::Database& conn, Id session_id);
// Words of the notifications: « Title » du samedi 5 décembre à 20 h; the guest as P2 shows them.
std::string session_words(const SessionView& session);
std::string guest_words(SQLite::Database& conn, Id beneficiary_id);
// W2–W3 for one session inside the caller's write transaction: serves what fits, expires what is
// past closes_at, notifies. Returns the number of requests served.
int serve_session_waitlist(SQLite::Database& conn, Id session_id, UnixSeconds now, std::optional<Id> actor_user_id);

//-----------------------------------------------------------------------------
// [SECTION] Beneficiaries, bookings, feedback, notifications
//-----------------------------------------------------------------------------

struct BeneficiaryView {
    Id id = 0;
    Id structure_id = 0;
    std::string reference;
    std::optional<std::string> first_name, last_name, postal_code, phone, preferred_language;
    std::optional<int> birth_year;
    int household_size = 1;
    std::vector<int> children_birth_years;    // migration 10; empty when not recorded
    std::optional<UnixSeconds> paused_until;  // R8, computed
    int upcoming_bookings = 0;
    bool erased = false;
    UnixSeconds created_at = 0, updated_at = 0;
};
BeneficiaryView create_beneficiary(App& app, const Actor& worker, BeneficiaryDraft& draft);
Page<BeneficiaryView> list_beneficiaries(App& app, const Actor& worker, const std::string& q, const PageRequest& page);
BeneficiaryView get_beneficiary(App& app, const Actor& worker, Id id);
BeneficiaryView update_beneficiary(App& app, const Actor& worker, Id id, BeneficiaryDraft& draft);
// R8: an admin lifts a running pause (no-shows up to now stop counting).
BeneficiaryView lift_pause(App& app, const Actor& admin, Id id);

struct FeedbackView {
    std::string went;
    std::optional<int> rating;
    std::string comment;
    UnixSeconds updated_at = 0;
};
struct BookingView {
    Id id = 0;
    Id session_id = 0;
    Id beneficiary_id = 0;
    Id structure_id = 0;
    std::string structure_name;
    int places = 0;
    std::string status, origin;
    std::optional<std::string> code;
    std::optional<int> attended_count;
    UnixSeconds created_at = 0;
    std::string beneficiary_reference;
    std::optional<std::string> first_name, last_name;  // social workers only
    // The session, as the list shows it.
    std::string title, territory, venue_name, city;
    UnixSeconds start = 0, closes_at = 0;
    int duration_min = 0;  // R6 in the browser needs the real end of the other outings
    std::optional<FeedbackView> feedback;
};

struct BookingRequest {
    Id session_id = 0;
    Id beneficiary_id = 0;
    int places = 1;
    bool join_waitlist = false;
};
// The booking decision, in one BEGIN IMMEDIATE transaction: load the snapshot after taking the
// lock, decide with the shared rules, write, commit. Refusals throw Failure (409 with the rule's
// code); a confirmed booking is status "confirmed", a request "waitlisted" or "ballot_entered".
BookingView create_booking(App& app, const Actor& worker, const BookingRequest& req);
struct BookingFilter {
    std::string status;
    std::optional<Id> session_id, beneficiary_id;
    std::string territory;
};
Page<BookingView> list_bookings(App& app, const Actor& actor, const BookingFilter& f, const PageRequest& page);
BookingView get_booking(App& app, const Actor& actor, Id id);
// C1 for bookings; a waitlist or ballot request is withdrawn. Freed places serve the waitlist.
BookingView cancel_booking(App& app, const Actor& worker, Id id);
BookingView save_feedback(App& app, const Actor& worker, Id id, FeedbackDraft& draft);

struct NotificationView {
    Id id = 0;
    std::string kind, message;
    std::optional<Id> booking_id, session_id;
    UnixSeconds created_at = 0;
    bool read = false;
};
Page<NotificationView> list_notifications(App& app, const Actor& actor, bool unread_only, const PageRequest& page);
NotificationView mark_notification_read(App& app, const Actor& actor, Id id);

//-----------------------------------------------------------------------------
// [SECTION] Invitations and door lists
//-----------------------------------------------------------------------------

// I1–I2: what the invitation of a booking prints, with its freshly signed ticket. The social
// worker's own structure or an admin of its territory (404 otherwise); a cancelled booking
// [booking_cancelled], a request without a place [booking_not_active].
InvitationPdf invitation_for(App& app, const Actor& actor, Id booking_id);
// I3: the session's door list (its partner, or an admin of its territory), sorted by code.
DoorListPdf door_list_for(App& app, const Actor& actor, Id session_id);

//-----------------------------------------------------------------------------
// [SECTION] Statistics, exports, audit, consistency
//-----------------------------------------------------------------------------

std::vector<ImpactRow> impact_stats(App& app, const Actor& admin, const ImpactQuery& q);
// The same figures for one session, all time (the feed's session report): zero for a session whose
// offer was never published. No access check: the caller's.
ImpactFigures session_impact(SQLite::Database& conn, Id session_id);
// Issue 17, part 2: the impact report of a period [from, to) for a territory ("" = all the admin's),
// worded for funders: the figures of impact_stats() (the dashboard's), by month, category and
// département, and the rules' simulated effect (a national year at 1 %, seed 1, with the
// territory's settings). Another territory than the admin's [forbidden].
ImpactReportPdf impact_report_for(App& app, const Actor& admin, const ImpactQuery& period);

// Issue 17, part 3: the territory's last 12 months replayed by the simulation (simulation.hpp)
// under its current settings and under proposed ones, on the same requests.
struct SettingsWhatIf {
    std::string territory;
    UnixSeconds from = 0, to = 0;
    std::int64_t sessions = 0, requests = 0;
    TerritorySettings current, proposed;
    int current_reminder_hours = 72, proposed_reminder_hours = 72;
    sim::PolicyFigures current_figures, proposed_figures;
};
// `proposed_reminder_hours`: the M2 delay to try (none: the scheduler's current 72 h).
SettingsWhatIf settings_what_if(App& app, const Actor& admin, const std::string& territory,
                                const TerritorySettings& proposed, std::optional<int> proposed_reminder_hours);
std::string export_bookings_csv(App& app, const Actor& admin, std::optional<UnixSeconds> from,
                                std::optional<UnixSeconds> to, const std::string& territory);
struct AuditEntry {
    Id id = 0;
    UnixSeconds at = 0;
    std::optional<Id> actor_user_id;
    std::string action, entity;
    std::optional<Id> entity_id;
    nlohmann::json before, after;
    bool redacted = false;
};
struct AuditFilter {
    std::string entity, action;
    std::optional<Id> entity_id;
};
Page<AuditEntry> list_audit(App& app, const Actor& admin, const AuditFilter& f, const PageRequest& page);
// Sessions whose held places exceed capacity, or whose kept counter (sessions.places_held) differs
// from the sum over their bookings (always empty unless something went very wrong).
struct ConsistencyIssue {
    Id session_id = 0;
    int capacity = 0;
    int held = 0;  // summed over the bookings
    int kept = 0;  // sessions.places_held
};
std::vector<ConsistencyIssue> consistency_check(App& app);

//-----------------------------------------------------------------------------
// [SECTION] Scheduled jobs
//-----------------------------------------------------------------------------
// Each job takes its own write transactions (one per session or batch), re-checks under the lock
// what it is about to change, and can run concurrently with requests and with itself.

// B2–B3 at draw_at: winners confirmed, losers on the waitlist in draw order, seed recorded.
int run_due_draws(App& app);
// W3 at closes_at: remaining requests expire and are notified.
int expire_closed_waitlists(App& app);
// W2 for sessions with a waitlist (places freed by the lifted R4 cap, for instance).
int serve_open_waitlists(App& app);
// Reminder the day before: confirmed bookings whose session starts within 24 h.
int send_reminders(App& app);
// P1: beneficiaries inactive for the territory's retention period lose their identifying fields;
// the audit log entries about them are redacted the same way.
int erase_inactive_beneficiaries(App& app);
// Expired login sessions, idempotency keys older than 24 h, notifications older than a year.
void housekeeping(App& app);

// B3: the recorded draw of a ballot session (404 before the draw or when not visible).
struct BallotDrawView {
    Id session_id = 0;
    std::string seed;  // 16 hex digits
    UnixSeconds drawn_at = 0;
    nlohmann::json lines;  // [{request_id, key, attended_last_365, places, outcome}] in draw order
};
BallotDrawView get_ballot_draw(App& app, const Actor& actor, Id session_id);

}  // namespace uneplace::server
