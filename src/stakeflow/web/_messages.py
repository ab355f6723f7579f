"""Every message the web app gives of its own, written once (DESIGN habit 5).

Problems with a scenario or an option are the library's messages (the lines the command line
prints, the text named ``scenario``); these are the ones only a server has: hosts, origins,
sizes, time, ids and request bodies.
"""

BAD_HOST = "error: this server answers to {allowed} only, not to Host {host!r}"
NO_HOST = "error: a Host header is required ({allowed})"
BAD_ORIGIN = "error: requests from {origin!r} are refused; only pages of this server ({own}) may change data"
TOO_LARGE = "error: the request body is larger than {most:,} bytes"
TIME_LIMIT = ("error: the computation took longer than this server's limit of {seconds:g} s (--time-limit) "
              "and was stopped")
MAX_PATHS = "error: --paths {paths:,} is more than this server allows ({most:,}; --max-paths)"
NO_SCENARIO = "error: no scenario {id}"
NO_REVISION = "error: scenario {id} has no revision {revision}"
STALE = ("error: scenario {id} is at revision {current}; this save was made from revision {given}: "
         "reload, merge and save again")
NOT_FOUND = "error: nothing at {path}"
METHOD = "error: {method} is not allowed on {path}"
NOT_JSON = "error: the request body is not valid JSON: {detail}"
NOT_UTF8 = "error: the request body is not UTF-8 text"
BODY_OBJECT = "error: the request body must be a JSON object"
UNKNOWN_OPTION = "error: unknown option {key!r} (valid here: {valid})"
MISSING = "error: {key!r} is required"
BAD_FIELD = "error: {key}: {detail}"
ONE_SOURCE = "error: give the scenario's text as 'scenario' or a saved one as 'scenario_id', not both"
NO_SOURCE = "error: give the scenario's text as 'scenario' or a saved one as 'scenario_id'"
NO_EXIT = "error: no exit value: give --exit VALUE (e.g. --exit 50M) or set exit.value in the scenario"
TOO_BIG_FOR_JSON = "error: exit value {value!r}: too large to be written as a JSON number (at most about 1.8e308)"
AMOUNT_TOO_BIG = "error: scenario: an amount is too large to be written as a JSON number (at most about 1.8e308)"
TEXT_NOT_UTF8 = "error: scenario: the text holds characters that are not valid Unicode"
NAME_EMPTY = "error: name: must not be empty"
NAME_LONG = "error: name: at most {most} characters"
UPLOAD_KIND = "error: {name}: upload a scenario file (.yaml, .yml or .json)"
INTERNAL = "error: the server failed on this request ({detail}); the input was not saved"
