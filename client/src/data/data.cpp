// uneplace client — shared data (data/data.hpp).
#include "data/data.hpp"

#include <algorithm>

#include "api/calls.hpp"
#include "platform.hpp"

SocialWorkerData g_social;
PartnerData g_partner_data;
AdminData g_admin_data;

void data_need_beneficiaries() {
    if (g_social.beneficiaries.needs_load()) remote_load(g_social.beneficiaries, api_beneficiaries);
}

void data_need_bookings() {
    if (g_social.bookings.needs_load())
        remote_load(g_social.bookings, [](auto ok, auto fail) { api_bookings(0, ok, fail); });
}

void data_need_venues() {
    if (g_partner_data.venues.needs_load()) remote_load(g_partner_data.venues, api_venues);
}

void data_need_offers() {
    if (!g_partner_data.offers.needs_load()) return;
    remote_load(g_partner_data.offers, [](auto ok, auto fail) {
        api_offers(
            [ok](std::vector<Offer> offers) {
                std::stable_sort(offers.begin(), offers.end(),
                                 [](const Offer& a, const Offer& b) { return a.id > b.id; });
                ok(std::move(offers));
            },
            fail);
    });
}

void data_bookings_changed() {
    g_social.bookings.invalidate();
    g_social.beneficiaries.invalidate();
    ++g_social.bookings_generation;
}

void data_load_admin_users() {
    AdminUsers& u = g_admin_data.users;
    const int generation = ++u.generation;
    u.loading = true;
    u.error.reset();
    auto failed = [generation](const ApiError& e) {
        AdminUsers& us = g_admin_data.users;
        if (us.generation != generation) return;
        us.error = e;
        if (--us.pending_requests <= 0) us.loading = false, us.loaded = true;
    };
    api_organisations(
        "",
        [generation, failed](std::vector<Organisation> orgs) {
            AdminUsers& st = g_admin_data.users;
            if (st.generation != generation) return;
            st.items.clear();
            st.pending_requests = (int)orgs.size();
            if (orgs.empty()) st.loading = false, st.loaded = true;
            for (const Organisation& o : orgs) {
                const std::string name = o.name;
                api_organisation_users(
                    o.id,
                    [generation, name](std::vector<UserRow> users) {
                        AdminUsers& us = g_admin_data.users;
                        if (us.generation != generation) return;
                        for (UserRow& row : users) {
                            row.organisation_name = name;
                            us.items.push_back(std::move(row));
                        }
                        if (--us.pending_requests == 0) {
                            us.loading = false;
                            us.loaded = true;
                            std::sort(us.items.begin(), us.items.end(),
                                      [](const UserRow& a, const UserRow& b) { return a.id > b.id; });
                        }
                    },
                    failed);
            }
        },
        [generation](const ApiError& e) {
            AdminUsers& st = g_admin_data.users;
            if (st.generation != generation) return;
            st.loading = false;
            st.loaded = true;
            st.error = e;
        },
        [generation](bool truncated) {
            if (g_admin_data.users.generation == generation) g_admin_data.users.truncated = truncated;
        });
}

void data_reset(Reset what) {
    if (what == Reset::Everything) {
        g_social = SocialWorkerData{};
        g_partner_data = PartnerData{};
        const int generation = g_admin_data.users.generation + 1;  // answers in flight are dropped
        g_admin_data = AdminData{};
        g_admin_data.users.generation = generation;
        return;
    }
    g_social.beneficiaries.retry();
    g_social.bookings.retry();
    g_partner_data.venues.retry();
    g_partner_data.offers.retry();
    if (g_admin_data.users.error) g_admin_data.users.loaded = false, g_admin_data.users.error.reset();
}

const Venue* venue_by_id(long long id) {
    for (const Venue& v : remote_or_empty(g_partner_data.venues))
        if (v.id == id) return &v;
    return nullptr;
}

const Offer* offer_by_id(long long id) {
    for (const Offer& o : remote_or_empty(g_partner_data.offers))
        if (o.id == id) return &o;
    return nullptr;
}

namespace {
// Saves the bytes the server sent as `filename`, once they are seen to be a PDF.
std::function<void(std::string)> save_pdf(const std::string& filename,
                                          std::function<void(bool saved, const std::string& notice)> done) {
    return [filename, done](std::string bytes) {
        // A PDF starts with "%PDF-": anything else (a proxy's page) is not saved as one.
        if (bytes.rfind("%PDF-", 0) != 0) {
            done(false, "Le fichier reçu n’est pas un PDF. Réessayez.");
            return;
        }
        const bool saved = platform_download_file(filename, "application/pdf", bytes);
        done(saved, saved ? "Fichier enregistré : " + filename
                          : "Le navigateur a refusé le téléchargement : autorisez les téléchargements pour ce site.");
    };
}
}  // namespace

void download_pdf(PdfKind kind, long long id, const std::string& filename,
                  std::function<void(bool saved, const std::string& notice)> done) {
    auto fail = [done](const ApiError& e) { done(false, e.message); };
    if (kind == PdfKind::Invitation) api_invitation_pdf(id, save_pdf(filename, done), fail);
    else api_door_list_pdf(id, save_pdf(filename, done), fail);
}

void download_impact_report(const std::string& query_string, const std::string& filename,
                            std::function<void(bool saved, const std::string& notice)> done) {
    api_impact_report_pdf(query_string, save_pdf(filename, done),
                          [done](const ApiError& e) { done(false, e.message); });
}
