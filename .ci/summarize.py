"""Sum TRX results and Cobertura coverage under a results directory.

Prints the merged line coverage, then, as the very last line, "N passed, N failed[, N skipped]".
Exits non-zero when any test failed or no test ran.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

TRX_NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def count_tests(root: pathlib.Path) -> tuple[int, int, int]:
    passed = failed = skipped = 0
    for trx in root.rglob("*.trx"):
        counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", TRX_NS)
        if counters is None:
            continue
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        skipped += int(counters.get("notExecuted", 0))
    return passed, failed, skipped


def line_coverage(root: pathlib.Path) -> tuple[int, int]:
    # Several test projects may cover the same file: merge hits per (file, line) before counting.
    lines: dict[tuple[str, str], bool] = {}
    for report in root.rglob("coverage.cobertura.xml"):
        for cls in ET.parse(report).getroot().iter("class"):
            filename = cls.get("filename", "")
            for line in cls.iter("line"):
                key = (filename, line.get("number", ""))
                lines[key] = lines.get(key, False) or int(line.get("hits", "0")) > 0
    return sum(lines.values()), len(lines)


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    covered, total = line_coverage(root)
    if total:
        print(f"Line coverage: {covered}/{total} lines ({100.0 * covered / total:.1f}%)")
    else:
        print("Line coverage: no coverage reports found")
    passed, failed, skipped = count_tests(root)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
