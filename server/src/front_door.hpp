// uneplace server — the front door: every TCP (or TLS) connection, from accept to close, before
// and between the requests httplib answers. No httplib here (http_server.cpp plugs it in).
//
// The connection model, in one paragraph (the README says more):
// one "gate" thread owns every connection in an epoll set and reads each request — head and body —
// into memory, without blocking, under deadlines: the whole head within --header-timeout, the body
// within kBodyTimeout, an idle kept-alive connection closed after --idle-timeout. Only a request
// that has fully arrived is handed to one of the --threads workers, which answers it from memory
// (httplib's parser reads the buffer, never the socket) and gives the connection back to the gate.
// So idle, slow and kept-alive connections cost a few hundred bytes and a file descriptor, never a
// worker; thousands can be open while the workers serve whoever is ready. Before a byte of a body
// is read, the gate refuses what it cannot bound: chunked bodies (411), encoded bodies (415), a
// Content-Length above --max-body (413); and one peer address may hold --max-conn-per-address.
//
// Index of this file:
// [SECTION] Addresses: CIDR ranges and the client behind a proxy
// [SECTION] Options
// [SECTION] Connection: what a worker sees
// [SECTION] FrontDoor
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct ssl_st SSL;

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Addresses
//-----------------------------------------------------------------------------

// An IPv4 or IPv6 range, "10.0.0.0/8", "::1/128", or one address ("127.0.0.1" = /32).
struct Cidr {
    bool v6 = false;
    std::uint8_t bytes[16] = {};
    int bits = 0;
};
std::optional<Cidr> parse_cidr(std::string_view text);
// True when `address` (textual; IPv4-mapped IPv6 counts as IPv4) lies in one of `ranges`.
bool address_in(const std::vector<Cidr>& ranges, std::string_view address);
bool is_loopback_address(std::string_view address);
// The client's address: the peer's, unless the peer is a trusted proxy that sent X-Forwarded-For,
// then the rightmost address of that header (the one our proxy itself appended; those to its left
// were written by the client and prove nothing). An unparsable header leaves the peer's address.
std::string client_address(const std::vector<Cidr>& trusted_proxies, const std::string& peer,
                           std::string_view forwarded_for);

//-----------------------------------------------------------------------------
// [SECTION] Options
//-----------------------------------------------------------------------------

struct FrontDoorOptions {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string metrics_host;  // empty: no separate metrics listener
    int metrics_port = 0;
    // Two lanes of workers (see "The lanes" in front_door.cpp). Quick requests are answered from
    // memory and SQLite: as many workers as the CPU can run, more would only queue on the cores.
    // Slow requests (password hashing, PDF making) have their own workers, so a flood of them
    // never takes a worker from the catalogue or a booking.
    int workers = 4;                                                                // the quick lane
    int slow_workers = 4;                                                           // the slow lane
    std::function<bool(std::string_view method, std::string_view target)> is_slow;  // empty: all quick
    int header_timeout_s = 10;    // the whole request head, from accept or from its first byte
    int idle_timeout_s = 5;       // a kept-alive connection with no request
    int write_timeout_s = 15;     // one write of an answer
    int max_connections = 10000;  // open at once, all addresses
    int max_per_address = 256;    // open at once from one peer address (not a trusted proxy)
    std::size_t max_body = 1 << 20;
    // A route that takes more (a poster): its cap, or 0 for max_body. Empty: max_body everywhere.
    std::function<std::size_t(std::string_view method, std::string_view target)> body_cap;
    std::size_t max_head = 16 * 1024;  // request line and headers
    std::vector<Cidr> trusted_proxies;
    std::string tls_cert, tls_key;  // both set: HTTPS on the main listener
};

//-----------------------------------------------------------------------------
// [SECTION] Connection
//-----------------------------------------------------------------------------

// One client connection. A worker sees it only while it holds a complete request: `in` starts
// with exactly `request_size` bytes of head and body (more may follow: a pipelined request).
struct Connection {
    int fd = -1;
    SSL* ssl = nullptr;
    std::string peer;  // the TCP peer's address
    int peer_port = 0;
    std::string client;             // who sent this request (see client_address())
    bool metrics_listener = false;  // accepted on --metrics-listen
    std::string in;
    std::size_t request_size = 0;
    int write_timeout_ms = 15000;

    // Writes what the socket takes now and keeps the rest in `out`, which the gate sends once the
    // worker is done (a client slow to read never holds a worker); false when the peer went away.
    bool write_all(const char* data, std::size_t size);
    std::string out;           // answer bytes the socket has not taken yet
    std::size_t out_sent = 0;  // how many of them the gate has sent since

    // The gate's own bookkeeping.
    // Queued: a worker's. Writing: the gate sends the rest of an answer, then Idle (or closes).
    enum class State { Head, Body, Queued, Writing, Idle, Draining } state = State::Head;
    bool keep_after_write = false;
    std::int64_t deadline_ms = 0;
    std::size_t head_scanned = 0;
    bool want_write = false;  // TLS wants the socket writable before it can read
    bool head_started = false;
    std::size_t drained = 0;
};

//-----------------------------------------------------------------------------
// [SECTION] FrontDoor
//-----------------------------------------------------------------------------

// Answers one complete request of `c` (on a worker thread); returns true to keep the connection.
using ServeRequest = std::function<bool(Connection& c)>;
// Builds the raw text of an error answer the gate sends itself: (status, code) → JSON body.
using ErrorBody = std::function<std::string(const std::string& code, int status)>;

struct FrontDoorStats {
    std::int64_t open = 0, accepted = 0, refused_per_address = 0, refused_total = 0, head_timeouts = 0,
                 refused_bodies = 0, write_timeouts = 0;
};

class FrontDoor {
public:
    FrontDoor(FrontDoorOptions options, ServeRequest serve, ErrorBody error_body);
    ~FrontDoor();
    FrontDoor(const FrontDoor&) = delete;
    FrontDoor& operator=(const FrontDoor&) = delete;

    // Binds the listeners; throws std::runtime_error with a French message when it cannot.
    // Returns the main listener's port (useful with port 0).
    int bind();
    int metrics_port() const;
    // Runs the gate on the calling thread until stop(); the workers run meanwhile.
    void run();
    void stop();  // any thread; run() returns soon after
    FrontDoorStats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Raises RLIMIT_NOFILE to its hard limit (thousands of connections need as many descriptors);
// returns the new soft limit.
long raise_descriptor_limit();

}  // namespace uneplace::server
