"""The tables of a benchmark run: medians, ratios to the controls, and the issue's targets.

`python -m bench.report` writes bench/results/latest.md again from latest.json.
"""

import json
import statistics
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

# requests/s ÷ plaintext, by how the page was served and what kind of page it is.
TARGETS = {
    "cached": 0.75,
    "304": 0.75,
    "list": 0.06,
    "list-filters": 0.045,
    "scoped": 0.08,
    "detail": 0.15,
}
FORTUNES_TARGET = 0.3
INVARIANCE_TARGET = 0.9
TAIL_TARGET = 2.0
# Server time with every cache cleared, by page (bench.changes.cold).
COLD_TARGETS_MS = {"list": 50, "q-common": 150, "countries": 50, "home": 50}
COLD_NAMES = {
    "list": "List",
    "q-common": "Common search word",
    "countries": "`/countries/`",
    "home": "`/`",
}
# Through Varnish ÷ gunicorn's page cache, on the same mix of URLs (bench.edge).
EDGE_TARGET = 5
# The edit storm (bench.changes.storm): readers' throughput beside an editor ÷ quiet, p99.
STORM_RATIO = 0.7
STORM_P99_MS = 1000
SEED_TARGET_S = 60
FEW_REQUESTS = 100  # per run: a p99 over fewer is little more than the maximum
# A worker streaming the export should not grow by more than this (MiB of peak RSS).
EXPORT_GROWTH_MIB = 50
SERVED = {
    "control": "control",
    "fresh": "rendered",
    "cached": "page cache",
    "304": "304",
    "404": "rendered",
    "static": "WhiteNoise",
}


def verdict(value, passed):
    return f"{value} {'PASS' if passed else 'FAIL'}"


def target_for(row):
    if row["id"] == "fortunes":
        return FORTUNES_TARGET
    if row["variant"] in ("cached", "304"):
        return TARGETS[row["variant"]]
    if row["variant"] == "fresh":
        return TARGETS[row["kind"]]
    return None


def summarise(size):
    """{row id: medians over the repetitions, ratios to that repetition's controls}."""
    per_rep = []
    for runs in size["runs"]:
        results = {}
        for run in runs:
            if run["result"]:
                results.setdefault(run["id"], []).append(run["result"])
        per_rep.append(
            {
                row_id: {
                    field: statistics.median(result[field] for result in found)
                    for field in ("rps", "p50_ms", "p99_ms", "requests")
                }
                | {"errors": sum(r["non_2xx_3xx"] + r["socket_errors"] for r in found)}
                for row_id, found in results.items()
            }
        )
    summary = {}
    for row_id in per_rep[0]:
        reps = [rep[row_id] for rep in per_rep if row_id in rep]
        summary[row_id] = {
            field: statistics.median(rep[field] for rep in reps)
            for field in ("rps", "p50_ms", "p99_ms", "requests")
        } | {
            "errors": sum(rep["errors"] for rep in reps),
            "plaintext": statistics.median(
                rep[row_id]["rps"] / rep["plaintext"]["rps"] for rep in per_rep
            ),
            "fortunes": statistics.median(
                rep[row_id]["rps"] / rep["fortunes"]["rps"] for rep in per_rep
            ),
        }
    return summary


def rows_of(size):
    controls = [
        {"id": "plaintext", "name": "Plaintext (control)", "variant": "control", "kind": "-"},
        {"id": "fortunes", "name": "Fortunes (control)", "variant": "control", "kind": "-"},
    ]
    return controls + size["rows"]


def number(value, digits=0):
    """Thousands apart; small numbers of requests/s keep a decimal."""
    if digits == 0 and value < 100:
        digits = 1
    return f"{value:,.{digits}f}".replace(",", " ")


def throughput_table(results, summaries):
    sizes = list(results["sizes"])
    first = results["sizes"][sizes[0]]
    header = ["Page", "Served", "Target"]
    for size in sizes:
        label = f"{int(size) // 1000}k"
        header += [f"{label} req/s", "p50 ms", "p99 ms", "÷ plaintext", "÷ fortunes"]
    if len(sizes) > 1:
        header.append(f"Scale {sizes[-1][:-3]}k ÷ {sizes[0][:-3]}k")
    lines = [header, ["---"] * 3 + ["--:"] * (len(header) - 3)]
    for row in rows_of(first):
        target = target_for(row)
        line = [row["name"], SERVED[row["variant"]], f"≥ {target}" if target else ""]
        ratios = []
        for size in sizes:
            found = summaries[size].get(row["id"])
            if found is None:
                line += ["no ETag", "", "", "", ""]
                ratios.append(None)
                continue
            ratio = found["plaintext"]
            shown = f"{ratio:.3f}"
            line += [
                number(found["rps"]) + (f" ({found['errors']} err)" if errors(row, found) else ""),
                number(found["p50_ms"], 1),
                number(found["p99_ms"], 1) + ("†" if found["requests"] < FEW_REQUESTS else ""),
                verdict(shown, ratio >= target) if target else shown,
                f"{found['fortunes']:.3f}",
            ]
            ratios.append(ratio)
        if len(sizes) > 1:
            if None in ratios or row["variant"] == "control":
                line.append("")
            else:
                scale = ratios[-1] / ratios[0]
                line.append(verdict(f"{scale:.2f}", scale >= INVARIANCE_TARGET))
        lines.append(line)
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def errors(row, found):
    return found["errors"] and row["variant"] != "404"


def queries_table(results):
    sizes = list(results["sizes"])
    header = ["Page"]
    for size in sizes:
        label = f"{int(size) // 1000}k"
        header += [f"{label} cold", "fresh", "cached", "cold ms", "fresh ms"]
    lines = [header, ["---"] + ["--:"] * (len(header) - 1)]
    pages = results["sizes"][sizes[0]]["pages"]
    for page in pages:
        line = [page["name"]]
        for size in sizes:
            counts = {q["key"]: q for q in results["sizes"][size]["queries"]}[page["key"]]
            line += [str(counts["cold"]), str(counts["fresh"]), str(counts["cached"])]
            line += [f"{counts['cold_ms']:.0f}", f"{counts['fresh_ms']:.0f}"]
        lines.append(line)
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def other_targets(results, summaries):
    lines = [["Target", "Size", "Measured", "Result"], ["---", "--:", "---", "---"]]
    for size, data in results["sizes"].items():
        label = number(int(size))
        summary = summaries[size]
        for variant in ("fresh", "cached"):
            first, last = summary.get(f"list:{variant}"), summary.get(f"last-page:{variant}")
            if first and last:
                depth = last["plaintext"] / first["plaintext"]
                lines.append(
                    [
                        f"Depth: last page ÷ page 1 ({SERVED[variant]}) ≥ {INVARIANCE_TARGET}",
                        label,
                        f"{depth:.2f}",
                        verdict("", depth >= INVARIANCE_TARGET).strip(),
                    ]
                )
        for variant, tail in data["tail"].items():
            share = tail["rps"] / tail["peak_rps"]
            spread = tail["p99_ms"] / tail["p50_ms"]
            lines.append(
                [
                    f"Tail at half load, unfiltered list ({SERVED[variant]}): "
                    f"p99 ≤ {TAIL_TARGET} × p50",
                    label,
                    f"{number(tail['rps'])} req/s ({share:.0%} of its peak), "
                    f"p50 {tail['p50_ms']:.1f} ms, p99 {tail['p99_ms']:.1f} ms ({spread:.1f} ×)",
                    verdict("", spread <= TAIL_TARGET).strip(),
                ]
            )
        lines += cold_lines(data, label) + storm_lines(data, label) + edge_lines(data, label)
        exported = data["export"]
        before, after = exported["workers_before"], exported["workers_after"]
        growth = max(
            [after[pid][0] - before[pid][0] for pid in before if pid in after]
            + [
                rss - before.get(pid, [0, rss])[1]
                for pid, rss in exported["rss_peak_during"].items()
            ]
        )
        peak = max(
            [hwm for hwm, _rss in after.values()] + list(exported["rss_peak_during"].values())
        )
        measured = (
            f"{number(exported['rows'])} rows in {exported['seconds']:.1f} s "
            f"({number(exported['rows_per_s'])} rows/s); worker peak RSS {peak:.0f} MiB "
            f"(+{growth:.0f} MiB during the export)"
        )
        if set(before) - set(after):
            measured += "; a worker was replaced during the export"
        if exported["error"]:
            measured += f"; interrupted: {exported['error']}"
        lines.append(
            [
                f"CSV export streams in constant memory (peak +≤ {EXPORT_GROWTH_MIB} MiB)",
                label,
                measured,
                verdict("", growth <= EXPORT_GROWTH_MIB and not exported["error"]).strip(),
            ]
        )
        lines.append(
            [
                f"seed_demo < {SEED_TARGET_S} s",
                label,
                f"{data['seed_s']:.1f} s",
                verdict("", data["seed_s"] < SEED_TARGET_S).strip(),
            ]
        )
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def cold_lines(data, label):
    lines = []
    for name, cold in data.get("cold", {}).items():
        timings = cold["timings_ms"]
        lines.append(
            [
                f"{COLD_NAMES[name]} with every cache cleared ≤ {COLD_TARGETS_MS[name]} ms",
                label,
                f"median {cold['median_ms']:.0f} ms over {len(timings)} requests "
                f"(min {min(timings):.0f}, max {max(timings):.0f}), `{cold['path']}`",
                verdict("", cold["median_ms"] <= COLD_TARGETS_MS[name]).strip(),
            ]
        )
    return lines


def edge_lines(data, label):
    if "edge" not in data:
        return []
    direct, through = data["edge"]["gunicorn"], data["edge"]["varnish"]
    ratio = through["rps"] / direct["rps"]
    return [
        [
            f"Through Varnish ≥ {EDGE_TARGET} × gunicorn's page cache, same mix",
            label,
            f"{number(through['rps'])} ÷ {number(direct['rps'])} req/s = {ratio:.1f} × "
            f"({len(data['edge']['paths'])} URLs; hit ratio {data['edge']['hit_ratio']:.3f}; "
            f"p99 {through['p99_ms']:.1f} ms against {direct['p99_ms']:.1f} ms)",
            verdict("", ratio >= EDGE_TARGET).strip(),
        ]
    ]


def storm_lines(data, label):
    if "storm" not in data:
        return []
    storm = data["storm"]
    quiet, stormy = storm["quiet"], storm["storm"]
    ratio = stormy["rps"] / quiet["rps"]
    edits = sum(1 for write in storm["writes"] if "edited" in write)
    errors = stormy["non_2xx_3xx"] + stormy["socket_errors"]
    probe = storm["probe"]
    return [
        [
            f"Edit storm: readers beside an edit every 5 s ÷ quiet ≥ {STORM_RATIO}",
            label,
            f"{number(stormy['rps'])} ÷ {number(quiet['rps'])} req/s = {ratio:.2f} "
            f"({len(storm['paths'])} URLs, {edits} edits and 1 unpublish in "
            f"{stormy['requests'] / stormy['rps']:.0f} s)",
            verdict("", ratio >= STORM_RATIO).strip(),
        ],
        [
            f"Edit storm: p99 ≤ {STORM_P99_MS} ms, none over 10 s, no error",
            label,
            f"p50 {stormy['p50_ms']:.1f} ms, p99 {stormy['p99_ms']:.0f} ms, slowest "
            f"{stormy['max_ms']:.0f} ms, {stormy['timeouts']} over 10 s, {errors} errors "
            f"(quiet: p99 {quiet['p99_ms']:.0f} ms, slowest {quiet['max_ms']:.0f} ms)",
            verdict(
                "", stormy["p99_ms"] <= STORM_P99_MS and not stormy["timeouts"] and not errors
            ).strip(),
        ],
        [
            "Edit storm: the unpublished initiative in 0 responses after its commit",
            label,
            f"{probe['showing']} of {probe['responses']} probe responses "
            f"({len(probe['urls'])} pages that showed it)",
            verdict("", probe["showing"] == 0 and probe["responses"] > 0).strip(),
        ],
    ]


def markdown(results):
    summaries = {size: summarise(data) for size, data in results["sizes"].items()}
    machine, plan = results["machine"], results["plan"]
    minutes, seconds = divmod(round(results["total_s"]), 60)
    notes = [
        f"Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_gib']:.1f} GiB; PostgreSQL {machine['postgresql']}, "
        f"Python {machine['python']}, Redis {machine['redis']}, gunicorn {machine['gunicorn']} "
        f"({plan['workers']} gthread workers), wrk {machine['wrk']}; {machine['date']}, "
        f"commit {machine['commit']}.",
        f"Run: {minutes} min {seconds} s{' (BENCH_QUICK=1)' if plan['quick'] else ''}; "
        f"`wrk {plan['wrk']}` for {plan['rendered_duration_s']} s per page rendered afresh, "
        f"{plan['duration_s']} s per other URL; {plan['repetitions']} repetition(s), medians; "
        "the controls run before, halfway through and after each repetition.",
    ]
    for size, data in results["sizes"].items():
        busy = sum(data["other_cpu_s"]) / sum(data["repetition_s"]) / machine["cpus"]
        plaintext = [
            run["result"]["rps"] for rep in data["runs"] for run in rep if run["id"] == "plaintext"
        ]
        notes.append(
            f"{number(int(size))} initiatives: seed_demo {data['seed_s']:.1f} s, then VACUUM "
            f"ANALYZE {data['vacuum_analyze_s']:.1f} s. During the repetitions, other processes "
            f"on the machine used {busy:.0%} of its CPU time, and the plaintext control ranged "
            f"from {number(min(plaintext))} to {number(max(plaintext))} requests/s."
        )
    unexpected = [
        f"{size}: {row_id} answered {status}"
        for size, data in results["sizes"].items()
        for row_id, status in data["statuses"].items()
        if status != {"304": 304, "404": 404}.get(row_id, 200)
    ]
    sections = [
        "\n\n".join(notes),
        "#### Throughput (requests/s ÷ plaintext of the same repetition)",
        throughput_table(results, summaries),
        "*Rendered*: every request has a URL never seen before (an ignored `bench=` parameter), "
        "so the page cache cannot answer it while other caches (facet counts, vocabulary) may. "
        "*Page cache*: the same URL again and again. *Scale*: the page's ratio at the larger "
        f"size ÷ at the smaller, target ≥ {INVARIANCE_TARGET}. †: fewer than {FEW_REQUESTS} "
        "requests per run, so p99 is close to the slowest request.",
        "URLs at "
        + number(int(list(results["sizes"])[-1]))
        + " initiatives: "
        + "; ".join(
            f"{page['name']} `{page['path']}`"
            for page in list(results["sizes"].values())[-1]["pages"]
        )
        + ".",
        "#### SQL queries per page (in-process, Django's test client)",
        queries_table(results),
        "*Cold*: just after clearing the cache; *fresh*: a new URL, other caches warm; "
        "*cached*: the same URL again. *Cold ms*, *fresh ms*: server time of those requests "
        "in one process, one request at a time.",
        "#### Other targets",
        other_targets(results, summaries),
    ]
    if unexpected:
        sections.append("Unexpected statuses: " + "; ".join(unexpected) + ".")
    return "\n\n".join(sections) + "\n"


if __name__ == "__main__":
    results = json.loads((RESULTS / "latest.json").read_text())
    (RESULTS / "latest.md").write_text(markdown(results))
