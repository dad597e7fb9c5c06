// uneplace server — the --demo data set: a realistic programme across several départements, with
// dates relative to now so the catalogue is never empty.
#pragma once
#include <string>
#include <vector>

#include <string_view>

#include "app.hpp"
#include "images.hpp"

namespace uneplace::server {

inline constexpr const char* kDemoPassword = "uneplace-demo";
inline constexpr const char* kDemoAdminEmail = "admin@demo.uneplace.test";
inline constexpr const char* kDemoPartnerEmail = "partenaire@demo.uneplace.test";
inline constexpr const char* kDemoSocialWorkerEmail = "relais@demo.uneplace.test";

// A poster drawn for an offer of `category` (its colour; `variant` 0–4 moves the sun), for the
// demo data and the benchmark's national data: no picture file in the repository.
Picture drawn_poster(std::string_view category, int variant);
// Fills an empty database (no organisation, no user) and returns true; does nothing otherwise.
bool seed_demo(App& app);
// The lines printed at start with --demo (French): the three accounts and their password.
std::vector<std::string> demo_banner();

}  // namespace uneplace::server
