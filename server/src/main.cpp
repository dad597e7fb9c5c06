// uneplace — the server binary: a thin shell of subcommands over the server library.
//   uneplace serve --db PATH --listen HOST:PORT [--demo] [--tls-cert F --tls-key F] [--trusted-proxy CIDR]
//   uneplace create-admin --db PATH --email EMAIL        (password on standard input)
//   uneplace reset-second-factor --db PATH --email EMAIL (a lost phone and lost recovery codes)
//   uneplace backup --db PATH --out FILE
//   uneplace migrate --db PATH
//   uneplace rotate-ticket-key --db PATH                 (new signing key; old tickets stay valid)
//   uneplace rotate-webhook-key --db PATH                (new webhook signing key; old ones listed a week)
//   uneplace simulate --seed N --scale X --json FILE [--param name=value]... [--markdown FILE]
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "auth.hpp"
#include "security.hpp"
#include "db.hpp"
#include "demo_data.hpp"
#include "http_server.hpp"
#include "mail.hpp"
#include "simulation.hpp"
#include "tickets.hpp"
#include "webhooks.hpp"
#include "uneplace/validation.hpp"

using namespace uneplace::server;

namespace {

// "127.0.0.1:8080", "[::1]:0", ":8080" (all interfaces of IPv4 loopback by default).
bool parse_listen(const std::string& s, std::string& host, int& port) {
    const auto colon = s.rfind(':');
    if (colon == std::string::npos) return false;
    host = s.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    try {
        std::size_t used = 0;
        port = std::stoi(s.substr(colon + 1), &used);
        return used == s.size() - colon - 1 && port >= 0 && port <= 65535;
    } catch (...) {
        return false;
    }
}

void setup_logging(const std::string& level) {
    // Logs go to stderr; stdout carries only what people and scripts read (the address).
    auto logger = spdlog::stderr_logger_mt("uneplace");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(level));
}

// Opens the database and brings its schema up to date (every subcommand that writes starts here).
void open_and_migrate(App& app) {
    auto& conn = app.db.conn();
    const int applied = migrate(conn);
    refresh_query_statistics(conn);
    ensure_ticket_key(conn, app.now());   // I2: the first signing key
    ensure_webhook_key(conn, app.now());  // the feed's webhooks: the first signing key
    spdlog::info("database path={} schema={} applied={}", app.db.path(), schema_version(conn), applied);
}

// The commands that work on a database file without serving it (create-admin, the key rotations,
// reset-second-factor): the database opened and migrated, with default options otherwise.
std::unique_ptr<App> open_database(const std::string& db_path) {
    ServerOptions o;
    o.db_path = db_path;
    auto app = std::make_unique<App>(o);
    open_and_migrate(*app);
    return app;
}

// `uneplace simulate`: the simulation itself is pure (simulation.hpp); here are the files, the
// clock and the memory figures that bench.sh prints. Returns the exit code.
// --seed and --scale are read here rather than by CLI11 so that a mistyped value gets a French message.
int run_simulate(const std::string& seed_text, const std::string& scale_text,
                 const std::vector<std::string>& assignments, const std::string& json_path,
                 const std::string& markdown_path) {
    namespace sim = uneplace::sim;
    std::uint64_t seed = 0;
    double scale = 0;
    const auto seed_end = seed_text.data() + seed_text.size(), scale_end = scale_text.data() + scale_text.size();
    const auto seed_read = std::from_chars(seed_text.data(), seed_end, seed);
    if (seed_text.empty() || seed_read.ec != std::errc() || seed_read.ptr != seed_end) {
        std::cerr << "uneplace simulate : --seed attend un entier positif (reçu « " << seed_text << " »)\n";
        return 2;
    }
    const auto scale_read = std::from_chars(scale_text.data(), scale_end, scale);
    if (scale_text.empty() || scale_read.ec != std::errc() || scale_read.ptr != scale_end ||
        !(scale >= 0.0001 && scale <= 2)) {
        std::cerr << "uneplace simulate : --scale attend un nombre entre 0.0001 et 2, avec un point décimal "
                     "(1 = le programme national ; reçu « "
                  << scale_text << " »)\n";
        return 2;
    }
    sim::Params params;
    for (const auto& a : assignments)
        if (auto error = sim::apply_param(params, a)) {
            std::cerr << "uneplace simulate : " << *error << "\n";
            return 2;
        }
    const auto started = std::chrono::steady_clock::now();
    const auto policies = sim::standard_policies();
    const sim::Report report = sim::simulate(params, seed, scale, policies);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string markdown = sim::to_markdown(report);
    auto write = [](const std::string& path, const std::string& text) {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f << text;
        f.close();
        if (!f) {
            std::cerr << "uneplace simulate : impossible d’écrire « " << path << " »\n";
            return false;
        }
        return true;
    };
    if (!write(json_path, sim::to_json(report).dump(2) + "\n")) return 1;
    if (!markdown_path.empty() && !write(markdown_path, markdown)) return 1;
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1f", seconds);
    std::string duration_fr = duration;
    std::replace(duration_fr.begin(), duration_fr.end(), '.', ',');
    std::cout << markdown << "\nDurée : " << duration_fr << " s ; mémoire maximale : " << usage.ru_maxrss / 1024
              << " Mo.\n";
    return 0;
}

// What `serve` reads from the command line beyond ServerOptions, checked before the server starts.
struct ServeArgs {
    ServerOptions opts;
    std::string listen = "127.0.0.1:8080";
    std::string metrics_listen;
    std::vector<std::string> trusted_proxies;
    std::string admin_second_factor;  // "required" | "optional"; empty: required, optional with --demo
};

CLI::App* add_serve_command(CLI::App& cli, ServeArgs& a) {
    auto* serve_cmd = cli.add_subcommand("serve", "Servir l’API et le client web");
    serve_cmd->add_option("--db", a.opts.db_path, "Fichier de base SQLite (créé s’il n’existe pas)")->required();
    serve_cmd->add_option("--listen", a.listen, "Adresse HOTE:PORT (port 0 : un port libre)")->capture_default_str();
    serve_cmd->add_flag("--demo", a.opts.demo, "Remplir une base vide avec des données de démonstration");
    serve_cmd->add_option("--threads", a.opts.threads, "Fils de traitement HTTP (requêtes rapides)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    serve_cmd
        ->add_option("--slow-threads", a.opts.slow_threads,
                     "Fils de traitement des requêtes lentes (mots de passe, PDF)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    serve_cmd->add_option("--max-body", a.opts.max_body_bytes, "Taille maximale d’une requête (octets)")
        ->capture_default_str();
    serve_cmd
        ->add_option("--login-rate", a.opts.login_per_minute,
                     "Tentatives de connexion par minute, par adresse et par compte (dix fois plus par adresse)")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    serve_cmd
        ->add_option("--checkin-rate", a.opts.checkin_per_minute, "Pointages par code, par minute et par utilisateur")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    serve_cmd->add_option("--session-hours", a.opts.session_hours, "Durée d’une session de connexion (heures)")
        ->capture_default_str()
        ->check(CLI::Range(1, 24 * 30));
    serve_cmd->add_option("--scheduler-interval", a.opts.scheduler_interval_s, "Période des tâches de fond (secondes)")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    a.opts.hash_concurrency = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    // Quick-lane workers never wait for the network: one per core answers the most, and soonest.
    a.opts.threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
    serve_cmd
        ->add_option("--header-timeout", a.opts.header_timeout_s,
                     "Délai pour recevoir tous les en-têtes d’une requête (secondes)")
        ->capture_default_str()
        ->check(CLI::Range(1, 300));
    serve_cmd
        ->add_option("--idle-timeout", a.opts.idle_timeout_s, "Délai avant de fermer une connexion inactive (secondes)")
        ->capture_default_str()
        ->check(CLI::Range(1, 300));
    serve_cmd->add_option("--max-connections", a.opts.max_connections, "Connexions ouvertes en même temps, au total")
        ->capture_default_str()
        ->check(CLI::Range(16, 1000000));
    serve_cmd
        ->add_option("--max-conn-per-address", a.opts.max_conn_per_address,
                     "Connexions ouvertes en même temps depuis une même adresse (hors mandataire de confiance)")
        ->capture_default_str()
        ->check(CLI::Range(1, 1000000));
    serve_cmd
        ->add_option(
            "--trusted-proxy", a.trusted_proxies,
            "Mandataire inverse de confiance (CIDR, répétable) : l’adresse du client est lue dans X-Forwarded-For")
        ->take_all();
    serve_cmd->add_option("--metrics-listen", a.metrics_listen,
                          "Adresse de bouclage HOTE:PORT où /metrics est servi sans connexion");
    serve_cmd->add_option("--tls-cert", a.opts.tls_cert, "Certificat TLS (PEM, chaîne complète) : servir en HTTPS")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--tls-key", a.opts.tls_key, "Clé privée TLS (PEM)")->check(CLI::ExistingFile);
    serve_cmd
        ->add_option("--hash-concurrency", a.opts.hash_concurrency,
                     "Mots de passe vérifiés en même temps (Argon2id, 64 Mio chacun)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    serve_cmd
        ->add_option("--hash-wait-ms", a.opts.hash_wait_ms,
                     "Attente maximale d’un tour de vérification avant un 429 (ms)")
        ->capture_default_str()
        ->check(CLI::Range(0, 60000));
    serve_cmd
        ->add_option("--catalogue-cache-mb", a.opts.catalogue_cache_mb,
                     "Mémoire des pages du catalogue gardées telles qu’envoyées (Mo ; 0 : aucune)")
        ->capture_default_str()
        ->check(CLI::Range(0, 4096));
    // E-mail (M1–M6): without --smtp, messages stay queued and the outbox screen says so.
    serve_cmd->add_option("--smtp", a.opts.smtp_url,
                          "Serveur d’envoi des e-mails : smtp://[utilisateur:mot-de-passe@]hote:port ou smtps://…");
    serve_cmd->add_option("--mail-from", a.opts.mail_from, "Adresse d’expédition des e-mails")->capture_default_str();
    serve_cmd->add_option("--public-url", a.opts.public_url, "Adresse publique de l’application (liens des e-mails)")
        ->capture_default_str();
    // The feed's webhooks (webhooks.hpp). Both for tests only: receivers on the test machine.
    serve_cmd->add_flag("--webhooks-allow-private", a.opts.webhooks_allow_private,
                        "Tests uniquement : webhooks en http:// et vers des adresses privées ou locales");
    serve_cmd
        ->add_option("--webhook-retry-scale", a.opts.webhook_retry_scale,
                     "Tests uniquement : délais entre tentatives des webhooks multipliés par ce facteur (exige "
                     "--test-hooks)")
        ->check(CLI::Range(0.0001, 1.0))
        ->group("");  // hidden from --help
    serve_cmd
        ->add_option("--admin-second-factor", a.admin_second_factor,
                     "Vérification en deux étapes des administrateurs : required (par défaut) ou optional (par "
                     "défaut avec --demo)")
        ->check(CLI::IsMember({"required", "optional"}));
    serve_cmd->add_flag("--test-hooks", a.opts.test_hooks,
                        "Tests uniquement : horloge de test, fenêtre de course (UNEPLACE_TEST_*)");
    serve_cmd->add_flag("--fast-hash", a.opts.fast_hash,
                        "Tests uniquement : Argon2id au coût minimal (exige --test-hooks)");
    return serve_cmd;
}

// Checks what CLI11 cannot (addresses, options that go together), opens and migrates the
// database, seeds the demo, then serves until a stop signal. 2 for a wrong command line.
int run_serve(ServeArgs& a) {
    if (!parse_listen(a.listen, a.opts.host, a.opts.port)) {
        std::cerr << "uneplace : --listen attend HOTE:PORT, par exemple 127.0.0.1:8080\n";
        return 2;
    }
    for (const auto& t : a.trusted_proxies) {
        auto cidr = parse_cidr(t);
        if (!cidr) {
            std::cerr << "uneplace : --trusted-proxy attend une adresse ou une plage CIDR, par exemple 127.0.0.1/32\n";
            return 2;
        }
        a.opts.trusted_proxies.push_back(*cidr);
    }
    if (!a.metrics_listen.empty() && !parse_listen(a.metrics_listen, a.opts.metrics_host, a.opts.metrics_port)) {
        std::cerr << "uneplace : --metrics-listen attend HOTE:PORT, par exemple 127.0.0.1:9090\n";
        return 2;
    }
    if (a.opts.tls_cert.empty() != a.opts.tls_key.empty()) {
        std::cerr << "uneplace : --tls-cert et --tls-key vont ensemble\n";
        return 2;
    }
    if (!a.opts.smtp_url.empty() && a.opts.smtp_url.rfind("smtp://", 0) != 0 &&
        a.opts.smtp_url.rfind("smtps://", 0) != 0) {
        std::cerr << "uneplace : --smtp attend smtp://[utilisateur:mot-de-passe@]hote:port ou smtps://…\n";
        return 2;
    }
    if (uneplace::validate_email(a.opts.mail_from)) {
        std::cerr << "uneplace : --mail-from attend une adresse e-mail\n";
        return 2;
    }
    if (a.opts.public_url.rfind("http://", 0) != 0 && a.opts.public_url.rfind("https://", 0) != 0) {
        std::cerr << "uneplace : --public-url attend une adresse http:// ou https://\n";
        return 2;
    }
    set_mail_public_url(a.opts.public_url);
    if (a.opts.webhook_retry_scale != 1.0 && !a.opts.test_hooks) {
        std::cerr << "uneplace : --webhook-retry-scale n’est permis qu’avec --test-hooks\n";
        return 2;
    }
    if (a.opts.webhooks_allow_private)
        spdlog::warn("webhooks: --webhooks-allow-private: http:// and private addresses allowed (tests only)");
    if (a.opts.fast_hash && !a.opts.test_hooks) {
        std::cerr << "uneplace : --fast-hash n’est permis qu’avec --test-hooks\n";
        return 2;
    }
    // Demonstration data has known passwords already; a real deployment requires the second factor
    // of its administrators unless told otherwise.
    a.opts.admin_second_factor = a.admin_second_factor.empty() ? !a.opts.demo : a.admin_second_factor == "required";
    if (!a.opts.admin_second_factor) spdlog::warn("second factor optional for administrators");
    App app(a.opts);
    if (a.opts.test_hooks) {
        if (const char* s = std::getenv("UNEPLACE_TEST_RACE_SLEEP_MS")) app.test.race_sleep_ms = std::atoi(s);
        if (const char* s = std::getenv("UNEPLACE_TEST_UNLOCKED")) app.test.unlocked = std::string(s) == "1";
        spdlog::warn("test hooks ON race_sleep_ms={} unlocked={}", app.test.race_sleep_ms, app.test.unlocked);
    }
    open_and_migrate(app);
    if (a.opts.test_hooks && std::getenv("UNEPLACE_TEST_NO_TRIGGER") &&
        std::string(std::getenv("UNEPLACE_TEST_NO_TRIGGER")) == "1") {
        // Race harness: take away the last line so a test can show what the lock alone does.
        app.db.conn().exec("DROP TRIGGER IF EXISTS bookings_no_overbooking_insert;"
                           "DROP TRIGGER IF EXISTS bookings_no_overbooking_update");
        spdlog::warn("test hooks: overbooking triggers dropped");
    }
    std::vector<std::string> banner;
    if (a.opts.demo) {
        seed_demo(app);
        banner = demo_banner();
    }
    return serve(app, banner);
}

}  // namespace

int main(int argc, char** argv) {
    // Posters (issue 18): a picture's buffers are megabytes; freeing one would raise glibc's
    // dynamic mmap threshold, and every later large request body would then stay on the heap
    // after use. The default threshold, fixed, keeps large buffers returned to the system.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    // Block the stop signals before any thread exists: every thread inherits the mask, and
    // serve() waits for them on its own thread (a clean stop instead of an async handler).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);  // a client closing early must not kill the server

    CLI::App cli{"uneplace — billetterie solidaire : serveur"};
    cli.require_subcommand(1);
    std::string log_level = "info";
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();

    ServeArgs serve_args;
    auto* serve_cmd = add_serve_command(cli, serve_args);

    std::string admin_db, admin_email, admin_name = "Administrateur·rice";
    auto* admin_cmd = cli.add_subcommand(
        "create-admin", "Créer un compte administrateur national (mot de passe lu sur l’entrée standard)");
    admin_cmd->add_option("--db", admin_db, "Fichier de base SQLite")->required();
    admin_cmd->add_option("--email", admin_email, "Adresse e-mail")->required();
    admin_cmd->add_option("--name", admin_name, "Nom affiché")->capture_default_str();

    std::string reset2fa_db, reset2fa_email;
    auto* reset2fa_cmd = cli.add_subcommand(
        "reset-second-factor",
        "Retirer la vérification en deux étapes d’un compte qui a perdu téléphone et codes de secours");
    reset2fa_cmd->add_option("--db", reset2fa_db, "Fichier de base SQLite")->required()->check(CLI::ExistingFile);
    reset2fa_cmd->add_option("--email", reset2fa_email, "Adresse e-mail du compte")->required();

    std::string backup_db, backup_out;
    auto* backup_cmd = cli.add_subcommand("backup", "Sauvegarder la base à chaud (API de sauvegarde SQLite)");
    backup_cmd->add_option("--db", backup_db, "Fichier de base SQLite")->required()->check(CLI::ExistingFile);
    backup_cmd->add_option("--out", backup_out, "Fichier de sauvegarde à écrire")->required();

    std::string migrate_db;
    auto* migrate_cmd = cli.add_subcommand("migrate", "Mettre le schéma de la base à jour, puis quitter");
    migrate_cmd->add_option("--db", migrate_db, "Fichier de base SQLite")->required();

    std::string rotate_db;
    auto* rotate_cmd = cli.add_subcommand(
        "rotate-ticket-key",
        "Créer une nouvelle clé de signature des billets (I2) ; les billets déjà imprimés restent valables");
    rotate_cmd->add_option("--db", rotate_db, "Fichier de base SQLite")->required()->check(CLI::ExistingFile);

    std::string sim_seed = "1", sim_scale = "1";
    std::string sim_json, sim_markdown;
    std::vector<std::string> sim_params;
    auto* simulate_cmd = cli.add_subcommand(
        "simulate", "Simuler une année du programme sous plusieurs politiques (bench/SIMULATION.md)");
    simulate_cmd->add_option("--seed", sim_seed, "Graine : la même graine donne le même résultat")
        ->capture_default_str();
    simulate_cmd->add_option("--scale", sim_scale, "Part du programme national (1 = environ 700 000 places par an)")
        ->capture_default_str();
    simulate_cmd->add_option("--json", sim_json, "Fichier JSON des résultats")->required();
    simulate_cmd->add_option("--markdown", sim_markdown, "Fichier du tableau de synthèse en français (Markdown)");
    simulate_cmd->add_option("--param", sim_params, "Un paramètre nom=valeur (répétable), voir bench/SIMULATION.md")
        ->take_all()
        ->allow_extra_args(false);

    std::string rotate_webhook_db;
    auto* rotate_webhook_cmd = cli.add_subcommand(
        "rotate-webhook-key",
        "Créer une nouvelle clé de signature des webhooks ; les anciennes restent publiées une semaine");
    rotate_webhook_cmd->add_option("--db", rotate_webhook_db, "Fichier de base SQLite")
        ->required()
        ->check(CLI::ExistingFile);

    CLI11_PARSE(cli, argc, argv);
    if (*simulate_cmd) return run_simulate(sim_seed, sim_scale, sim_params, sim_json, sim_markdown);
    setup_logging(log_level);

    try {
        init_crypto();
        // The password policy's dictionary and liboath: for the commands that set passwords or
        // check codes (serve, create-admin), not for backup, migrate or simulate.
        if (*serve_cmd || *admin_cmd) init_account_security();
        if (*serve_cmd) return run_serve(serve_args);
        if (*reset2fa_cmd) {
            const auto app = open_database(reset2fa_db);
            clear_second_factor(*app, reset2fa_email);
            std::cout << "Vérification en deux étapes retirée, sessions terminées : " << reset2fa_email
                      << ". À la prochaine connexion, un administrateur devra la configurer de nouveau.\n";
            return 0;
        }
        if (*admin_cmd) {
            const auto app = open_database(admin_db);
            std::string password;
            std::getline(std::cin, password);
            if (!password.empty() && password.back() == '\r') password.pop_back();
            const auto id = create_admin(*app, admin_email, password, admin_name);
            std::cout << "Compte administrateur créé (id " << id << ") : " << admin_email << "\n";
            return 0;
        }
        if (*backup_cmd) {
            backup_database(backup_db, backup_out);
            std::cout << "Sauvegarde écrite : " << backup_out << "\n";
            return 0;
        }
        if (*rotate_cmd) {
            const auto app = open_database(rotate_db);
            const uneplace::Id kid = rotate_ticket_key(app->db.conn(), app->now());
            std::cout << "Nouvelle clé de signature des billets : " << kid
                      << " (les anciennes clés vérifient toujours les billets déjà imprimés).\n";
            return 0;
        }
        if (*rotate_webhook_cmd) {
            const auto app = open_database(rotate_webhook_db);
            const uneplace::Id kid = rotate_webhook_key(app->db.conn(), app->now());
            std::cout << "Nouvelle clé de signature des webhooks : " << kid
                      << " (les anciennes restent publiées une semaine dans /api/v1/webhooks/keys).\n";
            return 0;
        }
        if (*migrate_cmd) {
            ServerOptions o;
            o.db_path = migrate_db;
            App app(o);
            auto& conn = app.db.conn();
            const int applied = migrate(conn);
            std::cout << "Schéma à jour (version " << schema_version(conn) << ", " << applied
                      << " migration(s) appliquée(s)).\n";
            return 0;
        }
    } catch (const Failure& f) {
        std::cerr << "uneplace : " << uneplace::message_fr(f.code) << (f.field.empty() ? "" : " (" + f.field + ")")
                  << " [" << f.code << "]\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "uneplace : erreur : " << e.what() << "\n";
        return 1;
    }
    return 0;
}
