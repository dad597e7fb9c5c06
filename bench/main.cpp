// uneplace-bench — the benchmarks of issue 7 (scripts/bench.sh runs them).
//   uneplace-bench generate --db PATH [--seed N] [--scale X]   the national data set, then exit
//   uneplace-bench run [--scale X] [--seconds S] ...          every scenario; table + JSON
//   uneplace-bench catalogue [--db PATH] [--seconds S]         line 4 alone, on a generated base
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "auth.hpp"
#include "generator.hpp"
#include "scenarios.hpp"

using namespace uneplace::bench;

int main(int argc, char** argv) {
    CLI::App cli{"uneplace — bancs d’essai (ticket 7)"};
    cli.require_subcommand(1);

    GenConfig gen;
    auto* gen_cmd = cli.add_subcommand("generate", "Générer la base nationale (déterministe pour une graine donnée)");
    gen_cmd->add_option("--db", gen.db_path, "Fichier de base à créer")->required();
    gen_cmd->add_option("--seed", gen.seed, "Graine")->capture_default_str();
    gen_cmd->add_option("--scale", gen.scale, "Échelle (1 = chiffres nationaux)")->capture_default_str();

    RunConfig run;
    run.server_binary = UNEPLACE_BINARY;
    run.db_path = "build/bench/national.db";
    auto* run_cmd = cli.add_subcommand("run", "Tous les scénarios : tableau affiché, JSON et Markdown écrits");
    run_cmd->add_option("--db", run.db_path, "Base à (re)générer")->capture_default_str();
    run_cmd->add_option("--server", run.server_binary, "Binaire uneplace")->capture_default_str();
    run_cmd->add_option("--json", run.out_json, "Résultats JSON");
    run_cmd->add_option("--markdown", run.out_markdown, "Tableau Markdown");
    run_cmd->add_option("--client-json", run.client_json, "Mesures du client (bench/client.mjs)");
    run_cmd->add_option("--seed", run.seed, "Graine")->capture_default_str();
    run_cmd->add_option("--scale", run.scale, "Échelle des données")->capture_default_str();
    run_cmd->add_option("--seconds", run.line_seconds, "Durée de chaque ligne HTTP")->capture_default_str();
    run_cmd->add_option("--raw-seconds", run.raw_seconds, "Durée de la ligne SQLite brute")->capture_default_str();
    run_cmd->add_option("--storm-clients", run.storm_clients, "Clients de la tempête")->capture_default_str();
    run_cmd->add_option("--server-threads", run.server_threads, "--threads du serveur (0 : son défaut)")
        ->capture_default_str();

    CatalogueConfig cat;
    cat.server_binary = UNEPLACE_BINARY;
    cat.db_path = "build/bench/national.db";
    auto* cat_cmd = cli.add_subcommand("catalogue", "Ligne 4 seule (catalogue et /healthz) sur une base déjà générée");
    cat_cmd->add_option("--db", cat.db_path, "Base générée (generate ou run)")->capture_default_str();
    cat_cmd->add_option("--server", cat.server_binary, "Binaire uneplace")->capture_default_str();
    cat_cmd->add_option("--seconds", cat.seconds, "Durée de la ligne")->capture_default_str();
    cat_cmd->add_option("--json", cat.out_json, "Résultats JSON");

    CLI11_PARSE(cli, argc, argv);
    spdlog::set_level(spdlog::level::warn);  // the server library logs migrations at info
    try {
        uneplace::server::init_crypto();
        if (*gen_cmd) {
            gen.now = std::time(nullptr) / uneplace::kDay * uneplace::kDay;
            const GenCounts n = generate(gen);
            std::cout << n.departements << " départements, " << n.partners + n.structures << " organisations, "
                      << n.sessions << " séances, " << n.beneficiaries << " bénéficiaires, " << n.past_bookings
                      << " réservations passées en " << n.seconds << " s\n"
                      << "premier compte relais : relais" << n.partners + 1 << "@bench.uneplace.test\n";
            return 0;
        }
        if (*cat_cmd) return run_catalogue_line(cat);
        return run_benchmark(run);
    } catch (const std::exception& e) {
        std::cerr << "uneplace-bench : erreur : " << e.what() << "\n";
        return 1;
    }
}
