#!/usr/bin/env python3
"""Commit statistics from `otlp2parquet serve` JSON logs ("committed to Iceberg" lines), for
tests/integration/iceberg_serve_test.sh and bench/load/iceberg_commits.sh.

Usage: commit_stats.py LOG...
Prints one line: commits, latency median and p99 (ms, retries included: the time AppendFiles
took), commit attempts, and commits per table with their rate over the span between the first
and the last commit.
"""
import datetime
import json
import statistics
import sys


def parse_time(stamp):
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def main(paths):
    latencies, attempts, per_table, stamps = [], 0, {}, []
    for path in paths:
        with open(path, encoding="utf-8") as log:
            for line in log:
                if '"committed to Iceberg"' not in line:
                    continue
                entry = json.loads(line)
                latencies.append(entry["ms"])
                attempts += entry["attempts"]
                per_table[entry["table"]] = per_table.get(entry["table"], 0) + 1
                stamps.append(parse_time(entry["ts"]))
    if not latencies:
        print("commit_stats: no commit in the logs", file=sys.stderr)
        return 1
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    span = max((max(stamps) - min(stamps)).total_seconds(), 0.001)
    rates = ", ".join(f"{table} {count} ({count / span:.1f}/s)"
                      for table, count in sorted(per_table.items()))
    print(f"{len(latencies)} commits in {attempts} attempts, latency median "
          f"{statistics.median(latencies)} ms, p99 {p99} ms; per table over {span:.1f} s: {rates}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
