"""Sum TRX results and Cobertura coverage under a results directory.

Prints the merged line coverage and the tests skipped for a missing tool, then, as the very last line,
"N passed, N failed[, N skipped]". Exits non-zero when any test failed, no test ran, or a test was skipped because a
tool it needs is missing (CI must run everything; a developer's machine may skip).
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
        # xunit's skips are results with outcome NotExecuted; the Counters element does not always count them.
        skipped += sum(1 for r in ET.parse(trx).getroot().iter(f"{{{TRX_NS['t']}}}UnitTestResult") if r.get("outcome") == "NotExecuted")
    return passed, failed, skipped


def missing_tool_skips(root: pathlib.Path) -> list[str]:
    """Skipped tests whose reason starts with "Missing tool:" (the tests' own wording), as "test: reason"."""
    found = []
    for trx in root.rglob("*.trx"):
        for result in ET.parse(trx).getroot().iter(f"{{{TRX_NS['t']}}}UnitTestResult"):
            if result.get("outcome") != "NotExecuted":
                continue
            for message in result.iter(f"{{{TRX_NS['t']}}}Message"):
                text = (message.text or "").strip()
                if text.startswith("Missing tool:"):
                    found.append(f"{result.get('testName')}: {text}")
    return found


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
    missing = missing_tool_skips(root)
    for line in missing:
        print(f"Skipped for a missing tool: {line}")
    passed, failed, skipped = count_tests(root)
    if missing:
        # Counted as failures: CI installs every tool, so a skip here means an install went wrong.
        failed += len(missing)
        skipped -= len(missing)
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
