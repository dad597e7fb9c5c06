// uneplace client — what several screens share, each piece with one owner of its loading:
// the structure's beneficiaries and bookings (booking form, "Mes réservations", "Bénéficiaires"),
// the partner's venues and offers (offers, venues and guest-list screens), the administrator's
// user list (validations and directory). A screen that changes something calls the matching
// invalidate: the next screen that needs it loads it again.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "api/remote.hpp"
#include "api/types.hpp"
#include "ctx.hpp"

struct SocialWorkerData {
    Remote<std::vector<Beneficiary>> beneficiaries;
    Remote<std::vector<Booking>> bookings;  // every booking of the structure
    int bookings_generation = 0;            // grows when a booking is made or cancelled
    // "Ajouter une personne" from a booking form: the request (read by the beneficiaries screen,
    // which opens its form), then the answer (read by the booking form, which picks the person).
    long long add_person_for_session = 0;
    long long person_added = 0;
    long long person_added_for_session = 0;
    // "Pour qui ?" of the catalogue: the person the catalogue is filtered for, whom the booking
    // form then starts with (places = their household).
    long long catalogue_person = 0;
};

// Fetches a PDF the server makes and saves it through the browser's download; `done` gets the
// French notice to show (saved, refused by the browser, or the server's refusal).
enum class PdfKind { Invitation, DoorList };
void download_pdf(PdfKind kind, long long id, const std::string& filename,
                  std::function<void(bool saved, const std::string& notice)> done);
// The impact report of the dashboard's query string (from, to, territory), saved the same way.
void download_impact_report(const std::string& query_string, const std::string& filename,
                            std::function<void(bool saved, const std::string& notice)> done);

struct PartnerData {
    Remote<std::vector<Venue>> venues;
    Remote<std::vector<Offer>> offers;  // newest first
    // Requests from one partner screen to another, read (and cleared) by the one they name.
    bool open_venue_form = false;  // "Ajouter d’abord un lieu" → "Mes lieux" opens its form
    long long focus_offer = 0;     // back from a guest list → "Mes offres" shows its offer
};

// Every user of the administrator's organisations, gathered organisation by organisation (the
// API lists users per organisation).
struct AdminUsers {
    std::vector<UserRow> items;
    int pending_requests = 0;
    bool loaded = false, loading = false;
    bool truncated = false;  // more organisations than we ask about at once
    std::optional<ApiError> error;
    int generation = 0;
};

struct AdminData {
    AdminUsers users;
    int decisions = 0;  // grows with every decision taken: the lists showing statuses reload
    // "Journal" on an organisation or a user: the audit log opens on that object.
    std::string audit_entity;
    long long audit_id = 0;
};

extern SocialWorkerData g_social;
extern PartnerData g_partner_data;
extern AdminData g_admin_data;

// Loads what is missing (the frame after an invalidate), a no-op otherwise.
void data_need_beneficiaries();
void data_need_bookings();
void data_need_venues();
void data_need_offers();
void data_load_admin_users();
// A booking was made, cancelled or withdrawn: bookings, people's upcoming counts and the
// catalogue's places have changed.
void data_bookings_changed();
// Forgets (logout) or retries what failed (reconnection).
void data_reset(Reset what);

const Venue* venue_by_id(long long id);
const Offer* offer_by_id(long long id);
