// E-mail (issue 16, M1–M6): a real SMTP server (Debian's python3-aiosmtpd, its Mailbox handler
// writing each message it receives to a Maildir) in front of the real server process. The
// messages are read back by tests/server/read_maildir.py (Python's email package), their PDF with
// pdftotext. Every wait polls with a bound; nothing is timed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <set>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

// Debian's interpreter, where python3-aiosmtpd is installed (another python3 may come first on PATH).
constexpr const char* kPython = "/usr/bin/python3";

// A TCP port nobody listens on at this moment (bound, read, closed).
int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

bool accepts_connections(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    close(fd);
    return ok;
}

// Polls `done` every 50 ms for at most `seconds`; true as soon as it holds.
template <class F>
bool eventually(F done, int seconds = 20) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

// `python3 -m aiosmtpd` on 127.0.0.1:port, writing every message to `maildir`; start() and stop()
// may be called again (the mail server going down and coming back).
class SmtpServer {
public:
    SmtpServer(std::filesystem::path maildir, int port) : maildir_(std::move(maildir)), port_(port) { start(); }
    ~SmtpServer() { stop(); }
    int port() const { return port_; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    void start() {
        const std::string listen = "127.0.0.1:" + std::to_string(port_);
        const std::string dir = maildir_.string();
        std::vector<std::string> args = {
            kPython, "-m", "aiosmtpd", "-n", "-l", listen, "-c", "aiosmtpd.handlers.Mailbox", dir};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        const int rc = posix_spawn(&pid_, kPython, &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) throw std::runtime_error("cannot start aiosmtpd");
        if (!eventually([&] { return accepts_connections(port_); }))
            throw std::runtime_error("aiosmtpd did not listen on " + listen);
    }
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    std::filesystem::path maildir_;
    int port_;
    pid_t pid_ = -1;
};

// The messages the SMTP server has received so far, decoded by read_maildir.py.
json received(const std::filesystem::path& maildir, const std::filesystem::path& parts_dir) {
    std::filesystem::create_directories(parts_dir);
    const Command c = run_tool(std::string(kPython) + " " +
                               shell_quoted(std::string(UNEPLACE_SOURCE_DIR) + "/tests/server/read_maildir.py") + " " +
                               shell_quoted(maildir) + " " + shell_quoted(parts_dir));
    EXPECT_EQ(c.exit_code, 0) << c.output;
    json j = json::parse(c.output, nullptr, false);
    return j.is_array() ? j : json::array();
}

// The received messages whose subject names `title` (each test's offers have their own title).
json about(const json& messages, const std::string& title) {
    json out = json::array();
    for (const auto& m : messages)
        if (m["subject"].get<std::string>().find(title) != std::string::npos) out.push_back(m);
    return out;
}

json outbox(const Api& admin, const std::string& status) {
    Reply r = admin.get("/api/v1/outbox?status=" + status + "&limit=500");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json_body();
}

// The outbox lines about one booking.
json lines_of(const json& page, std::int64_t booking) {
    json out = json::array();
    for (const auto& l : page.value("items", json::array()))
        if (l["booking_id"] == booking) out.push_back(l);
    return out;
}

// A server that sends through `smtp` (its links under https://uneplace.example).
ServerConfig mail_server(const std::string& smtp_url) {
    return {.extra_args = {"--login-rate", "100000", "--smtp", smtp_url, "--mail-from", "billetterie@uneplace.example",
                           "--public-url", "https://uneplace.example/"}};
}

}  // namespace

// M1 and M3 arrive once each, in French, with the invitation (M1), only P2 about the guest; the
// SMTP server goes down mid-run and comes back: the message queued meanwhile arrives, once.
TEST(Mail, EachMessageArrivesOnceInFrenchWithTheInvitationEvenAcrossAMailServerOutage) {
    TempDir dir;
    SmtpServer smtp(dir.path() / "maildir", free_port());
    ServerProcess server(mail_server(smtp.url()));
    Api worker = logged_in(kWorker, server), partner = logged_in(kPartner, server), admin = logged_in(kAdmin, server);
    const std::string title = "Concert courriel " + unique_suffix();
    const auto session = fresh_session(server, json::object(), {{"title", title}});
    const auto guest = new_beneficiary(worker, {{"first_name", "Noémie"}, {"last_name", "Quenault-Dubreuil"}});
    Reply booked = book(worker, session, guest, 2);
    ASSERT_EQ(booked.status, 201) << booked.body;
    const std::int64_t booking = booked["id"];
    const std::string code = booked["code"];

    // M1: once, to the social worker, text and HTML in French, the invitation attached.
    json mine;
    ASSERT_TRUE(eventually([&] {
        return about(received(dir.path() / "maildir", dir.path() / "parts"), title).size() == 1;
    })) << server.log();
    mine = about(received(dir.path() / "maildir", dir.path() / "parts"), title);
    const json m1 = mine[0];
    EXPECT_EQ(m1["rcpt_to"], kWorker);
    EXPECT_NE(m1["subject"].get<std::string>().find("Réservation confirmée"), std::string::npos);
    EXPECT_NE(m1["from"].get<std::string>().find("billetterie@uneplace.example"), std::string::npos);
    for (const char* part : {"text", "html"}) {
        const std::string body = m1[part];
        EXPECT_NE(body.find("Bonjour"), std::string::npos) << part;
        EXPECT_NE(body.find("Noémie Q."), std::string::npos) << part;
        EXPECT_NE(body.find(code), std::string::npos) << part;
        EXPECT_NE(body.find("heure locale du lieu"), std::string::npos) << part;
        EXPECT_NE(body.find("https://uneplace.example/#/reservations"), std::string::npos) << part;
    }
    ASSERT_EQ(m1["attachments"].size(), 1u);
    EXPECT_EQ(m1["attachments"][0]["content_type"], "application/pdf");
    EXPECT_EQ(m1["attachments"][0]["filename"], "invitation-" + code + ".pdf");
    const Command pdf =
        run_tool("pdftotext -enc UTF-8 " + shell_quoted(m1["attachments"][0]["path"].get<std::string>()) + " -");
    ASSERT_EQ(pdf.exit_code, 0);
    EXPECT_NE(pdf.output.find(code), std::string::npos) << pdf.output;
    EXPECT_NE(pdf.output.find("Noémie Q."), std::string::npos) << pdf.output;
    // P2: the full last name appears nowhere: subject, text, HTML, PDF.
    for (const std::string& s :
         {m1["subject"].get<std::string>(), m1["text"].get<std::string>(), m1["html"].get<std::string>(), pdf.output})
        EXPECT_EQ(s.find("Quenault"), std::string::npos) << s;

    // The mail server goes down; the partner cancels the session: M3 is queued, its first try fails.
    smtp.stop();
    Reply cancelled = partner.post("/api/v1/sessions/" + std::to_string(session) + "/cancel");
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    json waiting;
    ASSERT_TRUE(eventually([&] {
        waiting = lines_of(outbox(admin, "queued"), booking);
        return waiting.size() == 1 && waiting[0]["attempts"] == 1;
    })) << waiting.dump();
    EXPECT_EQ(waiting[0]["kind"], "M3");
    EXPECT_FALSE(waiting[0]["last_error"].is_null());

    // It comes back; a minute later (M6's first retry) the message leaves, once.
    smtp.start();
    advance_clock(server, 61);
    ASSERT_TRUE(eventually([&] {
        return about(received(dir.path() / "maildir", dir.path() / "parts"), title).size() >= 2;
    })) << server.log();
    ASSERT_TRUE(eventually([&] { return lines_of(outbox(admin, "queued"), booking).empty(); }));
    mine = about(received(dir.path() / "maildir", dir.path() / "parts"), title);
    ASSERT_EQ(mine.size(), 2u) << mine.dump();
    std::set<std::string> ids;
    for (const auto& m : mine) ids.insert(m["message_id"].get<std::string>());
    EXPECT_EQ(ids.size(), 2u);
    const json m3 = mine[1];
    EXPECT_NE(m3["subject"].get<std::string>().find("Séance annulée"), std::string::npos);
    EXPECT_NE(m3["text"].get<std::string>().find("Noémie Q."), std::string::npos);
    EXPECT_EQ(m3["text"].get<std::string>().find("Quenault"), std::string::npos);
    EXPECT_TRUE(m3["attachments"].empty());
    const json sent = lines_of(outbox(admin, "sent"), booking);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0]["attempts"], 2);  // M3 (newest first): one failure, one success
    EXPECT_EQ(sent[1]["attempts"], 1);
}

// M5: a user who turned reminders off gets no M2; one who turned feedback requests off gets no
// M4; the others get each once. M1 cannot be turned off.
TEST(Mail, RemindersAndFeedbackRequestsFollowEachUsersPreferences) {
    TempDir dir;
    SmtpServer smtp(dir.path() / "maildir", free_port());
    ServerProcess server(mail_server(smtp.url()));
    Api quiet = logged_in(kWorker, server), other = logged_in(kOtherWorker, server), admin = logged_in(kAdmin, server);

    Reply prefs = quiet.get("/api/v1/me/preferences");
    ASSERT_EQ(prefs.status, 200);
    EXPECT_EQ(prefs["reminders"], true);
    EXPECT_EQ(prefs["feedback_requests"], true);
    EXPECT_EQ(prefs["confirmations"], true);
    EXPECT_EQ(quiet.patch("/api/v1/me/preferences", {{"reminders", false}})["reminders"], false);
    EXPECT_EQ(quiet.get("/api/v1/me/preferences")["feedback_requests"], true);
    EXPECT_EQ(other.patch("/api/v1/me/preferences", {{"feedback_requests", false}})["feedback_requests"], false);
    Reply unknown = quiet.patch("/api/v1/me/preferences", {{"confirmations", false}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.error_code(), "unknown_field");
    Reply wrong = quiet.patch("/api/v1/me/preferences", {{"reminders", "non"}});
    EXPECT_EQ(wrong.status, 422) << wrong.body;
    EXPECT_EQ(wrong.error_code(), "validation");

    const std::string title = "Rappel courriel " + unique_suffix();
    const auto session = fresh_session(server, {{"start_local", local_start(5)}}, {{"title", title}});
    const Reply a = book(quiet, session, new_beneficiary(quiet));
    const Reply b = book(other, session, new_beneficiary(other));
    ASSERT_EQ(a.status, 201) << a.body;
    ASSERT_EQ(b.status, 201) << b.body;
    const std::int64_t start = instant(a.json_body()["session"]["start"]);

    // start − 72 h: M2 for `other` only; the day after the outing: M4 for `quiet` only.
    advance_to(server, start - 72 * 3600 + 60);
    run_scheduler(server);
    advance_to(server, start + 24 * 3600 + 60);
    run_scheduler(server);
    auto kinds = [&](std::int64_t booking) {
        std::multiset<std::string> k;
        for (const auto& l : lines_of(outbox(admin, "sent"), booking)) k.insert(l["kind"].get<std::string>());
        return k;
    };
    const std::int64_t ba = a["id"], bb = b["id"];
    ASSERT_TRUE(eventually([&] {
        return lines_of(outbox(admin, "queued"), ba).empty() && lines_of(outbox(admin, "queued"), bb).empty();
    }));
    EXPECT_EQ(kinds(ba), (std::multiset<std::string>{"M1", "M4"}));
    EXPECT_EQ(kinds(bb), (std::multiset<std::string>{"M1", "M2"}));
    // And what arrived says so, once each.
    const json mine = about(received(dir.path() / "maildir", dir.path() / "parts"), title);
    int reminders = 0, feedback = 0;
    for (const auto& m : mine) {
        const std::string subject = m["subject"];
        if (subject.rfind("Rappel", 0) == 0) {
            ++reminders;
            EXPECT_EQ(m["rcpt_to"], kOtherWorker);
        }
        if (subject.rfind("Comment", 0) == 0) {
            ++feedback;
            EXPECT_EQ(m["rcpt_to"], kWorker);
        }
    }
    EXPECT_EQ(mine.size(), 4u) << mine.dump();
    EXPECT_EQ(reminders, 1);
    EXPECT_EQ(feedback, 1);
    // Another pass queues nothing again.
    run_scheduler(server);
    EXPECT_EQ(lines_of(outbox(admin, "queued"), ba).size() + lines_of(outbox(admin, "queued"), bb).size(), 0u);
}

// M6: to an unreachable mail server, a message is tried 5 times (1 min, 10 min, 1 h, 6 h apart),
// then listed as failed with its error; without --smtp the outbox says no server is configured.
TEST(Mail, AMessageToAnUnreachableServerEndsInTheFailedOutboxWithItsError) {
    const int nobody = free_port();
    ServerProcess server(mail_server("smtp://127.0.0.1:" + std::to_string(nobody)));
    Api worker = logged_in(kWorker, server), admin = logged_in(kAdmin, server);
    const auto session = fresh_session(server);
    Reply booked = book(worker, session, new_beneficiary(worker));
    ASSERT_EQ(booked.status, 201) << booked.body;
    const std::int64_t booking = booked["id"];
    for (int attempt = 1; attempt <= 4; ++attempt) {
        json line;
        ASSERT_TRUE(eventually([&] {
            line = lines_of(outbox(admin, "queued"), booking);
            return line.size() == 1 && line[0]["attempts"] == attempt;
        })) << attempt
            << " " << line.dump();
        constexpr std::int64_t kDelay[] = {0, 60, 600, 3600, 21600};
        const std::int64_t delay = instant(line[0]["next_attempt_at"]) - server_now(server);
        EXPECT_GE(delay, kDelay[attempt] - 5) << attempt;
        EXPECT_LE(delay, kDelay[attempt]) << attempt;
        advance_clock(server, delay + 1);
    }
    json failed;
    ASSERT_TRUE(eventually([&] {
        failed = lines_of(outbox(admin, "failed"), booking);
        return failed.size() == 1;
    })) << server.log();
    EXPECT_EQ(failed[0]["attempts"], 5);
    EXPECT_EQ(failed[0]["kind"], "M1");
    EXPECT_EQ(failed[0]["recipient"], kWorker);
    EXPECT_NE(failed[0]["last_error"].get<std::string>().find("onnect"), std::string::npos) << failed[0].dump();
    const json page = outbox(admin, "failed");
    EXPECT_EQ(page["mail_configured"], true);
    EXPECT_GE(page["failed"].get<int>(), 1);
    // Only administrators read the outbox; a status it does not know is refused.
    EXPECT_EQ(worker.get("/api/v1/outbox").status, 403);
    Reply bad = admin.get("/api/v1/outbox?status=everything");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.error_code(), "validation");

    // The shared demo server has no --smtp: its messages wait, and the outbox says why.
    Api demo_admin = logged_in(kAdmin);
    Api demo_worker = logged_in(kWorker);
    Reply queued_booking = book(demo_worker, fresh_session(demo_server()), new_beneficiary(demo_worker));
    ASSERT_EQ(queued_booking.status, 201) << queued_booking.body;
    const json demo_page = outbox(demo_admin, "queued");
    EXPECT_EQ(demo_page["mail_configured"], false);
    EXPECT_EQ(lines_of(demo_page, queued_booking["id"]).size(), 1u);
}
