// uneplace benchmarks — the national-scale data generator (see generator.hpp).
//
// Layout, at scale 1: 101 départements; 3,000 partners (one venue each, 20,000 published offers,
// a third of them with a poster) and 7,000 social structures, each organisation with one active
// user; 100,000 sessions spread over a year centred on today (half past, half to come); 200,000
// beneficiaries; 1,000,000 past bookings (attended, no-show, cancelled) on the past sessions. The
// last session is the storm's: 500 places, one per booking, nobody booked yet.
#include "generator.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <vector>

#include "auth.hpp"
#include "demo_data.hpp"
#include "store.hpp"
#include "db.hpp"
#include "uneplace/codes.hpp"

namespace uneplace::bench {

namespace {

// splitmix64: tiny, and the same sequence on every platform (std distributions are not).
struct Rng {
    std::uint64_t state;
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int between(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
    bool chance(int percent) { return static_cast<int>(next() % 100) < percent; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& a) {
        return a[next() % N];
    }
};

const std::array<const char*, 17> kCategories = {
    "theatre",  "dance",       "circus",         "concert", "opera",    "comedy",   "cinema", "exhibition",    "museum",
    "heritage", "sport_event", "sport_practice", "leisure", "workshop", "festival", "talk",   "young_audience"};
const std::array<const char*, 8> kPartnerKinds = {"Théâtre",  "Musée",        "Cinéma",    "Compagnie",
                                                  "Festival", "Club sportif", "Orchestre", "Maison de la culture"};
const std::array<const char*, 6> kStructureKinds = {"CCAS",  "Centre social",     "Mission locale",
                                                    "Foyer", "Secours solidaire", "Association d’entraide"};
const std::array<const char*, 24> kTitleNouns = {
    "Le Misanthrope",     "La Flûte enchantée",  "Symphonie",      "Voltige",
    "Ciné-goûter",        "Bal participatif",    "Visite guidée",  "Atelier jonglage",
    "Conte créole",       "Nuit du jazz",        "Match amical",   "Exposition",
    "Concert baroque",    "Danse contemporaine", "Festival d’été", "Conférence",
    "Initiation au surf", "Randonnée",           "Marionnettes",   "Cabaret",
    "Opéra de poche",     "Rencontre d’auteur",  "Ciné-concert",   "Slam"};
const std::array<const char*, 12> kTitleTails = {"en famille",     "pour tous",   "du soir",       "au jardin",
                                                 "sous chapiteau", "des enfants", "en plein air",  "au musée",
                                                 "de saison",      "d’hiver",     "du patrimoine", "en musique"};
const std::array<const char*, 16> kFirstNames = {"Amina",   "Jean",   "Fatoumata", "Lucas", "Nadia",  "Inès",
                                                 "Mamadou", "Léa",    "Chloé",     "Karim", "Élodie", "Yasmine",
                                                 "Enzo",    "Maëlle", "Kévin",     "Océane"};
const std::array<const char*, 16> kLastNames = {"Kaci",   "Morel",  "Diallo", "Petit",    "Haddad", "Bouzid",
                                                "Traoré", "Martin", "Nguyen", "Belkacem", "Girard", "Saïdi",
                                                "Fabre",  "Dubois", "Payet",  "Grondin"};

// A postal code of the département (prefix rule of DOMAIN.md).
std::string postal_code_of(std::string_view dep, Rng& rng) {
    if (dep == "2A") return "20000";
    if (dep == "2B") return "20200";
    if (dep.size() == 3) return fmt::format("{}{:02}", dep, rng.between(0, 99));
    return fmt::format("{}{:03}", dep, rng.between(0, 999));
}

int scaled(int n, double scale) { return std::max(1, static_cast<int>(n * scale)); }

}  // namespace

GenCounts generate(const GenConfig& cfg) {
    const auto t0 = std::chrono::steady_clock::now();
    if (std::filesystem::exists(cfg.db_path)) throw std::runtime_error(cfg.db_path + " existe déjà");
    Rng rng{cfg.seed};
    const UnixSeconds now = cfg.now;
    const UnixSeconds created = now - 400 * kDay;

    // The server's own connection settings and migrations; then bulk-loading pragmas for this
    // process only (the server opens its own connections later with its own pragmas).
    auto conn_ptr = server::open_connection(cfg.db_path);
    SQLite::Database& db = *conn_ptr;
    server::migrate(db);
    db.exec("PRAGMA synchronous = OFF");
    db.exec("PRAGMA cache_size = -262144");

    GenCounts n;
    const auto deps = all_departements();
    n.departements = static_cast<int>(deps.size());
    const int organisations = scaled(10000, cfg.scale);
    n.partners = std::max(1, organisations * 3 / 10);
    n.structures = std::max(1, organisations - n.partners);
    n.venues = n.partners;
    n.offers = scaled(20000, cfg.scale);
    n.sessions = scaled(100000, cfg.scale);
    n.beneficiaries = scaled(200000, cfg.scale);
    const int wanted_bookings = scaled(1000000, cfg.scale);

    const std::string hash = server::hash_password(kBenchPassword, true);
    db.exec("BEGIN");

    // Organisations and their users: partners 1..P, structures P+1..P+S; user id = org id + 1
    // (the admin is user 1).
    {
        SQLite::Statement admin(db,
                                "INSERT INTO users (id, organisation_id, role, email, password_hash, display_name,"
                                " status, created_at, updated_at) VALUES (1, NULL, 'admin', ?, ?, ?, 'active', ?, ?)");
        admin.bind(1, kBenchAdminEmail);
        admin.bind(2, hash);
        admin.bind(3, "Administration nationale");
        admin.bind(4, created);
        admin.bind(5, created);
        admin.exec();
        SQLite::Statement org(db,
                              "INSERT INTO organisations (id, kind, name, territory, status, created_at, updated_at)"
                              " VALUES (?, ?, ?, ?, 'active', ?, ?)");
        SQLite::Statement user(db, "INSERT INTO users (id, organisation_id, role, email, password_hash, display_name,"
                                   " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)");
        for (int id = 1; id <= n.partners + n.structures; ++id) {
            const bool partner = id <= n.partners;
            const auto& dep = deps[static_cast<std::size_t>(id) % deps.size()];
            org.bind(1, id);
            org.bind(2, partner ? "partner" : "structure");
            org.bind(3, fmt::format("{} {} n°{}", partner ? rng.pick(kPartnerKinds) : rng.pick(kStructureKinds),
                                    dep.name_fr, id));
            org.bind(4, std::string(dep.code));
            org.bind(5, created);
            org.bind(6, created);
            org.exec();
            org.reset();
            user.bind(1, id + 1);
            user.bind(2, id);
            user.bind(3, partner ? "partner" : "social_worker");
            user.bind(4, fmt::format("{}{}@bench.uneplace.test", partner ? "partenaire" : "relais", id));
            user.bind(5, hash);
            user.bind(6, fmt::format("{} {}", rng.pick(kFirstNames), rng.pick(kLastNames)));
            user.bind(7, created);
            user.bind(8, created);
            user.exec();
            user.reset();
        }
    }

    // One venue per partner (venue id = partner id), in the partner's département.
    {
        SQLite::Statement q(db, "INSERT INTO venues (id, partner_id, name, address, postal_code, city, territory,"
                                " accessibility, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (int id = 1; id <= n.partners; ++id) {
            const auto& dep = deps[static_cast<std::size_t>(id) % deps.size()];
            q.bind(1, id);
            q.bind(2, id);
            q.bind(3, fmt::format("Salle {} n°{}", dep.name_fr, id));
            q.bind(4, fmt::format("{} rue de la République", rng.between(1, 200)));
            q.bind(5, postal_code_of(dep.code, rng));
            q.bind(6, std::string(dep.name_fr));
            q.bind(7, std::string(dep.code));
            q.bind(8, rng.between(0, 15));
            q.bind(9, created);
            q.bind(10, created);
            q.exec();
            q.reset();
        }
    }

    // Published offers, spread over the partners.
    {
        SQLite::Statement q(db, "INSERT INTO offers (id, partner_id, venue_id, title, description, category, min_age,"
                                " accessibility, pickup_mode, status, published_at, created_at, updated_at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'guest_list', 'published', ?, ?, ?)");
        for (int id = 1; id <= n.offers; ++id) {
            const int partner = 1 + (id - 1) % n.partners;
            q.bind(1, id);
            q.bind(2, partner);
            q.bind(3, partner);
            q.bind(4, fmt::format("{} {}", rng.pick(kTitleNouns), rng.pick(kTitleTails)));
            q.bind(5,
                   "Places offertes par le partenaire pour les personnes accompagnées. Accueil sur liste d’invités.");
            q.bind(6, kCategories[static_cast<std::size_t>(id) % kCategories.size()]);
            q.bind(7, rng.chance(90) ? 0 : rng.pick(std::array<int, 3>{6, 12, 16}));
            q.bind(8, rng.between(0, 15));
            q.bind(9, created);
            q.bind(10, created);
            q.bind(11, created);
            q.exec();
            q.reset();
        }
    }

    // Posters on a third of the offers, as partners give them (issue 18): the demo's drawings, one
    // per category and sun position, made into the two stored sizes by the upload's own code.
    {
        std::map<std::pair<std::string, int>, uneplace::server::Poster> drawn;
        for (int id = 1; id <= n.offers; id += 3) {
            const std::string category = kCategories[static_cast<std::size_t>(id) % kCategories.size()];
            auto key = std::make_pair(category, id % 5);
            auto it = drawn.find(key);
            if (it == drawn.end())
                it = drawn.emplace(key, uneplace::server::poster_of(uneplace::server::drawn_poster(category, id % 5)))
                         .first;
            uneplace::server::store_offer_image(db, id, 1, it->second, created);
            ++n.posters;
        }
    }

    // Sessions over a year centred on now: start in [now − 182 d, now + 183 d), closing 24 h before.
    std::vector<int> capacity(static_cast<std::size_t>(n.sessions) + 1, 0);
    std::vector<UnixSeconds> start(capacity.size(), 0);
    {
        // A closed session's waitlist was closed by the scheduler long ago (W3): marked so, or the
        // server's first scheduler run would spend minutes closing 50,000 of them during the load.
        SQLite::Statement q(db, "INSERT INTO sessions (id, offer_id, start_at, duration_min, capacity, max_per_booking,"
                                " closes_at, allocation, waitlist_closed, created_at, updated_at)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, 'first_come', ?, ?, ?)");
        for (int id = 1; id <= n.sessions; ++id) {
            const bool storm = id == n.sessions;
            start[id] = storm ? now + 30 * kDay + 20 * 3600
                              : now - 182 * kDay + static_cast<UnixSeconds>(rng.next() % (365ull * kDay));
            capacity[id] = storm ? 500 : rng.between(10, 80);
            q.bind(1, id);
            q.bind(2, 1 + (id - 1) % n.offers);
            q.bind(3, start[id]);
            q.bind(4, rng.between(4, 12) * 15);
            q.bind(5, capacity[id]);
            q.bind(6, storm ? 1 : 2);
            q.bind(7, start[id] - kDay);
            q.bind(8, start[id] - kDay <= now ? 1 : 0);
            q.bind(9, created);
            q.bind(10, created);
            q.exec();
            q.reset();
        }
        n.storm_session_id = n.sessions;
    }

    // Beneficiaries, round-robin over the structures (ids P+1 .. P+S).
    auto structure_of = [&](int beneficiary) { return n.partners + 1 + (beneficiary - 1) % n.structures; };
    {
        SQLite::Statement q(
            db, "INSERT INTO beneficiaries (id, structure_id, reference, first_name, last_name, birth_year,"
                " postal_code, household_size, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (int id = 1; id <= n.beneficiaries; ++id) {
            const int s = structure_of(id);
            q.bind(1, id);
            q.bind(2, s);
            q.bind(3, fmt::format("BN-{:07}", id));
            q.bind(4, rng.pick(kFirstNames));
            q.bind(5, rng.pick(kLastNames));
            if (rng.chance(10)) q.bind(6);
            else q.bind(6, rng.between(1940, 2005));
            q.bind(7, postal_code_of(deps[static_cast<std::size_t>(s) % deps.size()].code, rng));
            q.bind(8, rng.between(1, 5));
            q.bind(9, created);
            q.bind(10, created);
            q.exec();
            q.reset();
        }
    }

    // Past bookings: the past sessions filled evenly up to the wanted total (never over capacity,
    // the schema's trigger checks it anyway); beneficiaries distinct within a session (a stride
    // prime to their count). Codes: the booking id through an odd multiplier mod 2^35, a
    // bijection, so every code is unique and valid (K1 check symbol from the shared module).
    {
        std::vector<int> past;
        for (int id = 1; id < n.sessions; ++id)
            if (start[id] < now) past.push_back(id);
        SQLite::Statement q(
            db, "INSERT INTO bookings (id, session_id, structure_id, social_worker_id, beneficiary_id, places,"
                " status, code, attended_count, requested_at, confirmed_at, ended_at, checked_in_at,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        std::int64_t id = 0;
        std::size_t left_sessions = past.size();
        for (int s : past) {
            const int quota = static_cast<int>((wanted_bookings - id + left_sessions - 1) / left_sessions);
            --left_sessions;
            const int base = static_cast<int>(rng.next() % static_cast<std::uint64_t>(n.beneficiaries));
            int held = 0;
            for (int j = 0; j < quota && held < capacity[s]; ++j) {
                const int places = (held + 2 <= capacity[s] && rng.chance(15)) ? 2 : 1;
                held += places;
                const int b = 1 + static_cast<int>((base + static_cast<std::int64_t>(j) * 7919) % n.beneficiaries);
                const int structure = structure_of(b);
                const int roll = rng.between(0, 99);
                const char* status = roll < 80   ? "attended"
                                     : roll < 83 ? "no_show"
                                     : roll < 95 ? "cancelled"
                                                 : "late_cancelled";
                const UnixSeconds requested = start[s] - rng.between(3, 40) * kDay;
                ++id;
                q.bind(1, id);
                q.bind(2, s);
                q.bind(3, structure);
                q.bind(4, structure + 1);
                q.bind(5, b);
                q.bind(6, places);
                q.bind(7, status);
                q.bind(8, make_booking_code((static_cast<std::uint64_t>(id) * 0x9E3779B1ull) & ((1ull << 35) - 1)));
                if (roll < 80) q.bind(9, places);
                else q.bind(9);
                q.bind(10, requested);
                q.bind(11, requested);
                if (roll >= 83) q.bind(12, requested + kDay);
                else q.bind(12);
                if (roll < 83) q.bind(13, start[s]);
                else q.bind(13);
                q.bind(14, requested);
                q.bind(15, requested);
                q.exec();
                q.reset();
            }
            if (id >= wanted_bookings) break;
        }
        n.past_bookings = static_cast<int>(id);
    }
    db.exec("COMMIT");
    n.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return n;
}

}  // namespace uneplace::bench
