#include "uneplace/errors.hpp"

#include <array>
#include <utility>

namespace uneplace {

namespace {
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kMessages{{
    {"validation", "Une information saisie n’est pas valide."},
    {"invalid_email", "Adresse e-mail invalide : il faut une seule « @ » et un domaine avec un point."},
    {"unauthorized", "Vous n’êtes pas connecté·e, ou votre session a expiré."},
    {"invalid_credentials", "E-mail ou mot de passe incorrect."},
}};
}  // namespace

std::string_view message_fr(std::string_view code) {
    for (const auto& [c, m] : kMessages)
        if (c == code) return m;
    return "Une erreur est survenue.";
}

}  // namespace uneplace
