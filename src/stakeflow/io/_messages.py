"""Every message of the import and export stage, written once (DESIGN habit 5)."""

from __future__ import annotations

# --- files --------------------------------------------------------------------------------------
NO_FOLDER = "cannot write {path}: folder {folder} does not exist"
IS_A_FOLDER = "cannot write {path}: it is a folder; give a file name"
CANNOT_WRITE = "cannot write {path}: {reason}"
NO_SUCH_PATH = "{path}: no such file or folder"
NOT_OCF = (
    "{path}: not an Open Cap Table Format package (give a .zip, a folder, or its Manifest.ocf.json)"
)
CORRUPT_ZIP = "{path}: not a readable zip file ({detail})"
UNSAFE_ZIP = "{path}: zip member {member!r} would be written outside the folder it is extracted to"
MISSING_MANIFEST = (
    "{path}: no OCF manifest found (a file named Manifest.ocf.json, or a JSON file whose "
    "file_type is OCF_MANIFEST_FILE)"
)
SEVERAL_MANIFESTS = "{path}: several OCF manifests found ({found}); give the one to read"
NOT_JSON = "{path}: not valid JSON: {detail}"
NOT_MANIFEST = "{path}: file_type is {found!r}, expected 'OCF_MANIFEST_FILE'"
OCF_VERSION = "{path}: OCF version {found!r}; stakeflow reads OCF 1.2.0 (through pyocf 1.2.0)"
MISSING_FILE = "{path}: the manifest lists {name}, which is not in the package"
INVALID_OCF = "{path}: not valid OCF 1.2.0 ({model}): {detail}"
OCF_PROBLEM = "{file}:{line}: {where}: {message}"
OCF_OBJECT = "{path} (id {id!r})"
OCF_DUPLICATE = "duplicate id {id!r} (also at {other}, line {line})"
OCF_NUMBER = "{detail}"
OCF_UNREADABLE = "not a value OCF 1.2.0 accepts here (pyocf cannot read it)"
NOT_A_SCENARIO = "{path}: the package's terms do not make a valid scenario: {detail}"
NOT_TEXT = "{path}: a file of the package is not UTF-8 text"

XLSX_SUFFIX = "{path}: an Excel workbook's name ends in .xlsx"
CSV_SUFFIX = "{path}: give a .csv file, or a folder for one file per table"

# --- import: why an object is not mapped ---------------------------------------------------------
UNKNOWN_STAKEHOLDER = "stakeholder {ref!r} is not in the package"
UNKNOWN_STOCK_CLASS = "stock class {ref!r} is not in the package"
UNMAPPED_STOCK_CLASS = "its stock class {ref!r} could not be mapped"
UNKNOWN_SECURITY = "security {ref!r} is not issued in the package"
UNMAPPED_SECURITY = "it acts on security {ref!r}, which is not mapped ({why})"
DUPLICATE_SECURITY = "security id {ref!r} is already issued by {other}"
MISSING_RESULTS = (
    "its resulting securities {refs} are not issued in the package, so the holding it leaves "
    "is unknown; the original security is kept as it was"
)
TOO_MUCH = "it removes {quantity} from security {ref!r}, which has only {outstanding} outstanding"
NEGATIVE_QUANTITY = "negative quantity {quantity}"
NO_QUANTITY = "no share quantity (the number of shares depends on a future financing)"
NO_EXERCISE_PRICE = "no exercise price"
OTHER_CURRENCY = "amount in {found}, while the scenario is in {currency} (one currency per scenario)"
WARRANT_ON_PREFERRED = (
    "a warrant on preferred class {ref!r}: scenario warrants are rights to buy common stock"
)
OPTION_ON_PREFERRED = "equity compensation on preferred class {ref!r}: scenario options buy common stock"
FUTURE_ROUND = "it converts into a future financing round, whose terms the package does not fix"
NO_PRICE = (
    "preferred class with no original issue price (no price_per_share, no share_price on its "
    "issuances, no conversion price): its preference cannot be computed"
)
CONVERTIBLE_NOT_SUPPORTED = (
    "{kind}: the scenario format has no class kind for convertible instruments yet"
)
CONVERTIBLE_TERMS = "{kind} with terms the scenario cannot hold: {detail}"
CONVERTIBLE_MECHANISM = "no {wanted} mechanism (found: {found})"
CONVERTIBLE_SEVERAL = "several different conversion mechanisms"
SAFE_EXIT_MULTIPLE = "an exit multiple of {multiple} (a SAFE is owed its purchase amount at an exit)"
CONVERTIBLE_RANGE = "a valuation cap of 0 or a discount of 100% or more"
SAFE_NO_TERMS = "neither a valuation cap nor a discount"
NOTE_RATES = "several interest rates or an accrual end date (one rate, accruing to the exit, is read)"
NOTE_DAY_COUNT = "day count {found} (interest is read actual/365)"
NOTE_COMPOUNDING = "interest compounding {found} (compounding is read annually)"
RATIO_ON_COMMON = "a conversion ratio adjustment of a common class: common stock does not convert"
RATIO_UNREADABLE = "the new conversion mechanism has a zero ratio or denominator"
SPLIT_UNREADABLE = "the split ratio has a zero numerator or denominator"
UNKNOWN_TRANSACTION = "transaction type {type} is not known to this importer"
COMPENSATION_UNKNOWN = "compensation type {kind!r} is not known"

# --- import: objects with no effect on payouts -----------------------------------------------------
NO_EFFECT_ACCEPTANCE = "acceptance by the holder: no effect on payouts"
NO_EFFECT_VESTING = "vesting: not modelled; every outstanding security is counted, vested or not"
NO_EFFECT_AUTHORIZED = "authorized (not outstanding) shares: no effect on payouts"
NO_EFFECT_POOL = "plan reserve of unissued shares: paid nothing at an exit"
NO_EFFECT_VALUATION = "valuation (e.g. 409A): an input of valuation, not of the waterfall"
NO_EFFECT_DOCUMENT = "document, legend or vesting terms: no effect on payouts"
NO_EFFECT_FINANCING = "financing record: its issuances are read one by one"
POOL_EMPTY = "stock plan with no unissued reserve ({granted} granted of {reserved} reserved)"
POOL_HOLDER_NAME = "Unallocated option pool"
POOL_HOLDER_NOTE = "not an OCF stakeholder: holds the unissued reserve of the stock plans"
NO_EFFECT_PLAN = "stock plan: its grants are read one by one (options grouped by plan and exercise price)"

# --- import: how a field was read -----------------------------------------------------------------
NOTE_PRICE_FROM_ISSUANCES = (
    "class {id!r}: no price_per_share in OCF; original issue price {price} taken from its issuances' share_price"
)
NOTE_PRICE_FROM_CONVERSION = (
    "class {id!r}: no price_per_share in OCF; original issue price {price} taken as its conversion "
    "price x conversion ratio"
)
NOTE_NO_CONVERSION_RIGHT = (
    "class {id!r}: no ratio conversion right into common in OCF; read as converting 1:1 into common"
)
NOTE_COMMON_TERMS = (
    "class {id!r}: OCF preference, participation and conversion terms do not apply to common stock; not read"
)
NOTE_ADDED_COMMON = (
    "the package has no common stock class; an empty class 'common' is added (every equity entity has one)"
)
NOTE_SENIORITY_RANKED = (
    "OCF seniorities {values} are not all whole numbers; preferred classes are ranked 1, 2, ... in their order"
)
NOTE_STALE_MARK = (
    "{object} {id}: the exact value kept by stakeflow for {field} no longer matches the OCF value; "
    "the OCF value is used"
)
NOTE_UNDERLYING_ASSUMED = "{object} {id}: no underlying stock class given; read as a right to buy common stock"
NOTE_RSU = "RSUs are read as options with exercise price 0 (each pays the common price per share)"
NOTE_SPLIT = (
    "split {id} of class {cls!r} ({ratio} for 1) applied to {count} securities issued before {date} "
    "and not reissued under it"
)
NOTE_SPLIT_RATIOS = "; conversion ratios adjusted to match: {ids}"
NOTE_ROUNDED = "{path} = {exact} cannot be written exactly as a decimal; written to {digits} significant digits"
NOTE_POOL_HOLDER = (
    "the unissued reserves of stock plans are held by holder {id!r} (kind pool), which is not an "
    "OCF stakeholder"
)
NOTE_SAFE_BASIS = "{id}: no conversion timing in OCF; read as a post-money SAFE"
NOTE_INTEREST_PAID = "{id}: interest is paid in cash as it accrues, so the note is owed its principal"
NOTE_CURRENCIES = "amounts in several currencies ({found}); the scenario uses {currency}"

# --- import: what an applied transaction did -------------------------------------------------------
APPLIED_CLOSED = "security {ref} is no longer outstanding"
APPLIED_REDUCED = "{quantity} taken out of security {ref} ({left} left)"
APPLIED_POOL = "changes the unissued reserve of pool class {cls!r}"
APPLIED_POOL_PLAN = "its unissued reserve of {shares} shares is a pool class"
APPLIED_RATIO = "class {cls!r}: conversion ratio now {ratio}"

# --- export -------------------------------------------------------------------------------------------
NOT_EQUITY = (
    "entity {id!r} has a tier program, not stock classes: the Open Cap Table Format holds stock "
    "classes only (equity entities: {known})"
)
LEFT_ENTITY = "only entity {id!r} is exported"
LEFT_GOVERNANCE = "board appointments: the Open Cap Table Format has no field for them"
LEFT_EXIT = "exit defaults: the Open Cap Table Format has no field for them"
LEFT_MISSION = "legal form and mission: the OCF issuer has no field for them"
LEFT_HOLDER = "holds nothing in {id!r}"
LEFT_CLASS_KIND = "class kind {kind!r} has no Open Cap Table Format counterpart"
LEFT_FIELD = "{field!r} of a {kind} class has no Open Cap Table Format field"
LEFT_SECTION = "the scenario's {field!r}: the Open Cap Table Format has no counterpart"
ISSUER_PLACEHOLDERS = (
    "formation_date and country_of_formation are required by OCF but not known to the scenario: "
    "they hold the scenario's as_of date and US"
)
EXPORTED_BY = "Exported by stakeflow export-ocf from scenario {name!r}, entity {entity!r}"

TABLE_SUFFIX = "cannot write {path}: a table's name ends in {valid}"
