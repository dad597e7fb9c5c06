// uneplace shared module — tables of the vocabulary: enum codes and labels, accessibility keys,
// the 101 départements.
//
// Index of this file:
// [SECTION] Enumeration tables
// [SECTION] Accessibility keys
// [SECTION] Départements
#include "uneplace/domain.hpp"

#include <iterator>

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] Enumeration tables
//-----------------------------------------------------------------------------
// Codes are the API's (DOMAIN.md, API.md): never rename one, the database stores them too.

namespace {
constexpr EnumEntry<Role> kRoles[] = {
    {Role::Admin, "admin", "Administrateur"},
    {Role::Partner, "partner", "Partenaire culturel"},
    {Role::SocialWorker, "social_worker", "Travailleur social"},
};
constexpr EnumEntry<OrgKind> kOrgKinds[] = {
    {OrgKind::Partner, "partner", "Partenaire culturel"},
    {OrgKind::Structure, "structure", "Structure sociale"},
};
constexpr EnumEntry<AccountStatus> kAccountStatuses[] = {
    {AccountStatus::Pending, "pending", "en attente de validation"},
    {AccountStatus::Active, "active", "actif"},
    {AccountStatus::Suspended, "suspended", "suspendu"},
};
constexpr EnumEntry<OfferStatus> kOfferStatuses[] = {
    {OfferStatus::Draft, "draft", "brouillon"},       {OfferStatus::Pending, "pending", "en attente de modération"},
    {OfferStatus::Published, "published", "publiée"}, {OfferStatus::Rejected, "rejected", "refusée"},
    {OfferStatus::Archived, "archived", "archivée"},
};
constexpr EnumEntry<SessionStatus> kSessionStatuses[] = {
    {SessionStatus::Scheduled, "scheduled", "programmée"},
    {SessionStatus::Cancelled, "cancelled", "annulée"},
};
constexpr EnumEntry<AllocationMode> kAllocationModes[] = {
    {AllocationMode::FirstCome, "first_come", "premier arrivé, premier servi"},
    {AllocationMode::Ballot, "ballot", "tirage au sort"},
};
constexpr EnumEntry<PickupMode> kPickupModes[] = {
    {PickupMode::GuestList, "guest_list", "nom sur la liste à l’accueil"},
    {PickupMode::ETicket, "e_ticket", "billet électronique envoyé par le partenaire"},
    {PickupMode::Printed, "printed", "invitation à imprimer depuis la plateforme"},
};
constexpr EnumEntry<BookingStatus> kBookingStatuses[] = {
    {BookingStatus::Confirmed, "confirmed", "confirmée"},
    {BookingStatus::Cancelled, "cancelled", "annulée"},
    {BookingStatus::LateCancelled, "late_cancelled", "annulée tardivement"},
    {BookingStatus::Attended, "attended", "présent"},
    {BookingStatus::NoShow, "no_show", "absent"},
};
constexpr EnumEntry<RequestStatus> kRequestStatuses[] = {
    {RequestStatus::Waitlisted, "waitlisted", "en liste d’attente"},
    {RequestStatus::BallotEntered, "ballot_entered", "inscrite au tirage au sort"},
    {RequestStatus::Served, "served", "servie"},
    {RequestStatus::Lost, "lost", "non retenue"},
    {RequestStatus::Expired, "expired", "expirée"},
    {RequestStatus::Withdrawn, "withdrawn", "retirée"},
};
constexpr EnumEntry<FeedbackWent> kFeedbackWent[] = {
    {FeedbackWent::Yes, "yes", "oui"},
    {FeedbackWent::No, "no", "non"},
    {FeedbackWent::Partly, "partly", "en partie"},
};
constexpr EnumEntry<Category> kCategories[] = {
    {Category::Theatre, "theatre", "théâtre"},
    {Category::Dance, "dance", "danse"},
    {Category::Circus, "circus", "cirque"},
    {Category::Concert, "concert", "concert"},
    {Category::Opera, "opera", "opéra"},
    {Category::Comedy, "comedy", "humour"},
    {Category::Cinema, "cinema", "cinéma"},
    {Category::Exhibition, "exhibition", "exposition"},
    {Category::Museum, "museum", "musée"},
    {Category::Heritage, "heritage", "patrimoine"},
    {Category::SportEvent, "sport_event", "sport (spectateur)"},
    {Category::SportPractice, "sport_practice", "pratique sportive"},
    {Category::Leisure, "leisure", "loisirs"},
    {Category::Workshop, "workshop", "atelier"},
    {Category::Festival, "festival", "festival"},
    {Category::Talk, "talk", "conférence"},
    {Category::YoungAudience, "young_audience", "jeune public"},
};
}  // namespace

template <>
std::span<const EnumEntry<Role>> enum_table<Role>() {
    return kRoles;
}
template <>
std::span<const EnumEntry<OrgKind>> enum_table<OrgKind>() {
    return kOrgKinds;
}
template <>
std::span<const EnumEntry<AccountStatus>> enum_table<AccountStatus>() {
    return kAccountStatuses;
}
template <>
std::span<const EnumEntry<OfferStatus>> enum_table<OfferStatus>() {
    return kOfferStatuses;
}
template <>
std::span<const EnumEntry<SessionStatus>> enum_table<SessionStatus>() {
    return kSessionStatuses;
}
template <>
std::span<const EnumEntry<AllocationMode>> enum_table<AllocationMode>() {
    return kAllocationModes;
}
template <>
std::span<const EnumEntry<PickupMode>> enum_table<PickupMode>() {
    return kPickupModes;
}
template <>
std::span<const EnumEntry<BookingStatus>> enum_table<BookingStatus>() {
    return kBookingStatuses;
}
template <>
std::span<const EnumEntry<RequestStatus>> enum_table<RequestStatus>() {
    return kRequestStatuses;
}
template <>
std::span<const EnumEntry<FeedbackWent>> enum_table<FeedbackWent>() {
    return kFeedbackWent;
}
template <>
std::span<const EnumEntry<Category>> enum_table<Category>() {
    return kCategories;
}

//-----------------------------------------------------------------------------
// [SECTION] Accessibility keys
//-----------------------------------------------------------------------------

namespace {
constexpr AccessibilityKey kAccessibilityKeys[] = {
    {AccessibilityFlags_Wheelchair, "wheelchair", "accessible en fauteuil roulant"},
    {AccessibilityFlags_Hearing, "hearing", "adapté au handicap auditif"},
    {AccessibilityFlags_Visual, "visual", "adapté au handicap visuel"},
    {AccessibilityFlags_Cognitive, "cognitive", "adapté au handicap mental ou cognitif"},
};
}  // namespace

std::span<const AccessibilityKey> accessibility_keys() { return kAccessibilityKeys; }

std::optional<AccessibilityFlags> accessibility_flag_from_code(std::string_view code) {
    for (const auto& k : kAccessibilityKeys)
        if (k.code == code) return k.flag;
    return std::nullopt;
}

//-----------------------------------------------------------------------------
// [SECTION] Départements
//-----------------------------------------------------------------------------

namespace {
constexpr Departement kDepartements[] = {
    {"01", "Ain"},
    {"02", "Aisne"},
    {"03", "Allier"},
    {"04", "Alpes-de-Haute-Provence"},
    {"05", "Hautes-Alpes"},
    {"06", "Alpes-Maritimes"},
    {"07", "Ardèche"},
    {"08", "Ardennes"},
    {"09", "Ariège"},
    {"10", "Aube"},
    {"11", "Aude"},
    {"12", "Aveyron"},
    {"13", "Bouches-du-Rhône"},
    {"14", "Calvados"},
    {"15", "Cantal"},
    {"16", "Charente"},
    {"17", "Charente-Maritime"},
    {"18", "Cher"},
    {"19", "Corrèze"},
    {"2A", "Corse-du-Sud"},
    {"2B", "Haute-Corse"},
    {"21", "Côte-d’Or"},
    {"22", "Côtes-d’Armor"},
    {"23", "Creuse"},
    {"24", "Dordogne"},
    {"25", "Doubs"},
    {"26", "Drôme"},
    {"27", "Eure"},
    {"28", "Eure-et-Loir"},
    {"29", "Finistère"},
    {"30", "Gard"},
    {"31", "Haute-Garonne"},
    {"32", "Gers"},
    {"33", "Gironde"},
    {"34", "Hérault"},
    {"35", "Ille-et-Vilaine"},
    {"36", "Indre"},
    {"37", "Indre-et-Loire"},
    {"38", "Isère"},
    {"39", "Jura"},
    {"40", "Landes"},
    {"41", "Loir-et-Cher"},
    {"42", "Loire"},
    {"43", "Haute-Loire"},
    {"44", "Loire-Atlantique"},
    {"45", "Loiret"},
    {"46", "Lot"},
    {"47", "Lot-et-Garonne"},
    {"48", "Lozère"},
    {"49", "Maine-et-Loire"},
    {"50", "Manche"},
    {"51", "Marne"},
    {"52", "Haute-Marne"},
    {"53", "Mayenne"},
    {"54", "Meurthe-et-Moselle"},
    {"55", "Meuse"},
    {"56", "Morbihan"},
    {"57", "Moselle"},
    {"58", "Nièvre"},
    {"59", "Nord"},
    {"60", "Oise"},
    {"61", "Orne"},
    {"62", "Pas-de-Calais"},
    {"63", "Puy-de-Dôme"},
    {"64", "Pyrénées-Atlantiques"},
    {"65", "Hautes-Pyrénées"},
    {"66", "Pyrénées-Orientales"},
    {"67", "Bas-Rhin"},
    {"68", "Haut-Rhin"},
    {"69", "Rhône"},
    {"70", "Haute-Saône"},
    {"71", "Saône-et-Loire"},
    {"72", "Sarthe"},
    {"73", "Savoie"},
    {"74", "Haute-Savoie"},
    {"75", "Paris"},
    {"76", "Seine-Maritime"},
    {"77", "Seine-et-Marne"},
    {"78", "Yvelines"},
    {"79", "Deux-Sèvres"},
    {"80", "Somme"},
    {"81", "Tarn"},
    {"82", "Tarn-et-Garonne"},
    {"83", "Var"},
    {"84", "Vaucluse"},
    {"85", "Vendée"},
    {"86", "Vienne"},
    {"87", "Haute-Vienne"},
    {"88", "Vosges"},
    {"89", "Yonne"},
    {"90", "Territoire de Belfort"},
    {"91", "Essonne"},
    {"92", "Hauts-de-Seine"},
    {"93", "Seine-Saint-Denis"},
    {"94", "Val-de-Marne"},
    {"95", "Val-d’Oise"},
    {"971", "Guadeloupe"},
    {"972", "Martinique"},
    {"973", "Guyane"},
    {"974", "La Réunion"},
    {"976", "Mayotte"},
};
static_assert(std::size(kDepartements) == 101, "DOMAIN.md: 101 département codes");
}  // namespace

std::span<const Departement> all_departements() { return kDepartements; }

std::string_view departement_name(std::string_view code) {
    for (const auto& d : kDepartements)
        if (d.code == code) return d.name_fr;
    return {};
}

bool is_departement_code(std::string_view code) { return !departement_name(code).empty(); }

bool is_overseas(std::string_view code) { return code.size() == 3 && is_departement_code(code); }

}  // namespace uneplace
