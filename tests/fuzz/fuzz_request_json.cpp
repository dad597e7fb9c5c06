// libFuzzer target: a request body as the server reads it — nlohmann/json's parser, then the
// fields of a sign-up and a venue read into the shared drafts and validated, as the routes do.
// Properties: no crash, no undefined behaviour, no exception escaping the readers; the
// validators' refusals always name a code of the shared error table.
#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/validation.hpp"

namespace {
std::string field(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
void check_refusals(const std::vector<uneplace::Refusal>& refusals) {
    for (const auto& r : refusals) FUZZ_CHECK(uneplace::find_error_code(r.code) != nullptr);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const nlohmann::json body = nlohmann::json::parse(data, data + size, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return 0;
    uneplace::OrganisationDraft org;
    org.kind = field(body, "kind");
    org.name = field(body, "name");
    org.territory = field(body, "territory");
    if (auto c = body.find("contact"); c != body.end() && c->is_object()) {
        org.contact_email = field(*c, "email");
        org.contact_password = field(*c, "password");
        org.contact_display_name = field(*c, "display_name");
    }
    check_refusals(uneplace::validate_organisation(org));
    uneplace::VenueDraft venue;
    venue.name = field(body, "name");
    venue.address = field(body, "address");
    venue.postal_code = field(body, "postal_code");
    venue.territory = field(body, "territory");
    check_refusals(uneplace::validate_venue(venue));
    // The answer side: any parsed document dumps without throwing (invalid UTF-8 replaced).
    (void)body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return 0;
}
