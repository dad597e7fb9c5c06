// uneplace client — the Idempotency-Key header of a create, for platform_web.cpp's fetch.
// platform_http() builds its headers itself; until it takes extra headers, the key of the next
// request is handed over here and added by a thin wrapper around window.fetch, installed once.
// js_http calls fetch synchronously inside platform_http(), so the key set just before is taken
// by that very request and by no other.
// The JavaScript inside EM_JS is not C++: clang-format breaks it ("() = > {}"), so this file is left as written.
// clang-format off
#include <emscripten.h>

#include <string>

#include "platform.hpp"

EM_JS(void, js_next_idempotency_key, (const char* key), {
    if (!window.uneplace_fetch_with_key) {
        const fetch_without_key = window.fetch.bind(window);
        window.uneplace_fetch_with_key = (input, init) => {
            const key = window.uneplace_next_idempotency_key;
            if (key) {
                window.uneplace_next_idempotency_key = null;
                init = Object.assign({}, init);
                init.headers = Object.assign({}, init.headers, {"Idempotency-Key": key});
            }
            return fetch_without_key(input, init);
        };
        window.fetch = window.uneplace_fetch_with_key;
    }
    window.uneplace_next_idempotency_key = UTF8ToString(key);
});

void platform_http_next_idempotency_key(std::string_view key) { js_next_idempotency_key(std::string(key).c_str()); }
