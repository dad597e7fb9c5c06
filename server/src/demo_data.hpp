// uneplace server — the --demo data set: a realistic programme across several départements, with
// dates relative to now so the catalogue is never empty.
#pragma once
#include <string>
#include <vector>

#include "app.hpp"

namespace uneplace::server {

inline constexpr const char* kDemoPassword = "uneplace-demo";
inline constexpr const char* kDemoAdminEmail = "admin@demo.uneplace.test";
inline constexpr const char* kDemoPartnerEmail = "partenaire@demo.uneplace.test";
inline constexpr const char* kDemoSocialWorkerEmail = "relais@demo.uneplace.test";

// Fills an empty database (no organisation, no user) and returns true; does nothing otherwise.
bool seed_demo(App& app);
// The lines printed at start with --demo (French): the three accounts and their password.
std::vector<std::string> demo_banner();

}  // namespace uneplace::server
