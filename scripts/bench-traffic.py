#!/usr/bin/env python3
"""The Topics pane's cost (BENCHMARKS.md §5).

Runs the embedded console (private redis-server, 120x40 tmux terminal, pane 5 on screen) and loads its
broker with the shared harness's fanin: 10,000 publishers, one topic each, 50,000 QoS 0 msg/s in total,
for 60 s, while a key (j/k) is sent every 100 ms. Then the same with `--no-traffic` (the broker without the
tap), then both again at an unlimited rate. Reports delivered msg/s, broker CPU, the console's peak memory
and key-to-redraw latency, and the tap-on / tap-off ratios.

    swift build -c release && scripts/bench-traffic.py [--seconds 60] [--rate 50000] [--topics 10000]
"""
import argparse, json, os, re, shutil, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_harness(work):
    # shared/ may be read-only: build a copy.
    bench = os.path.join(work, "bench")
    shutil.copytree(os.path.join(ROOT, "..", "shared", "bench"), bench)
    subprocess.run(["make", "-s", "-C", bench], check=True)
    return os.path.join(bench, "mqttbench")


def wait_for(predicate, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    sys.exit("timed out waiting for " + what)


def run(mqttbench, mqtop, work, tap, seconds, rate, publishers):
    port = free_port()
    name = "tap-%s-%d" % ("on" if tap else "off", port)
    data = os.path.join(work, name)
    log = data + ".log"
    tmux = ["tmux", "-L", "mqtop-" + name]
    command = "%s --listen 127.0.0.1:%d --data-dir %s --log-file %s --log-level debug%s" % (
        mqtop, port, data, log, "" if tap else " --no-traffic")
    subprocess.run(tmux + ["-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                           "LANG=C.UTF-8 exec " + command], check=True)
    try:
        wait_for(lambda: os.path.exists(log) and "listening on mqtt://" in open(log, errors="replace").read(),
                 "the broker in " + log)
        pid = wait_for(lambda: next((p for p in subprocess.run(["pgrep", "-x", "mqtop"], capture_output=True,
                                                                  text=True).stdout.split()
                                     if ("127.0.0.1:%d" % port) in open("/proc/%s/cmdline" % p).read()), None),
                       "the mqtop pid")
        subprocess.run(tmux + ["send-keys", "-t", "b", "5"], check=True)
        stop = threading.Event()

        def keys():
            i = 0
            while not stop.is_set():
                subprocess.run(tmux + ["send-keys", "-t", "b", "j" if i % 20 < 10 else "k"], check=True)
                i += 1
                time.sleep(0.1)
        keyed = threading.Thread(target=keys)
        before = len(re.findall(r"key redrawn in", open(log, errors="replace").read()))
        keyed.start()
        # --count: enough messages to last the whole duration (the harness stops at whichever comes first).
        count = rate * seconds if rate else 1_000_000
        out = subprocess.run([mqttbench, "fanin", "--port", str(port), "--clients", str(publishers),
                              "--rate", str(rate), "--count", str(count), "--duration", str(seconds),
                              "--broker-pid", pid, "--quiet",
                              "--label", name], capture_output=True, text=True, timeout=seconds + 240)
        stop.set()
        keyed.join()
        result = json.loads(out.stdout.strip().splitlines()[-1])
        latencies = sorted(float(x) for x in re.findall(r"key redrawn in ([0-9.]+) ms",
                                                          open(log, errors="replace").read())[before:])
        hwm = int(re.search(r"VmHWM:\s+(\d+) kB", open("/proc/%s/status" % pid).read()).group(1))
        screen = subprocess.run(tmux + ["capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
        title = next((line for line in screen.split("\n") if "5 Topics" in line), "").strip("┌─ ")
        return result, latencies, hwm, title
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        time.sleep(1)


def pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rate", type=int, default=50000)
    parser.add_argument("--topics", type=int, default=10000)
    parser.add_argument("--max-seconds", type=int, default=20)
    parser.add_argument("--max-publishers", type=int, default=1000)
    parser.add_argument("--mqtop", default=os.path.join(ROOT, ".build/release/mqtop"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="mqtop-bench-traffic-")
    mqttbench = build_harness(work)
    rows = []
    for label, rate, seconds, publishers in [("%d msg/s, %d topics" % (args.rate, args.topics), args.rate,
                                              args.seconds, args.topics),
                                             ("unlimited, %d topics" % args.max_publishers, 0, args.max_seconds,
                                              args.max_publishers)]:
        for tap in (True, False):
            result, latencies, hwm, title = run(mqttbench, args.mqtop, work, tap, seconds, rate, publishers)
            rows.append((label, tap, result, latencies, hwm, title))
            print("%-26s tap %-3s: %8.0f msg/s delivered (lost %d), broker CPU %5.1f%%, %.2f µs/msg, "
                  "latency p50 %.1f ms p99 %.1f ms; console peak %d MB; key-to-redraw over %d keys p50 %.2f "
                  "p99 %.2f max %.2f ms" % (label, "on" if tap else "off", result["msgs_per_s"], result["lost"],
                                           result["broker_cpu_pct"], result["broker_cpu_us_per_msg"],
                                           result["lat_us"]["p50"] / 1000, result["lat_us"]["p99"] / 1000,
                                           hwm // 1024, len(latencies), pct(latencies, 0.5), pct(latencies, 0.99),
                                           latencies[-1] if latencies else float("nan")), flush=True)
            if title:
                print("    pane title at the end: " + title, flush=True)
    for label in dict.fromkeys(r[0] for r in rows):
        on = next(r for r in rows if r[0] == label and r[1])[2]
        off = next(r for r in rows if r[0] == label and not r[1])[2]
        print("%-26s tap on / off: throughput %.3f, broker CPU per message %.2f" % (
            label, on["msgs_per_s"] / off["msgs_per_s"], on["broker_cpu_us_per_msg"] / off["broker_cpu_us_per_msg"]))


if __name__ == "__main__":
    main()
