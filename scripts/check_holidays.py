#!/usr/bin/env python3
"""Cross-checks the shipped national holiday table against the PyPI `holidays` package (country ID).

The table in crates/hadir-domain/data/national_holidays.csv is the product's source of truth (each
row carries its decree reference and admins amend their copy in the app); this script proves that
every shipped date agrees with the package: the same public holidays (category `public`) and
cuti bersama days (category `government`), year by year. Run by .ci/run.

    python3 -m pip install holidays && python3 scripts/check_holidays.py
"""
import csv
import pathlib
import sys

import holidays

TABLE = pathlib.Path(__file__).resolve().parent.parent / "crates/hadir-domain/data/national_holidays.csv"


def main() -> int:
    with TABLE.open(newline="") as f:
        rows = list(csv.DictReader(f))
    years = sorted({int(r["date"][:4]) for r in rows})
    problems = []
    for year in years:
        for category, kind in (("public", "holiday"), ("government", "cuti_bersama")):
            theirs = {d.isoformat() for d in holidays.country_holidays("ID", years=year, categories=(category,))}
            ours = {r["date"] for r in rows if r["kind"] == kind and r["date"].startswith(str(year))}
            for date in sorted(ours - theirs):
                problems.append(f"{date} {kind}: in our table, not in holidays {holidays.__version__}")
            for date in sorted(theirs - ours):
                problems.append(f"{date} {kind}: in holidays {holidays.__version__}, not in our table")
    for problem in problems:
        print(problem)
    print(f"checked {len(rows)} rows for {years[0]}-{years[-1]}: {len(problems)} disagreement(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
