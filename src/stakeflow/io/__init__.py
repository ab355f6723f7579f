"""Data in and out: Open Cap Table Format import and export, scenario files, Excel and CSV.

The submodules load on first use: pyocf and openpyxl are only needed by the commands that read
or write those formats.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .excel import save_tables, write_csv, write_xlsx
    from .ocf_export import OcfExport, export_ocf
    from .ocf_import import OcfImport, OcfItem, import_ocf
    from .scenario_yaml import dump_scenario

_LAZY = {
    "save_tables": ".excel",
    "write_csv": ".excel",
    "write_xlsx": ".excel",
    "OcfExport": ".ocf_export",
    "export_ocf": ".ocf_export",
    "OcfImport": ".ocf_import",
    "OcfItem": ".ocf_import",
    "import_ocf": ".ocf_import",
    "dump_scenario": ".scenario_yaml",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stakeflow.io' has no attribute {name!r}")


__all__ = [
    "OcfExport",
    "OcfImport",
    "OcfItem",
    "dump_scenario",
    "export_ocf",
    "import_ocf",
    "save_tables",
    "write_csv",
    "write_xlsx",
]
