// uneplace client — the state of "Mes offres", shared by its two files: partner_offers.cpp (the
// offers, the offer form, the selected offer) and partner_offer_sessions.cpp (the selected offer's
// sessions: the form adding one or a run, the table, the capacity and cancellation dialogs).
// Only these two files include this header.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "api/remote.hpp"
#include "api/types.hpp"
#include "ctx.hpp"
#include "uneplace/validation.hpp"

struct OfferForm {
    bool open = false;
    long long editing_id = 0;  // 0: a new offer
    long long venue_id = 0;
    uneplace::OfferDraft draft{"", "", "", 0, 0, "guest_list"};
    std::string visited;
    bool busy = false;
    bool submit_after_save = false;
    std::optional<ApiError> error;
    std::string idempotency_key;  // a new offer is created once, even if the answer is lost
};

// A run of shows: the same hour on several dates, with the same places and rules.
struct SessionsForm {
    bool open = false;
    std::string dates;  // "05/12/2026, 06/12/2026" or ISO dates
    std::string time = "20:00";
    int duration_min = 90;
    int capacity = 10;
    int max_per_booking = 2;
    bool custom_close = false;
    int close_hours = 24;  // closes_at = start − close_hours
    bool ballot = false;
    int draw_hours = 48;  // draw_at = start − draw_hours
    std::string visited;
    bool busy = false;
    int sent = 0, created = 0;
    std::vector<std::string> failures;          // "sam. 5 déc. : message"
    std::vector<std::string> idempotency_keys;  // one per planned date, kept until answered
};

struct CapacityEdit {
    long long session_id = 0;
    int capacity = 0;
    int places_held = 0;
    bool busy = false;
    std::optional<ApiError> error;
    bool refreshing = false;  // places_held is being asked again (the table may be stale)
};

struct CancelConfirm {
    long long session_id = 0;
    std::string when;
    int places_held = 0;
    bool busy = false;
    std::optional<ApiError> error;
};

struct PartnerOffersState {
    long long selected_offer = 0;
    long long sessions_for = 0;
    Remote<std::vector<SessionRow>> sessions;
    OfferForm offer_form;
    SessionsForm sessions_form;
    CapacityEdit capacity;
    CancelConfirm cancel;
    std::string notice;
    double notice_at = 0;
    std::optional<ApiError> action_error;
    bool poster_busy = false;  // a poster is being sent (issue 18)
    // Frames during which to bring the selected offer's panel (or the new sessions form) into view:
    // a few, since the scroll range grows only once the new content has been laid out.
    int scroll_to_detail = 0;
    int scroll_to_sessions_form = 0;
};
extern PartnerOffersState g_partner;

// partner_offer_sessions.cpp
void load_sessions(long long offer_id);
void show_sessions_form(const Offer& offer);
void show_sessions_table(Ctx& ctx, const Offer& offer);
void show_session_dialogs();
// "Théâtre du Faubourg (Paris)".
std::string venue_label(const Venue& v);
