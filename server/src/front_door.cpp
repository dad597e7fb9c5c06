// uneplace server — the front door (see front_door.hpp for the model).
//
// Index of this file:
// [SECTION] Addresses
// [SECTION] Socket and TLS primitives
// [SECTION] Reading a request head
// [SECTION] The gate: accept, read, refuse, hand over, take back
// [SECTION] Workers
#include "front_door.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <spdlog/spdlog.h>

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Addresses
//-----------------------------------------------------------------------------

namespace {

// Parses an address into 16 bytes; IPv4 (and IPv4-mapped IPv6) as v6 = false in the first 4.
bool parse_address(std::string_view text, bool& v6, std::uint8_t out[16]) {
    std::string s(text);
    std::memset(out, 0, 16);
    in_addr a4{};
    if (inet_pton(AF_INET, s.c_str(), &a4) == 1) {
        v6 = false;
        std::memcpy(out, &a4, 4);
        return true;
    }
    in6_addr a6{};
    if (inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            v6 = false;
            std::memcpy(out, a6.s6_addr + 12, 4);
        } else {
            v6 = true;
            std::memcpy(out, a6.s6_addr, 16);
        }
        return true;
    }
    return false;
}

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<Cidr> parse_cidr(std::string_view text) {
    Cidr c;
    const auto slash = text.find('/');
    if (!parse_address(text.substr(0, slash), c.v6, c.bytes)) return std::nullopt;
    const int max_bits = c.v6 ? 128 : 32;
    c.bits = max_bits;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        c.bits = std::stoi(std::string(digits));
        if (c.bits > max_bits) return std::nullopt;
    }
    return c;
}

bool address_in(const std::vector<Cidr>& ranges, std::string_view address) {
    bool v6 = false;
    std::uint8_t a[16];
    if (!parse_address(address, v6, a)) return false;
    for (const auto& r : ranges) {
        if (r.v6 != v6) continue;
        int bits = r.bits, i = 0;
        bool match = true;
        for (; bits >= 8 && match; bits -= 8, ++i) match = a[i] == r.bytes[i];
        if (match && bits > 0) {
            const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - bits));
            match = (a[i] & mask) == (r.bytes[i] & mask);
        }
        if (match) return true;
    }
    return false;
}

bool is_loopback_address(std::string_view address) {
    static const std::vector<Cidr> loopback = {*parse_cidr("127.0.0.0/8"), *parse_cidr("::1/128")};
    return address_in(loopback, address);
}

std::string client_address(const std::vector<Cidr>& trusted_proxies, const std::string& peer,
                           std::string_view forwarded_for) {
    if (forwarded_for.empty() || !address_in(trusted_proxies, peer)) return peer;
    const auto comma = forwarded_for.rfind(',');
    const auto last = trim_spaces(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    bool v6 = false;
    std::uint8_t bytes[16];
    if (last.size() > 45 || !parse_address(last, v6, bytes)) return peer;
    return std::string(last);
}

long raise_descriptor_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return -1;
    if (r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
        getrlimit(RLIMIT_NOFILE, &r);
    }
    return static_cast<long>(r.rlim_cur);
}

//-----------------------------------------------------------------------------
// [SECTION] Socket and TLS primitives
//-----------------------------------------------------------------------------

namespace {

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// What one non-blocking read gave.
enum class ReadResult { Data, Again, Closed };

ReadResult read_some(Connection& c, std::size_t max) {
    char buf[16 * 1024];
    const std::size_t want = std::min(max, sizeof buf);
    if (want == 0) return ReadResult::Again;
    c.want_write = false;
    if (c.ssl) {
        ERR_clear_error();
        const int n = SSL_read(c.ssl, buf, static_cast<int>(want));
        if (n > 0) {
            c.in.append(buf, static_cast<std::size_t>(n));
            return ReadResult::Data;
        }
        const int err = SSL_get_error(c.ssl, n);
        if (err == SSL_ERROR_WANT_READ) return ReadResult::Again;
        if (err == SSL_ERROR_WANT_WRITE) {
            c.want_write = true;
            return ReadResult::Again;
        }
        return ReadResult::Closed;  // closed, or a handshake that failed (plain HTTP on the TLS port…)
    }
    const ssize_t n = ::recv(c.fd, buf, want, 0);
    if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        return ReadResult::Data;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return ReadResult::Again;
    return ReadResult::Closed;
}

// One write without waiting; returns bytes written, 0 when the socket is full, -1 on error.
ssize_t write_some(Connection& c, const char* data, std::size_t size, short& wait_for) {
    wait_for = POLLOUT;
    if (c.ssl) {
        ERR_clear_error();
        const int n = SSL_write(c.ssl, data, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
        if (n > 0) return n;
        const int err = SSL_get_error(c.ssl, n);
        if (err == SSL_ERROR_WANT_WRITE) return 0;
        if (err == SSL_ERROR_WANT_READ) {
            wait_for = POLLIN;
            return 0;
        }
        return -1;
    }
    const ssize_t n = ::send(c.fd, data, size, MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
    return -1;
}

// A listening socket, non-blocking, with a backlog as deep as the system allows.
int listen_on(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) return -1;
    int fd = -1;
    for (addrinfo* ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        // SO_REUSEADDR only: SO_REUSEPORT would let a second server silently share the port.
        int yes = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

int bound_port(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return -1;
    if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

void peer_of(int fd, std::string& ip, int& port) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    char buf[INET6_ADDRSTRLEN] = {};
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return;
    if (ss.ss_family == AF_INET) {
        auto* a = reinterpret_cast<sockaddr_in*>(&ss);
        inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
        port = ntohs(a->sin_port);
    } else {
        auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) inet_ntop(AF_INET, a->sin6_addr.s6_addr + 12, buf, sizeof buf);
        else inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
        port = ntohs(a->sin6_port);
    }
    ip = buf;
}

}  // namespace

bool Connection::write_all(const char* data, std::size_t size) {
    // Bytes already waiting go first: once behind, everything after waits too, in order.
    while (size > 0 && out.empty()) {
        short wait_for = POLLOUT;
        const ssize_t n = write_some(*this, data, size, wait_for);
        if (n < 0) return false;
        if (n == 0) break;  // the socket is full: the rest waits for the gate
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    out.append(data, size);
    return true;
}

//-----------------------------------------------------------------------------
// [SECTION] Reading a request head
//-----------------------------------------------------------------------------

namespace {

// What the gate needs of a head; httplib parses it properly afterwards.
struct HeadFacts {
    std::size_t head_size = 0;                               // up to and including the blank line
    std::size_t expect_line_begin = 0, expect_line_end = 0;  // "Expect:" line to take out, if any
    bool has_content_length = false;
    bool bad_content_length = false;
    std::uint64_t content_length = 0;
    bool transfer_encoding = false;
    bool content_encoding = false;  // anything but "identity"
    bool expect_continue = false;
    std::string forwarded_for;
};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

HeadFacts read_head(std::string_view in, std::size_t head_size) {
    HeadFacts f;
    f.head_size = head_size;
    std::size_t pos = in.find('\n');  // skip the request line
    while (pos != std::string_view::npos && pos + 1 < head_size) {
        const std::size_t begin = pos + 1;
        const std::size_t end = in.find('\n', begin);
        if (end == std::string_view::npos || end >= head_size) break;
        std::string_view line = in.substr(begin, end - begin);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            const auto name = line.substr(0, colon);
            const auto value = trim_spaces(line.substr(colon + 1));
            if (iequals(name, "content-length")) {
                std::uint64_t v = 0;
                const bool digits = !value.empty() && value.size() <= 18 &&
                                    value.find_first_not_of("0123456789") == std::string_view::npos;
                if (digits) v = std::stoull(std::string(value));
                if (!digits || (f.has_content_length && v != f.content_length)) f.bad_content_length = true;
                f.has_content_length = true;
                f.content_length = v;
            } else if (iequals(name, "transfer-encoding")) {
                f.transfer_encoding = true;
            } else if (iequals(name, "content-encoding")) {
                if (!iequals(value, "identity")) f.content_encoding = true;
            } else if (iequals(name, "expect")) {
                f.expect_continue = iequals(value, "100-continue");
                f.expect_line_begin = begin;
                f.expect_line_end = end + 1;
            } else if (iequals(name, "x-forwarded-for")) {
                if (!f.forwarded_for.empty()) f.forwarded_for += ",";
                f.forwarded_for += std::string(value.substr(0, 1024));
            }
        }
        pos = end;
    }
    return f;
}

const char* reason_of(int status) {
    switch (status) {
        case 400: return "Bad Request";
        case 408: return "Request Timeout";
        case 411: return "Length Required";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 431: return "Request Header Fields Too Large";
        case 503: return "Service Unavailable";
        default: return "Error";
    }
}

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] The gate
//-----------------------------------------------------------------------------

struct FrontDoor::Impl {
    FrontDoorOptions opt;
    ServeRequest serve;
    ErrorBody error_body;
    SSL_CTX* tls = nullptr;
    int listen_fd = -1, metrics_fd = -1, epoll_fd = -1, wake_fd = -1;
    std::atomic<bool> stopping{false};

    // Owned by the gate thread.
    std::unordered_map<int, std::unique_ptr<Connection>> conns;
    std::unordered_map<std::string, int> per_address;
    std::int64_t last_sweep = 0;

    // Between the gate and the workers.
    std::mutex mutex;
    enum Lane { kQuick = 0, kSlow = 1 };
    std::condition_variable ready_cv[2];
    std::deque<Connection*> ready[2];                   // complete requests waiting for a worker, by lane
    std::deque<std::pair<Connection*, bool>> returned;  // (connection, keep it)
    std::vector<std::thread> workers;

    mutable std::mutex stats_mutex;
    FrontDoorStats stats;

    // Sentinels in epoll's data.ptr for the listeners and the wake-up descriptor.
    char listen_tag = 0, metrics_tag = 0, wake_tag = 0;

    ~Impl() {
        for (auto& [fd, c] : conns) {
            if (c->ssl) SSL_free(c->ssl);
            ::close(fd);
        }
        for (int fd : {listen_fd, metrics_fd, epoll_fd, wake_fd})
            if (fd >= 0) ::close(fd);
        if (tls) SSL_CTX_free(tls);
    }

    void watch(Connection& c) {
        epoll_event ev{};
        ev.events = c.want_write ? EPOLLOUT : EPOLLIN;
        ev.events |= EPOLLRDHUP;
        ev.data.ptr = &c;
        if (epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev) != 0) epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c.fd, &ev);
    }
    void unwatch(Connection& c) { epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr); }

    void close_connection(Connection& c) {
        unwatch(c);
        if (c.ssl) {
            SSL_shutdown(c.ssl);  // best effort: a close_notify if the socket takes it
            SSL_free(c.ssl);
        }
        auto it = per_address.find(c.peer);
        if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
        const int fd = c.fd;
        ::close(fd);
        conns.erase(fd);
        std::lock_guard lock(stats_mutex);
        --stats.open;
    }

    // The gate's own answer (a refusal): sent without waiting (it is small), then the connection
    // drains what the client still sends (a client that sends its whole body before reading, as
    // httplib's does, then reads the answer instead of a reset) for at most kDrainMs or kDrainBytes,
    // and closes. Nothing drained is kept: memory stays flat whatever is sent.
    static constexpr std::int64_t kDrainMs = 5000;
    static constexpr std::size_t kDrainBytes = 64u << 20;
    void refuse(Connection& c, int status, const std::string& code) {
        const std::string body = error_body(code, status);
        std::string text =
            "HTTP/1.1 " + std::to_string(status) + " " + reason_of(status) +
            "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n";
        if (status == 503) text += "Retry-After: 5\r\n";
        text += "\r\n" + body;
        short wait_for = 0;
        write_some(c, text.data(), text.size(), wait_for);
        if (!c.ssl) ::shutdown(c.fd, SHUT_WR);
        c.in.clear();
        c.in.shrink_to_fit();
        c.state = Connection::State::Draining;
        c.drained = 0;
        c.deadline_ms = now_ms() + kDrainMs;
        c.want_write = false;
        watch(c);
    }

    void accept_all(int lfd, bool metrics) {
        for (;;) {
            const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) return;  // EAGAIN, or out of descriptors (the backlog keeps them for later)
            int yes = 1;
            // Answers go out as several writes (headers, then body): without TCP_NODELAY, Nagle's
            // algorithm holds the body back until the client's delayed ACK, ~40 ms a request.
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
            auto c = std::make_unique<Connection>();
            c->fd = fd;
            c->metrics_listener = metrics;
            c->write_timeout_ms = opt.write_timeout_s * 1000;
            peer_of(fd, c->peer, c->peer_port);
            c->client = c->peer;
            {
                std::lock_guard lock(stats_mutex);
                ++stats.accepted;
                ++stats.open;
            }
            c->state = Connection::State::Head;
            c->deadline_ms = now_ms() + opt.header_timeout_s * 1000;
            Connection& ref = *c;
            conns.emplace(fd, std::move(c));
            int& mine = per_address[ref.peer];
            ++mine;
            if (static_cast<int>(conns.size()) > opt.max_connections) {
                std::lock_guard lock(stats_mutex);
                ++stats.refused_total;
                refuse(ref, 503, "too_many_connections");
                continue;
            }
            if (mine > opt.max_per_address && !address_in(opt.trusted_proxies, ref.peer)) {
                {
                    std::lock_guard lock(stats_mutex);
                    ++stats.refused_per_address;
                }
                refuse(ref, 503, "too_many_connections");
                continue;
            }
            if (tls && !metrics) {
                ref.ssl = SSL_new(tls);
                SSL_set_fd(ref.ssl, fd);
                SSL_set_accept_state(ref.ssl);
                SSL_set_mode(ref.ssl, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE);
            }
            watch(ref);
        }
    }

    // Looks at what has arrived; hands a complete request to the workers, refuses what it must.
    void advance(Connection& c) {
        using S = Connection::State;
        if (c.state == S::Idle && !c.in.empty()) {
            c.state = S::Head;
            c.deadline_ms = now_ms() + opt.header_timeout_s * 1000;
        }
        if (c.state == S::Head) {
            const std::size_t from = c.head_scanned >= 3 ? c.head_scanned - 3 : 0;
            const auto end = c.in.find("\r\n\r\n", from);
            if (end == std::string::npos) {
                c.head_scanned = c.in.size();
                if (c.in.size() > opt.max_head) refuse(c, 431, "headers_too_large");
                return;
            }
            if (end + 4 > opt.max_head) return refuse(c, 431, "headers_too_large");
            HeadFacts f = read_head(c.in, end + 4);
            c.client = client_address(opt.trusted_proxies, c.peer, f.forwarded_for);
            auto count_refusal = [this] {
                std::lock_guard lock(stats_mutex);
                ++stats.refused_bodies;
            };
            if (f.transfer_encoding) return count_refusal(), refuse(c, 411, "length_required");
            if (f.content_encoding) return count_refusal(), refuse(c, 415, "unsupported_encoding");
            if (f.bad_content_length) return refuse(c, 400, "bad_json");
            if (f.content_length > body_cap_of(c.in)) return count_refusal(), refuse(c, 413, "payload_too_large");
            std::size_t head_size = f.head_size;
            if (f.expect_line_end > 0) {
                // We answer "100 Continue" ourselves (the body is wanted: its length is within bounds)
                // and take the line out, so httplib does not answer it a second time.
                c.in.erase(f.expect_line_begin, f.expect_line_end - f.expect_line_begin);
                head_size -= f.expect_line_end - f.expect_line_begin;
                if (f.expect_continue && f.content_length > 0 && c.in.size() < head_size + f.content_length) {
                    static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
                    short wait_for = 0;
                    write_some(c, kContinue, sizeof kContinue - 1, wait_for);
                }
            }
            c.request_size = head_size + f.content_length;
            c.state = S::Body;
            c.deadline_ms = now_ms() + kBodyTimeoutMs;
        }
        if (c.state == S::Body) {
            if (c.in.size() < c.request_size) return;
            c.state = S::Queued;
            c.head_scanned = 0;
            unwatch(c);
            const Lane lane = lane_of(c.in);
            {
                std::lock_guard lock(mutex);
                ready[lane].push_back(&c);
            }
            ready_cv[lane].notify_one();
        }
    }

    static constexpr std::int64_t kBodyTimeoutMs = 30000;

    // The lanes. Measured on 2 cores with the national catalogue (38 KB pages, answered from the
    // page cache) at 16 connections: 16 workers gave a p99 of 180–270 ms, 4 gave 35–140 ms and 2
    // gave 20 ms, with more requests answered. Workers here never wait for the network (the gate
    // hands them complete requests), so beyond the cores they only take turns on them, and a
    // worker preempted while it holds a lock (the page cache's, malloc's, SQLite's) stalls the
    // others. What does wait is password hashing (bounded by the hash gate) and PDF making: they
    // go to the slow lane, with its own workers, so they cannot fill the quick lane.
    Lane lane_of(std::string_view request) const {
        if (!opt.is_slow || opt.slow_workers <= 0) return kQuick;
        const auto [method, target] = request_line(request);
        if (method.empty()) return kQuick;
        return opt.is_slow(method, target) ? kSlow : kQuick;
    }

    // The largest body this request's route takes (a poster's route takes more than --max-body).
    std::size_t body_cap_of(std::string_view request) const {
        if (!opt.body_cap) return opt.max_body;
        const auto [method, target] = request_line(request);
        const std::size_t cap = method.empty() ? 0 : opt.body_cap(method, target);
        return cap > 0 ? cap : opt.max_body;
    }

    // The method and target of a request's first line (empty when it has no space).
    static std::pair<std::string_view, std::string_view> request_line(std::string_view request) {
        const std::string_view line = request.substr(0, request.find("\r\n"));
        const std::size_t sp1 = line.find(' ');
        if (sp1 == std::string_view::npos) return {};
        const std::size_t sp2 = line.find(' ', sp1 + 1);
        return {line.substr(0, sp1), line.substr(sp1 + 1, sp2 == std::string_view::npos ? line.npos : sp2 - sp1 - 1)};
    }

    // How much one read may take: never more than the request being read can need.
    std::size_t read_budget(const Connection& c) const {
        using S = Connection::State;
        if (c.state == S::Draining) return 16 * 1024;
        if (c.state == S::Body) return c.request_size > c.in.size() ? c.request_size - c.in.size() : 0;
        return opt.max_head + 1 > c.in.size() ? opt.max_head + 1 - c.in.size() : 0;
    }

    // Sends what a worker's answer left in `out` (the socket was full); each bit of progress gives
    // the client write_timeout_ms more. Done: the connection goes on as take_back() would have.
    void flush(Connection& c) {
        while (c.out_sent < c.out.size()) {
            short wait_for = POLLOUT;
            const ssize_t n = write_some(c, c.out.data() + c.out_sent, c.out.size() - c.out_sent, wait_for);
            if (n < 0) return close_connection(c);
            if (n == 0) {
                c.want_write = wait_for == POLLOUT;  // TLS may need to read first
                return watch(c);
            }
            c.out_sent += static_cast<std::size_t>(n);
            c.deadline_ms = now_ms() + c.write_timeout_ms;
        }
        std::string().swap(c.out);  // an answer can be large: give its memory back
        c.out_sent = 0;
        c.want_write = false;
        if (!c.keep_after_write || stopping) return close_connection(c);
        resume(c);
    }

    // A connection whose answer is fully sent, kept alive: waits for (or reads) its next request.
    void resume(Connection& c) {
        c.in.erase(0, c.request_size);
        c.request_size = 0;
        c.state = Connection::State::Idle;
        c.deadline_ms = now_ms() + opt.idle_timeout_s * 1000;
        if (c.in.capacity() > 64 * 1024) c.in.shrink_to_fit();
        watch(c);
        advance(c);  // a pipelined request may already be there
        if (c.ssl && c.state == Connection::State::Idle && SSL_pending(c.ssl) > 0) on_readable(c);
    }

    void on_readable(Connection& c) {
        using S = Connection::State;
        if (c.state == S::Queued) return;
        if (c.state == S::Writing) return flush(c);
        const ReadResult r = read_some(c, read_budget(c));
        if (c.state == S::Draining) {
            c.drained += c.in.size();
            c.in.clear();
            if (r == ReadResult::Closed || c.drained > kDrainBytes) close_connection(c);
            return;
        }
        if (r == ReadResult::Closed) return close_connection(c);
        // TLS may hold decrypted bytes beyond what one read returned.
        while (r == ReadResult::Data && c.ssl && SSL_pending(c.ssl) > 0 && read_budget(c) > 0 &&
               read_some(c, read_budget(c)) == ReadResult::Data) {}
        watch(c);  // readable again, or writable first when TLS asks for it
        advance(c);
    }

    void take_back() {
        std::deque<std::pair<Connection*, bool>> back;
        {
            std::lock_guard lock(mutex);
            back.swap(returned);
        }
        for (auto [c, keep] : back) {
            if (!c->out.empty() && !stopping) {
                c->state = Connection::State::Writing;
                c->keep_after_write = keep;
                c->deadline_ms = now_ms() + c->write_timeout_ms;
                flush(*c);  // the socket may have room again already
                continue;
            }
            if (!keep || stopping) {
                close_connection(*c);
                continue;
            }
            resume(*c);
        }
    }

    void sweep() {
        const std::int64_t now = now_ms();
        if (now - last_sweep < 200) return;
        last_sweep = now;
        std::vector<Connection*> late;
        for (auto& [fd, c] : conns) {
            if (c->state == Connection::State::Queued) continue;  // a worker has it
            if (now >= c->deadline_ms) late.push_back(c.get());
        }
        for (Connection* c : late) {
            using S = Connection::State;
            if (c->state == S::Head && !c->in.empty()) {
                {
                    std::lock_guard lock(stats_mutex);
                    ++stats.head_timeouts;
                }
                refuse(*c, 408, "request_timeout");
            } else if (c->state == S::Body) {
                refuse(*c, 408, "request_timeout");
            } else if (c->state == S::Writing) {
                std::lock_guard lock(stats_mutex);
                ++stats.write_timeouts;
                close_connection(*c);  // a client that stopped reading its answer
            } else {
                if (c->state == S::Head) {
                    std::lock_guard lock(stats_mutex);
                    ++stats.head_timeouts;
                }
                close_connection(*c);  // idle, a silent new connection, or done draining
            }
        }
    }

    void gate() {
        std::vector<epoll_event> events(512);
        while (!stopping) {
            const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 200);
            for (int i = 0; i < n; ++i) {
                void* tag = events[i].data.ptr;
                if (tag == &listen_tag) accept_all(listen_fd, false);
                else if (tag == &metrics_tag) accept_all(metrics_fd, true);
                else if (tag == &wake_tag) {
                    std::uint64_t v;
                    [[maybe_unused]] auto ignored = ::read(wake_fd, &v, sizeof v);
                } else {
                    auto* c = static_cast<Connection*>(tag);
                    // A descriptor closed earlier in this batch may have been reused: check it is ours.
                    auto it = conns.find(c->fd);
                    if (it == conns.end() || it->second.get() != c) continue;
                    on_readable(*c);
                }
            }
            take_back();
            sweep();
        }
    }

    //-------------------------------------------------------------------------
    // [SECTION] Workers
    //-------------------------------------------------------------------------

    void worker(Lane lane) {
        for (;;) {
            Connection* c = nullptr;
            {
                std::unique_lock lock(mutex);
                ready_cv[lane].wait(lock, [&] { return !ready[lane].empty() || stopping; });
                if (ready[lane].empty()) return;
                c = ready[lane].front();
                ready[lane].pop_front();
            }
            bool keep = false;
            try {
                keep = serve(*c);
            } catch (const std::exception& e) {
                spdlog::error("front door: worker error {}", e.what());
            }
            {
                std::lock_guard lock(mutex);
                returned.emplace_back(c, keep);
            }
            const std::uint64_t one = 1;
            [[maybe_unused]] auto ignored = ::write(wake_fd, &one, sizeof one);
        }
    }
};

FrontDoor::FrontDoor(FrontDoorOptions options, ServeRequest serve, ErrorBody error_body)
    : impl_(std::make_unique<Impl>()) {
    impl_->opt = std::move(options);
    impl_->serve = std::move(serve);
    impl_->error_body = std::move(error_body);
}

FrontDoor::~FrontDoor() { stop(); }

int FrontDoor::bind() {
    Impl& d = *impl_;
    if (!d.opt.tls_cert.empty() || !d.opt.tls_key.empty()) {
        d.tls = SSL_CTX_new(TLS_server_method());
        SSL_CTX_set_min_proto_version(d.tls, TLS1_2_VERSION);
        if (!d.tls || SSL_CTX_use_certificate_chain_file(d.tls, d.opt.tls_cert.c_str()) != 1 ||
            SSL_CTX_use_PrivateKey_file(d.tls, d.opt.tls_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
            SSL_CTX_check_private_key(d.tls) != 1)
            throw std::runtime_error("certificat ou clé TLS illisible ou incohérent (" + d.opt.tls_cert + ", " +
                                     d.opt.tls_key + ")");
    }
    d.listen_fd = listen_on(d.opt.host, d.opt.port);
    if (d.listen_fd < 0)
        throw std::runtime_error("impossible d’écouter sur " + d.opt.host + ":" + std::to_string(d.opt.port));
    if (!d.opt.metrics_host.empty()) {
        if (!is_loopback_address(d.opt.metrics_host))
            throw std::runtime_error("--metrics-listen n’accepte qu’une adresse de bouclage (127.0.0.1, ::1)");
        d.metrics_fd = listen_on(d.opt.metrics_host, d.opt.metrics_port);
        if (d.metrics_fd < 0)
            throw std::runtime_error("impossible d’écouter sur " + d.opt.metrics_host + ":" +
                                     std::to_string(d.opt.metrics_port));
    }
    d.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    d.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    auto add = [&](int fd, void* tag) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = tag;
        epoll_ctl(d.epoll_fd, EPOLL_CTL_ADD, fd, &ev);
    };
    add(d.listen_fd, &d.listen_tag);
    add(d.wake_fd, &d.wake_tag);
    if (d.metrics_fd >= 0) add(d.metrics_fd, &d.metrics_tag);
    return bound_port(d.listen_fd);
}

int FrontDoor::metrics_port() const { return impl_->metrics_fd >= 0 ? bound_port(impl_->metrics_fd) : 0; }

void FrontDoor::run() {
    Impl& d = *impl_;
    for (int i = 0; i < d.opt.workers; ++i) d.workers.emplace_back([&d] { d.worker(Impl::kQuick); });
    for (int i = 0; i < d.opt.slow_workers; ++i) d.workers.emplace_back([&d] { d.worker(Impl::kSlow); });
    d.gate();
    {
        std::lock_guard lock(d.mutex);
        d.stopping = true;
    }
    for (auto& cv : d.ready_cv) cv.notify_all();
    for (auto& t : d.workers) t.join();
    d.workers.clear();
    d.take_back();
}

void FrontDoor::stop() {
    if (!impl_ || impl_->stopping) return;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    for (auto& cv : impl_->ready_cv) cv.notify_all();
    const std::uint64_t one = 1;
    if (impl_->wake_fd >= 0) [[maybe_unused]]
        auto ignored = ::write(impl_->wake_fd, &one, sizeof one);
}

FrontDoorStats FrontDoor::stats() const {
    std::lock_guard lock(impl_->stats_mutex);
    return impl_->stats;
}

}  // namespace uneplace::server
