// uneplace server — the --demo data set.
//
// Six départements (Paris, Rhône, Bouches-du-Rhône, Nord, Gironde, La Réunion), eleven partners,
// thirty published offers covering every category, about sixty sessions over the coming weeks
// (first come and ballot, some nearly full, one full), seven social structures with their
// beneficiaries, a few past outings with attendance and feedback so the statistics say something.
// Every account's password is "uneplace-demo".
//
// Index of this file:
// [SECTION] Data tables
// [SECTION] Helpers
// [SECTION] seed_demo(): accounts, beneficiaries, programme, bookings, past outings
#include "demo_data.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "auth.hpp"
#include "store.hpp"
#include "uneplace/calendar.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/local_time.hpp"

namespace uneplace::server {

namespace {

//-----------------------------------------------------------------------------
// [SECTION] Data tables
//-----------------------------------------------------------------------------

struct DemoPartner {
    const char* name;
    const char* territory;
    const char* user_email;
    const char* user_name;
    // Its venue.
    const char* venue_name;
    const char* address;
    const char* postal_code;
    const char* city;
    AccessibilityFlags venue_access;
};

const DemoPartner kPartners[] = {
    {"Théâtre du Faubourg", "75", kDemoPartnerEmail, "Claire Besson", "Théâtre du Faubourg — grande salle",
     "12 rue du Faubourg Saint-Antoine", "75011", "Paris", AccessibilityFlags_Wheelchair | AccessibilityFlags_Hearing},
    {"Musée des Arts populaires", "75", "musee@demo.uneplace.test", "Hugo Lemoine", "Musée des Arts populaires",
     "62 rue de Turenne", "75003", "Paris", AccessibilityFlags_Wheelchair | AccessibilityFlags_Visual},
    {"Auditorium Confluence", "69", "auditorium@demo.uneplace.test", "Nathalie Perrin", "Auditorium Confluence",
     "5 quai Rambaud", "69002", "Lyon", AccessibilityFlags_Wheelchair | AccessibilityFlags_Hearing},
    {"Cirque des Docks", "13", "cirque@demo.uneplace.test", "Marco Santini", "Chapiteau des Docks",
     "10 place de la Joliette", "13002", "Marseille", AccessibilityFlags_Wheelchair},
    {"Stade solidaire de Marseille", "13", "stade@demo.uneplace.test", "Farid Amrani", "Stade Michelet",
     "3 boulevard Michelet", "13008", "Marseille", AccessibilityFlags_Wheelchair},
    {"Cinéma Le Grand Nord", "59", "cinema@demo.uneplace.test", "Julie Vasseur", "Cinéma Le Grand Nord",
     "25 rue de Béthune", "59000", "Lille",
     AccessibilityFlags_Wheelchair | AccessibilityFlags_Hearing | AccessibilityFlags_Visual},
    {"Festival Lille Plein Air", "59", "festival@demo.uneplace.test", "Antoine Delcourt", "Parc de la Citadelle",
     "Avenue du 43e Régiment d’Infanterie", "59800", "Lille", AccessibilityFlags_None},
    {"Compagnie Garonne Danse", "33", "danse@demo.uneplace.test", "Inès Carvalho", "Studio Garonne",
     "40 cours Victor-Hugo", "33000", "Bordeaux", AccessibilityFlags_Cognitive},
    {"Maison du patrimoine bordelais", "33", "patrimoine@demo.uneplace.test", "Bernard Dupuy", "Maison du patrimoine",
     "2 place de la Bourse", "33000", "Bordeaux", AccessibilityFlags_Visual},
    {"Théâtre Vollard", "974", "vollard@demo.uneplace.test", "Sandrine Payet", "Théâtre Vollard", "15 rue Pasteur",
     "97400", "Saint-Denis", AccessibilityFlags_Wheelchair},
    {"Club sportif du Barachois", "974", "barachois@demo.uneplace.test", "Ludovic Hoarau", "Base nautique du Barachois",
     "Boulevard Gabriel-Macé", "97400", "Saint-Denis", AccessibilityFlags_None},
};

struct DemoOffer {
    int partner;  // index in kPartners
    const char* title;
    const char* category;
    const char* description;
    int min_age;
    AccessibilityFlags access;
    const char* pickup;
    int capacity;
    int max_per_booking;
};

const DemoOffer kOffers[] = {
    {0, "Le Misanthrope", "theatre",
     "La comédie de Molière dans une mise en scène d’aujourd’hui. Durée 2 h avec entracte.", 12,
     AccessibilityFlags_Hearing, "guest_list", 20, 2},
    {0, "Rires en Faubourg", "comedy", "Plateau d’humour : quatre jeunes talents de la scène parisienne.", 14, 0,
     "guest_list", 12, 2},
    {0, "Le Petit Prince", "young_audience", "Adaptation pour le jeune public, avec marionnettes et musique.", 5,
     AccessibilityFlags_Cognitive, "printed", 30, 4},
    {1, "Exposition « Mains d’ouvriers »", "exhibition", "Cent ans de métiers du faubourg en photographies et objets.",
     0, AccessibilityFlags_Visual, "printed", 15, 4},
    {1, "Visite du musée en famille", "museum", "Parcours ludique avec une médiatrice, livret-jeu offert aux enfants.",
     0, AccessibilityFlags_Cognitive, "guest_list", 10, 5},
    {1, "Conférence : l’histoire des faubourgs", "talk",
     "Une historienne raconte les quartiers ouvriers de l’Est parisien.", 0, AccessibilityFlags_Hearing, "guest_list",
     25, 2},
    {2, "Symphonie du Nouveau Monde", "concert",
     "Dvořák par l’orchestre de l’Auditorium, présentation avant le concert.", 6, 0, "e_ticket", 40, 2},
    {2, "La Flûte enchantée", "opera", "Opéra de Mozart chanté en allemand, surtitré en français.", 8,
     AccessibilityFlags_Hearing, "e_ticket", 16, 2},
    {2, "Ciné-concert : Chaplin", "cinema", "« Les Temps modernes » projeté avec l’orchestre en direct.", 0, 0,
     "printed", 8, 3},
    {3, "Voltige sous chapiteau", "circus", "Trapèze, mât chinois et acrobaties par la troupe des Docks.", 0, 0,
     "guest_list", 24, 4},
    {3, "Atelier jonglage", "workshop", "Deux heures pour apprendre à jongler avec les artistes du cirque.", 8, 0,
     "guest_list", 6, 2},
    {3, "Spectacle de clowns", "circus", "Un duo de clowns pour petits et grands.", 3, AccessibilityFlags_Cognitive,
     "guest_list", 4, 2},
    {4, "Football : Marseille solidaire – Nice", "sport_event", "Match amical au profit des associations du quartier.",
     0, 0, "e_ticket", 50, 3},
    {4, "Handball féminin : Marseille – Toulon", "sport_event", "Championnat de France, tribune centrale.", 0, 0,
     "e_ticket", 20, 3},
    {5, "Avant-première : « Les Oubliés du Nord »", "cinema", "Projection suivie d’une rencontre avec la réalisatrice.",
     12, AccessibilityFlags_Hearing | AccessibilityFlags_Visual, "guest_list", 10, 2},
    {5, "Ciné-goûter : courts métrages d’animation", "young_audience",
     "Quarante minutes de films d’animation, goûter offert.", 3, 0, "guest_list", 30, 4},
    {6, "Festival Plein Air — soirée électro", "festival", "DJ sets en plein air dans le parc de la Citadelle.", 16, 0,
     "e_ticket", 100, 2},
    {6, "Festival Plein Air — scène des familles", "festival", "Concerts, contes et ateliers pour toute la famille.", 0,
     0, "e_ticket", 60, 5},
    {7, "Danse contemporaine : « Marées »", "dance",
     "Sept danseurs et un violoncelle, d’après l’estuaire de la Gironde.", 10, 0, "guest_list", 12, 2},
    {7, "Bal participatif", "leisure", "On danse tous ensemble, aucune expérience nécessaire.", 0,
     AccessibilityFlags_Cognitive, "guest_list", 40, 4},
    {8, "Visite guidée : Bordeaux au XVIIIᵉ siècle", "heritage",
     "Des quais à la place de la Bourse avec un guide-conférencier.", 0, AccessibilityFlags_Visual, "guest_list", 15,
     3},
    {8, "Journée découverte du port de la Lune", "heritage", "Balade commentée le long de la Garonne.", 0, 0,
     "guest_list", 20, 4},
    {8, "Conférence : la Garonne et ses métiers", "talk",
     "Bateliers, tonneliers et dockers : une conférence illustrée.", 0, AccessibilityFlags_Hearing, "guest_list", 30,
     2},
    {9, "Kabar maloya", "concert", "Soirée maloya avec trois groupes de l’île.", 0, 0, "guest_list", 30, 4},
    {9, "Conte créole pour les enfants", "young_audience",
     "Zistoir Ti-Jean et Grand-Mère Kal, contées en créole et en français.", 4, 0, "guest_list", 20, 4},
    {9, "Théâtre : « Zistoir la mer »", "theatre",
     "Une pièce sur la pêche et la mer, jouée par une troupe de Saint-Denis.", 10, 0, "guest_list", 18, 2},
    {9, "Soirée humour créole", "comedy", "Stand-up en créole et en français.", 12, 0, "guest_list", 6, 2},
    {10, "Initiation au surf", "sport_practice", "Deux heures avec un moniteur diplômé, combinaison fournie.", 10, 0,
     "guest_list", 8, 2},
    {10, "Randonnée au Cap Noir", "leisure", "Randonnée accompagnée de 3 h, niveau facile.", 12, 0, "guest_list", 12,
     2},
    {10, "Atelier pirogue", "sport_practice", "Découverte de la pirogue polynésienne dans le port.", 12, 0,
     "guest_list", 6, 2},
};

struct DemoStructure {
    const char* name;
    const char* territory;
    const char* user_email;
    const char* user_name;
};
const DemoStructure kStructures[] = {
    {"CCAS de Paris 11e", "75", kDemoSocialWorkerEmail, "Sophie Lemaire"},
    {"Centre social Belleville", "75", "belleville@demo.uneplace.test", "Karim Ouali"},
    {"Secours solidaire Lyon", "69", "lyon@demo.uneplace.test", "Émilie Rousseau"},
    {"Mission locale Marseille Nord", "13", "marseille@demo.uneplace.test", "Yacine Benmansour"},
    {"Foyer Les Hirondelles", "59", "hirondelles@demo.uneplace.test", "Martine Caron"},
    {"Association Entraide Bordeaux", "33", "entraide@demo.uneplace.test", "Pierre Lacoste"},
    {"CCAS de Saint-Denis", "974", "saintdenis@demo.uneplace.test", "Valérie Técher"},
};

struct DemoBeneficiary {
    int structure;
    const char* first_name;
    const char* last_name;
    int birth_year;  // 0 = unknown
    const char* postal_code;
    int household;
    const char* phone;
};
const DemoBeneficiary kBeneficiaries[] = {
    {0, "Amina", "Kaci", 1988, "75011", 3, "+33612345678"},
    {0, "Jean-Baptiste", "Morel", 1975, "75011", 1, ""},
    {0, "Fatoumata", "Diallo", 1992, "75020", 3, "+33698765432"},
    {0, "Lucas", "Petit", 2009, "75011", 2, ""},
    {0, "Nadia", "Haddad", 1969, "75012", 1, "+33601020304"},
    {0, "Sébastien", "Roux", 0, "75011", 1, ""},
    {1, "Inès", "Bouzid", 1995, "75019", 2, ""},
    {1, "Mamadou", "Traoré", 1983, "75019", 5, "+33755443322"},
    {1, "Léa", "Martin", 2001, "75020", 1, ""},
    {1, "Hugo", "Bernard", 2012, "75020", 3, ""},
    {2, "Chloé", "Nguyen", 1990, "69003", 2, ""},
    {2, "Karim", "Belkacem", 1978, "69008", 4, "+33478000000"},
    {2, "Élodie", "Œuvray", 1986, "69007", 1, ""},
    {2, "Tom", "Girard", 2010, "69008", 3, ""},
    {3, "Yasmine", "Saïdi", 2003, "13015", 1, ""},
    {3, "Enzo", "Fabre", 2004, "13014", 2, ""},
    {3, "Sarah", "Cohen", 2002, "13013", 1, "+33611223344"},
    {4, "Maëlle", "Dubois", 1972, "59000", 2, ""},
    {4, "Olivier", "Lambert", 1965, "59000", 1, ""},
    {4, "Aïcha", "Mansouri", 1999, "59100", 3, ""},
    {5, "Camille", "Laurent", 1993, "33000", 2, ""},
    {5, "Rémi", "Fontaine", 1980, "33800", 1, ""},
    {5, "Zoé", "Garnier", 2011, "33000", 4, ""},
    {6, "Kévin", "Payet", 1991, "97400", 3, "+262692123456"},
    {6, "Marie-Noëlle", "Hoarau", 1970, "97400", 5, ""},
    {6, "Océane", "Grondin", 2006, "97490", 2, ""},
    {6, "Jean-Luc", "Técher", 1958, "97400", 1, ""},
};

//-----------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------

// `days` days after today (venue time) at hh:mm local, in UTC. A time falling into the spring
// daylight-saving gap moves one hour later.
UnixSeconds local_day_at(std::string_view territory, UnixSeconds now, int days, int hh, int mm) {
    const CivilDateTime today = to_local(territory, now);
    const CivilDate d = civil_from_days(days_from_civil(today.year, today.month, today.day) + days);
    for (int h = hh; h < hh + 3; ++h) {
        auto t = local_to_utc(territory, CivilDateTime{d.year, d.month, d.day, h, mm, 0});
        if (t.ok()) return t.value;
    }
    return now + days * kDay;
}

std::string new_code() {
    std::array<std::uint8_t, 7> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    return make_booking_code(std::span<const std::uint8_t, 7>(bytes));
}

std::string new_reference() { return "B-" + random_token(6); }

}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] seed_demo(): accounts, beneficiaries, programme, bookings, past outings
//-----------------------------------------------------------------------------

std::vector<std::string> demo_banner() {
    return {
        "Données de démonstration — comptes (mot de passe « uneplace-demo ») :",
        std::string("  administratrice nationale : ") + kDemoAdminEmail,
        std::string("  partenaire culturel       : ") + kDemoPartnerEmail + " (Théâtre du Faubourg)",
        std::string("  travailleuse sociale      : ") + kDemoSocialWorkerEmail + " (CCAS de Paris 11e)",
    };
}

namespace {

// What the seeding steps share: the transaction, the clock, the one password hash, and the ids
// of what the earlier steps made (indexes follow the data tables).
struct DemoSeed {
    DemoSeed(SQLite::Database& conn, UnixSeconds at, std::string password_hash)
        : c(conn), now(at), published(at - 10 * kDay), hash(std::move(password_hash)) {}

    SQLite::Database& c;
    UnixSeconds now = 0;
    UnixSeconds published = 0;  // when the demo offers went out
    std::string hash;           // one Argon2id hash for every account: ~20 hashes would slow each start
    std::vector<Id> partner_ids, venue_ids, structure_ids, worker_ids;
    struct Beneficiary {
        Id id;
        int structure;
        std::vector<std::pair<UnixSeconds, UnixSeconds>> upcoming;  // [start, end) of its bookings
    };
    std::vector<Beneficiary> beneficiaries;
    struct Session {
        Id id;
        int capacity;
        int max_per_booking;
        UnixSeconds start, end;
        bool ballot;
    };
    std::vector<Session> sessions;
};

constexpr int kDemoDurationMin = 120;  // every demo session lasts 2 h

Id add_organisation(DemoSeed& d, OrgKind kind, const char* name, const char* territory) {
    SQLite::Statement s(d.c, "INSERT INTO organisations (kind, name, territory, status, created_at, updated_at)"
                             " VALUES (?, ?, ?, 'active', ?, ?)");
    s.bind(1, std::string(to_code(kind)));
    s.bind(2, name);
    s.bind(3, territory);
    s.bind(4, d.now - 90 * kDay);
    s.bind(5, d.now - 90 * kDay);
    s.exec();
    return d.c.getLastInsertRowid();
}

Id add_account(DemoSeed& d, std::optional<Id> organisation, Role role, const char* email, const char* name) {
    return insert_user(d.c, organisation, role, email, d.hash, name, AccountStatus::Active, d.now - 90 * kDay);
}

// The national admin, the partners with their venue, the structures with their social worker.
void seed_accounts(DemoSeed& d) {
    add_account(d, std::nullopt, Role::Admin, kDemoAdminEmail, "Agnès Duval");
    for (const auto& p : kPartners) {
        const Id pid = add_organisation(d, OrgKind::Partner, p.name, p.territory);
        d.partner_ids.push_back(pid);
        add_account(d, pid, Role::Partner, p.user_email, p.user_name);
        SQLite::Statement v(d.c, "INSERT INTO venues (partner_id, name, address, postal_code, city, territory,"
                                 " accessibility, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        v.bind(1, pid);
        v.bind(2, p.venue_name);
        v.bind(3, p.address);
        v.bind(4, p.postal_code);
        v.bind(5, p.city);
        v.bind(6, p.territory);
        v.bind(7, static_cast<int>(p.venue_access));
        v.bind(8, d.now - 90 * kDay);
        v.bind(9, d.now - 90 * kDay);
        v.exec();
        d.venue_ids.push_back(d.c.getLastInsertRowid());
    }
    for (const auto& s : kStructures) {
        const Id sid = add_organisation(d, OrgKind::Structure, s.name, s.territory);
        d.structure_ids.push_back(sid);
        d.worker_ids.push_back(add_account(d, sid, Role::SocialWorker, s.user_email, s.user_name));
    }
}

void seed_beneficiaries(DemoSeed& d) {
    for (const auto& b : kBeneficiaries) {
        SQLite::Statement s(d.c,
                            "INSERT INTO beneficiaries (structure_id, reference, first_name, last_name, birth_year,"
                            " postal_code, household_size, phone, created_at, updated_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, d.structure_ids[b.structure]);
        s.bind(2, new_reference());
        s.bind(3, b.first_name);
        s.bind(4, b.last_name);
        if (b.birth_year) s.bind(5, b.birth_year);
        else s.bind(5);
        s.bind(6, b.postal_code);
        s.bind(7, b.household);
        if (*b.phone) s.bind(8, b.phone);
        else s.bind(8);
        s.bind(9, d.now - 60 * kDay);
        s.bind(10, d.now - 60 * kDay);
        s.exec();
        d.beneficiaries.push_back({d.c.getLastInsertRowid(), b.structure, {}});
    }
    // Issue 18's journey: Mme Diallo goes out with her two children, aged 6 and 9 this year.
    const int year = to_local("75", d.now).year;
    SQLite::Statement children(d.c, "UPDATE beneficiaries SET children_birth_years = ?"
                                    " WHERE first_name = 'Fatoumata' AND last_name = 'Diallo'");
    children.bind(1, std::to_string(year - 6) + "," + std::to_string(year - 9));
    children.exec();
}

Id add_offer(DemoSeed& d, int partner, const char* title, const char* description, const char* category, int min_age,
             AccessibilityFlags access, const char* pickup, OfferStatus status, UnixSeconds created_at,
             std::optional<UnixSeconds> published_at) {
    SQLite::Statement s(d.c, "INSERT INTO offers (partner_id, venue_id, title, description, category, min_age,"
                             " accessibility, pickup_mode, status, published_at, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, d.partner_ids[partner]);
    s.bind(2, d.venue_ids[partner]);
    s.bind(3, title);
    s.bind(4, description);
    s.bind(5, category);
    s.bind(6, min_age);
    s.bind(7, static_cast<int>(access));
    s.bind(8, pickup);
    s.bind(9, std::string(to_code(status)));
    if (published_at) s.bind(10, *published_at);
    else s.bind(10);
    s.bind(11, created_at);
    s.bind(12, published_at.value_or(created_at));
    s.exec();
    return d.c.getLastInsertRowid();
}

Id add_session(DemoSeed& d, Id offer_id, UnixSeconds start, int capacity, int max_per_booking, UnixSeconds closes,
               std::optional<UnixSeconds> draw_at, UnixSeconds created_at) {
    SQLite::Statement ss(d.c, "INSERT INTO sessions (offer_id, start_at, duration_min, capacity, max_per_booking,"
                              " closes_at, allocation, draw_at, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ss.bind(1, offer_id);
    ss.bind(2, start);
    ss.bind(3, kDemoDurationMin);
    ss.bind(4, capacity);
    ss.bind(5, max_per_booking);
    ss.bind(6, closes);
    ss.bind(7, draw_at ? "ballot" : "first_come");
    if (draw_at) ss.bind(8, *draw_at);
    else ss.bind(8);
    ss.bind(9, created_at);
    ss.bind(10, created_at);
    ss.exec();
    return d.c.getLastInsertRowid();
}

// The thirty published offers with two sessions each over the coming weeks, then a pending offer
// (for the admin to moderate) and a draft (the partner's work in progress).
void seed_programme(DemoSeed& d) {
    static constexpr int kHours[][2] = {{20, 0}, {14, 30}, {18, 0}, {20, 30}, {19, 0}, {10, 0}};
    Id family_offer = 0;  // the first young audience offer in Paris
    for (std::size_t i = 0; i < std::size(kOffers); ++i) {
        const DemoOffer& o = kOffers[i];
        const DemoPartner& p = kPartners[o.partner];
        const Id offer_id = add_offer(d, o.partner, o.title, o.description, o.category, o.min_age, o.access, o.pickup,
                                      OfferStatus::Published, d.published - kDay, d.published);
        if (!family_offer && std::string_view(o.category) == "young_audience" && std::string_view(p.territory) == "75")
            family_offer = offer_id;
        for (int k = 0; k < 2; ++k) {
            const int day = 2 + static_cast<int>((i * 5 + k * 11) % 38);
            const auto* hm = kHours[(i + k) % std::size(kHours)];
            const UnixSeconds start = local_day_at(p.territory, d.now, day, hm[0], hm[1]);
            UnixSeconds closes = start - kDay;
            if (closes <= d.now + kHour) closes = start - 2 * kHour;
            // Every seventh session or so is allocated by ballot, drawn two days before closing.
            const bool ballot = (i * 2 + k) % 7 == 3 && closes - 2 * kDay > d.now + kHour;
            const int capacity = k == 0 ? o.capacity : std::max(4, o.capacity / 2 + 2);
            const Id id =
                add_session(d, offer_id, start, capacity, o.max_per_booking, closes,
                            ballot ? std::optional<UnixSeconds>(closes - 2 * kDay) : std::nullopt, d.published);
            d.sessions.push_back({id, capacity, o.max_per_booking, start, start + kDemoDurationMin * kMinute, ballot});
        }
    }
    // Issue 18's journey: a family of three finds an outing in Île-de-France next weekend. A matinée
    // of the young audience offer on Saturday afternoon, four places per booking.
    if (family_offer) {
        const CivilDateTime today = to_local("75", d.now);
        const DayRange weekend = next_weekend(today.date());
        const int days = static_cast<int>(days_from_civil(weekend.first.year, weekend.first.month, weekend.first.day) -
                                          days_from_civil(today.year, today.month, today.day));
        const UnixSeconds start = local_day_at("75", d.now, days, 15, 0);
        const Id id = add_session(d, family_offer, start, 24, 4, start - kDay, std::nullopt, d.published);
        d.sessions.push_back({id, 24, 4, start, start + kDemoDurationMin * kMinute, false});
    }
    add_offer(d, 0, "Lecture : Victor Hugo, « Les Misérables »", "Lecture à deux voix.", "talk", 10, 0, "guest_list",
              OfferStatus::Pending, d.now - kDay, std::nullopt);
    add_offer(d, 0, "Cabaret de fin d’année", "", "comedy", 16, 0, "guest_list", OfferStatus::Draft, d.now,
              std::nullopt);
}

Id add_booking(DemoSeed& d, const DemoSeed::Session& s, const DemoSeed::Beneficiary& b, int places,
               BookingStatus status, UnixSeconds at, std::optional<int> attended) {
    SQLite::Statement ins(d.c, "INSERT INTO bookings (session_id, structure_id, social_worker_id, beneficiary_id,"
                               " places, status, code, attended_count, requested_at, confirmed_at, created_at,"
                               " updated_at, checked_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, s.id);
    ins.bind(2, d.structure_ids[b.structure]);
    ins.bind(3, d.worker_ids[b.structure]);
    ins.bind(4, b.id);
    ins.bind(5, places);
    ins.bind(6, std::string(to_code(status)));
    ins.bind(7, new_code());
    if (attended) ins.bind(8, *attended);
    else ins.bind(8);
    ins.bind(9, at);
    ins.bind(10, at);
    ins.bind(11, at);
    ins.bind(12, at);
    if (status == BookingStatus::Attended || status == BookingStatus::NoShow) ins.bind(13, s.start);
    else ins.bind(13);
    ins.exec();
    return d.c.getLastInsertRowid();
}

// Fills the small first-come sessions so that some are nearly full and one is full, never giving a
// person two overlapping outings (nor one within a day of another) or more than two.
void seed_bookings(DemoSeed& d) {
    std::size_t next = 0;
    bool made_full = false;
    int nearly_full = 0;
    for (const auto& s : d.sessions) {
        if (s.ballot || s.capacity > 8) continue;
        int target = (!made_full && s.capacity <= 4) ? s.capacity : s.capacity - 1;
        if (target == s.capacity) made_full = true;
        else if (nearly_full >= 5) continue;
        else ++nearly_full;
        std::set<Id> in_session;
        int held = 0;
        for (std::size_t tries = 0; held < target && tries < d.beneficiaries.size(); ++tries) {
            auto& b = d.beneficiaries[next++ % d.beneficiaries.size()];
            if (in_session.count(b.id) || b.upcoming.size() >= 2) continue;
            bool overlap = false;
            for (auto [a, e] : b.upcoming) overlap = overlap || (a < s.end + kDay && s.start < e + kDay);
            if (overlap) continue;
            const int places = std::min({2, target - held, s.max_per_booking});
            add_booking(d, s, b, places, BookingStatus::Confirmed, d.now - 2 * kDay, std::nullopt);
            in_session.insert(b.id);
            b.upcoming.emplace_back(s.start, s.end);
            held += places;
        }
    }
}

// Three sessions of the last weeks with attendance, no-shows and feedback, so the statistics say something.
void seed_past_outings(DemoSeed& d) {
    static constexpr int kPastOffers[] = {0, 6, 23};
    static constexpr int kPastDays[] = {-14, -21, -35};
    for (int k = 0; k < 3; ++k) {
        const DemoOffer& o = kOffers[kPastOffers[k]];
        const char* territory = kPartners[o.partner].territory;
        const UnixSeconds start = local_day_at(territory, d.now, kPastDays[k], 20, 0);
        SQLite::Statement offer(d.c, "SELECT id FROM offers WHERE title = ?");
        offer.bind(1, o.title);
        offer.executeStep();
        const Id session_id = add_session(d, offer.getColumn(0).getInt64(), start, o.capacity, o.max_per_booking,
                                          start - kDay, std::nullopt, start - 20 * kDay);
        const DemoSeed::Session past{
            session_id, o.capacity, o.max_per_booking, start, start + kDemoDurationMin * kMinute, false};
        int n = 0;
        for (const auto& b : d.beneficiaries) {
            if (kStructures[b.structure].territory != std::string_view(territory)) continue;
            const bool no_show = (n % 4 == 3);
            const int places = std::min(2, o.max_per_booking);
            const Id bid = add_booking(d, past, b, places, no_show ? BookingStatus::NoShow : BookingStatus::Attended,
                                       start - 5 * kDay, no_show ? std::nullopt : std::optional<int>(places));
            if (!no_show) {
                SQLite::Statement f(d.c, "INSERT INTO feedback (booking_id, went, rating, comment, author_id,"
                                         " created_at, updated_at) VALUES (?, 'yes', ?, ?, ?, ?, ?)");
                f.bind(1, bid);
                f.bind(2, 3 + n % 3);
                f.bind(3, n % 2 ? "Très belle soirée, à refaire." : "Première sortie au spectacle depuis des années.");
                f.bind(4, d.worker_ids[b.structure]);
                f.bind(5, start + kDay);
                f.bind(6, start + kDay);
                f.exec();
            }
            ++n;
        }
    }
}

// Posters (issue 18) on the young audience offers and a third of the others, drawn here and made
// into the two sizes by the same code as an upload: no picture file in the repository.
void seed_posters(DemoSeed& d) {
    SQLite::Statement q(d.c, "SELECT id, category FROM offers WHERE status = 'published'"
                             " AND (category = 'young_audience' OR id % 3 = 1) ORDER BY id");
    while (q.executeStep()) {
        const Id id = q.getColumn(0).getInt64();
        store_offer_image(d.c, id, 1, poster_of(drawn_poster(q.getColumn(1).getString(), static_cast<int>(id % 5))),
                          d.now);
    }
}

}  // namespace

Picture drawn_poster(std::string_view category, int variant) {
    // A colour per category, a sun, stripes: enough for eyes to tell the rows apart.
    std::uint32_t hue = 2166136261u;
    for (char ch : category) hue = (hue ^ static_cast<unsigned char>(ch)) * 16777619u;
    const int r0 = 60 + static_cast<int>(hue % 180), g0 = 60 + static_cast<int>((hue >> 8) % 180),
              b0 = 60 + static_cast<int>((hue >> 16) % 180);
    Picture p;
    p.width = 480;
    p.height = 680;
    p.rgb.resize(static_cast<std::size_t>(p.width * p.height) * 3);
    const int cx = 140 + (variant % 5) * 50, cy = 220, radius = 110;
    for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width; ++x) {
            const int shade = 255 - y * 200 / p.height;
            int rgb[3] = {r0 * shade / 255, g0 * shade / 255, b0 * shade / 255};
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius) rgb[0] = 250, rgb[1] = 220, rgb[2] = 90;
            else if (y > 480 && ((x + y) / 24) % 2 == 0) rgb[0] /= 2, rgb[1] /= 2, rgb[2] /= 2;
            std::uint8_t* px = &p.rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(p.width) + x) * 3];
            for (int c = 0; c < 3; ++c) px[c] = static_cast<std::uint8_t>(rgb[c]);
        }
    return p;
}

bool seed_demo(App& app) {
    {
        SQLite::Statement q(app.db.conn(),
                            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM organisations)");
        q.executeStep();
        if (q.getColumn(0).getInt64() > 0) return false;
    }
    // Hashed before the write lock is taken, as every other hash.
    std::string hash = hash_password(kDemoPassword, app.options.fast_hash);
    WriteTx tx(app.db);
    DemoSeed d(tx.conn(), app.now(), std::move(hash));
    seed_accounts(d);
    seed_beneficiaries(d);
    seed_programme(d);
    seed_posters(d);
    seed_bookings(d);
    seed_past_outings(d);
    const std::size_t sessions = d.sessions.size();  // the coming ones, as the banner has always said
    audit(d.c, d.now, std::nullopt, "demo.seed", "database", std::nullopt, nullptr,
          nlohmann::json{{"partners", std::size(kPartners)},
                         {"offers", std::size(kOffers)},
                         {"sessions", sessions},
                         {"structures", std::size(kStructures)},
                         {"beneficiaries", std::size(kBeneficiaries)}});
    tx.commit();
    spdlog::info("demo data seeded partners={} offers={} sessions={} beneficiaries={}", std::size(kPartners),
                 std::size(kOffers), sessions, std::size(kBeneficiaries));
    return true;
}

}  // namespace uneplace::server
