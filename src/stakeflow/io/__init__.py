"""Data in and out: Open Cap Table Format import and export, scenario files, Excel and CSV."""

from .ocf_export import OcfExport, export_ocf
from .ocf_import import OcfImport, OcfItem, import_ocf

__all__ = ["OcfExport", "OcfImport", "OcfItem", "export_ocf", "import_ocf"]
