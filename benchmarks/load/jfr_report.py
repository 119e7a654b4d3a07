#!/usr/bin/env python3
"""Reads the JFR recording of benchmarks/load/profile.sh and prints, per measured route:
requests, bytes allocated per request (every thread's jdk.ThreadAllocationStatistics
between the route's window edges), CPU samples per request, and the frames that allocate
and burn CPU, attributed per request.

    jfr_report.py RECORDING WINDOWS [TOP]

WINDOWS has one line per route: "route start_ns end_ns requests".
"""
import collections
import json
import subprocess
import sys
from datetime import datetime


def events(recording, name):
    out = subprocess.run(["jfr", "print", "--json", "--events", name, recording], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def nanos(stamp):
    # "2026-12-07T13:50:01.123456789Z" (nanoseconds, UTC)
    day, rest = stamp.rstrip("Z").split(".") if "." in stamp else (stamp.rstrip("Z"), "0")
    seconds = datetime.strptime(day, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=None)
    epoch = (seconds - datetime(1970, 1, 1)).total_seconds()
    return int(epoch) * 1_000_000_000 + int(rest.ljust(9, "0")[:9])


def frame(f):
    method = f["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


# Where a sample's stack passes (inclusive): the filter path, the engine and Chicory
# (compiled plugins included), the demo's echo upstream (same JVM).
AREAS = (
    ("filter path (io.github.wasmgateway.gateway)", ("io.github.wasmgateway.gateway.",)),
    ("engine and Chicory", ("io.github.wasmgateway.engine.", "com.dylibso.chicory.",
                            "io.github.wasmgateway.plugins.compiled.")),
    ("Java twin filters (demo)", ("io.github.wasmgateway.demo.JavaKeyAuthFilter",)),
    ("echo upstream (demo)", ("io.github.wasmgateway.demo.EchoServer",)),
)


def names(stack):
    return [frame(f) for f in (stack["frames"] if stack else [])]


def area(stack_names, prefixes):
    return any(name.startswith(prefixes) for name in stack_names)


def innermost(stack_names, prefixes):
    """The innermost frame at or below the first frame of the area: where it allocates."""
    for i, name in enumerate(stack_names):
        if name.startswith(prefixes):
            return stack_names[0] + (" <- " + name if i > 0 else "")
    return stack_names[0] if stack_names else "(no stack)"


def main():
    recording, windows_file = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    windows = []
    with open(windows_file) as lines:
        for line in lines:
            route, start, end, requests = line.split()
            windows.append((route, int(start), int(end), int(requests)))

    stats = collections.defaultdict(list)
    for e in events(recording, "jdk.ThreadAllocationStatistics"):
        v = e["values"]
        if v["thread"] is not None:
            stats[v["thread"]["javaThreadId"]].append((nanos(v["startTime"]), v["allocated"]))
    samples = [(nanos(e["values"]["startTime"]), e["values"]["weight"], e["values"]["stackTrace"])
               for e in events(recording, "jdk.ObjectAllocationSample")]
    cpu = [(nanos(e["values"]["startTime"]), e["values"]["stackTrace"])
           for e in events(recording, "jdk.ExecutionSample")]

    for route, start, end, requests in windows:
        allocated = 0
        for series in stats.values():
            series.sort()
            before = [a for t, a in series if t <= start]
            after = [a for t, a in series if t >= end]
            if after:
                allocated += after[0] - (before[-1] if before else 0)
        print(f"## {route}: {requests} requests, {allocated / requests / 1024:.1f} KB allocated per request")
        window = [(weight, names(stack)) for t, weight, stack in samples if start <= t <= end]
        sampled = sum(weight for weight, _ in window) or 1
        scale = allocated / sampled / requests
        print("allocation per request by where the stack passes (sampled, scaled to the total):")
        for label, prefixes in AREAS:
            bytes_ = sum(weight for weight, stack in window if area(stack, prefixes))
            print(f"  {bytes_ * scale:9.0f} B  {label}")
        label, prefixes = AREAS[0]
        frames = collections.Counter()
        for weight, stack in window:
            if area(stack, prefixes):
                frames[innermost(stack, prefixes)] += weight
        print(f"  top allocating frames in the {label}:")
        for name, weight in frames.most_common(top):
            print(f"    {weight * scale:7.0f} B  {name}")
        window = [names(stack) for t, stack in cpu if start <= t <= end]
        total = len(window) or 1
        print(f"CPU: {len(window)} Java samples; share by where the stack passes:")
        for label, prefixes in AREAS:
            share = sum(1 for stack in window if area(stack, prefixes))
            print(f"  {100 * share / total:5.1f}%  {label}")
        label, prefixes = AREAS[0]
        hits = collections.Counter(innermost(stack, prefixes) for stack in window if area(stack, prefixes))
        print(f"  top frames in the {label}:")
        for name, count in hits.most_common(top):
            print(f"    {100 * count / total:5.1f}%  {name}")
        print()


if __name__ == "__main__":
    main()
