// uneplace client — the people a structure accompanies: list, search, create, edit.
// The form is checked by the shared validate_beneficiary() as the user types — the same function
// the server runs on POST/PATCH — so an error shows under its field before anything is sent.
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/calls.hpp"
#include "data/data.hpp"
#include "imgui.h"
#include "platform.hpp"
#include "screens/screens.hpp"
#include "ui/format.hpp"
#include "ui/theme.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"

namespace {

struct BeneficiaryForm {
    bool open = false;
    long long editing_id = 0;  // 0: a new beneficiary
    Beneficiary draft;
    std::string birth_year_text;  // typed as text, validated by the shared rules
    std::string household_text = "1";
    std::string children_text;  // the children's birth years, "2017, 2020"
    bool busy = false;
    std::optional<ApiError> error;
    std::string visited;              // names of the fields the user has left, space-separated
    long long return_to_session = 0;  // opened from a booking form: go back there once saved
    std::string idempotency_key;      // a new person is created once, even if the answer is lost
};

// The list itself is shared data (g_social.beneficiaries): the booking form reads it too.
struct BeneficiariesState {
    std::string search;
    BeneficiaryForm form;
    std::string notice;
    double notice_at = 0;
};
BeneficiariesState g_beneficiaries;

int current_year() { return uneplace::civil_from_unix(platform_now_unix()).year; }

// The draft as the shared validator sees it (birth year and household typed as text).
uneplace::BeneficiaryDraft to_draft(const BeneficiaryForm& f, std::vector<uneplace::Refusal>& extra) {
    uneplace::BeneficiaryDraft d;
    d.first_name = f.draft.first_name;
    d.last_name = f.draft.last_name;
    d.postal_code = f.draft.postal_code;
    d.phone = f.draft.phone;
    d.preferred_language = f.draft.preferred_language;
    const std::string year = std::string(uneplace::trim(f.birth_year_text));
    if (!year.empty()) {
        if (year.find_first_not_of("0123456789") != std::string::npos || year.size() > 4)
            extra.push_back({"birth_year_out_of_range", "birth_year"});
        else d.birth_year = std::atoi(year.c_str());
    }
    const std::string household = std::string(uneplace::trim(f.household_text));
    if (household.empty() || household.find_first_not_of("0123456789") != std::string::npos || household.size() > 3)
        extra.push_back({"household_size_out_of_range", "household_size"});
    else d.household_size = std::atoi(household.c_str());
    // Years separated by commas or spaces; anything else is said by the shared rule's message.
    std::string year_text;
    for (char ch : f.children_text + " ") {
        if (ch >= '0' && ch <= '9') {
            year_text += ch;
            continue;
        }
        if (ch != ',' && ch != ' ' && ch != ';') {
            extra.push_back({"children_out_of_range", "children_birth_years"});
            break;
        }
        if (!year_text.empty())
            d.children_birth_years.push_back(year_text.size() <= 4 ? std::atoi(year_text.c_str()) : 0);
        year_text.clear();
    }
    return d;
}

void save_beneficiary(Ctx& ctx) {
    BeneficiaryForm& f = g_beneficiaries.form;
    f.busy = true;
    f.error.reset();
    std::vector<uneplace::Refusal> extra;
    uneplace::BeneficiaryDraft d = to_draft(f, extra);
    uneplace::validate_beneficiary(d, current_year());  // normalises (trim, phone in E.164)
    nlohmann::json body = {{"first_name", d.first_name},
                           {"last_name", d.last_name},
                           {"postal_code", d.postal_code},
                           {"household_size", d.household_size},
                           {"children_birth_years", d.children_birth_years}};
    body["birth_year"] = d.birth_year ? nlohmann::json(*d.birth_year) : nlohmann::json(nullptr);
    body["phone"] = d.phone.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.phone);
    body["preferred_language"] =
        d.preferred_language.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.preferred_language);
    const bool creating = f.editing_id == 0;
    if (creating && f.idempotency_key.empty()) f.idempotency_key = api_new_idempotency_key();
    api_save_beneficiary(
        f.editing_id, body, f.idempotency_key,
        [&ctx, creating](Beneficiary saved) {
            BeneficiariesState& st = g_beneficiaries;
            st.notice =
                (creating ? "Personne ajoutée : " : "Modifications enregistrées : ") + saved.display_name() + ".";
            st.notice_at = 0;
            const long long back_to = st.form.return_to_session;
            st.form = BeneficiaryForm{};
            g_social.beneficiaries.invalidate();
            // Coming from a booking form: back there, with the new person chosen.
            if (creating && back_to != 0) {
                g_social.person_added = saved.id;
                g_social.person_added_for_session = back_to;
                ctx.navigate(Route{Screen::SessionDetail, back_to});
            }
        },
        [](const ApiError& e) {
            BeneficiaryForm& form = g_beneficiaries.form;
            form.busy = false;
            form.error = e;
            if (e.status != 0) form.idempotency_key.clear();  // answered: a new attempt is a new create
        });
}

void show_form(Ctx& ctx) {
    BeneficiaryForm& f = g_beneficiaries.form;
    std::vector<uneplace::Refusal> refusals;
    uneplace::BeneficiaryDraft d = to_draft(f, refusals);
    for (auto& r : uneplace::validate_beneficiary(d, current_year())) refusals.push_back(r);
    const bool valid = refusals.empty();

    ui_begin_card(560);
    ImGui::PushFont(g_fonts.bold);
    ImGui::TextUnformatted(f.editing_id ? "Modifier la fiche" : "Ajouter une personne accompagnée");
    ImGui::PopFont();
    ui_text_colored(ui_color::muted, "Seules les informations utiles à la sortie sont demandées ; la structure se "
                                     "porte garante de la situation de la personne.");
    // An error shows once the field holds something or was left: not on a fresh, empty form.
    // Fields go two by two so the whole form fits a laptop screen.
    const float half = (560 - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
    auto field = [&](const char* caption, std::string* value, const char* name, const char* hint, bool same_line) {
        if (same_line) ImGui::SameLine();
        ImGui::BeginGroup();
        ui_text_field(caption, value, UiField_None, hint, half);
        if (ImGui::IsItemDeactivated() && f.visited.find(name) == std::string::npos)
            f.visited += std::string(name) + " ";
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + half);
        if (!value->empty() || f.visited.find(name) != std::string::npos) ui_field_error(ws_error_for(refusals, name));
        ImGui::PopTextWrapPos();
        ImGui::EndGroup();
    };
    field("Prénom", &f.draft.first_name, "first_name", nullptr, false);
    field("Nom", &f.draft.last_name, "last_name", nullptr, true);
    field("Année de naissance (facultatif)", &f.birth_year_text, "birth_year", "ex. 1987", false);
    field("Code postal", &f.draft.postal_code, "postal_code", "ex. 93200", true);
    if (ws_error_for(refusals, "postal_code").empty()) {
        const auto dep = uneplace::departement_from_postal_code(d.postal_code);
        if (dep.ok())
            ui_text_colored(ui_color::muted,
                            "Département : " + dep.value + " " + std::string(uneplace::departement_name(dep.value)));
    }
    field("Personnes dans le foyer", &f.household_text, "household_size", nullptr, false);
    field("Années de naissance des enfants (facultatif)", &f.children_text, "children_birth_years", "ex. 2017, 2020",
          true);
    field("Téléphone pour les rappels (facultatif)", &f.draft.phone, "phone", "06 12 34 56 78", false);
    field("Langue préférée (facultatif)", &f.draft.preferred_language, "preferred_language", nullptr, true);
    if (f.error) ui_banner(f.error->message, ui_color::danger);
    if (ui_primary_button(f.editing_id ? "Enregistrer" : "Ajouter la personne", valid && !f.busy))
        save_beneficiary(ctx);
    ImGui::SameLine();
    if (ui_secondary_button("Annuler")) f = BeneficiaryForm{};
    ui_end_card();
}

}  // namespace

void reset_beneficiaries(Reset what) {
    if (what == Reset::Everything) g_beneficiaries = BeneficiariesState{};
}

void draw_beneficiaries(Ctx& ctx) {
    BeneficiariesState& s = g_beneficiaries;
    const Remote<std::vector<Beneficiary>>& people = g_social.beneficiaries;
    data_need_beneficiaries();
    // Opened from a booking form's "Ajouter une personne": the form, and back there once saved.
    if (g_social.add_person_for_session) {
        s.form = BeneficiaryForm{};
        s.form.open = true;
        s.form.return_to_session = g_social.add_person_for_session;
        g_social.add_person_for_session = 0;
    }
    screen_title("Personnes accompagnées",
                 "Les bénéficiaires de votre structure. Vous seul·e et vos collègues les voyez.");
    ui_notice(s.notice, s.notice_at);
    if (people.error) ui_banner(people.error->message, ui_color::danger);

    if (s.form.open) {
        show_form(ctx);
        ImGui::Spacing();
    } else if (ui_primary_button("Ajouter une personne")) {
        s.form = BeneficiaryForm{};
        s.form.open = true;
        s.notice.clear();
    }
    ImGui::SameLine();
    ui_text_field("Rechercher une personne", &s.search, UiField_None, "nom, prénom, code postal", 320);

    if (ImGui::BeginTable("Bénéficiaires", 6,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                              ImGuiTableFlags_PadOuterX)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Nom");
        ImGui::TableSetupColumn("Code postal");
        ImGui::TableSetupColumn("Foyer");
        ImGui::TableSetupColumn("Réservations à venir");
        ImGui::TableSetupColumn("Situation");
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 110);
        ImGui::TableHeadersRow();
        for (const Beneficiary& b : remote_or_empty(people)) {
            if (!s.search.empty() && !matches_search(b.display_name() + " " + b.postal_code, s.search)) continue;
            ImGui::PushID((int)b.id);
            ImGui::TableNextRow(0, 36);
            ImGui::TableNextColumn();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted(b.display_name().c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(b.postal_code.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%d", b.household_size);
            ImGui::TableNextColumn();
            ImGui::Text("%d", b.upcoming_bookings);
            ImGui::TableNextColumn();
            if (!b.paused_until.empty()) {
                const auto until = uneplace::parse_utc_instant(b.paused_until);
                ui_text_colored(
                    ui_color::danger,
                    "En pause jusqu’au " + (until.ok() ? uneplace::format_date_fr("75", until.value) : b.paused_until));
            } else {
                ImGui::TextDisabled("Peut réserver");
            }
            ImGui::TableNextColumn();
            const std::string edit = "Modifier##" + b.display_name();
            if (ImGui::SmallButton(edit.c_str())) {
                BeneficiaryForm& f = s.form;
                f = BeneficiaryForm{};
                f.open = true;
                f.editing_id = b.id;
                f.draft = b;
                f.birth_year_text = b.birth_year > 0 ? std::to_string(b.birth_year) : "";
                f.household_text = std::to_string(b.household_size);
                for (int y : b.children_birth_years)
                    f.children_text += (f.children_text.empty() ? "" : ", ") + std::to_string(y);
                s.notice.clear();
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (people.ready() && people.value->empty() && !people.error)
        ui_text_colored(ui_color::muted, "Aucune personne enregistrée pour le moment.");
}
