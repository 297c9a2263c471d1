#!/usr/bin/env python3
"""Writes pyxform's verdict on every form in forms/ next to it, as FORM.expected.json.

The conformance test (core/tests/xlsform_conformance.rs) compares Voci's reading of each form
with this file. Run it after adding a form or changing the pinned pyxform:

    python3 -m venv /tmp/pyx && /tmp/pyx/bin/pip install pyxform==4.5.0
    /tmp/pyx/bin/python core/tests/xlsform/regenerate.py

Each file holds {"pyxform": VERSION, "verdict": "accept" | "refuse", "message": ...} and, for an
accepted form, "form": the parsed form as pyxform's xls2json gives it (workbook_to_json).
"""

import json
import sys
from pathlib import Path

import pyxform
from pyxform.xls2xform import convert

PINNED = "4.5.0"
FORMS = Path(__file__).resolve().parent / "forms"
SUFFIXES = {".xls", ".xlsx", ".csv", ".md"}


def verdict(path: Path) -> dict:
    out = {"pyxform": pyxform.__version__}
    try:
        # The form name pyxform would take from a file of this name.
        result = convert(xlsform=str(path), form_name=path.stem)
    except Exception as e:  # pyxform refuses with PyXFormError and a few others
        out["verdict"] = "refuse"
        out["message"] = f"{type(e).__name__}: {e}"
        return out
    out["verdict"] = "accept"
    out["warnings"] = result.warnings
    out["form"] = result._pyxform
    return out


def main() -> int:
    if pyxform.__version__ != PINNED:
        print(f"pyxform {pyxform.__version__} is installed; the expected files are for {PINNED}")
        return 1
    for path in sorted(FORMS.iterdir()):
        if path.suffix not in SUFFIXES:
            continue
        expected = path.with_name(path.name + ".expected.json")
        data = verdict(path)
        expected.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{data['verdict']:7} {path.name}" + (f": {data.get('message', '')}" if data["verdict"] == "refuse" else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
