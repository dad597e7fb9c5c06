// Securing an account (issue 12 item 1; API.md « Accounts and operations »): the password policy,
// changing and resetting a password, one's sessions, and the administrators' TOTP second factor.
// Real server processes over real HTTP; TOTP codes come from Debian's oathtool, a separate
// implementation of RFC 6238, and the enrolment QR code is read back with zbarimg.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "harness.hpp"

namespace {

using namespace uneplace::test;

// `oathtool --totp` for a base32 secret at a given instant.
std::string totp_code(const std::string& secret, std::int64_t at) {
    const std::string cmd = "oathtool --totp -b " + secret + " -N @" + std::to_string(at) + " 2>&1";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
        char buf[64];
        while (fgets(buf, sizeof buf, p)) out += buf;
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

std::string error_code(const Reply& r) { return r.json_body()["error"]["code"].get<std::string>(); }

Reply login_with(const Api& api, const std::string& email, const std::string& password, const std::string& totp) {
    return api.post("/api/v1/auth/login", {{"email", email}, {"password", password}, {"totp", totp}});
}

std::int64_t user_id_of(const std::string& email, ServerProcess& s) {
    return logged_in(email, s).get("/api/v1/me").json_body()["id"];
}

json sign_up_body(const std::string& email, const std::string& password) {
    return {{"kind", "structure"},
            {"name", "Centre social des Lilas"},
            {"territory", "93"},
            {"contact", {{"email", email}, {"password", password}, {"display_name", "Awa Koné"}}}};
}

}  // namespace

// --- Password policy ---------------------------------------------------------------------------

TEST(PasswordPolicy, CommonAndSimplePasswordsAreRefusedWhereverOneIsChosen) {
    ServerProcess& s = demo_server();
    Api anyone(s);
    struct Case {
        const char* password;
        const char* code;
    };
    const Case refused[] = {
        {"aaaaaaaaaaaa", "weak_password"},      // the issue's example (the shared rule)
        {"Password1234!", "weak_password"},     // a common word dressed with digits and a symbol
        {"azertyazerty", "weak_password"},      // the French keyboard's first row, said twice
        {"2024iloveyou!!", "weak_password"},    // cracklib's list holds the common passwords too
        {"123456789012", "weak_password"},      // too systematic for cracklib
        {"onze-carac.", "password_too_short"},  // 11 characters
    };
    for (const Case& c : refused) {
        Reply r = anyone.post("/api/v1/organisations", sign_up_body("lilas@example.org", c.password));
        ASSERT_EQ(r.status, 422) << c.password << " " << r.body;
        EXPECT_EQ(error_code(r), c.code) << c.password;
        EXPECT_EQ(r.json_body()["error"]["field"], "contact.password") << c.password;
    }
    // A passphrase passes, and the message of a refusal speaks French to the person.
    Reply ok = anyone.post("/api/v1/organisations", sign_up_body("lilas@example.org", "une phrase de passe longue"));
    EXPECT_EQ(ok.status, 201) << ok.body;
    Reply weak = anyone.post("/api/v1/organisations", sign_up_body("lilas2@example.org", "Password1234!"));
    EXPECT_NE(weak.json_body()["error"]["message"].get<std::string>().find("trop courant"), std::string::npos);

    // The same policy guards an invitation of a colleague and a new administrator.
    Api worker = logged_in(kWorker, s);
    const auto org = worker.get("/api/v1/me").json_body()["organisation_id"].get<std::int64_t>();
    Reply invite = worker.post(
        "/api/v1/organisations/" + std::to_string(org) + "/users",
        {{"email", "collegue.faible@example.org"}, {"password", "sunshinesunshine"}, {"display_name", "Léa Martin"}});
    EXPECT_EQ(invite.status, 422) << invite.body;
    EXPECT_EQ(error_code(invite), "weak_password");
    Api admin = logged_in(kAdmin, s);
    Reply new_admin = admin.post(
        "/api/v1/admins",
        {{"email", "admin.faible@example.org"}, {"password", "motdepasse1234"}, {"display_name", "Paul Admin"}});
    EXPECT_EQ(new_admin.status, 201) << "not in the English list: " << new_admin.body;
    Reply weak_admin = admin.post(
        "/api/v1/admins",
        {{"email", "admin.faible2@example.org"}, {"password", "passwordpassword"}, {"display_name", "Paul Admin"}});
    EXPECT_EQ(weak_admin.status, 422) << weak_admin.body;
}

// --- Changing one's password ---------------------------------------------------------------------

TEST(ChangePassword, AsksTheCurrentOneAndEndsEveryOtherSession) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api here(s), elsewhere(s);
    ASSERT_EQ(here.login(kWorker).status, 200);
    ASSERT_EQ(elsewhere.login(kWorker).status, 200);

    Reply wrong = here.post("/api/v1/me/password",
                            {{"current_password", "pas le bon"}, {"new_password", "une phrase de passe longue"}});
    EXPECT_EQ(wrong.status, 403) << wrong.body;
    EXPECT_EQ(error_code(wrong), "wrong_current_password");
    Reply weak =
        here.post("/api/v1/me/password", {{"current_password", "uneplace-demo"}, {"new_password", "Sunshine2024!!"}});
    EXPECT_EQ(weak.status, 422) << weak.body;
    EXPECT_EQ(weak.json_body()["error"]["field"], "new_password");
    EXPECT_EQ(elsewhere.get("/api/v1/me").status, 200) << "a refused change ends nothing";

    Reply ok = here.post("/api/v1/me/password",
                         {{"current_password", "uneplace-demo"}, {"new_password", "une phrase de passe longue"}});
    EXPECT_EQ(ok.status, 204) << ok.body;
    EXPECT_TRUE(ok.body.empty());
    EXPECT_EQ(here.get("/api/v1/me").status, 200) << "the session that changed it goes on";
    EXPECT_EQ(elsewhere.get("/api/v1/me").status, 401) << "every other session ends";

    Api again(s);
    EXPECT_EQ(again.login(kWorker).status, 401);
    EXPECT_EQ(again.login(kWorker, "une phrase de passe longue").status, 200);
    EXPECT_EQ(s.db_bytes().find("une phrase de passe longue"), std::string::npos) << "only the Argon2id hash is kept";
}

// --- One's sessions ---------------------------------------------------------------------------

TEST(Sessions, ListedWithTheirBrowserAndEndedOneByOne) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    Api phone(s), desk(s);
    phone.extra.emplace("User-Agent", "Mozilla/5.0 (Android 14; Mobile) Firefox/133.0");
    desk.extra.emplace("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0");
    ASSERT_EQ(phone.login(kWorker).status, 200);
    ASSERT_EQ(desk.login(kWorker).status, 200);
    Api colleague = logged_in(kOtherWorker, s);

    const json items = desk.get("/api/v1/me/sessions").json_body()["items"];
    ASSERT_EQ(items.size(), 2u) << items.dump();
    std::int64_t phone_session = 0;
    for (const auto& it : items) {
        EXPECT_FALSE(it["created_at"].is_null());
        EXPECT_FALSE(it["last_seen_at"].is_null());
        if (it["user_agent"].get<std::string>().find("Android") != std::string::npos) {
            EXPECT_FALSE(it["current"].get<bool>());
            phone_session = it["id"];
        } else {
            EXPECT_TRUE(it["current"].get<bool>()) << "the desk's own session says so";
        }
    }
    ASSERT_GT(phone_session, 0);
    // Nobody ends another person's session: it is "not found" to them.
    Reply foreign = colleague.request("DELETE", "/api/v1/me/sessions/" + std::to_string(phone_session));
    EXPECT_EQ(foreign.status, 404) << foreign.body;
    EXPECT_EQ(phone.get("/api/v1/me").status, 200);

    Reply end = desk.request("DELETE", "/api/v1/me/sessions/" + std::to_string(phone_session));
    EXPECT_EQ(end.status, 204) << end.body;
    EXPECT_EQ(phone.get("/api/v1/me").status, 401);
    EXPECT_EQ(desk.get("/api/v1/me/sessions").json_body()["items"].size(), 1u);
    EXPECT_EQ(desk.request("DELETE", "/api/v1/me/sessions/" + std::to_string(phone_session)).status, 404)
        << "an ended session cannot be ended twice";
}

// --- Reset links -------------------------------------------------------------------------------

TEST(ResetLink, OneTimeValidOneHourIssuedOnlyByAnAdministratorWhoSeesTheUser) {
    ServerProcess s({.extra_args = {"--login-rate", "100000"}});
    const std::int64_t worker_id = user_id_of(kWorker, s);
    Api admin = logged_in(kAdmin, s);
    Api partner = logged_in(kPartner, s);
    Api worker_session = logged_in(kWorker, s);
    // An administrator of another territory does not see the Paris structure's user.
    ASSERT_EQ(admin
                  .post("/api/v1/admins", {{"email", "rhone.admin@example.org"},
                                           {"password", "mot-de-passe-du-rhone"},
                                           {"display_name", "Admin Rhône"},
                                           {"territories", {"69"}}})
                  .status,
              201);
    Api lyon_admin(s);
    ASSERT_EQ(lyon_admin.login("rhone.admin@example.org", "mot-de-passe-du-rhone").status, 200);

    const std::string path = "/api/v1/users/" + std::to_string(worker_id) + "/reset-link";
    EXPECT_EQ(partner.post(path).status, 403);
    EXPECT_EQ(lyon_admin.post(path).status, 404);
    Reply issued = admin.post(path);
    ASSERT_EQ(issued.status, 201) << issued.body;
    const std::string url = issued.json_body()["url"];
    const auto cut = url.find("#/reinitialisation/");
    ASSERT_NE(cut, std::string::npos) << url;
    const std::string token = url.substr(cut + std::string("#/reinitialisation/").size());
    EXPECT_EQ(instant(issued.json_body()["expires_at"]) - server_now(s), 3600);
    EXPECT_EQ(s.db_bytes().find(token), std::string::npos) << "the link is kept only as a digest";

    Api anyone(s);
    Reply weak = anyone.post("/api/v1/auth/reset", {{"token", token}, {"new_password", "aaaaaaaaaaaa"}});
    EXPECT_EQ(weak.status, 422);
    EXPECT_EQ(error_code(weak), "weak_password");
    Reply reset = anyone.post("/api/v1/auth/reset", {{"token", token}, {"new_password", "le chat dort sur le piano"}});
    EXPECT_EQ(reset.status, 204) << "a refused password did not spend the link: " << reset.body;
    EXPECT_EQ(worker_session.get("/api/v1/me").status, 401) << "every session of the user ends";
    Reply twice = anyone.post("/api/v1/auth/reset", {{"token", token}, {"new_password", "une autre phrase encore"}});
    EXPECT_EQ(twice.status, 422);
    EXPECT_EQ(error_code(twice), "reset_link_invalid");
    EXPECT_EQ(anyone.login(kWorker, "le chat dort sur le piano").status, 200);

    // A second link voids the first; a link dies after an hour.
    const std::string first = admin.post(path).json_body()["url"];
    const std::string second = admin.post(path).json_body()["url"];
    auto token_of = [](const std::string& u) { return u.substr(u.rfind('/') + 1); };
    EXPECT_EQ(error_code(anyone.post("/api/v1/auth/reset",
                                     {{"token", token_of(first)}, {"new_password", "une autre phrase encore"}})),
              "reset_link_invalid");
    advance_clock(s, 3601);
    EXPECT_EQ(error_code(anyone.post("/api/v1/auth/reset",
                                     {{"token", token_of(second)}, {"new_password", "une autre phrase encore"}})),
              "reset_link_invalid");
    EXPECT_EQ(error_code(anyone.post("/api/v1/auth/reset",
                                     {{"token", "n-importe-quoi"}, {"new_password", "une autre phrase encore"}})),
              "reset_link_invalid");
}

// --- Second factor -----------------------------------------------------------------------------

TEST(SecondFactor, AnAdministratorMustTurnItOnThenLogsInWithACodeOrARecoveryCode) {
    TempDir dir;
    const std::string db = (dir.path() / "uneplace.db").string();
    { ServerProcess seed({.db_path = db}); }
    // Without --demo (a real deployment) the second factor is required by default.
    ServerProcess s(
        {.demo = false, .extra_args = {"--login-rate", "100000"}, .db_path = db, .admin_second_factor = ""});
    Api admin(s);
    Reply first = admin.login(kAdmin);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_TRUE(first.json_body()["user"]["second_factor_setup_required"].get<bool>());
    Reply blocked = admin.get("/api/v1/organisations");
    EXPECT_EQ(blocked.status, 403);
    EXPECT_EQ(error_code(blocked), "second_factor_required");
    // Social workers are not asked for it.
    EXPECT_EQ(logged_in(kWorker, s).get("/api/v1/bookings").status, 200);

    Reply started = admin.post("/api/v1/me/totp");
    ASSERT_EQ(started.status, 201) << started.body;
    const std::string secret = started.json_body()["secret"];
    const std::string otpauth = started.json_body()["otpauth_url"];
    EXPECT_NE(otpauth.find("secret=" + secret), std::string::npos);

    // The QR code's modules, drawn as an image with a quiet zone, read back by zbarimg.
    const int size = started.json_body()["qr"]["size"];
    const std::string modules = started.json_body()["qr"]["modules"];
    ASSERT_EQ(modules.size(), static_cast<std::size_t>(size * size));
    const auto pgm = dir.path() / "totp.pgm";
    {
        const int scale = 6, border = 4, side = (size + 2 * border) * scale;
        std::ofstream out(pgm, std::ios::binary);
        out << "P5\n" << side << " " << side << "\n255\n";
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x) {
                const int my = y / scale - border, mx = x / scale - border;
                const bool dark = my >= 0 && mx >= 0 && my < size && mx < size &&
                                  modules[static_cast<std::size_t>(my * size + mx)] == '1';
                out.put(static_cast<char>(dark ? 0 : 255));
            }
    }
    std::string decoded;
    if (FILE* p = popen(("zbarimg --raw -q " + pgm.string() + " 2>&1").c_str(), "r")) {
        char buf[512];
        while (fgets(buf, sizeof buf, p)) decoded += buf;
        pclose(p);
    }
    EXPECT_NE(decoded.find(otpauth), std::string::npos) << decoded;

    const std::int64_t now = server_now(s);
    Reply wrong =
        admin.post("/api/v1/me/totp/confirm", {{"code", "000000" == totp_code(secret, now) ? "111111" : "000000"}});
    EXPECT_EQ(wrong.status, 422) << "a wrong code while logged in does not log out: " << wrong.body;
    EXPECT_EQ(error_code(wrong), "totp_invalid");
    const std::string code = totp_code(secret, now);
    ASSERT_EQ(code.size(), 6u) << code;
    Reply confirmed = admin.post("/api/v1/me/totp/confirm", {{"code", code}});
    ASSERT_EQ(confirmed.status, 200) << confirmed.body;
    const json recovery = confirmed.json_body()["recovery_codes"];
    ASSERT_EQ(recovery.size(), 10u);
    EXPECT_EQ(admin.get("/api/v1/organisations").status, 200) << "turned on: the administrator works";
    for (const auto& rc : recovery)
        EXPECT_EQ(s.db_bytes().find(rc.get<std::string>()), std::string::npos) << "recovery codes kept as digests";

    Api next(s);
    Reply none = next.post("/api/v1/auth/login", {{"email", kAdmin}, {"password", "uneplace-demo"}});
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(error_code(none), "totp_required");
    EXPECT_EQ(error_code(login_with(next, kAdmin, "pas-le-bon-mot-de-passe", code)), "invalid_credentials");
    Reply replay = login_with(next, kAdmin, "uneplace-demo", code);
    EXPECT_EQ(replay.status, 401) << "the code used to confirm is spent";
    EXPECT_EQ(error_code(replay), "totp_invalid");
    Reply with_code = login_with(next, kAdmin, "uneplace-demo", totp_code(secret, now + 30));
    EXPECT_EQ(with_code.status, 200) << with_code.body;
    EXPECT_FALSE(with_code.json_body()["user"]["second_factor_setup_required"].get<bool>());
    EXPECT_TRUE(with_code.json_body()["user"]["second_factor"].get<bool>());

    // A recovery code, typed in capitals with spaces, opens one login, once.
    std::string typed = recovery[3].get<std::string>();
    for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(login_with(next, kAdmin, "uneplace-demo", typed).status, 200);
    EXPECT_EQ(error_code(login_with(next, kAdmin, "uneplace-demo", recovery[3])), "totp_invalid");
    EXPECT_EQ(login_with(next, kAdmin, "uneplace-demo", recovery[4]).status, 200);
    // Turned on once; a second enrolment is refused rather than silently replacing the phone's.
    EXPECT_EQ(error_code(admin.post("/api/v1/me/totp")), "totp_already_enabled");

    // Phone and recovery codes lost: the operator's command on the server, while it serves.
    const std::string cmd = "'" + binary_path() + "' reset-second-factor --db '" + db + "' --email " + kAdmin + " 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    EXPECT_EQ(admin.get("/api/v1/me").status, 401) << "the person's sessions end";
    Reply after = next.post("/api/v1/auth/login", {{"email", kAdmin}, {"password", "uneplace-demo"}});
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_TRUE(after.json_body()["user"]["second_factor_setup_required"].get<bool>()) << "set it up again";
}

TEST(SecondFactor, OptionalOnTheDemoAndForOtherRolesWhenAsked) {
    // The shared demo server (--demo, no flag): administrators are not blocked, and any user may
    // still turn the second factor on for themselves.
    ServerProcess s({.extra_args = {"--login-rate", "100000"}, .admin_second_factor = ""});
    Api admin = logged_in(kAdmin, s);
    EXPECT_EQ(admin.get("/api/v1/organisations").status, 200);
    EXPECT_FALSE(admin.get("/api/v1/me").json_body()["second_factor_setup_required"].get<bool>());
    Api partner = logged_in(kPartner, s);
    EXPECT_EQ(error_code(partner.post("/api/v1/me/totp/confirm", {{"code", "123456"}})), "totp_not_started");
    const std::string secret = partner.post("/api/v1/me/totp").json_body()["secret"];
    ASSERT_EQ(partner.post("/api/v1/me/totp/confirm", {{"code", totp_code(secret, server_now(s))}}).status, 200);
    Api next(s);
    EXPECT_EQ(error_code(next.post("/api/v1/auth/login", {{"email", kPartner}, {"password", "uneplace-demo"}})),
              "totp_required");
}
