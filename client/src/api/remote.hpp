// uneplace client — Remote<T>: what a screen holds of something the server has (a list, a
// session, settings): its value, whether a request for it is in flight, and the last error.
// The one state model of every screen and of data/: load with remote_load(), draw from value,
// invalidate() when it may have changed (the next frame that needs it loads it again).
#pragma once
#include <optional>
#include <utility>

#include "api/client.hpp"

// Every load takes a ticket; an answer whose ticket is no longer the Remote's current one (the
// Remote was reset, invalidated or loaded again meanwhile) is dropped, so a late answer never
// writes into a newer state — not even into the fresh state of another user after a logout.
unsigned remote_next_ticket();

template <class T>
struct Remote {
    std::optional<T> value;  // the last answer; kept while reloading, so nothing blinks
    bool stale = false;      // invalidated: shown until the new answer replaces it
    bool loading = false;
    std::optional<ApiError> error;  // the last load failed (cleared by the next success)
    unsigned ticket = 0;

    // Nothing asked yet, or invalidated: the screen should load it now.
    bool needs_load() const { return (!value || stale) && !loading && !error; }
    bool ready() const { return value.has_value(); }
    // It may have changed: the next needs_load() is true; an answer in flight is dropped (it may
    // predate the change). The value stays on screen until the new one arrives.
    void invalidate() {
        stale = true;
        loading = false;
        error.reset();
        ticket = 0;
    }
    // After a failure (the server was unreachable): load again when next needed, keep the value.
    void retry() {
        if (error) error.reset(), loading = false, ticket = 0;
    }
};

// Loads `r` with `call(ok, fail)` — one of the typed calls of api/calls.hpp, bound to its
// arguments. `r` must outlive the request: screens keep their Remotes in file-level state.
template <class T, class Call>
void remote_load(Remote<T>& r, Call&& call) {
    const unsigned ticket = remote_next_ticket();
    r.ticket = ticket;
    r.loading = true;
    call(
        [&r, ticket](T value) {
            if (r.ticket != ticket) return;
            r.value = std::move(value);
            r.stale = false;
            r.loading = false;
            r.error.reset();
        },
        [&r, ticket](const ApiError& e) {
            if (r.ticket != ticket) return;
            r.loading = false;
            r.error = e;
        });
}

// The value, or an empty T while there is none (lists draw as empty while loading).
template <class T>
const T& remote_or_empty(const Remote<T>& r) {
    static const T empty{};
    return r.value ? *r.value : empty;
}
