"""Data in and out: Open Cap Table Format import and export, scenario files, Excel and CSV."""

from .excel import save_tables, write_csv, write_xlsx
from .ocf_export import OcfExport, export_ocf
from .ocf_import import OcfImport, OcfItem, import_ocf
from .scenario_yaml import dump_scenario

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
