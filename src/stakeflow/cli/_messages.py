"""Messages only the command line gives (its own options and files), written once; tests match them.

The library's messages, said in the Python API's terms, reach the command line through
:func:`stakeflow.io.flags.error_lines`, which spells their parameters as flags.
"""

EXIT_OR_PWERM = "give --exit VALUE (exact waterfalls) or --pwerm SCENARIOS.yaml, one of them"
PORT = "--port must be between 1 and 65535, got {port}"
TIME_LIMIT = "--time-limit must be a positive number of seconds, got {seconds:g}"
RUN_FILES = "give both files, BEFORE and AFTER, or neither (the OpenAI example)"
REPORT_FOLDER = "cannot write the report to {path}: folder {folder} does not exist"
PLOT_AXES = (
    "--plot draws one axis (lines) or two (a heatmap), and this sweep has {count}: write the table with -o instead"
)

INVEST_FORMAT = "--invest {text!r}: write HOLDER=AMOUNT, e.g. --invest lead=4M"
INVEST_TWICE = "investor {id!r} is given twice; give one --invest per investor"
ROUND_DATE = "--date {text!r} is not a date (write YYYY-MM-DD, e.g. 2025-06-30)"
EVENT_FORMAT = "--event {text!r}: write NAME=yes or NAME=no"
PROBABILITY_FORMAT = "--probability {text!r}: write NAME=P with P between 0 and 1 (e.g. restructuring=60%)"
EXIT_OR_PWERM = "give --exit VALUE (exact waterfalls) or --pwerm SCENARIOS.yaml, one of them"
