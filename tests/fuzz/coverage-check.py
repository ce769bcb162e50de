#!/usr/bin/env python3
"""Per-file line coverage of src/ from gcovr's --json-summary.

usage: coverage-check.py SUMMARY.json MIN_PERCENT FILE...

Prints every src/ file's line coverage, then fails (exit 1) when one of the
FILEs is below MIN_PERCENT (or has no coverage data at all).
"""
import json
import sys


def main():
    summary_path, minimum, required = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    with open(summary_path) as f:
        summary = json.load(f)
    files = {entry["filename"]: entry for entry in summary["files"]}
    print("coverage: lines of src/ (* = held to %g%%)" % minimum)
    for name in sorted(files):
        e = files[name]
        mark = "*" if name in required else " "
        print("  %s %-30s %6.1f%%  (%d of %d lines)"
              % (mark, name, e["line_percent"], e["line_covered"], e["line_total"]))
    print("  total %.1f%% of %d lines" % (summary["line_percent"], summary["line_total"]))
    low = []
    for name in required:
        e = files.get(name)
        if e is None:
            low.append("%s: no coverage data" % name)
        elif e["line_percent"] < minimum:
            low.append("%s: %.1f%%" % (name, e["line_percent"]))
    if low:
        print("coverage: FAILED: below %g%%: %s" % (minimum, ", ".join(low)))
        print("  uncovered lines: gcovr --root . --object-directory build/coverage "
              "--filter FILE --txt --txt-metric line  (or build/coverage/coverage.txt)")
        return 1
    print("coverage: every compiler, parser and emulator file is at %g%% or more" % minimum)
    return 0


if __name__ == "__main__":
    sys.exit(main())
