// uneplace server — the transport-neutral helpers of api.hpp: errors, JSON readers and writers.
//
// Index of this file:
// [SECTION] Errors
// [SECTION] Request helpers
// [SECTION] JSON field readers
// [SECTION] Query string readers
// [SECTION] JSON writers
#include <charconv>
#include <cmath>

#include "api.hpp"
#include "uneplace/csv.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"

namespace uneplace::server {

//-----------------------------------------------------------------------------
// [SECTION] Errors
//-----------------------------------------------------------------------------

namespace {
// Codes the server uses beyond the shared table (which answers 500 for unknown codes).
struct ServerCode {
    std::string_view code;
    int status;
};
constexpr ServerCode kServerCodes[] = {
    {"unknown_field", 422},          {"email_taken", 409},        {"invalid_utf8", 422},
    {"idempotency_key_reused", 409}, {"method_not_allowed", 405}, {"not_acceptable", 406},
    {"csrf_invalid", 403},           {"invalid_status", 422},     {"beneficiary_erased", 409},
};
}  // namespace

int status_for_code(const std::string& code) {
    if (const ErrorCode* e = find_error_code(code)) return e->http_status;
    for (const auto& s : kServerCodes)
        if (s.code == code) return s.status;
    return 422;
}

Response json_response(int status, const json& body) {
    Response r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

Response error_response(const Failure& f) {
    json err = {{"code", f.code}, {"message", std::string(message_fr(f.code))}};
    if (!f.field.empty()) err["field"] = f.field;
    // Extra members may also refine `message` (a booking refusal with its figures, R10's reason).
    if (!f.extra_json.empty()) {
        json extra = json::parse(f.extra_json, nullptr, false);
        if (extra.is_object())
            for (auto& [k, v] : extra.items()) err[k] = v;
    }
    return json_response(f.status ? f.status : status_for_code(f.code), json{{"error", err}});
}

Response file_response(std::string body, std::string content_type, const std::string& filename) {
    Response r;
    r.status = 200;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    return r;
}

Response csv_response(std::string body, const std::string& filename) {
    return file_response(std::move(body), std::string(kCsvMime), filename);
}

void fail_inactive(const Actor& a) {
    const AccountStatus org = a.organisation_status.value_or(AccountStatus::Active);
    const json extra = {{"reason", std::string(inactive_reason(a.user_status, org))},
                        {"message", explain_inactive_fr(a.user_status, org)}};
    throw Failure("account_inactive", "", 0, extra.dump());
}

//-----------------------------------------------------------------------------
// [SECTION] Request helpers
//-----------------------------------------------------------------------------

const json& Request::body_json() const {
    if (!parsed_) {
        // nlohmann's parser refuses invalid UTF-8 inside strings, so nothing below sees it.
        json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) fail("bad_json");
        parsed_ = std::move(j);
    }
    return *parsed_;
}

Id Request::id_param(std::size_t n) const {
    if (n >= params.size()) fail("not_found");
    const std::string& s = params[n];
    Id v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) fail("not_found");
    return v;
}

//-----------------------------------------------------------------------------
// [SECTION] JSON field readers
//-----------------------------------------------------------------------------

namespace {
std::string field_name(const char* key, std::string_view field) { return field.empty() ? key : std::string(field); }
}  // namespace

void reject_unknown_fields(const json& obj, std::initializer_list<std::string_view> allowed, std::string_view prefix) {
    for (const auto& [k, _] : obj.items()) {
        bool known = false;
        for (auto a : allowed) known = known || a == k;
        if (!known) fail("unknown_field", std::string(prefix) + k);
    }
}

std::optional<std::string> opt_string(const json& obj, const char* key, std::string_view field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail("validation", field_name(key, field));
    return it->get<std::string>();
}

std::string req_string(const json& obj, const char* key, std::string_view field) {
    auto v = opt_string(obj, key, field);
    if (!v) fail("required", field_name(key, field));
    return *v;
}

std::optional<int> opt_int_field(const json& obj, const char* key, std::string_view field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    // Integers only; 2.0 is accepted as 2 (some JSON writers print every number as a double).
    if (it->is_number_integer()) {
        if (it->is_number_unsigned()) {
            auto u = it->get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(INT32_MAX)) fail("validation", field_name(key, field));
            return static_cast<int>(u);
        }
        auto v = it->get<std::int64_t>();
        if (v < INT32_MIN || v > INT32_MAX) fail("validation", field_name(key, field));
        return static_cast<int>(v);
    }
    if (it->is_number_float()) {
        double d = it->get<double>();
        if (std::isfinite(d) && d == std::floor(d) && d >= INT32_MIN && d <= INT32_MAX) return static_cast<int>(d);
    }
    fail("validation", field_name(key, field));
}

int req_int(const json& obj, const char* key, std::string_view field) {
    auto v = opt_int_field(obj, key, field);
    if (!v) fail("required", field_name(key, field));
    return *v;
}

bool opt_bool(const json& obj, const char* key, bool fallback, std::string_view field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) fail("validation", field_name(key, field));
    return it->get<bool>();
}

const json& req_object(const json& obj, const char* key, std::string_view field) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) fail("required", field_name(key, field));
    if (!it->is_object()) fail("validation", field_name(key, field));
    return *it;
}

AccessibilityFlags accessibility_from_json(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return AccessibilityFlags_None;
    AccessibilityFlags flags = AccessibilityFlags_None;
    if (it->is_object()) {
        for (const auto& [k, v] : it->items()) {
            auto flag = accessibility_flag_from_code(k);
            if (!flag) fail("invalid_accessibility", std::string(key) + "." + k);
            if (!v.is_boolean()) fail("validation", std::string(key) + "." + k);
            if (v.get<bool>()) flags |= *flag;
        }
        return flags;
    }
    // Also accepted: a list of keys, ["wheelchair", "hearing"].
    if (it->is_array()) {
        for (const auto& v : *it) {
            if (!v.is_string()) fail("validation", key);
            auto flag = accessibility_flag_from_code(v.get<std::string>());
            if (!flag) fail("invalid_accessibility", key);
            flags |= *flag;
        }
        return flags;
    }
    fail("validation", key);
}

//-----------------------------------------------------------------------------
// [SECTION] Query string readers
//-----------------------------------------------------------------------------

std::optional<std::string> query_param(const Request& r, const std::string& key) {
    auto it = r.query.find(key);
    if (it == r.query.end() || it->second.empty()) return std::nullopt;
    if (!is_valid_utf8(it->second)) fail("invalid_utf8", key);
    return it->second;
}

std::optional<int> query_int(const Request& r, const std::string& key) {
    auto s = query_param(r, key);
    if (!s) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec != std::errc() || p != s->data() + s->size()) fail("validation", key);
    return v;
}

int query_limit(const Request& r) {
    auto v = query_int(r, "limit");
    if (!v) return 50;
    if (*v < 1 || *v > 500) fail("validation", "limit");
    return *v;
}

std::optional<bool> query_bool(const Request& r, const std::string& key) {
    auto s = query_param(r, key);
    if (!s) return std::nullopt;
    if (*s == "true" || *s == "1" || *s == "yes") return true;
    if (*s == "false" || *s == "0" || *s == "no") return false;
    fail("validation", key);
}

std::optional<UnixSeconds> query_instant(const Request& r, const std::string& key) {
    auto s = query_param(r, key);
    if (!s) return std::nullopt;
    std::string text = *s;
    if (text.size() == 10) text += "T00:00:00Z";  // a bare date: midnight UTC
    auto t = parse_utc_instant(text, key);
    if (!t.ok()) fail(*t.refusal);
    return t.value;
}

//-----------------------------------------------------------------------------
// [SECTION] JSON writers
//-----------------------------------------------------------------------------

json accessibility_json(AccessibilityFlags flags) {
    json j = json::object();
    for (const auto& k : accessibility_keys()) j[std::string(k.code)] = (flags & k.flag) != 0;
    return j;
}

json time_or_null(std::optional<UnixSeconds> t) { return t ? json(format_utc(*t)) : json(nullptr); }

json page_json(json items, const std::optional<std::string>& next_cursor) {
    return json{{"items", std::move(items)}, {"next_cursor", next_cursor ? json(*next_cursor) : json(nullptr)}};
}

}  // namespace uneplace::server
