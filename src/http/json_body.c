/* json_body.c — the one parser of API request bodies: bytes → a JSON object,
 * with duplicate keys refused (a body must not mean two things). Pure: no
 * connection and no reply, so the fuzzer (tests/fuzz/fuzz_json_body.c)
 * drives exactly the code the server runs; body_json (server.c) turns its
 * error into the 400 reply. What the object's members mean is the handlers'. */
#include "http/internal.h"

json_t *prep_json_body_parse(const char *data, size_t len, int allow_empty, prep_err *err)
{
    if (len == 0) {
        if (allow_empty)
            return json_object();
        prep_fail(err, PREP_E_INVALID, "this request needs a JSON object body");
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        prep_fail(err, PREP_E_INVALID, "malformed JSON at line %d column %d: %s", je.line,
                  je.column, je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        prep_fail(err, PREP_E_INVALID, "the body must be a JSON object");
        return NULL;
    }
    return j;
}
