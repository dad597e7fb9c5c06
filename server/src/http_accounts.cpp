// uneplace server — routes of accounts: login, logout, me, organisations and their users, admins,
// territory settings.
//
// Index of this file:
// [SECTION] Login, logout, me
// [SECTION] Organisations and users
// [SECTION] Settings
// [SECTION] Route table
#include <fmt/format.h>

#include "api.hpp"
#include "auth.hpp"
#include "security.hpp"
#include "simulation.hpp"
#include "store.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/validation.hpp"
#include "views.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Login, logout, me
//-----------------------------------------------------------------------------

std::string session_cookie(const App& app, const std::string& token, int max_age) {
    return fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}", session_cookie_name(app.options),
                       token, max_age, secure_cookies(app.options) ? "; Secure" : "");
}

// A page of our own origin (the browser says so in Sec-Fetch-Site, which no script can set) keeps
// its session in the HttpOnly cookie: the bearer token is not handed to it, so no script on the
// page can ever read it. Other clients (curl, a partner's system) get the token.
bool cookie_client(const Request& req) { return req.header("sec-fetch-site") == "same-origin"; }

// A ceiling per client address (behind a trusted proxy, the address it forwards) that every route
// costing an Argon2id hash shares — login, sign-up, a reset link's use — wide enough for a whole
// social centre behind one address: the 429 to answer when it is reached.
std::optional<Response> over_address_ceiling(App& app, const Request& req) {
    if (app.login_address_limiter.allow("login|" + req.remote_addr)) return std::nullopt;
    Response r = error_response(Failure("rate_limited"));
    r.headers.emplace_back("Retry-After", "60");
    return r;
}

// An answer holding a secret shown this once (a login's tokens, a reset link, a TOTP secret,
// recovery codes): no cache may keep it.
Response shown_once(int status, const json& body) {
    Response r = json_response(status, body);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

// The caller as /me shows it: with, for an administrator still without a second factor, the
// screen the app must open first.
json me_json(const App& app, const Actor& a) {
    json j = user_json(a);
    j["second_factor_setup_required"] = must_enrol_second_factor(app, a);
    return j;
}

Response post_login(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"email", "password", "totp"});
    const std::string email = req_string(body, "email");
    const std::string password = req_string(body, "password");
    const std::optional<std::string> totp = opt_string(body, "totp");
    // What is not an e-mail address is refused before any limiter sees it: malformed attempts
    // cost nothing and can never lock anybody out (nor fill a limiter's memory).
    if (email.size() > static_cast<std::size_t>(limits::kEmailMaxChars)) fail("invalid_email", "email");
    if (auto r = validate_email(trim(email))) fail(*r);
    // The per-address ceiling, then the account's own back-off after wrong passwords, whoever
    // sends them.
    if (auto refused = over_address_ceiling(app, req)) return *refused;
    if (const int wait = app.login_backoff.wait_seconds(normalize_email(email)); wait > 0) {
        Response r = error_response(Failure("rate_limited"));
        r.headers.emplace_back("Retry-After", std::to_string(wait));
        return r;
    }
    LoginResult res = login(app, email, password, totp, req.header("user-agent"));
    json answer = {
        {"csrf_token", res.csrf_token},
        {"expires_at", time_or_null(res.expires_at)},
        {"user", me_json(app, res.actor)},
    };
    if (!cookie_client(req)) answer["token"] = res.token;
    Response r = shown_once(200, answer);
    r.headers.emplace_back("Set-Cookie", session_cookie(app, res.token, app.options.session_hours * 3600));
    return r;
}

Response post_logout(App& app, Request& req) {
    logout(app, req.who());
    Response r = json_response(200, {{"status", "logged_out"}});
    r.headers.emplace_back("Set-Cookie", session_cookie(app, "", 0));
    return r;
}

Response get_me(App& app, Request& req) { return json_response(200, me_json(app, req.who())); }

//-----------------------------------------------------------------------------
// [SECTION] Securing one's account (security.hpp)
//-----------------------------------------------------------------------------

Response no_content() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response post_me_password(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"current_password", "new_password"});
    change_password(app, req.who(), req_string(body, "current_password"), req_string(body, "new_password"));
    return no_content();
}

Response get_me_sessions(App& app, Request& req) {
    json items = json::array();
    for (const LoginSessionView& s : list_login_sessions(app, req.who()))
        items.push_back({{"id", s.id},
                         {"created_at", time_or_null(s.created_at)},
                         {"last_seen_at", time_or_null(s.last_seen_at)},
                         {"expires_at", time_or_null(s.expires_at)},
                         {"user_agent", s.user_agent},
                         {"current", s.current}});
    return json_response(200, page_json(std::move(items), std::nullopt));
}

Response delete_me_session(App& app, Request& req) {
    end_login_session(app, req.who(), req.id_param());
    Response r = no_content();
    // Ending the session this browser uses is a logout: its cookie goes too.
    if (req.id_param() == req.who().auth_session_id) r.headers.emplace_back("Set-Cookie", session_cookie(app, "", 0));
    return r;
}

Response post_reset_link(App& app, Request& req) {
    const ResetLink link = issue_reset_link(app, req.who(), req.id_param());
    return shown_once(201, {{"url", link.url}, {"expires_at", time_or_null(link.expires_at)}});
}

Response post_auth_reset(App& app, Request& req) {
    // Anyone may try a link: the per-address login bucket keeps guessing (and Argon2id work) bounded.
    if (auto refused = over_address_ceiling(app, req)) return *refused;
    const json& body = req.body_json();
    reject_unknown_fields(body, {"token", "new_password"});
    reset_password(app, req_string(body, "token"), req_string(body, "new_password"));
    return no_content();
}

Response post_me_totp(App& app, Request& req) {
    const TotpEnrolment e = start_totp(app, req.who());
    return shown_once(201, {{"secret", e.secret},
                            {"otpauth_url", e.otpauth_url},
                            {"qr", {{"size", e.qr_size}, {"modules", e.qr_modules}}}});
}

Response post_me_totp_confirm(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"code"});
    return shown_once(200, {{"recovery_codes", confirm_totp(app, req.who(), req_string(body, "code"))}});
}

//-----------------------------------------------------------------------------
// [SECTION] Organisations and users
//-----------------------------------------------------------------------------

Response post_organisation(App& app, Request& req) {
    // A sign-up costs an Argon2id hash: it shares the per-address login bucket, so nobody floods it.
    if (auto refused = over_address_ceiling(app, req)) return *refused;
    const json& body = req.body_json();
    reject_unknown_fields(body, {"kind", "name", "territory", "contact"});
    const json& contact = req_object(body, "contact");
    reject_unknown_fields(contact, {"email", "password", "display_name"}, "contact.");
    OrganisationDraft d;
    d.kind = req_string(body, "kind");
    d.name = req_string(body, "name");
    d.territory = req_string(body, "territory");
    d.contact_email = req_string(contact, "email", "contact.email");
    d.contact_password = req_string(contact, "password", "contact.password");
    d.contact_display_name = req_string(contact, "display_name", "contact.display_name");
    SignUp s = sign_up(app, d);
    json j = organisation_json(s.organisation);
    // No user id: the answer must be the same whether the address was free or not (sign_up).
    j["contact"] = user_view_json(s.contact);
    j["contact"].erase("id");
    return json_response(201, j);
}

Response get_organisations(App& app, Request& req) {
    OrganisationFilter f;
    if (auto s = query_param(req, "status")) {
        f.status = from_code<AccountStatus>(*s);
        if (!f.status) fail("validation", "status");
    }
    if (auto k = query_param(req, "kind")) {
        auto kind = parse_org_kind(*k);
        if (!kind.ok()) fail(*kind.refusal);
        f.kind = kind.value;
    }
    if (auto t = query_param(req, "territory")) {
        if (auto r = validate_territory(*t)) fail(*r);
        f.territory = *t;
    }
    auto page = list_organisations(app, req.who(), f, page_of(req));
    return page_response(page, organisation_json);
}

Response get_organisation_route(App& app, Request& req) {
    return json_response(200, organisation_json(get_organisation(app, req.who(), req.id_param())));
}

Response post_org_approve(App& app, Request& req) {
    return json_response(
        200, organisation_json(set_organisation_status(app, req.who(), req.id_param(), AccountStatus::Active)));
}

Response post_org_suspend(App& app, Request& req) {
    return json_response(
        200, organisation_json(set_organisation_status(app, req.who(), req.id_param(), AccountStatus::Suspended)));
}

Response get_org_users(App& app, Request& req) {
    auto page = list_users(app, req.who(), req.id_param(), page_of(req));
    return page_response(page, user_view_json);
}

Response post_org_user(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"email", "password", "display_name"});
    const Id org = req.id_param();
    UserView u = add_user(app, req.who(), org, req_string(body, "email"), req_string(body, "password"),
                          req_string(body, "display_name"));
    return json_response(201, user_view_json(u));
}

Response post_user_approve(App& app, Request& req) {
    return json_response(200, user_view_json(set_user_status(app, req.who(), req.id_param(), AccountStatus::Active)));
}

Response post_user_suspend(App& app, Request& req) {
    return json_response(200,
                         user_view_json(set_user_status(app, req.who(), req.id_param(), AccountStatus::Suspended)));
}

Response post_admin(App& app, Request& req) {
    const json& body = req.body_json();
    reject_unknown_fields(body, {"email", "password", "display_name", "territories"});
    std::vector<std::string> territories;
    if (auto it = body.find("territories"); it != body.end() && !it->is_null()) {
        if (!it->is_array()) fail("validation", "territories");
        for (const auto& t : *it) {
            if (!t.is_string()) fail("validation", "territories");
            territories.push_back(t.get<std::string>());
        }
    }
    UserView u = create_admin_account(app, req.who(), req_string(body, "email"), req_string(body, "password"),
                                      req_string(body, "display_name"), territories);
    return json_response(201, user_view_json(u));
}

//-----------------------------------------------------------------------------
// [SECTION] Settings
//-----------------------------------------------------------------------------

Response get_settings_route(App& app, Request& req) {
    const std::string& t = req.params.at(0);
    return json_response(200, settings_json(t, get_settings(app, req.who(), t)));
}

Response put_settings_route(App& app, Request& req) {
    const std::string& t = req.params.at(0);
    const json& body = req.body_json();
    for (const auto& [key, _] : body.items()) {
        bool known = key == "territory";
        for (const auto& f : kTerritorySettingFields) known = known || key == f.name;
        if (!known) fail("unknown_field", key);
    }
    // "territory" may come back as GET gave it; it must then name the same territory.
    if (auto echoed = opt_string(body, "territory"); echoed && *echoed != t) fail("validation", "territory");
    // Fields left out keep their current value.
    TerritorySettings s = get_settings(app, req.who(), t);
    for (const auto& f : kTerritorySettingFields)
        if (auto v = opt_int_field(body, f.name)) s.*f.member = *v;
    return json_response(200, settings_json(t, put_settings(app, req.who(), t, s)));
}

// Issue 17, part 3: what the territory's last 12 months would have given under other settings,
// before saving them. Query parameters name the settings to change (any of kTerritorySettingFields;
// the others keep their current value) and reminder_hours the M2 delay; nothing is written. A
// misspelt parameter is refused, as an unknown field of a body is, rather than silently ignored.
Response get_settings_what_if(App& app, Request& req) {
    const std::string& t = req.params.at(0);
    for (const auto& [key, _] : req.query) {
        bool known = key == "reminder_hours";
        for (const auto& f : kTerritorySettingFields) known = known || key == f.name;
        if (!known) fail("unknown_field", key);
    }
    TerritorySettings proposed = get_settings(app, req.who(), t);
    for (const auto& f : kTerritorySettingFields)
        if (auto v = query_int(req, f.name)) proposed.*f.member = *v;
    const SettingsWhatIf w = settings_what_if(app, req.who(), t, proposed, query_int(req, "reminder_hours"));
    auto side = [&](const TerritorySettings& s, int reminder, const sim::PolicyFigures& f) {
        json settings = settings_json(t, s);
        settings["reminder_hours"] = reminder;
        json figures = sim::to_json(f);
        figures.erase("usage_ratio_by_departement");  // one territory: the usage ratio itself
        figures.erase("usage_ratio_by_departement_cv");
        return json{{"settings", settings}, {"figures", figures}};
    };
    const auto& c = w.current_figures;
    const auto& p = w.proposed_figures;
    const std::int64_t more = p.people_attended - c.people_attended;
    // French: 0 and 1 take the singular.
    auto count = [](std::int64_t n, const char* one, const char* many) {
        return format_count_fr(n) + " " + ((n >= -1 && n <= 1) ? one : many);
    };
    const std::string people =
        more == 0 ? std::string("autant de personnes venues")
                  : (more > 0 ? "+" : "−") + count(more > 0 ? more : -more, "personne venue", "personnes venues");
    const std::string summary =
        w.sessions == 0
            ? std::string("Aucune séance de ce territoire dans les 12 derniers mois : rien à simuler.")
            : fmt::format(
                  "Sur les 12 derniers mois ({}, {}), ces réglages auraient donné un taux d’usage de {} au lieu "
                  "de {} ({}).",
                  count(w.sessions, "séance", "séances"), count(w.requests, "demande", "demandes"),
                  format_permille_fr(permille(p.people_attended, p.places_donated)),
                  format_permille_fr(permille(c.people_attended, c.places_donated)), people);
    return json_response(
        200, json{{"territory", t},
                  {"from", format_utc(w.from)},
                  {"to", format_utc(w.to)},
                  {"sessions", w.sessions},
                  {"requests", w.requests},
                  {"current", side(w.current, w.current_reminder_hours, c)},
                  {"proposed", side(w.proposed, w.proposed_reminder_hours, p)},
                  {"difference",
                   {{"usage_ratio", p.usage_ratio - c.usage_ratio},
                    {"people_attended", more},
                    {"places_wasted", p.wasted.total() - c.wasted.total()},
                    {"first_timer_share", p.first_timer_share - c.first_timer_share},
                    {"gini_outings_per_beneficiary", p.gini_outings_per_beneficiary - c.gini_outings_per_beneficiary},
                    {"largest_structures_share", p.largest_structures_share - c.largest_structures_share}}},
                  {"summary_fr", summary}});
}

const json kUserSchema = s_obj({{"id", s_int()},
                                {"role", s_enum({"admin", "partner", "social_worker"})},
                                {"organisation_id", s_nullable(s_int())},
                                {"display_name", s_str()},
                                {"email", s_str()},
                                {"status", s_enum({"pending", "active", "suspended"})},
                                {"active", s_bool()}});
// The logged-in user (login, me): also why it may not act yet, for the "waiting for approval" page.
json me_schema() {
    json j = kUserSchema;
    j["properties"]["waiting_for_approval"] = s_bool();
    j["properties"]["inactive_reason"] =
        s_nullable(s_enum({"organisation_pending", "user_pending", "organisation_suspended", "user_suspended"}));
    j["properties"]["inactive_message"] = s_nullable(s_str());
    j["properties"]["organisation"] = s_nullable(s_obj({{"id", s_int()},
                                                        {"name", s_str()},
                                                        {"territory", s_str()},
                                                        {"status", s_enum({"pending", "active", "suspended"})}}));
    return j;
}
const json kOrgSchema = s_obj({{"id", s_int()},
                               {"kind", s_enum({"partner", "structure"})},
                               {"name", s_str()},
                               {"territory", s_str()},
                               {"status", s_enum({"pending", "active", "suspended"})},
                               {"created_at", s_time()},
                               {"users", s_int()}});
// The same answer whether or not the contact's address already has an account: no user id.
const json kSignUpSchema = [] {
    json j = kOrgSchema;
    json contact = kUserSchema;
    contact["properties"].erase("id");
    j["properties"]["contact"] = contact;
    return j;
}();
const json kWhatIfSide = s_obj({{"settings", settings_schema()}, {"figures", {{"type", "object"}}}});
const json kWhatIfSchema = s_obj({{"territory", s_str()},
                                  {"from", s_time()},
                                  {"to", s_time()},
                                  {"sessions", s_int()},
                                  {"requests", s_int()},
                                  {"current", kWhatIfSide},
                                  {"proposed", kWhatIfSide},
                                  {"difference", {{"type", "object"}}},
                                  {"summary_fr", s_str()}});
const json kNewUserSchema = s_obj({{"email", s_str()}, {"password", s_str()}, {"display_name", s_str()}},
                                  {"email", "password", "display_name"});

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Route table
//-----------------------------------------------------------------------------

// API.md « Accounts and operations ».
void add_account_security_routes(std::vector<Route>& r) {
    const unsigned own_account = Access_LoggedIn | Access_BeforeSecondFactor;
    r.push_back(
        {"POST",
         "/api/v1/me/password",
         own_account,
         post_me_password,
         "Changer son mot de passe (l’actuel est demandé) ; toutes les autres sessions se terminent",
         s_obj({{"current_password", s_str()}, {"new_password", s_str()}}, {"current_password", "new_password"}),
         nullptr,
         204,
         false,
         {401, 403, 422, 429}});
    r.push_back({"GET",
                 "/api/v1/me/sessions",
                 own_account,
                 get_me_sessions,
                 "Ses sessions ouvertes : création, dernière activité (à 5 minutes près), navigateur",
                 nullptr,
                 s_list(s_obj({{"id", s_int()},
                               {"created_at", s_time()},
                               {"last_seen_at", s_time()},
                               {"expires_at", s_time()},
                               {"user_agent", s_str()},
                               {"current", s_bool()}})),
                 200,
                 false,
                 {401}});
    r.push_back({"DELETE",
                 "/api/v1/me/sessions/{id}",
                 own_account,
                 delete_me_session,
                 "Terminer une de ses sessions (celle du navigateur lui-même : une déconnexion)",
                 nullptr,
                 nullptr,
                 204,
                 false,
                 {401, 403, 404}});
    r.push_back({"POST",
                 "/api/v1/users/{id}/reset-link",
                 Access_Admin,
                 post_reset_link,
                 "Lien de réinitialisation du mot de passe d’un utilisateur : à usage unique, valable 1 h, montré une "
                 "seule fois (administrateur qui voit son organisation ; national pour un administrateur)",
                 nullptr,
                 s_obj({{"url", s_str()}, {"expires_at", s_time()}}),
                 201,
                 true,
                 {401, 403, 404}});
    r.push_back({"POST",
                 "/api/v1/auth/reset",
                 Access_Anyone,
                 post_auth_reset,
                 "Choisir un nouveau mot de passe avec un lien de réinitialisation ; toutes les sessions se terminent",
                 s_obj({{"token", s_str()}, {"new_password", s_str()}}, {"token", "new_password"}),
                 nullptr,
                 204,
                 false,
                 {400, 422, 429}});
    r.push_back(
        {"POST",
         "/api/v1/me/totp",
         own_account,
         post_me_totp,
         "Vérification en deux étapes (TOTP, RFC 6238) : un nouveau secret, à confirmer par un code ; le QR "
         "code de otpauth_url en modules (size × size, ligne par ligne, 1 = noir)",
         nullptr,
         s_obj(
             {{"secret", s_str()}, {"otpauth_url", s_str()}, {"qr", s_obj({{"size", s_int()}, {"modules", s_str()}})}}),
         201,
         true,
         {401, 409}});
    r.push_back({"POST",
                 "/api/v1/me/totp/confirm",
                 own_account,
                 post_me_totp_confirm,
                 "Confirmer la vérification en deux étapes par un code ; renvoie 10 codes de secours, montrés une "
                 "seule fois",
                 s_obj({{"code", s_str()}}, {"code"}),
                 s_obj({{"recovery_codes", {{"type", "array"}, {"items", s_str()}}}}),
                 200,
                 false,
                 {401, 409, 422}});
}

void add_account_routes(std::vector<Route>& r) {
    r.push_back(
        {"POST",
         "/api/v1/auth/login",
         Access_Anyone,
         post_login,
         "Connexion : pose le cookie de session HttpOnly (Secure et préfixe __Host- en HTTPS) et renvoie un jeton "
         "(Bearer) — sauf à une page de l’application elle-même (Sec-Fetch-Site: same-origin), qui garde "
         "sa session dans le cookie seul",
         s_obj({{"email", s_str()},
                {"password", s_str()},
                {"totp", {{"type", "string"}, {"description", "code à 6 chiffres, ou code de secours"}}}},
               {"email", "password"}),
         s_obj({{"token", s_str()}, {"csrf_token", s_str()}, {"expires_at", s_time()}, {"user", me_schema()}}),
         200,
         false,
         {400, 401, 422, 429}});
    add_account_security_routes(r);
    r.push_back({"POST",
                 "/api/v1/auth/logout",
                 Access_LoggedIn | Access_AllowInactive | Access_BeforeSecondFactor,
                 post_logout,
                 "Déconnexion : termine la session",
                 nullptr,
                 nullptr,
                 200,
                 false,
                 {401, 403}});
    r.push_back({"GET",
                 "/api/v1/me",
                 Access_LoggedIn | Access_AllowInactive | Access_BeforeSecondFactor,
                 get_me,
                 "L’utilisateur connecté ; un compte en attente de validation ou suspendu y lit pourquoi "
                 "(waiting_for_approval, inactive_reason, inactive_message), toute autre route lui répond 403 "
                 "account_inactive avec reason et ce message",
                 nullptr,
                 me_schema(),
                 200,
                 false,
                 {401}});

    r.push_back(
        {"POST",
         "/api/v1/organisations",
         Access_Anyone,
         post_organisation,
         "Inscription d’une organisation (partenaire ou structure) et de son contact, en attente de validation ; "
         "la même réponse, que l’adresse ait déjà un compte ou non",
         s_obj({{"kind", s_enum({"partner", "structure"})},
                {"name", s_str()},
                {"territory", s_str()},
                {"contact", kNewUserSchema}},
               {"kind", "name", "territory", "contact"}),
         kSignUpSchema,
         201,
         true,
         {400, 422, 429}});
    r.push_back({"GET",
                 "/api/v1/organisations",
                 Access_Admin,
                 get_organisations,
                 "Organisations des territoires de l’administrateur (filtres status, kind, territory)",
                 nullptr,
                 s_list(kOrgSchema),
                 200,
                 false,
                 {401, 403, 422}});
    r.push_back({"GET",
                 "/api/v1/organisations/{id}",
                 Access_LoggedIn,
                 get_organisation_route,
                 "Une organisation (administrateur du territoire ou membre)",
                 nullptr,
                 kOrgSchema,
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"POST",
                 "/api/v1/organisations/{id}/approve",
                 Access_Admin,
                 post_org_approve,
                 "Valider une organisation (et ses utilisateurs en attente)",
                 nullptr,
                 kOrgSchema,
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"POST",
                 "/api/v1/organisations/{id}/suspend",
                 Access_Admin,
                 post_org_suspend,
                 "Suspendre une organisation",
                 nullptr,
                 kOrgSchema,
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"GET",
                 "/api/v1/organisations/{id}/users",
                 Access_LoggedIn,
                 get_org_users,
                 "Utilisateurs d’une organisation",
                 nullptr,
                 s_list(kUserSchema),
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"POST",
                 "/api/v1/organisations/{id}/users",
                 Access_Partner | Access_SocialWorker,
                 post_org_user,
                 "Inviter un collègue (en attente de validation)",
                 kNewUserSchema,
                 kUserSchema,
                 201,
                 true,
                 {401, 403, 404, 409, 422}});
    r.push_back({"POST",
                 "/api/v1/users/{id}/approve",
                 Access_Admin,
                 post_user_approve,
                 "Valider un utilisateur",
                 nullptr,
                 kUserSchema,
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"POST",
                 "/api/v1/users/{id}/suspend",
                 Access_Admin,
                 post_user_suspend,
                 "Suspendre un utilisateur (ses sessions sont fermées)",
                 nullptr,
                 kUserSchema,
                 200,
                 false,
                 {401, 403, 404, 409}});
    r.push_back({"POST",
                 "/api/v1/admins",
                 Access_Admin,
                 post_admin,
                 "Créer un administrateur, national ou limité à des départements (administrateur national)",
                 s_obj({{"email", s_str()},
                        {"password", s_str()},
                        {"display_name", s_str()},
                        {"territories", {{"type", "array"}, {"items", s_str()}}}},
                       {"email", "password", "display_name"}),
                 kUserSchema,
                 201,
                 true,
                 {401, 403, 409, 422}});

    r.push_back({"GET",
                 "/api/v1/settings/{territory}",
                 Access_Admin,
                 get_settings_route,
                 "Réglages d’un territoire (« * » : valeurs nationales)",
                 nullptr,
                 settings_schema(),
                 200,
                 false,
                 {401, 403, 404}});
    r.push_back({"PUT",
                 "/api/v1/settings/{territory}",
                 Access_Admin,
                 put_settings_route,
                 "Modifier les réglages d’un territoire (champs omis inchangés)",
                 settings_schema(),
                 settings_schema(),
                 200,
                 false,
                 {401, 403, 404, 422}});
    r.push_back({"GET",
                 "/api/v1/settings/{territory}/what-if",
                 Access_Admin,
                 get_settings_what_if,
                 "Simulation des 12 derniers mois du territoire sous d’autres réglages, sans rien enregistrer (un "
                 "paramètre par réglage à changer, nommé comme dans /api/v1/settings/{territory}, et reminder_hours)",
                 nullptr,
                 kWhatIfSchema,
                 200,
                 false,
                 {401, 403, 404, 422}});
}

}  // namespace uneplace::server
