// uneplace client — what the administrator's screens share: the decisions (approve, refuse,
// suspend, publish) with the dialog asking a reason, the messages they leave, and the way to the
// audit log of an object. Used by admin_queues.cpp and admin_directory.cpp; every decision grows
// g_admin_data.decisions, so every list showing statuses reloads.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/client.hpp"
#include "ctx.hpp"

// A decision that asks for confirmation: an offer's rejection (with its reason, sent to the
// partner), or refusing / suspending an organisation or a user (the account is suspended).
struct ReasonDialog {
    std::string entity;  // "organisations" | "users" | "offers" (the API's collection)
    std::string action;  // "reject" (offers) | "suspend"
    std::string verb;    // "Refuser" | "Suspendre", as the admin clicked it
    long long id = 0;
    std::string what;  // name shown in the dialog
    std::string reason;
    bool busy = false;
    std::optional<ApiError> error;
};

struct AdminMessages {
    std::string notice;
    double notice_at = 0;
    std::optional<ApiError> action_error;
    ReasonDialog reason;
};
extern AdminMessages g_admin_messages;

// Takes a decision (approve, suspend, reject…) on an object of `entity` (the API's collection);
// `done` is the French notice.
void run_action(const std::string& entity, long long id, const std::string& action, const nlohmann::json& body,
                std::string done);
void open_reason(const std::string& entity, const std::string& action, const std::string& verb, long long id,
                 const std::string& what);
// The dialog of open_reason(), drawn by the screen that opened it.
void show_reason_dialog();
// Opens the audit log of one object ("organisation", 12).
void show_audit_of(Ctx& ctx, const std::string& entity, long long id);
// The messages at the top of a screen: the notice (it goes away by itself) and the last error.
void show_admin_messages();
