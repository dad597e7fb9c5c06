// The front door (issue 11): idle, slow and kept-alive connections never hold a worker a ready
// request needs; bodies are bounded however they are framed; logins cannot be turned against users;
// the client's address behind a trusted proxy; HTTPS served by the binary and through Debian's nginx
// with the configuration shipped in deploy/nginx/. Proofs by ordering and by state, never by timing.
//
// Index of this file:
// [SECTION] Raw connections and the server's memory
// [SECTION] Connections
// [SECTION] Bodies
// [SECTION] Logins and rate limits
// [SECTION] Proxy addresses and metrics
// [SECTION] TLS and nginx
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "harness.hpp"

using namespace uneplace::test;

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Raw connections and the server's memory
//-----------------------------------------------------------------------------

// A plain TCP connection the test drives byte by byte.
class RawConnection {
public:
    // receive_buffer > 0: a fixed, small receive window (the kernel no longer grows it).
    RawConnection(const std::string& host, int port, int receive_buffer = 0) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        inet_pton(AF_INET, host.c_str(), &a.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            ::close(fd_);
            fd_ = -1;
        }
    }
    explicit RawConnection(const ServerProcess& s, int receive_buffer = 0)
        : RawConnection(s.host(), s.port(), receive_buffer) {}
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }
    RawConnection(RawConnection&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    RawConnection(const RawConnection&) = delete;

    bool connected() const { return fd_ >= 0; }
    bool send(const std::string& s) const {
        std::size_t done = 0;
        while (done < s.size()) {
            const ssize_t n = ::send(fd_, s.data() + done, s.size() - done, MSG_NOSIGNAL);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }
    // Open, and nothing to read: the server has neither answered nor closed it.
    bool open_and_unanswered() const {
        char c;
        const ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
    // Reads one answer (head and Content-Length body), waiting at most `wait_s` (a safety bound:
    // the assertions are on what arrives, not on when). Empty when the connection closed first.
    std::string read_answer(int wait_s = 30) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
        for (;;) {
            const auto head_end = buffer_.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                // Interim answers (100 Continue) are skipped.
                if (buffer_.compare(0, 12, "HTTP/1.1 100") == 0) {
                    buffer_.erase(0, head_end + 4);
                    continue;
                }
                std::size_t length = 0;
                std::smatch m;
                const std::string head = buffer_.substr(0, head_end);
                if (std::regex_search(head, m, std::regex("Content-Length: ([0-9]+)", std::regex::icase)))
                    length = std::stoul(m[1]);
                if (buffer_.size() >= head_end + 4 + length) {
                    std::string answer = buffer_.substr(0, head_end + 4 + length);
                    buffer_.erase(0, answer.size());
                    return answer;
                }
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return {};
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
            char buf[8192];
            const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) return {};
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
    }
    // True when the server closed the connection (waits at most `wait_s`).
    bool closed_by_server(int wait_s = 30) const {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, wait_s * 1000) <= 0) return false;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
            if (n == 0) return true;
            if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
        }
    }

private:
    int fd_ = -1;
    std::string buffer_;
};

int status_of(const std::string& answer) {
    if (answer.size() < 12 || answer.compare(0, 5, "HTTP/") != 0) return 0;
    return std::stoi(answer.substr(9, 3));
}

std::string get_request(const std::string& path, const std::string& extra_headers = {}) {
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n";
}

// A free TCP port on loopback (for nginx, which cannot be asked for port 0 and tell).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

int run_command(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Connections
//-----------------------------------------------------------------------------

TEST(FrontDoor, IdleAndSlowConnectionsDoNotDelayARealRequest) {
    // Two workers only: with a worker per connection, any two of these would stall the server.
    // A long head deadline: the silent ones must still be open when the test looks, however busy
    // the machine (AHeadThatTricklesIsCutAtItsDeadline tests the deadline).
    ServerProcess s({.extra_args = {"--threads", "2", "--header-timeout", "300"}});
    std::vector<RawConnection> idle, slow;
    for (int i = 0; i < 200; ++i) idle.emplace_back(s);
    for (int i = 0; i < 20; ++i) {
        slow.emplace_back(s);
        ASSERT_TRUE(slow.back().send("GET /healthz HTTP/1.1\r\nHo"));  // a head that never ends
    }
    // The real request is answered while every idle and slow connection is still open and
    // unanswered: it did not wait for any of them.
    Api api(s);
    Reply r = api.get("/healthz");
    EXPECT_EQ(r.status, 200);
    Reply booking_page = logged_in(kWorker, s).get("/api/v1/catalogue");
    EXPECT_EQ(booking_page.status, 200);
    for (auto& c : idle) ASSERT_TRUE(c.connected() && c.open_and_unanswered());
    for (auto& c : slow) EXPECT_TRUE(c.open_and_unanswered());
}

TEST(FrontDoor, AHeadThatTricklesIsCutAtItsDeadline) {
    ServerProcess s({.extra_args = {"--header-timeout", "1"}});
    RawConnection slow(s);
    // One header byte at a time, each well within any per-read timeout: the head as a whole is
    // what has a deadline. The server answers 408 and closes; the trickle never completes.
    const std::string head = "GET /healthz HTTP/1.1\r\nX-Slow: " + std::string(200, 'a');
    std::string answer;
    for (char ch : head) {
        if (!slow.send(std::string(1, ch))) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!slow.open_and_unanswered()) break;
    }
    answer = slow.read_answer(10);
    EXPECT_EQ(status_of(answer), 408) << answer;
    EXPECT_NE(answer.find("request_timeout"), std::string::npos);
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
}

TEST(FrontDoor, KeptAliveConnectionsHoldNoWorker) {
    // A long idle timeout: this test is about workers, and a busy machine must not idle them out.
    ServerProcess s({.extra_args = {"--threads", "1", "--idle-timeout", "300"}});
    std::vector<RawConnection> kept;
    for (int i = 0; i < 50; ++i) {
        kept.emplace_back(s);
        ASSERT_TRUE(kept.back().send(get_request("/healthz")));
        ASSERT_EQ(status_of(kept.back().read_answer()), 200);
    }
    // Fifty browsers keep their connection open; the only worker still answers a newcomer…
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    for (auto& c : kept) EXPECT_TRUE(c.open_and_unanswered());
    // …and each kept connection serves its next request.
    for (auto& c : kept) {
        ASSERT_TRUE(c.send(get_request("/api/v1/openapi.json")));
        EXPECT_EQ(status_of(c.read_answer()), 200);
    }
    // Pipelined requests on one connection are answered in order.
    RawConnection p(s);
    ASSERT_TRUE(p.send(get_request("/healthz") + get_request("/nope-api-404") + get_request("/healthz")));
    EXPECT_EQ(status_of(p.read_answer()), 200);
    EXPECT_EQ(status_of(p.read_answer()), 404);
    EXPECT_EQ(status_of(p.read_answer()), 200);
}

TEST(FrontDoor, AClientSlowToReadItsAnswerHoldsNoWorker) {
    // One quick worker. The reader asks eight times for the client's WebAssembly file (over a
    // megabyte each, far more than the socket buffers hold with a 64 KB receive window) and reads
    // nothing: the rest of its answers waits in the gate.
    ServerProcess s({.extra_args = {"--threads", "1"}});
    const std::string wasm = Api(s).get("/uneplace.wasm").body;
    ASSERT_GT(wasm.size(), 1000000u);
    RawConnection reader(s, 64 * 1024);
    constexpr int kAnswers = 8;
    std::string requests;
    for (int i = 0; i < kAnswers; ++i) requests += get_request("/uneplace.wasm");
    ASSERT_TRUE(reader.send(requests));
    // Once the reader's answer has begun, the only worker answers others…
    for (int i = 0; i < 3000 && reader.open_and_unanswered(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_FALSE(reader.open_and_unanswered());
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    EXPECT_EQ(logged_in(kWorker, s).get("/api/v1/catalogue").status, 200);
    // …and the reader, who was never cut off, still gets the whole file when it reads at last
    // (a worker waiting on the reader would have given up and closed the connection first).
    for (int i = 0; i < kAnswers; ++i) {
        const std::string answer = reader.read_answer();
        ASSERT_EQ(status_of(answer), 200) << "answer " << i;
        EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), wasm);
    }
    ASSERT_TRUE(reader.send(get_request("/healthz")));  // and it is kept alive
    EXPECT_EQ(status_of(reader.read_answer()), 200);
}

TEST(FrontDoor, ALoginFloodLeavesTheQuickLaneFree) {
    // Real Argon2id cost, one hashing slot that everybody waits for, one quick worker: eight
    // logins at once take a second or more in turn. A request that needs no hash is answered
    // while they are still being hashed: password hashing has its own lane of workers.
    ServerProcess s(
        {.test_hooks = false, .extra_args = {"--threads", "1", "--hash-concurrency", "1", "--hash-wait-ms", "60000"}});
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    constexpr int kLogins = 8;
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kLogins; ++i)
        threads.emplace_back([&, i] {
            Api api(s);
            const Reply r = api.post("/api/v1/auth/login", {{"email", "flot" + std::to_string(i) + "@exemple.fr"},
                                                            {"password", "mauvais mot de passe"}});
            EXPECT_EQ(r.status, 401) << r.body;
            ++answered;
        });
    while (answered == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // hashing has begun
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    EXPECT_EQ(Api(s).get("/api/v1/openapi.json").status, 200);
    EXPECT_LT(answered.load(), kLogins);
    for (auto& t : threads) t.join();
    EXPECT_EQ(answered.load(), kLogins);
}

TEST(FrontDoor, KeepAliveIdlesOut) {
    ServerProcess s({.extra_args = {"--idle-timeout", "1"}});
    RawConnection c(s);
    ASSERT_TRUE(c.send(get_request("/healthz")));
    ASSERT_EQ(status_of(c.read_answer()), 200);
    EXPECT_TRUE(c.closed_by_server(20));
}

TEST(FrontDoor, OneAddressCannotHoldMoreThanItsShare) {
    ServerProcess s({.extra_args = {"--max-conn-per-address", "5", "--header-timeout", "300"}});
    std::vector<RawConnection> mine;
    for (int i = 0; i < 5; ++i) mine.emplace_back(s);
    {
        // A sixth one is told why and closed (the five are held open by the test).
        RawConnection extra(s);
        const std::string answer = extra.read_answer(10);
        EXPECT_EQ(status_of(answer), 503) << answer;
        EXPECT_NE(answer.find("too_many_connections"), std::string::npos);
        EXPECT_NE(answer.find("Retry-After"), std::string::npos);
    }
    // Once one closes, the address may connect again (as soon as the server has seen it close).
    mine.pop_back();
    bool served = false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!served && std::chrono::steady_clock::now() < until) {
        served = Api(s).get("/healthz").status == 200;
        if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_TRUE(served);
}

//-----------------------------------------------------------------------------
// [SECTION] Bodies
//-----------------------------------------------------------------------------

TEST(FrontDoor, ChunkedAndCompressedBodiesAreRefusedWithoutGrowth) {
    ServerProcess s;
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    const long peak_before = memory_kb(s.pid(), "VmHWM:");
    ASSERT_GT(peak_before, 0);

    // 30 MB sent chunked: refused on its head (411) before a byte of it is kept.
    {
        RawConnection c(s);
        ASSERT_TRUE(c.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"));
        const std::string chunk = "100000\r\n" + std::string(0x100000, 'x') + "\r\n";
        std::thread sender([&] {
            for (int i = 0; i < 30; ++i)
                if (!c.send(chunk)) break;
        });
        const std::string answer = c.read_answer();
        sender.join();
        EXPECT_EQ(status_of(answer), 411) << answer;
        EXPECT_NE(answer.find("length_required"), std::string::npos);
    }
    // A compressed body is never inflated (415), whatever it claims to unpack to.
    {
        RawConnection c(s);
        const std::string body(48 * 1024, '\x1f');
        ASSERT_TRUE(c.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                           "Content-Encoding: gzip\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body));
        const std::string answer = c.read_answer();
        EXPECT_EQ(status_of(answer), 415) << answer;
        EXPECT_NE(answer.find("unsupported_encoding"), std::string::npos);
    }
    // An announced length above --max-body: 413 before the body is read, even if it is sent.
    {
        RawConnection c(s);
        ASSERT_TRUE(c.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                           "Content-Length: 31457280\r\n\r\n"));
        std::thread sender([&] {
            const std::string mb(1 << 20, 'y');
            for (int i = 0; i < 30; ++i)
                if (!c.send(mb)) break;
        });
        const std::string answer = c.read_answer();
        sender.join();
        EXPECT_EQ(status_of(answer), 413) << answer;
    }
    // Headers without end: 431, not a growing buffer.
    {
        RawConnection c(s);
        c.send("GET /healthz HTTP/1.1\r\nX-Big: " + std::string(64 * 1024, 'h'));
        EXPECT_EQ(status_of(c.read_answer()), 431);
    }
    const long peak_after = memory_kb(s.pid(), "VmHWM:");
    if (server_memory_measured()) {
        EXPECT_LT(peak_after - peak_before, 8 * 1024) << "peak memory grew from " << peak_before << " kB";
    }
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
}

TEST(FrontDoor, ABodyWithinBoundsStillArrivesWithExpectContinue) {
    ServerProcess s;
    RawConnection c(s);
    const std::string body = json{{"email", kWorker}, {"password", "uneplace-demo"}}.dump();
    ASSERT_TRUE(c.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                       "Expect: 100-continue\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n"));
    ASSERT_TRUE(c.send(body));
    const std::string answer = c.read_answer();
    EXPECT_EQ(status_of(answer), 200) << answer;
}

//-----------------------------------------------------------------------------
// [SECTION] Logins and rate limits
//-----------------------------------------------------------------------------

TEST(FrontDoor, MalformedLoginsDoNotLockOutACorrectOne) {
    // The default limits (20 wrong passwords per account, 200 attempts a minute per address).
    ServerProcess s({.extra_args = {}});
    Api api(s);
    const long rss_before = memory_kb(s.pid(), "VmRSS:");
    for (int i = 0; i < 300; ++i) {
        const std::string email = i % 3 == 0   ? "pas-une-adresse-" + std::to_string(i)
                                  : i % 3 == 1 ? std::string(1000, 'a') + std::to_string(i) + "@x.fr"
                                               : std::string(200000 + i, 'b') + "@demo.uneplace.test";
        Reply r = api.post("/api/v1/auth/login", {{"email", email}, {"password", "peu importe"}});
        ASSERT_EQ(r.status, 422) << r.body.substr(0, 200);
        EXPECT_EQ(r.error_code(), "invalid_email");
    }
    if (server_memory_measured()) {
        EXPECT_LT(memory_kb(s.pid(), "VmRSS:") - rss_before, 16 * 1024);
    }
    EXPECT_EQ(api.login(kAdmin).status, 200);
}

TEST(FrontDoor, WrongPasswordsBackOffPerAccountNotPerAddress) {
    ServerProcess s({.extra_args = {"--login-rate", "3"}});
    Api api(s);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(api.login(kWorker, "mauvais mot de passe").status, 401);
    Reply held = api.login(kWorker, "mauvais mot de passe");
    EXPECT_EQ(held.status, 429);
    EXPECT_EQ(held.error_code(), "rate_limited");
    EXPECT_GE(std::stoi(held.header("Retry-After")), 1);
    // The same address logs in to another account at once.
    EXPECT_EQ(api.login(kPartner).status, 200);
}

TEST(FrontDoor, ALoginFloodWaitsForHashingSlots) {
    // Real Argon2id cost (64 MiB each), one slot, no waiting: of eight logins at once some are
    // told to come back, and the server never holds more than one hash's memory.
    ServerProcess s({.test_hooks = false, .extra_args = {"--hash-concurrency", "1", "--hash-wait-ms", "0"}});
    EXPECT_EQ(Api(s).get("/healthz").status, 200);
    std::vector<std::thread> threads;
    std::vector<Reply> replies(8);
    std::atomic<int> ready{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            Api api(s);
            ++ready;
            while (ready < 8) std::this_thread::yield();
            replies[i] = api.post("/api/v1/auth/login", {{"email", kWorker}, {"password", "mauvais mot de passe"}});
        });
    for (auto& t : threads) t.join();
    int busy = 0, refused = 0;
    for (const auto& r : replies) {
        if (r.status == 429) {
            EXPECT_EQ(r.error_code(), "server_busy");
            EXPECT_FALSE(r.header("Retry-After").empty());
            ++busy;
        } else {
            EXPECT_EQ(r.status, 401) << r.body;
            ++refused;
        }
    }
    EXPECT_GE(busy, 1);
    EXPECT_GE(refused, 1);
    if (server_memory_measured()) {
        EXPECT_LT(memory_kb(s.pid(), "VmHWM:"), 200 * 1024);
    }
}

//-----------------------------------------------------------------------------
// [SECTION] Proxy addresses and metrics
//-----------------------------------------------------------------------------

namespace {
// Logins with unknown accounts (so no account backs off) from the address `forwarded` claims.
int refused_logins(Api& api, const std::string& forwarded, int attempts) {
    static int unknown = 0;
    api.extra = {{"X-Forwarded-For", forwarded}};
    int limited = 0;
    for (int i = 0; i < attempts; ++i) {
        Reply r = api.post("/api/v1/auth/login",
                           {{"email", "inconnu" + std::to_string(unknown++) + "@exemple.fr"}, {"password", "x"}});
        if (r.status == 429) ++limited;
    }
    return limited;
}
}  // namespace

TEST(FrontDoor, ForwardedForIsReadOnlyFromTheTrustedProxy) {
    // --login-rate 1: ten attempts a minute per address.
    {
        ServerProcess proxied({.extra_args = {"--login-rate", "1", "--trusted-proxy", "127.0.0.1/32"}});
        Api api(proxied);
        // (20 attempts: even on a slow machine, where a token comes back every 6 s, some are refused.)
        EXPECT_GE(refused_logins(api, "203.0.113.5", 20), 2);
        // Another client behind the same proxy is not held back by the first one…
        EXPECT_EQ(refused_logins(api, "203.0.113.6", 5), 0);
        // …and what a client writes to the left of the proxy's own entry proves nothing.
        EXPECT_GE(refused_logins(api, "198.51.100.1, 203.0.113.5", 3), 1);
        EXPECT_NE(proxied.log().find("client=203.0.113.6"), std::string::npos);
    }
    {
        // Without --trusted-proxy, X-Forwarded-For is the client's own claim: ignored.
        ServerProcess direct({.extra_args = {"--login-rate", "1"}});
        Api api(direct);
        EXPECT_GE(refused_logins(api, "203.0.113.5", 20), 2);
        EXPECT_GE(refused_logins(api, "203.0.113.6", 3), 2);
    }
}

TEST(FrontDoor, MetricsAreForAdminsOrTheLoopbackListener) {
    ServerProcess s({.extra_args = {"--trusted-proxy", "127.0.0.1/32", "--metrics-listen", "127.0.0.1:0"}});
    // Loopback on the main listener is everybody behind a local proxy: not trusted.
    EXPECT_EQ(Api(s).get("/metrics").status, 401);
    EXPECT_EQ(logged_in(kWorker, s).get("/metrics").status, 403);
    EXPECT_EQ(logged_in(kAdmin, s).get("/metrics").status, 200);
    std::smatch m;
    const std::string out = s.stdout_text();
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(métriques sur http://127\.0\.0\.1:([0-9]+)/metrics)"))) << out;
    Api local(s.host(), std::stoi(m[1]));
    Reply r = local.get("/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("uneplace_http_requests_total"), std::string::npos);
    // The metrics listener serves nothing else.
    EXPECT_EQ(local.get("/api/v1/catalogue").status, 404);
}

TEST(FrontDoor, MetricsListenerMustBeLoopback) {
    EXPECT_THROW(ServerProcess({.extra_args = {"--metrics-listen", "0.0.0.0:0"}}), std::runtime_error);
}

//-----------------------------------------------------------------------------
// [SECTION] TLS and nginx
//-----------------------------------------------------------------------------

namespace {

// A JSON request over HTTPS, trusting `ca` (the test's own certificate).
Reply tls_request(const std::string& host, int port, const std::string& ca, const std::string& method,
                  const std::string& path, const json& body = nullptr, const std::string& token = {},
                  httplib::Headers headers = {}) {
    httplib::SSLClient cli(host, port);
    cli.set_ca_cert_path(ca.c_str());
    cli.enable_server_certificate_verification(true);
    cli.set_connection_timeout(10, 0);
    cli.set_read_timeout(30, 0);
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return reply_of(method == "GET" ? cli.Get(path, headers)
                                    : cli.Post(path, headers, body.dump(), "application/json"));
}

// A booking from login to confirmation, over HTTPS at host:port.
void book_over_tls(ServerProcess& server, const std::string& host, int port, const std::string& ca,
                   httplib::Headers headers = {}) {
    const auto session = fresh_session(server);
    Reply login = tls_request(host, port, ca, "POST", "/api/v1/auth/login",
                              {{"email", kWorker}, {"password", "uneplace-demo"}}, {}, headers);
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string token = login["token"];
    Reply person = tls_request(
        host, port, ca, "POST", "/api/v1/beneficiaries",
        {{"first_name", "Inès"}, {"last_name", "Chiffrée"}, {"postal_code", "75011"}, {"household_size", 1}}, token,
        headers);
    ASSERT_EQ(person.status, 201) << person.body;
    Reply booked = tls_request(
        host, port, ca, "POST", "/api/v1/bookings",
        {{"session_id", session}, {"beneficiary_id", person["id"]}, {"places", 1}, {"join_waitlist", false}}, token,
        headers);
    ASSERT_EQ(booked.status, 201) << booked.body;
    EXPECT_EQ(booked["status"], "confirmed");
    Reply page = tls_request(host, port, ca, "GET", "/", nullptr, {}, headers);
    EXPECT_EQ(page.status, 200);
}

}  // namespace

TEST(FrontDoor, ServesHttpsItself) {
    Certificate cert;
    ServerProcess s({.extra_args = {"--tls-cert", cert.cert, "--tls-key", cert.key}});
    EXPECT_EQ(s.url().rfind("https://", 0), 0u) << s.url();
    Reply health = tls_request(s.host(), s.port(), cert.cert, "GET", "/healthz");
    EXPECT_EQ(health.status, 200) << health.body;
    EXPECT_FALSE(health.header("Strict-Transport-Security").empty());
    book_over_tls(s, s.host(), s.port(), cert.cert);
    // Plain HTTP on the TLS port gets nothing, and the server keeps serving.
    EXPECT_EQ(Api(s.host(), s.port()).get("/healthz").status, 0);
    EXPECT_EQ(tls_request(s.host(), s.port(), cert.cert, "GET", "/healthz").status, 200);
}

// Issue 12, item 6. Over HTTPS the session cookie is `Secure` and `__Host-` prefixed; a page of
// the application's own origin gets the cookie and never the bearer token; other clients still do.
TEST(FrontDoor, OverHttpsTheSessionCookieIsSecureAndThePageNeverSeesTheToken) {
    Certificate cert;
    ServerProcess s({.extra_args = {"--tls-cert", cert.cert, "--tls-key", cert.key}});
    const json credentials = {{"email", kWorker}, {"password", "uneplace-demo"}};
    Reply page_login = tls_request(s.host(), s.port(), cert.cert, "POST", "/api/v1/auth/login", credentials, {},
                                   {{"Sec-Fetch-Site", "same-origin"}});
    ASSERT_EQ(page_login.status, 200) << page_login.body;
    EXPECT_FALSE(page_login.json_body().contains("token")) << page_login.body;
    EXPECT_FALSE(page_login["csrf_token"].get<std::string>().empty());
    const std::string set_cookie = page_login.header("Set-Cookie");
    EXPECT_EQ(set_cookie.rfind("__Host-uneplace_session=", 0), 0u) << set_cookie;
    for (const char* attribute : {"; Secure", "; HttpOnly", "; SameSite=Strict", "; Path=/"})
        EXPECT_NE(set_cookie.find(attribute), std::string::npos) << attribute << " in " << set_cookie;
    EXPECT_EQ(set_cookie.find("Domain"), std::string::npos) << set_cookie;
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    const std::string value = cookie.substr(cookie.find('=') + 1);

    // The cookie is the session; under the plain-HTTP name it is nobody's.
    Reply me = tls_request(s.host(), s.port(), cert.cert, "GET", "/api/v1/me", nullptr, {}, {{"Cookie", cookie}});
    EXPECT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me["role"], "social_worker");
    Reply other_name = tls_request(s.host(), s.port(), cert.cert, "GET", "/api/v1/me", nullptr, {},
                                   {{"Cookie", "uneplace_session=" + value}});
    EXPECT_EQ(other_name.status, 401) << other_name.body;
    // A cookie write without the CSRF token is refused, as before.
    Reply forged = tls_request(s.host(), s.port(), cert.cert, "POST", "/api/v1/auth/logout", json::object(), {},
                               {{"Cookie", cookie}});
    EXPECT_EQ(forged.status, 403) << forged.body;

    // A program (no Sec-Fetch-Site) still gets its bearer token.
    Reply program = tls_request(s.host(), s.port(), cert.cert, "POST", "/api/v1/auth/login", credentials);
    ASSERT_EQ(program.status, 200) << program.body;
    EXPECT_FALSE(program["token"].get<std::string>().empty());

    // Every page carries the Content-Security-Policy the client runs under.
    Reply index = tls_request(s.host(), s.port(), cert.cert, "GET", "/");
    EXPECT_NE(index.header("Content-Security-Policy").find("script-src 'self' 'wasm-unsafe-eval'"), std::string::npos)
        << index.header("Content-Security-Policy");
}

// Behind a TLS proxy the server speaks plain HTTP; --public-url https://… says the browser is on HTTPS.
TEST(FrontDoor, APublicHttpsAddressMakesTheCookieSecureBehindAProxy) {
    const json credentials = {{"email", kWorker}, {"password", "uneplace-demo"}};
    Reply plain = Api(demo_server()).post("/api/v1/auth/login", credentials);
    ASSERT_EQ(plain.status, 200) << plain.body;
    EXPECT_EQ(plain.header("Set-Cookie").rfind("uneplace_session=", 0), 0u) << plain.header("Set-Cookie");
    EXPECT_EQ(plain.header("Set-Cookie").find("Secure"), std::string::npos) << plain.header("Set-Cookie");

    ServerProcess behind({.extra_args = {"--public-url", "https://uneplace.example.org"}});
    Reply proxied = Api(behind).post("/api/v1/auth/login", credentials);
    ASSERT_EQ(proxied.status, 200) << proxied.body;
    EXPECT_EQ(proxied.header("Set-Cookie").rfind("__Host-uneplace_session=", 0), 0u) << proxied.header("Set-Cookie");
    EXPECT_NE(proxied.header("Set-Cookie").find("; Secure"), std::string::npos) << proxied.header("Set-Cookie");
}

TEST(FrontDoor, BooksThroughTheShippedNginxConfiguration) {
    if (run_command("command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx") != 0)
        GTEST_FAIL() << "nginx is not installed (scripts/setup.sh installs it)";
    Certificate cert;
    ServerProcess server({.extra_args = {"--trusted-proxy", "127.0.0.1/32"}});
    const int https_port = free_port(), http_port = free_port();

    // The shipped site configuration, with the lines that name this machine's ports and files
    // adapted; every adaptation must find its line, so the file under test is the one shipped.
    std::ifstream shipped(std::string(UNEPLACE_SOURCE_DIR) + "/deploy/nginx/uneplace.conf");
    std::string site((std::istreambuf_iterator<char>(shipped)), {});
    ASSERT_FALSE(site.empty());
    const std::pair<std::string, std::string> adapt[] = {
        {"listen 80;", "listen 127.0.0.1:" + std::to_string(http_port) + ";"},
        {"listen 443 ssl http2;", "listen 127.0.0.1:" + std::to_string(https_port) + " ssl http2;"},
        {"/etc/letsencrypt/live/uneplace.example.org/fullchain.pem", cert.cert},
        {"/etc/letsencrypt/live/uneplace.example.org/privkey.pem", cert.key},
        {"server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(server.port()) + ";"},
    };
    for (const auto& [from, to] : adapt) {
        const auto pos = site.find(from);
        ASSERT_NE(pos, std::string::npos) << "deploy/nginx/uneplace.conf no longer has: " << from;
        site.replace(pos, from.size(), to);
    }
    TempDir prefix;
    const auto p = prefix.path();
    std::ofstream(p / "site.conf") << site;
    std::ofstream(p / "nginx.conf") << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                                       "error_log "
                                    << (p / "error.log").string() << " info;\npid " << (p / "nginx.pid").string()
                                    << ";\nevents { worker_connections 256; }\nhttp {\n"
                                       "  access_log "
                                    << (p / "access.log").string()
                                    << ";\n"
                                       "  client_body_temp_path "
                                    << (p / "body").string()
                                    << ";\n"
                                       "  proxy_temp_path "
                                    << (p / "proxy").string()
                                    << ";\n"
                                       "  fastcgi_temp_path "
                                    << (p / "fastcgi").string()
                                    << ";\n"
                                       "  uwsgi_temp_path "
                                    << (p / "uwsgi").string()
                                    << ";\n"
                                       "  scgi_temp_path "
                                    << (p / "scgi").string()
                                    << ";\n"
                                       "  include "
                                    << (p / "site.conf").string() << ";\n}\n";
    ASSERT_EQ(run_command("nginx -t -p " + p.string() + " -c " + (p / "nginx.conf").string() + " >" +
                          (p / "test.log").string() + " 2>&1"),
              0)
        << std::ifstream(p / "test.log").rdbuf();

    pid_t nginx = -1;
    std::string conf = (p / "nginx.conf").string(), pre = p.string();
    char* argv[] = {
        const_cast<char*>("nginx"), const_cast<char*>("-p"), pre.data(), const_cast<char*>("-c"), conf.data(), nullptr};
    ASSERT_EQ(posix_spawnp(&nginx, "nginx", nullptr, nullptr, argv, environ), 0);
    struct Stop {
        pid_t pid;
        ~Stop() {
            kill(pid, SIGQUIT);
            int st = 0;
            waitpid(pid, &st, 0);
        }
    } stop{nginx};
    // nginx is ready when its port answers (bounded).
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
        up = RawConnection("127.0.0.1", https_port).connected();
        if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_TRUE(up) << std::ifstream(p / "error.log").rdbuf();

    // A whole booking through nginx; the client claims another address on the left of the header.
    book_over_tls(server, "127.0.0.1", https_port, cert.cert, {{"X-Forwarded-For", "198.51.100.9"}});
    // uneplace saw the address nginx appended (the test's own, 127.0.0.1), not the claim.
    const std::string log = server.log();
    EXPECT_NE(log.find("path=/api/v1/bookings status=201"), std::string::npos);
    EXPECT_EQ(log.find("client=198.51.100.9"), std::string::npos);
    // Plain HTTP is sent to HTTPS.
    RawConnection plain("127.0.0.1", http_port);
    ASSERT_TRUE(plain.send(get_request("/")));
    EXPECT_EQ(status_of(plain.read_answer()), 301);
    // A chunked body is given a length by nginx (request buffering) and reaches uneplace bounded.
    Reply chunked = [&] {
        httplib::SSLClient cli("127.0.0.1", https_port);
        cli.set_ca_cert_path(cert.cert.c_str());
        const std::string body = json{{"email", kWorker}, {"password", "uneplace-demo"}}.dump();
        auto r = cli.Post(
            "/api/v1/auth/login",
            [&](size_t offset, httplib::DataSink& sink) {
                if (offset == 0) sink.write(body.data(), body.size());
                sink.done();
                return true;
            },
            "application/json");
        Reply out;
        if (r) out.status = r->status;
        return out;
    }();
    EXPECT_EQ(chunked.status, 200);
}
