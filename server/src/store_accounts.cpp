// uneplace server — organisations, users and territory settings.
//
// Index of this file:
// [SECTION] Scope and paging helpers
// [SECTION] Reading rows
// [SECTION] Sign-up
// [SECTION] Organisations
// [SECTION] Users
// [SECTION] Settings
#include <fmt/format.h>

#include <charconv>

#include "auth.hpp"
#include "security.hpp"
#include "store.hpp"

namespace uneplace::server {

using nlohmann::json;

//-----------------------------------------------------------------------------
// [SECTION] Scope and paging helpers
//-----------------------------------------------------------------------------

std::string admin_scope_sql(const Actor& admin, const char* territory_column) {
    if (admin.role != Role::Admin) return " AND 0";
    if (admin.national()) return "";
    // The id is an integer from our own database, formatted, never text from a request.
    return fmt::format(" AND {} IN (SELECT territory FROM admin_territories WHERE user_id = {})", territory_column,
                       admin.user_id);
}

Id cursor_id(const PageRequest& page) {
    if (page.cursor.empty()) return 0;
    Id v = 0;
    auto [p, ec] = std::from_chars(page.cursor.data(), page.cursor.data() + page.cursor.size(), v);
    if (ec != std::errc() || p != page.cursor.data() + page.cursor.size() || v < 0) fail("validation", "cursor");
    return v;
}

namespace {

json org_json(const OrganisationView& o) {
    return {{"id", o.id},
            {"kind", std::string(to_code(o.kind))},
            {"name", o.name},
            {"territory", o.territory},
            {"status", std::string(to_code(o.status))}};
}
json user_audit_json(const UserView& u) {
    return {{"id", u.id},
            {"email", u.email},
            {"role", std::string(to_code(u.role))},
            {"display_name", u.display_name},
            {"status", std::string(to_code(u.status))}};
}

//-----------------------------------------------------------------------------
// [SECTION] Reading rows
//-----------------------------------------------------------------------------

const char* const kOrgSelect = "SELECT o.id, o.kind, o.name, o.territory, o.status, o.created_at,"
                               " (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id) FROM organisations o";

OrganisationView read_org(SQLite::Statement& q) {
    OrganisationView o;
    o.id = q.getColumn(0).getInt64();
    o.kind = from_code<OrgKind>(q.getColumn(1).getString()).value_or(OrgKind::Structure);
    o.name = q.getColumn(2).getString();
    o.territory = q.getColumn(3).getString();
    o.status = from_code<AccountStatus>(q.getColumn(4).getString()).value_or(AccountStatus::Pending);
    o.created_at = q.getColumn(5).getInt64();
    o.users = q.getColumn(6).getInt();
    return o;
}

std::optional<OrganisationView> find_org(SQLite::Database& c, Id id) {
    return find_by_id(c, kOrgSelect, " WHERE o.id = ?", id, read_org);
}

const char* const kUserSelect = "SELECT id, organisation_id, role, email, display_name, status, created_at FROM users";

UserView read_user(SQLite::Statement& q) {
    UserView u;
    u.id = q.getColumn(0).getInt64();
    u.organisation_id = opt_int(q.getColumn(1));
    u.role = from_code<Role>(q.getColumn(2).getString()).value_or(Role::SocialWorker);
    u.email = q.getColumn(3).getString();
    u.display_name = q.getColumn(4).getString();
    u.status = from_code<AccountStatus>(q.getColumn(5).getString()).value_or(AccountStatus::Pending);
    u.created_at = q.getColumn(6).getInt64();
    return u;
}

std::optional<UserView> find_user(SQLite::Database& c, Id id) {
    SQLite::Statement q(c, std::string(kUserSelect) + " WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    UserView u = read_user(q);
    q.reset();
    SQLite::Statement t(c, "SELECT territory FROM admin_territories WHERE user_id = ? ORDER BY territory");
    t.bind(1, id);
    while (t.executeStep()) u.territories.push_back(t.getColumn(0).getString());
    return u;
}

}  // namespace

bool email_taken(SQLite::Database& c, const std::string& email) {
    SQLite::Statement dup(c, "SELECT 1 FROM users WHERE email = ?");
    dup.bind(1, email);
    return dup.executeStep();
}

void ensure_email_free(SQLite::Database& c, const std::string& email, const char* field) {
    if (email_taken(c, email)) fail("email_taken", field);
}

Id insert_user(SQLite::Database& c, std::optional<Id> org, Role role, const std::string& email, const std::string& hash,
               const std::string& display_name, AccountStatus status, UnixSeconds now) {
    SQLite::Statement ins(
        c,
        "INSERT INTO users (organisation_id, role, email, password_hash, display_name, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (org) ins.bind(1, *org);
    else ins.bind(1);
    ins.bind(2, std::string(to_code(role)));
    ins.bind(3, email);
    ins.bind(4, hash);
    ins.bind(5, display_name);
    ins.bind(6, std::string(to_code(status)));
    ins.bind(7, now);
    ins.bind(8, now);
    ins.exec();
    return c.getLastInsertRowid();
}

namespace {

// approve: pending | suspended → active; suspend: pending | active → suspended; anything else
// [invalid_transition]. `table` is "organisations" or "users" (ours, never from a request).
void change_account_status(SQLite::Database& c, const char* table, Id id, AccountStatus from, AccountStatus to,
                           UnixSeconds now) {
    const bool ok = to == AccountStatus::Active ? (from == AccountStatus::Pending || from == AccountStatus::Suspended)
                                                : (from == AccountStatus::Pending || from == AccountStatus::Active);
    if (!ok) fail("invalid_transition", "status");
    SQLite::Statement up(c, fmt::format("UPDATE {} SET status = ?, updated_at = ? WHERE id = ?", table));
    up.bind(1, std::string(to_code(to)));
    up.bind(2, now);
    up.bind(3, id);
    up.exec();
}

// Admin in scope of the organisation's territory, or (when `members_too`) one of its own users.
bool may_see_org(const Actor& a, const OrganisationView& o, bool members_too) {
    if (a.role == Role::Admin) return a.sees_territory(o.territory);
    return members_too && a.organisation_id == o.id;
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Sign-up
//-----------------------------------------------------------------------------

// Sign-up answers the same whether or not the contact's address already has an account, so that
// nobody learns who has one: the same Argon2id work, the same 201 and the same shape. A request
// with a taken address is still recorded — a real organisation row, so that its id takes its
// place in the sequence like any other — but `suspended`, with no contact user and an audit entry
// saying why; the association's staff see it among suspended organisations.
SignUp sign_up(App& app, OrganisationDraft& draft) {
    fail_first(validate_organisation(draft));
    require_strong_password(draft.contact_password, "contact.password", draft.contact_email,
                            draft.contact_display_name);
    const std::string email = normalize_email(draft.contact_email);
    const std::string hash = hash_password_in_slot(app, draft.contact_password);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const bool taken = email_taken(c, email);
    SQLite::Statement ins(c, "INSERT INTO organisations (kind, name, territory, status, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, draft.kind);
    ins.bind(2, draft.name);
    ins.bind(3, draft.territory);
    ins.bind(4, taken ? "suspended" : "pending");
    ins.bind(5, now);
    ins.bind(6, now);
    ins.exec();
    const Id org_id = c.getLastInsertRowid();
    const Role role = draft.kind == "partner" ? Role::Partner : Role::SocialWorker;
    SignUp out{*find_org(c, org_id), {}};
    if (taken) {
        audit(c, now, std::nullopt, "organisation.sign_up_email_taken", "organisation", org_id, nullptr,
              json{{"organisation", org_json(out.organisation)}});
        // What the answer says, as for any sign-up: no account was made or touched.
        out.organisation.status = AccountStatus::Pending;
        out.organisation.users = 1;
        out.contact = UserView{0, org_id, role, email, draft.contact_display_name, AccountStatus::Pending, now, {}};
    } else {
        const Id user_id =
            insert_user(c, org_id, role, email, hash, draft.contact_display_name, AccountStatus::Pending, now);
        out.contact = *find_user(c, user_id);
        audit(c, now, user_id, "organisation.sign_up", "organisation", org_id, nullptr,
              json{{"organisation", org_json(out.organisation)}, {"contact", user_audit_json(out.contact)}});
    }
    tx.commit();
    return out;
}

//-----------------------------------------------------------------------------
// [SECTION] Organisations
//-----------------------------------------------------------------------------

Page<OrganisationView> list_organisations(App& app, const Actor& admin, const OrganisationFilter& f,
                                          const PageRequest& page) {
    std::string sql = std::string(kOrgSelect) + " WHERE o.id > :after" + admin_scope_sql(admin, "o.territory");
    if (f.status) sql += " AND o.status = :status";
    if (f.kind) sql += " AND o.kind = :kind";
    if (!f.territory.empty()) sql += " AND o.territory = :territory";
    sql += " ORDER BY o.id LIMIT :limit";
    SQLite::Statement q(app.db.conn(), sql);
    q.bind(":after", cursor_id(page));
    if (f.status) q.bind(":status", std::string(to_code(*f.status)));
    if (f.kind) q.bind(":kind", std::string(to_code(*f.kind)));
    if (!f.territory.empty()) q.bind(":territory", f.territory);
    q.bind(":limit", page.limit + 1);
    return read_page<OrganisationView>(q, page.limit, read_org);
}

OrganisationView get_organisation(App& app, const Actor& actor, Id id) {
    auto o = find_org(app.db.conn(), id);
    if (!o || !may_see_org(actor, *o, true)) fail("not_found");
    return *o;
}

OrganisationView set_organisation_status(App& app, const Actor& admin, Id id, AccountStatus to) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    auto o = find_org(c, id);
    if (!o || !may_see_org(admin, *o, false)) fail("not_found");
    change_account_status(c, "organisations", id, o->status, to, now);
    json after = org_json(*o);
    after["status"] = std::string(to_code(to));
    if (to == AccountStatus::Active) {
        // Approving an organisation approves the people who signed it up with it.
        SQLite::Statement users(
            c, "UPDATE users SET status = 'active', updated_at = ? WHERE organisation_id = ? AND status = 'pending'");
        users.bind(1, now);
        users.bind(2, id);
        after["users_activated"] = users.exec();
    }
    audit(c, now, admin.user_id, to == AccountStatus::Active ? "organisation.approve" : "organisation.suspend",
          "organisation", id, org_json(*o), after);
    OrganisationView res = *find_org(c, id);
    tx.commit();
    return res;
}

//-----------------------------------------------------------------------------
// [SECTION] Users
//-----------------------------------------------------------------------------

Page<UserView> list_users(App& app, const Actor& actor, Id organisation_id, const PageRequest& page) {
    auto& c = app.db.conn();
    auto o = find_org(c, organisation_id);
    if (!o || !may_see_org(actor, *o, true)) fail("not_found");
    SQLite::Statement q(c, std::string(kUserSelect) + " WHERE organisation_id = ? AND id > ? ORDER BY id LIMIT ?");
    q.bind(1, organisation_id);
    q.bind(2, cursor_id(page));
    q.bind(3, page.limit + 1);
    return read_page<UserView>(q, page.limit, read_user);
}

UserView add_user(App& app, const Actor& actor, Id organisation_id, std::string_view email_in,
                  std::string_view password, std::string_view display_name_in) {
    auto o = find_org(app.db.conn(), organisation_id);
    if (!o || !may_see_org(actor, *o, true)) fail("not_found");
    if (actor.role == Role::Admin) fail("forbidden");  // admins approve; members invite
    if (auto r = validate_email(trim(email_in))) fail(*r);
    auto name = clean_text(display_name_in,
                           {"display_name", limits::kDisplayNameMinChars, limits::kDisplayNameMaxChars, false, true});
    if (!name.ok()) fail(*name.refusal);
    require_strong_password(password, "password", email_in, name.value);
    const std::string email = normalize_email(email_in);
    const std::string hash = hash_password_in_slot(app, password);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    ensure_email_free(c, email, "email");
    const Role role = o->kind == OrgKind::Partner ? Role::Partner : Role::SocialWorker;
    const Id id = insert_user(c, organisation_id, role, email, hash, name.value, AccountStatus::Pending, now);
    UserView u = *find_user(c, id);
    audit(c, now, actor.user_id, "user.invite", "user", id, nullptr, user_audit_json(u));
    tx.commit();
    return u;
}

UserView user_managed_by(SQLite::Database& c, const Actor& admin, Id user_id) {
    auto u = find_user(c, user_id);
    if (!u) fail("not_found");
    if (u->organisation_id) {
        auto o = find_org(c, *u->organisation_id);
        if (!o || !may_see_org(admin, *o, false)) fail("not_found");
    } else if (!admin.national()) {
        fail("not_found");  // admins are managed by national admins only
    }
    if (u->id == admin.user_id) fail("forbidden");  // nobody approves, suspends or resets themselves
    return *u;
}

UserView set_user_status(App& app, const Actor& admin, Id user_id, AccountStatus to) {
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const UserView before = user_managed_by(c, admin, user_id);
    change_account_status(c, "users", user_id, before.status, to, now);
    // A suspended account's open sessions end now, not at their expiry.
    if (to == AccountStatus::Suspended) end_user_sessions(c, user_id, now);
    UserView after = *find_user(c, user_id);
    audit(c, now, admin.user_id, to == AccountStatus::Active ? "user.approve" : "user.suspend", "user", user_id,
          user_audit_json(before), user_audit_json(after));
    tx.commit();
    return after;
}

UserView create_admin_account(App& app, const Actor& admin, std::string_view email_in, std::string_view password,
                              std::string_view display_name_in, const std::vector<std::string>& territories) {
    if (!admin.national()) fail("forbidden");
    if (auto r = validate_email(trim(email_in))) fail(*r);
    auto name = clean_text(display_name_in,
                           {"display_name", limits::kDisplayNameMinChars, limits::kDisplayNameMaxChars, false, true});
    if (!name.ok()) fail(*name.refusal);
    require_strong_password(password, "password", email_in, name.value);
    for (const auto& t : territories)
        if (auto r = validate_territory(t, "territories")) fail(*r);
    const std::string email = normalize_email(email_in);
    const std::string hash = hash_password_in_slot(app, password);
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    ensure_email_free(c, email, "email");
    const Id id = insert_user(c, std::nullopt, Role::Admin, email, hash, name.value, AccountStatus::Active, now);
    for (const auto& t : territories) {
        SQLite::Statement ins(c, "INSERT OR IGNORE INTO admin_territories (user_id, territory) VALUES (?, ?)");
        ins.bind(1, id);
        ins.bind(2, t);
        ins.exec();
    }
    UserView u = *find_user(c, id);
    json after = user_audit_json(u);
    after["territories"] = u.territories;
    audit(c, now, admin.user_id, "user.create_admin", "user", id, nullptr, after);
    tx.commit();
    return u;
}

//-----------------------------------------------------------------------------
// [SECTION] Settings
//-----------------------------------------------------------------------------

namespace {
void check_settings_scope(const Actor& admin, const std::string& territory) {
    if (territory == "*") {
        if (!admin.national()) fail("forbidden");
        return;
    }
    if (auto r = validate_territory(territory, "territory")) fail_status(404, "not_found");
    if (!admin.sees_territory(territory)) fail("not_found");
}
}  // namespace

TerritorySettings get_settings(App& app, const Actor& admin, const std::string& territory) {
    check_settings_scope(admin, territory);
    return load_settings(app.db.conn(), territory);
}

TerritorySettings put_settings(App& app, const Actor& admin, const std::string& territory, const TerritorySettings& s) {
    check_settings_scope(admin, territory);
    fail_first(validate_settings(s));
    const UnixSeconds now = app.now();
    WriteTx tx(app.db);
    auto& c = tx.conn();
    const TerritorySettings before = load_settings(c, territory);
    save_settings(c, territory, s, now);
    audit(c, now, admin.user_id, "settings.update", "settings", std::nullopt,
          json{{"territory", territory}, {"settings", settings_fields_json(before)}},
          json{{"territory", territory}, {"settings", settings_fields_json(s)}});
    tx.commit();
    return s;
}

}  // namespace uneplace::server
