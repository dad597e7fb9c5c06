// Hostile input: malformed JSON, wrong types, missing and unknown fields, invalid UTF-8, huge and
// deeply nested bodies, SQL text in string fields, out-of-range numbers, odd ids. Always a 4xx with
// a code, never a 500; SQL text is stored and returned verbatim; the server keeps serving.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

// The caller for a route: the first role the OpenAPI document allows.
const Api& caller_for(const json& op, const Api& admin, const Api& partner, const Api& worker, const Api& anon) {
    if (!op.contains("x-roles")) return anon;
    const auto& roles = op["x-roles"];
    for (const auto& r : roles) {
        if (r == "social_worker") return worker;
    }
    for (const auto& r : roles) {
        if (r == "partner") return partner;
    }
    return admin;
}

std::string concrete(const std::string& path, const std::string& id) {
    std::string p = path;
    for (auto pos = p.find('{'); pos != std::string::npos; pos = p.find('{')) {
        auto end = p.find('}', pos);
        p.replace(pos, end - pos + 1, p.substr(pos, end - pos + 1) == "{territory}" ? "75" : id);
    }
    return p;
}

json wrong_value_for(const json& schema) {
    const json type = schema.is_object() ? schema.value("type", json("string")) : json("string");
    if (type == "string") return 12345;
    if (type == "integer") return "douze";
    if (type == "boolean") return "oui";
    if (type == "object") return json::array({1, 2});
    if (type == "array") return "pas une liste";
    return nullptr;
}

}  // namespace

TEST(Hostile, EveryWriteRouteSurvivesGarbageBodies) {
    Api anon(demo_server());
    Api admin = logged_in(kAdmin), partner = logged_in(kPartner), worker = logged_in(kWorker);
    const std::string sid = std::to_string(fresh_session(demo_server()));
    json doc = anon.get("/api/v1/openapi.json").json_body();
    const std::string garbage[] = {"{",
                                   "[]",
                                   "null",
                                   "\"texte\"",
                                   "42",
                                   "{\"a\":",
                                   "{\"a\" 1}",
                                   "{}}",
                                   "\x01\x02",
                                   "{\"title\": \"\xff\xfe\"}",
                                   "{\"first_name\": \"\xc3\x28\"}",
                                   std::string(100000, '[') + std::string(100000, ']')};
    int checked = 0;
    for (auto& [path, ops] : doc["paths"].items()) {
        for (auto& [method, op] : ops.items()) {
            if (method == "get" || path == "/api/v1/auth/logout") continue;
            std::string m = method;
            for (auto& ch : m) ch = static_cast<char>(std::toupper(ch));
            const Api& api = caller_for(op, admin, partner, worker, anon);
            const std::string p = concrete(path, sid);
            // The feed's batch takes NDJSON and answers line by line: each garbage line is refused
            // in its answer line, with its code.
            if (op.contains("requestBody") && op["requestBody"]["content"].contains("application/x-ndjson")) {
                for (const auto& body : garbage) {
                    Reply r = api.request(m, p, body, "application/x-ndjson");
                    ASSERT_EQ(r.status, 200) << m << " " << p << " body " << body.substr(0, 20) << ": " << r.body;
                    std::size_t lines = 0;
                    for (std::size_t pos = 0; pos < r.body.size(); pos = r.body.find('\n', pos) + 1, ++lines) {
                        const json line = json::parse(r.body.substr(pos, r.body.find('\n', pos) - pos));
                        EXPECT_GE(line["status"].get<int>(), 400) << body.substr(0, 20);
                        EXPECT_LT(line["status"].get<int>(), 500) << body.substr(0, 20);
                        EXPECT_FALSE(line["error"]["code"].get<std::string>().empty()) << body.substr(0, 20);
                    }
                    EXPECT_GE(lines, 1u) << body.substr(0, 20);
                    ++checked;
                }
                continue;
            }
            for (const auto& body : garbage) {
                Reply r = api.request(m, p, body);
                EXPECT_GE(r.status, 400) << m << " " << p << " body " << body.substr(0, 20);
                EXPECT_LT(r.status, 500) << m << " " << p << " body " << body.substr(0, 20) << ": " << r.body;
                EXPECT_FALSE(r.error_code().empty()) << m << " " << p;
                ++checked;
            }
            // Wrong type in each documented field, one at a time; and an unknown field.
            // A file route (a poster) has no fields: the garbage above was its test.
            if (op.contains("requestBody") && op["requestBody"]["content"].contains("application/json")) {
                const json schema = op["requestBody"]["content"]["application/json"].value("schema", json::object());
                const json props = schema.value("properties", json::object());
                for (auto& [field, fs] : props.items()) {
                    Reply r = api.request(m, p, json{{field, wrong_value_for(fs)}}.dump());
                    EXPECT_GE(r.status, 400) << m << " " << p << " " << field;
                    EXPECT_LT(r.status, 500) << m << " " << p << " " << field << ": " << r.body;
                    ++checked;
                }
                Reply unknown = api.request(m, p, json{{"définitivement_inconnu", 1}}.dump());
                EXPECT_GE(unknown.status, 400) << m << " " << p;
                EXPECT_LT(unknown.status, 500) << m << " " << p;
            }
        }
    }
    EXPECT_GT(checked, 300);
    EXPECT_EQ(anon.get("/healthz").status, 200);
    EXPECT_EQ(demo_server().log().find("internal error"), std::string::npos);
}

TEST(Hostile, InvalidUtf8IsRefusedWithACode) {
    Api worker = logged_in(kWorker);
    Reply r = worker.request("POST", "/api/v1/beneficiaries",
                             "{\"first_name\":\"Ren\xe9\",\"last_name\":\"X\",\"postal_code\":\"75011\"}");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.error_code(), "bad_json");
    Reply q = worker.get("/api/v1/catalogue?q=%FF%FE");
    EXPECT_EQ(q.status, 422);
    EXPECT_EQ(q.error_code(), "invalid_utf8");
}

TEST(Hostile, NamesOfInvisibleCharactersAndFarDatesAreRefused) {
    // Issue 12, item 4: the shared rules, so the client refuses the same before sending.
    Api worker = logged_in(kWorker);
    for (const char* invisible : {"\u200B", "\u2060", "\u00AD", "\u3164", "\u0301", "\uE000", "\xEF\xBF\xBF"}) {
        Reply r = worker.post("/api/v1/beneficiaries",
                              {{"first_name", invisible}, {"last_name", "Diallo"}, {"postal_code", "75011"}});
        EXPECT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(r.error_code(), "invisible_character") << r.body;
    }
    Reply dots =
        worker.post("/api/v1/beneficiaries", {{"first_name", "Awa"}, {"last_name", "..."}, {"postal_code", "75011"}});
    EXPECT_EQ(dots.error_code(), "no_visible_letter") << dots.body;
    Api partner = logged_in(kPartner);
    Api admin = logged_in(kAdmin);
    const auto offer = published_offer(partner, admin);
    Reply far = partner.post("/api/v1/offers/" + std::to_string(offer) + "/sessions",
                             {{"start_local", "9999-06-30T20:00"}, {"duration_min", 90}, {"capacity", 10}});
    EXPECT_EQ(far.status, 422) << far.body;
    EXPECT_EQ(far.error_code(), "start_too_far") << far.body;
    Reply ok = partner.post("/api/v1/offers/" + std::to_string(offer) + "/sessions",
                            {{"start_local", local_start(700)}, {"duration_min", 90}, {"capacity", 10}});
    EXPECT_EQ(ok.status, 201) << ok.body;
}

TEST(Hostile, SqlTextIsStoredAndReturnedVerbatim) {
    Api worker = logged_in(kWorker);
    const std::string first = "Robert'); DROP TABLE bookings;--";
    const std::string last = "\" OR 1=1 --";
    const std::string lang = "%' UNION SELECT * FROM users --";
    Reply r = worker.post(
        "/api/v1/beneficiaries",
        {{"first_name", first}, {"last_name", last}, {"postal_code", "75011"}, {"preferred_language", lang}});
    ASSERT_EQ(r.status, 201) << r.body;
    Reply back = worker.get("/api/v1/beneficiaries/" + std::to_string(r["id"].get<int>()));
    EXPECT_EQ(back["first_name"], first);
    EXPECT_EQ(back["last_name"], last);
    EXPECT_EQ(back["preferred_language"], lang);
    Api partner = logged_in(kPartner);
    const std::string title = "Hamlet'; DELETE FROM sessions WHERE '1'='1";
    Reply o = partner.post("/api/v1/offers", {{"venue_id", first_venue(partner)},
                                              {"title", title},
                                              {"category", "theatre"},
                                              {"pickup_mode", "guest_list"},
                                              {"description", "<script>alert(1)</script>"}});
    ASSERT_EQ(o.status, 201) << o.body;
    EXPECT_EQ(partner.get("/api/v1/offers/" + std::to_string(o["id"].get<int>()))["title"], title);
    EXPECT_EQ(worker.get("/api/v1/catalogue?q=%27%3B%20DROP%20TABLE%20sessions%3B%20--").status, 200);
    EXPECT_EQ(worker.get("/api/v1/beneficiaries?q=%27%20OR%201%3D1%20--").status, 200);
    EXPECT_GE(worker.get("/api/v1/catalogue?limit=500").items().size(), 50u) << "nothing was dropped";
}

TEST(Hostile, OutOfRangeNumbersAndOddIds) {
    Api worker = logged_in(kWorker);
    const auto sid = fresh_session(demo_server());
    const auto ben = new_beneficiary(worker);
    for (json places : {json(1e30), json(4294967297LL), json(-2147483649LL), json(1.5), json("2"), json(true)}) {
        Reply r = worker.post("/api/v1/bookings", {{"session_id", sid}, {"beneficiary_id", ben}, {"places", places}});
        EXPECT_EQ(r.status, 422) << places.dump() << ": " << r.body;
        EXPECT_EQ(r.json_body()["error"]["field"], "places");
    }
    EXPECT_EQ(worker.post("/api/v1/bookings", {{"session_id", 1e300}, {"beneficiary_id", ben}, {"places", 1}}).status,
              422);
    for (std::string id : {"abc", "-1", "0", "99999999999999999999", "1;DROP", "%00", "1.5"}) {
        Reply r = worker.get("/api/v1/bookings/" + id);
        EXPECT_EQ(r.status, 404) << id;
        EXPECT_EQ(r.error_code(), "not_found");
    }
    EXPECT_EQ(worker.get("/api/v1/catalogue?limit=99999999999999").status, 422);
    EXPECT_EQ(worker.get("/api/v1/catalogue?from=2026-13-45").status, 422);
}

TEST(Hostile, TenMegabyteBodyIs413AndTheServerKeepsServing) {
    ServerProcess& s = demo_server();
    // Raw socket, as curl does for large bodies: announce 10 MB with "Expect: 100-continue"; the
    // server refuses on the announced length before a byte of the body is sent.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(s.port()));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::size_t size = 10u << 20;
    const std::string head = "POST /api/v1/beneficiaries HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Expect: 100-continue\r\nContent-Length: " +
                             std::to_string(size) + "\r\n\r\n";
    ASSERT_GT(send(fd, head.data(), head.size(), MSG_NOSIGNAL), 0);
    std::string answer;
    char buf[4096];
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    // Read the answer up to the end of its body, then close: the server keeps the connection alive
    // (5 s), so reading until it closes would wait for that.
    auto complete = [&answer] {
        const auto end = answer.find("\r\n\r\n");
        if (end == std::string::npos) return false;
        static const std::regex kLength(R"(\r\n[Cc]ontent-[Ll]ength: *([0-9]+))");
        std::smatch m;
        const std::string headers = answer.substr(0, end);
        const std::size_t length = std::regex_search(headers, m, kLength) ? std::stoul(m[1]) : 0;
        return answer.size() >= end + 4 + length;
    };
    for (ssize_t n; !complete() && (n = recv(fd, buf, sizeof buf, 0)) > 0;)
        answer.append(buf, static_cast<std::size_t>(n));
    close(fd);
    EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
    EXPECT_NE(answer.find("payload_too_large"), std::string::npos);

    // A client that just sends its 10 MB body gets the same answer once the body is read.
    Api worker = logged_in(kWorker);
    Reply huge = worker.request(
        "POST", "/api/v1/beneficiaries",
        json{{"first_name", std::string(size, 'a')}, {"last_name", "X"}, {"postal_code", "75011"}}.dump());
    EXPECT_EQ(huge.status, 413);
    EXPECT_EQ(huge.error_code(), "payload_too_large");

    // And just over the limit (1 MiB by default).
    Reply big = worker.request(
        "POST", "/api/v1/beneficiaries",
        json{{"first_name", std::string((1 << 20) + 10, 'a')}, {"last_name", "X"}, {"postal_code", "75011"}}.dump());
    if (big.status != 0) {  // the server may close before the client finished writing
        EXPECT_EQ(big.status, 413);
        EXPECT_EQ(big.error_code(), "payload_too_large");
    }
    EXPECT_EQ(worker.get("/api/v1/me").status, 200);
    EXPECT_TRUE(s.running());
}

TEST(Hostile, WrongMethodAndStrangePaths) {
    Api worker = logged_in(kWorker);
    Reply wrong = worker.request("DELETE", "/api/v1/catalogue");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_FALSE(wrong.error_code().empty());
    EXPECT_EQ(worker.get("/api/v1/../../etc/passwd").status, 404);
    EXPECT_EQ(worker.get("/api/v1/bookings/1/../../me").status, 404);
    EXPECT_EQ(worker.get("/../../etc/passwd").status, 404);
    worker.token = std::string(5000, 'x');
    EXPECT_EQ(worker.get("/api/v1/me").status, 401);
    worker.token.clear();
    worker.extra = {{"Authorization", "Basic dXNlcjpwYXNz"}};
    EXPECT_EQ(worker.get("/api/v1/me").status, 401);
}
