// uneplace shared module — the one table of stable codes, French messages and HTTP statuses.
// French typography: ’ for apostrophes, « » for quotes, and a no-break space (U+00A0, written
// \u00A0) before « : ; ? ! » and inside « », so a line never starts with a lone colon.
//
// Index of this file:
// [SECTION] The table
// [SECTION] Look-ups
#include <array>

#include "uneplace/errors.hpp"

namespace uneplace {

//-----------------------------------------------------------------------------
// [SECTION] The table
//-----------------------------------------------------------------------------

namespace {
constexpr ErrorCode kCodes[] = {
    // --- HTTP layer (API.md)
    {"bad_json", 400, "La requête est mal formée."},
    {"validation", 422, "Une information saisie n’est pas valide."},
    {"unauthorized", 401, "Vous n’êtes pas connecté·e, ou votre session a expiré."},
    {"forbidden", 403, "Vous n’avez pas le droit de faire cette action."},
    {"not_found", 404, "Introuvable, ou vous n’y avez pas accès."},
    {"conflict", 409, "Cette action n’est pas possible dans l’état actuel."},
    {"rate_limited", 429, "Trop de demandes en peu de temps\u00A0: réessayez dans un moment."},
    {"payload_too_large", 413, "Les données envoyées sont trop volumineuses."},
    {"internal_error", 500, "Une erreur est survenue de notre côté. Réessayez plus tard."},
    // A fault of the server's storage (disk full, read-only, input/output error, database busy):
    // nothing of the request was kept, and it can be sent again as it is.
    {"unavailable", 503,
     "Le service est momentanément indisponible : rien n’a été enregistré. Réessayez dans quelques instants."},
    // The front door (server/src/front_door.cpp): what it refuses before a request is read.
    {"request_timeout", 408, "La requête est arrivée trop lentement. Réessayez."},
    {"length_required", 411, "La taille des données envoyées doit être annoncée (en-tête Content-Length)."},
    {"unsupported_encoding", 415, "Les données envoyées ne doivent pas être compressées."},
    {"headers_too_large", 431, "Les en-têtes de la requête sont trop volumineux."},
    {"too_many_connections", 503, "Trop de connexions ouvertes depuis votre adresse\u00A0: réessayez dans un moment."},
    {"server_busy", 429,
     "Le serveur vérifie beaucoup de mots de passe en ce moment\u00A0: réessayez dans quelques secondes."},
    {"email_taken", 409, "Un compte existe déjà avec cette adresse e-mail."},
    {"method_not_allowed", 405, "Cette action n’existe pas à cette adresse."},
    {"unknown_field", 422, "Une information envoyée n’est pas reconnue."},
    {"idempotency_key_reused", 409, "Cette clé d’idempotence a déjà servi pour une autre demande."},
    // The client's own code when no answer came back at all (the server never sends it).
    {"network", 503,
     "Le serveur ne répond pas. Vérifiez votre connexion puis réessayez\u00A0: ce que vous avez saisi est conservé."},
    // --- Accounts
    {"invalid_credentials", 401, "E-mail ou mot de passe incorrect."},
    {"account_pending", 403, "Votre compte attend la validation d’un administrateur."},
    {"account_suspended", 403, "Votre compte est suspendu. Contactez l’équipe de votre territoire."},
    {"account_inactive", 403, "Votre compte ou votre organisation n’est pas actif."},
    // Securing an account (API.md, "Accounts and operations").
    {"totp_required", 401, "Saisissez le code à 6\u00A0chiffres de votre application d’authentification."},
    {"totp_invalid", 401, "Code de vérification incorrect ou expiré\u00A0: saisissez le code affiché maintenant."},
    {"second_factor_required", 403,
     "Les administrateurs doivent activer la vérification en deux étapes avant de continuer."},
    {"wrong_current_password", 403, "Le mot de passe actuel est incorrect."},
    {"reset_link_invalid", 422,
     "Ce lien de réinitialisation n’est plus valable (déjà utilisé ou expiré)\u00A0: demandez-en un nouveau."},
    {"totp_not_started", 409, "Commencez par demander un nouveau secret de vérification en deux étapes."},
    {"totp_already_enabled", 409, "La vérification en deux étapes est déjà activée sur ce compte."},
    // --- Booking rules R1–R10
    {"places_out_of_range", 409,
     "Le nombre de places demandé dépasse le maximum par réservation de cette séance\u00A0: réduisez-le."},
    {"booking_not_open", 409, "Les réservations ne sont pas encore ouvertes pour cette séance."},
    {"booking_closed", 409, "Les réservations sont closes pour cette séance."},
    {"session_unavailable", 409, "Cette séance n’est pas disponible (annulée ou offre non publiée)."},
    {"session_full", 409, "Cette séance est complète. Vous pouvez vous inscrire sur la liste d’attente."},
    {"structure_share_exceeded", 409,
     "Votre structure a atteint sa part des places pour le moment. Vous pouvez vous inscrire sur la liste "
     "d’attente\u00A0: les places restantes s’ouvriront à toutes les structures avant la clôture."},
    {"already_booked", 409, "Cette personne a déjà une réservation ou une demande pour cette séance."},
    {"overlapping_booking", 409,
     "Cette personne a déjà une sortie réservée sur ce créneau\u00A0: choisissez une autre séance, ou annulez "
     "l’autre sortie."},
    {"too_many_upcoming", 409,
     "Cette personne a déjà le nombre maximal de sorties à venir\u00A0: annulez une sortie pour libérer une place."},
    {"beneficiary_paused", 409,
     "Les réservations de cette personne sont suspendues après plusieurs absences non excusées."},
    {"child_too_young", 409, "Cette sortie n’est pas ouverte à l’âge d’un enfant du foyer."},
    {"age_restricted", 409, "Cette sortie n’est pas ouverte à l’âge de cette personne."},
    // --- Cancellation, attendance, feedback, codes (C1, K1, K2, F1)
    {"too_late_to_cancel", 409, "La séance a commencé\u00A0: il n’est plus possible d’annuler."},
    {"booking_not_active", 409, "Cette réservation n’est plus active (annulée)."},
    {"invalid_code", 422, "Code de réservation invalide\u00A0: vérifiez les 8 caractères."},
    // I2: a ticket read from an invitation's QR code.
    {"invalid_ticket", 422,
     "Ce billet n’est pas valide (modifié ou illisible)\u00A0: saisissez plutôt le code imprimé sur l’invitation."},
    {"booking_cancelled", 409, "Cette réservation a été annulée\u00A0: l’invitation n’est plus valable."},
    {"attendance_window_closed", 409,
     "La présence se saisit de 2\u00A0heures avant le début jusqu’à 7\u00A0jours après."},
    {"already_checked_in", 409,
     "La présence a déjà été enregistrée pour ce code. Une erreur\u00A0? Annulez le pointage tant que la séance "
     "n’est pas terminée."},
    {"not_checked_in", 409, "Aucune présence n’a été enregistrée pour ce code\u00A0: il n’y a rien à annuler."},
    {"attendance_correction_closed", 409,
     "La séance est terminée\u00A0: le pointage ne peut plus être annulé. Contactez l’équipe de votre territoire."},
    {"attended_count_out_of_range", 422,
     "Le nombre de personnes présentes doit être entre 1 et le nombre de places réservées."},
    {"feedback_window_closed", 409, "Le retour de sortie se saisit du début de la séance jusqu’à 60\u00A0jours après."},
    // --- Sessions and offers (state changes)
    {"capacity_below_held", 409, "Impossible de descendre sous le nombre de places déjà réservées."},
    {"invalid_transition", 409, "Ce changement de statut n’est pas possible."},
    // Posters (issue 18): whatever the upload's fault, the partner needs the same three facts.
    {"invalid_image", 422,
     "Ce fichier n’est pas une affiche lisible\u00A0: envoyez une image JPEG, PNG ou WebP complète, de 5\u00A0Mo et "
     "40\u00A0millions de pixels au plus."},
    // A venue's département decides whose statistics its outings count in: fixed once it has a
    // published offer, except by the association's staff.
    {"venue_locked", 409,
     "Ce lieu a une offre publiée\u00A0: son code postal et son département ne changent plus que par l’équipe de "
     "l’association. Écrivez-lui pour le déplacer."},
    // --- Text fields
    {"required", 422, "Ce champ est obligatoire."},
    {"too_short", 422, "Ce texte est trop court."},
    {"too_long", 422, "Ce texte est trop long."},
    {"invalid_utf8", 422, "Ce texte contient des caractères illisibles."},
    {"control_character", 422, "Ce texte contient des caractères invisibles non autorisés."},
    {"invisible_character", 422,
     "Ce texte contient un caractère invisible ou réservé (espace sans largeur, trait d’union conditionnel, accent "
     "isolé…)\u00A0: retirez-le."},
    {"no_visible_letter", 422, "Ce champ doit contenir au moins une lettre ou un chiffre."},
    // --- Contact and identity fields
    {"invalid_email", 422,
     "Adresse e-mail invalide\u00A0: il faut une seule «\u00A0@\u00A0» et un domaine avec un point."},
    {"password_too_short", 422, "Le mot de passe doit compter au moins 12\u00A0caractères."},
    {"password_too_long", 422, "Le mot de passe ne doit pas dépasser 256\u00A0caractères."},
    {"weak_password", 422,
     "Ce mot de passe est trop courant ou trop simple\u00A0: choisissez une phrase de plusieurs mots, par exemple."},
    {"invalid_phone", 422,
     "Numéro de téléphone invalide\u00A0: 10\u00A0chiffres commençant par 0, ou +33 suivi de 9\u00A0chiffres."},
    {"invalid_postal_code", 422, "Code postal invalide\u00A0: 5\u00A0chiffres d’un département français."},
    {"invalid_territory", 422, "Département inconnu."},
    {"invalid_region", 422, "Région inconnue."},
    {"postal_code_territory_mismatch", 422, "Ce code postal n’appartient pas au département indiqué."},
    {"invalid_kind", 422, "Type d’organisation inconnu\u00A0: partenaire culturel ou structure sociale."},
    // --- Offers
    {"invalid_category", 422, "Catégorie inconnue."},
    {"invalid_pickup_mode", 422, "Mode de retrait des places inconnu."},
    {"invalid_accessibility", 422, "Critère d’accessibilité inconnu."},
    {"min_age_out_of_range", 422, "L’âge minimum doit être compris entre 0 (tout public) et 18\u00A0ans."},
    // --- Sessions
    {"invalid_datetime", 422, "Date ou heure invalide."},
    {"nonexistent_local_time", 422,
     "Cette heure n’existe pas ce jour-là (passage à l’heure d’été)\u00A0: choisissez une autre heure."},
    {"offset_mismatch", 422, "Le décalage horaire indiqué ne correspond pas à l’heure locale du lieu."},
    {"start_too_soon", 422, "La séance doit commencer plus de 2\u00A0heures après maintenant."},
    {"start_too_far", 422, "La séance doit commencer dans les deux ans qui viennent."},
    {"duration_out_of_range", 422, "La durée doit être comprise entre 1\u00A0minute et 24\u00A0heures."},
    {"capacity_out_of_range", 422, "Le nombre de places doit être compris entre 1 et 10\u00A0000."},
    {"max_per_booking_out_of_range", 422, "Le nombre de places par réservation doit être compris entre 1 et 10."},
    {"invalid_allocation", 422, "Mode d’attribution inconnu\u00A0: premier arrivé ou tirage au sort."},
    {"closes_at_too_late", 422,
     "La clôture des réservations doit avoir lieu au plus tard 2\u00A0heures avant le début."},
    {"closes_at_in_past", 422, "La clôture des réservations est déjà passée."},
    {"closes_at_before_opens_at", 422, "La clôture des réservations doit suivre leur ouverture."},
    {"draw_at_required", 422, "Indiquez la date du tirage au sort."},
    {"draw_at_in_past", 422, "La date du tirage au sort est déjà passée."},
    {"draw_at_not_before_closes_at", 422, "Le tirage au sort doit avoir lieu avant la clôture des réservations."},
    {"draw_at_before_opens_at", 422, "Le tirage au sort doit avoir lieu après l’ouverture des réservations."},
    // --- Beneficiaries
    {"birth_year_out_of_range", 422, "Année de naissance invalide."},
    {"household_size_out_of_range", 422, "La taille du foyer doit être comprise entre 1 et 15\u00A0personnes."},
    {"children_out_of_range", 422,
     "Enfants du foyer\u00A0: une année de naissance par enfant de moins de 18\u00A0ans, et pas plus d’enfants que de "
     "personnes dans le foyer en plus de la personne accompagnée."},
    // --- Feedback
    {"invalid_went", 422, "Indiquez si la sortie a eu lieu\u00A0: oui, non ou en partie."},
    {"rating_out_of_range", 422, "La note doit être comprise entre 1 et 5."},
    // --- Territory settings
    {"setting_out_of_range", 422, "Ce réglage est hors des limites autorisées."},
    // --- Reports (the impact report's period)
    {"invalid_period", 400,
     "La période demandée n’est pas valide\u00A0: indiquez une date de début et une date de fin (AAAA-MM-JJ), la "
     "fin après le début, sur dix ans au plus."},
    // --- Ticketing-network feed (API.md): API keys, upserts by the partner's own ids, batches
    {"invalid_ext_id", 422,
     "Identifiant externe invalide\u00A0: de 1 à 64\u00A0caractères, lettres sans accent, chiffres, point, "
     "tiret, tiret bas ou deux-points."},
    {"invalid_scope", 422, "Droit de clé d’API inconnu\u00A0: feed:write, feed:read ou webhooks."},
    {"invalid_source_version", 422, "La version source doit être un entier positif ou nul."},
    {"invalid_batch_line", 422,
     "Ligne de lot invalide\u00A0: chaque ligne est un objet JSON avec op, kind, ext_id, data et source_version."},
    {"batch_too_large", 413, "Un lot compte au plus 1\u00A0000\u00A0lignes\u00A0: découpez-le."},
    {"session_has_bookings", 409,
     "Cette séance a déjà des réservations\u00A0: sa date, sa durée et son mode d’attribution ne changent plus. "
     "Annulez-la et créez-en une autre."},
    {"api_key_revoked", 409, "Cette clé d’API est déjà révoquée."},
    // --- Webhooks of the feed (API.md): the subscription's address and events
    {"invalid_webhook_url", 422,
     "Adresse de webhook invalide\u00A0: une adresse complète https://hôte/chemin, sans identifiants ni "
     "fragment."},
    {"webhook_url_forbidden", 422,
     "Adresse de webhook refusée\u00A0: elle doit commencer par https:// et ne pas mener à une adresse privée, "
     "locale, de lien local, partagée (CGNAT), de multidiffusion ou réservée."},
    {"invalid_event_type", 422,
     "Type d’événement inconnu\u00A0: booking.created, booking.cancelled, booking.checked_in, booking.no_show, "
     "waitlist.served, session.full ou session.cancelled."},
    {"webhook_disabled", 409,
     "Ce webhook est désactivé (le destinataire a répondu 410 ou il a été supprimé)\u00A0: abonnez-vous de "
     "nouveau."},
};
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Look-ups
//-----------------------------------------------------------------------------

std::span<const ErrorCode> all_error_codes() { return kCodes; }

const ErrorCode* find_error_code(std::string_view code) {
    for (const auto& c : kCodes)
        if (c.code == code) return &c;
    return nullptr;
}

std::string_view message_fr(std::string_view code) {
    if (const ErrorCode* c = find_error_code(code)) return c->message_fr;
    return "Une erreur est survenue.";
}

int http_status_for(std::string_view code) {
    if (const ErrorCode* c = find_error_code(code)) return c->http_status;
    return 500;
}

}  // namespace uneplace
