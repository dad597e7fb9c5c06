// libFuzzer target: the server's own request readers (server/src/http_common.cpp), compiled from
// the server's source: Request::body_json, the JSON field readers every route reads its body
// with, the query-string readers, the {id} placeholder reader, and the error answer they lead to.
//
// The input is a request body. Its string members are also replayed as a query string and as
// route placeholders, so one corpus (shared with fuzz_request_json) reaches every reader.
// Properties: no crash, no undefined behaviour; a reader either returns or throws Failure, never
// anything else; every Failure becomes a 4xx answer (a client's mistake never answers 500) whose
// body is JSON carrying the same code and a French message.
#include <nlohmann/json.hpp>

#include "api.hpp"
#include "fuzz_check.hpp"

namespace {
using nlohmann::json;
using uneplace::server::Failure;
using uneplace::server::Request;

// The answer a Failure becomes, checked the way a client would read it.
void check_failure(const Failure& f) {
    const int status = uneplace::server::status_for_code(f.code);
    FUZZ_CHECK(status >= 400 && status < 500);
    const uneplace::server::Response r = uneplace::server::error_response(f);
    FUZZ_CHECK(r.status >= 400 && r.status < 500);
    const json back = json::parse(r.body, nullptr, false);
    FUZZ_CHECK(!back.is_discarded());
    FUZZ_CHECK(back["error"]["code"] == f.code);
    FUZZ_CHECK(back["error"]["message"].is_string() && !back["error"]["message"].get<std::string>().empty());
}

// Runs one reader: it returns, or throws Failure (checked); anything else escapes and is a crash.
template <class F>
void read(F&& reader) {
    try {
        reader();
    } catch (const Failure& f) {
        check_failure(f);
    }
}

// The keys routes read, with every reader tried on each (a wrong type must be a clean refusal).
constexpr const char* kKeys[] = {"name",   "email",    "password", "places",    "session_id",    "beneficiary_id",
                                 "start",  "capacity", "status",   "contact",   "accessibility", "limit",
                                 "cursor", "from",     "to",       "territory", "join_waitlist"};

void read_object(const json& obj, int depth) {
    read([&] { uneplace::server::reject_unknown_fields(obj, {"name", "email", "places"}, "body."); });
    for (const char* key : kKeys) {
        read([&] { (void)uneplace::server::opt_string(obj, key); });
        read([&] { (void)uneplace::server::req_string(obj, key, "champ"); });
        read([&] { (void)uneplace::server::opt_int_field(obj, key); });
        read([&] { (void)uneplace::server::req_int(obj, key); });
        read([&] { (void)uneplace::server::opt_bool(obj, key, false); });
        read([&] { (void)uneplace::server::accessibility_from_json(obj, key); });
        read([&] {
            const json& inner = uneplace::server::req_object(obj, key);
            if (depth < 2) read_object(inner, depth + 1);
        });
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Request req;
    req.body.assign(reinterpret_cast<const char*>(data), size);
    const json* body = nullptr;
    read([&] { body = &req.body_json(); });
    if (!body) return 0;
    read_object(*body, 0);

    // The same strings as a query string and as placeholders (/…/{id}).
    for (const auto& [key, value] : body->items()) {
        if (!value.is_string()) continue;
        req.query.emplace(key, value.get<std::string>());
        req.params.push_back(value.get<std::string>());
    }
    for (const auto& entry : req.query) {
        const std::string& key = entry.first;  // clang: structured bindings cannot be captured
        read([&] { (void)uneplace::server::query_param(req, key); });
        read([&] { (void)uneplace::server::query_int(req, key); });
        read([&] { (void)uneplace::server::query_bool(req, key); });
        read([&] { (void)uneplace::server::query_instant(req, key); });
    }
    read([&] { FUZZ_CHECK(uneplace::server::query_limit(req) >= 1); });
    for (std::size_t i = 0; i <= req.params.size(); ++i) read([&] { FUZZ_CHECK(req.id_param(i) > 0); });
    return 0;
}
