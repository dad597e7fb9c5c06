// Accounts: login, logout, me, bearer and cookie, CSRF, the process itself (address line, banner).
#include <gtest/gtest.h>

#include "harness.hpp"

using namespace uneplace::test;

TEST(Process, PrintsAddressAndDemoAccounts) {
    ServerProcess& s = demo_server();
    EXPECT_GT(s.port(), 0);
    EXPECT_NE(s.stdout_text().find("http://127.0.0.1:" + std::to_string(s.port()) + "/"), std::string::npos);
    EXPECT_NE(s.stdout_text().find(kAdmin), std::string::npos);
    EXPECT_NE(s.stdout_text().find(kPartner), std::string::npos);
    EXPECT_NE(s.stdout_text().find(kWorker), std::string::npos);
    EXPECT_NE(s.stdout_text().find("uneplace-demo"), std::string::npos);
}

TEST(Process, StopsCleanlyOnSigterm) {
    ServerProcess s({.demo = false});
    Api api(s);
    EXPECT_EQ(api.get("/healthz").status, 200);
    EXPECT_EQ(s.stop(), 0);
}

TEST(Health, AnswersOk) {
    Api api(demo_server());
    Reply r = api.get("/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r["status"], "ok");
}

TEST(Login, GoodCredentialsGiveTokenCsrfUserAndCookie) {
    Api api(demo_server());
    Reply r = api.post("/api/v1/auth/login", {{"email", kWorker}, {"password", "uneplace-demo"}});
    ASSERT_EQ(r.status, 200) << r.body;
    json j = r.json_body();
    EXPECT_TRUE(j["token"].is_string());
    EXPECT_GE(j["token"].get<std::string>().size(), 40u);
    EXPECT_TRUE(j["csrf_token"].is_string());
    EXPECT_EQ(j["user"]["role"], "social_worker");
    EXPECT_TRUE(j["user"]["id"].is_number_integer());
    EXPECT_TRUE(j["user"]["organisation_id"].is_number_integer());
    EXPECT_EQ(j["user"]["display_name"], "Sophie Lemaire");
    const std::string cookie = r.header("Set-Cookie");
    EXPECT_NE(cookie.find("uneplace_session=" + j["token"].get<std::string>()), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);
}

TEST(Login, RolesOfTheThreeDemoAccounts) {
    Api api(demo_server());
    EXPECT_EQ(api.login(kAdmin).json_body()["user"]["role"], "admin");
    EXPECT_TRUE(api.login(kAdmin).json_body()["user"]["organisation_id"].is_null());
    EXPECT_EQ(api.login(kPartner).json_body()["user"]["role"], "partner");
    EXPECT_EQ(api.login(kWorker).json_body()["user"]["role"], "social_worker");
}

TEST(Login, EmailIsCaseInsensitiveAndTrimmed) {
    Api api(demo_server());
    EXPECT_EQ(api.login("  Relais@Demo.Uneplace.TEST ").status, 200);
}

TEST(Login, BadCredentialsAre401WithFrenchMessage) {
    Api api(demo_server());
    Reply wrong = api.post("/api/v1/auth/login", {{"email", kWorker}, {"password", "not-the-password"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.error_code(), "invalid_credentials");
    EXPECT_FALSE(wrong.json_body()["error"]["message"].get<std::string>().empty());
    Reply unknown =
        api.post("/api/v1/auth/login", {{"email", "nobody@demo.uneplace.test"}, {"password", "uneplace-demo"}});
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(unknown.error_code(), "invalid_credentials");
    // Same answer for both: nothing tells which accounts exist.
    EXPECT_EQ(wrong.body, unknown.body);
}

TEST(Login, MalformedEmailIs422OnTheEmailField) {
    Api api(demo_server());
    Reply r = api.post("/api/v1/auth/login", {{"email", "relais-at-demo"}, {"password", "uneplace-demo"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.error_code(), "invalid_email");
    EXPECT_EQ(r.json_body()["error"]["field"], "email");
}

TEST(Login, MalformedBodies) {
    Api api(demo_server());
    EXPECT_EQ(api.request("POST", "/api/v1/auth/login", "{not json").status, 400);
    EXPECT_EQ(api.request("POST", "/api/v1/auth/login", "{not json").error_code(), "bad_json");
    EXPECT_EQ(api.request("POST", "/api/v1/auth/login", "[1,2]").status, 400);
    Reply missing = api.post("/api/v1/auth/login", {{"email", kWorker}});
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(missing.json_body()["error"]["field"], "password");
    Reply wrong_type = api.post("/api/v1/auth/login", {{"email", kWorker}, {"password", 12345}});
    EXPECT_EQ(wrong_type.status, 422);
    EXPECT_EQ(wrong_type.json_body()["error"]["field"], "password");
}

TEST(Me, WithoutTokenIs401) {
    Api api(demo_server());
    Reply r = api.get("/api/v1/me");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.error_code(), "unauthorized");
    api.token = "forged-token";
    EXPECT_EQ(api.get("/api/v1/me").status, 401);
}

TEST(Me, WithBearerTokenGivesTheUser) {
    Api api = logged_in(kPartner);
    Reply r = api.get("/api/v1/me");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r["role"], "partner");
    EXPECT_EQ(r["email"], kPartner);
    EXPECT_EQ(r["organisation"]["name"], "Théâtre du Faubourg");
}

TEST(Me, WithCookieGivesTheUser) {
    Api api(demo_server());
    Reply login = api.login(kWorker);
    Api browser(demo_server());
    browser.cookie = "theme=dark; uneplace_session=" + login.json_body()["token"].get<std::string>();
    Reply r = browser.get("/api/v1/me");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r["email"], kWorker);
}

TEST(Logout, EndsTheSession) {
    Api api = logged_in(kWorker);
    EXPECT_EQ(api.get("/api/v1/me").status, 200);
    EXPECT_EQ(api.post("/api/v1/auth/logout").status, 200);
    EXPECT_EQ(api.get("/api/v1/me").status, 401);
    EXPECT_EQ(api.post("/api/v1/auth/logout").status, 401);
}

TEST(Csrf, CookieWritesNeedTheCsrfHeader) {
    Api api(demo_server());
    api.login(kWorker);
    Api browser(demo_server());
    browser.cookie = "uneplace_session=" + api.token;
    Reply refused = browser.post("/api/v1/auth/logout");
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(refused.json_body()["error"]["field"], "X-CSRF-Token");
    browser.extra.emplace("X-CSRF-Token", "wrong");
    EXPECT_EQ(browser.post("/api/v1/auth/logout").status, 403);
    browser.extra = {{"X-CSRF-Token", api.csrf}};
    EXPECT_EQ(browser.post("/api/v1/auth/logout").status, 200);
    // Bearer-authenticated writes need no CSRF token (no ambient credential to abuse).
    Api bearer = logged_in(kWorker);
    EXPECT_EQ(bearer.post("/api/v1/auth/logout").status, 200);
}

TEST(Routing, UnknownApiPathIs404Json) {
    Api api(demo_server());
    Reply r = api.get("/api/v1/does-not-exist");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.error_code(), "not_found");
    EXPECT_EQ(api.get("/api/v2/me").status, 404);
}

TEST(WebClient, RootServesHtml) {
    Api api(demo_server());
    Reply r = api.get("/");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.header("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(r.body.find("<html"), std::string::npos);
    EXPECT_EQ(api.get("/no-such-file.js").status, 404);
}

TEST(Login, AStaleCookieDoesNotBlockLoggingInAgain) {
    Api browser(demo_server());
    browser.cookie = "uneplace_session=expired-or-logged-out";
    EXPECT_EQ(browser.get("/api/v1/me").status, 401);
    EXPECT_EQ(browser.get("/healthz").status, 200);
    EXPECT_EQ(browser.login(kWorker).status, 200);
}
