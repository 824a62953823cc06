#!/usr/bin/env python3
"""The console against a production-sized Redis (BENCHMARKS.md §4).

Fills a private redis-server with 100,000 clients, 100,000 subscriptions, 10,000 retained messages and
1,000 queues in the EMQX layout, runs `mqtop attach` in a 120x40 tmux terminal, and reports: time to the
first full counts, Redis commands per sweep, key-to-redraw latency while sweeps run (p50/p99/max over
keys sent every 50 ms), and the process's peak memory (VmHWM).

    swift build -c release && scripts/bench-console.py [--clients 100000] [--keys 300]
"""
import argparse, os, re, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resp(*words):
    out = [b"*%d\r\n" % len(words)]
    for w in words:
        b = w.encode() if isinstance(w, str) else w
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def fill(port, clients, subscriptions, retained, queues):
    commands = []
    for i in range(clients):
        cid = "device-%06d" % i
        online = i % 3 != 0
        commands.append(resp("HSET", "mqtt:client:" + cid, "state", "1" if online else "0",
                             "online_at", "1700000000", "offline_at", "undefined" if online else "1700000100"))
        if online:
            commands.append(resp("HSET", "mqtt:node:emqx@10.0.0.%d" % (i % 4), cid, "1700000000"))
    for i in range(subscriptions):
        commands.append(resp("HSET", "mqtt:sub:device-%06d" % (i % clients), "sensor/%d/temp" % i, str(i % 3)))
    for i in range(retained):
        commands.append(resp("HSET", "mqtt:retain:rt/%d" % i, "id", "R%020d" % i, "from", "device-%06d" % i,
                             "qos", "1", "topic", "rt/%d" % i, "retain", "true", "payload", "%d.5C" % (i % 40),
                             "ts", "1700000000"))
    for q in range(queues):
        ids = []
        for m in range(5):
            mid = "M%06d%04d" % (q, m)
            ids += ["1", mid]
            commands.append(resp("HSET", "mqtt:msg:" + mid, "id", mid, "topic", "queue/%d" % q, "qos", "1",
                                 "payload", "job", "ts", "1700000000"))
        commands.append(resp("ZADD", "mqtt:msg:queue/%d" % q, *ids))
        commands.append(resp("SET", "mqtt:acked:device-%06d:queue/%d" % (q, q), "M%06d%04d" % (q, 1)))
    subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=b"".join(commands), check=True,
                   stdout=subprocess.DEVNULL)


def info_total(port):
    out = subprocess.run(["redis-cli", "-p", str(port), "INFO", "stats"], capture_output=True, text=True).stdout
    return int(re.search(r"total_commands_processed:(\d+)", out).group(1))


def wait_log(path, pattern, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            found = re.findall(pattern, open(path, errors="replace").read())
            if found:
                return found
        time.sleep(0.05)
    sys.exit("timed out waiting for %r in %s" % (pattern, path))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100000)
    parser.add_argument("--subscriptions", type=int, default=100000)
    parser.add_argument("--retained", type=int, default=10000)
    parser.add_argument("--queues", type=int, default=1000)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--mqtop", default=os.path.join(ROOT, ".build/release/mqtop"))
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="mqtop-bench-console-")
    port = free_port()
    server = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", work,
                               "--save", "", "--appendonly", "no", "--logfile", os.path.join(work, "redis.log")])
    tmux = ["tmux", "-L", "mqtop-bench-%d" % port]
    try:
        for _ in range(200):
            if subprocess.run(["redis-cli", "-p", str(port), "PING"], capture_output=True, text=True).stdout.strip() == "PONG":
                break
            time.sleep(0.02)
        started = time.time()
        fill(port, args.clients, args.subscriptions, args.retained, args.queues)
        keys = int(subprocess.run(["redis-cli", "-p", str(port), "DBSIZE"], capture_output=True, text=True).stdout)
        print("filled %d keys in %.1f s" % (keys, time.time() - started))

        log = os.path.join(work, "mqtop.log")
        before = info_total(port)
        command = "%s attach redis://127.0.0.1:%d --log-level debug --log-file %s" % (args.mqtop, port, log)
        launched = time.time()
        subprocess.run(tmux + ["-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                               "LANG=C.UTF-8 exec " + command], check=True)
        # While the first sweep runs, the pane titles must say how far it got and that counts are partial.
        progress_titles = []
        while time.time() - launched < 300:
            screen = subprocess.run(tmux + ["capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            for title in re.findall(r"[1-4] (?:Clients|Subscriptions|Retained|Queues) [^─┐]*scanning \d+% · partial", screen):
                if title not in progress_titles:
                    progress_titles.append(title)
            if os.path.exists(log) and re.search(r"sweep 1 done", open(log).read()):
                break
            time.sleep(0.05)
        first = wait_log(log, r"sweep 1 done in (\d+) ms: (\d+) clients, (\d+) subscriptions, (\d+) retained, (\d+) queues", 300)[0]
        to_counts = time.time() - launched
        after_first = info_total(port)
        # Keys while the second sweep runs: every 50 ms, moving the selection in the Clients pane.
        for i in range(args.keys):
            subprocess.run(tmux + ["send-keys", "-t", "b", "j" if i % 20 < 10 else "k"], check=True)
            time.sleep(0.05)
        wait_log(log, r"sweep 3 done", 300)
        sweeps = re.findall(r"sweep (\d+) done in (\d+) ms", open(log).read())
        after = info_total(port)
        latencies = sorted(float(x) for x in re.findall(r"key redrawn in ([0-9.]+) ms", open(log).read()))
        # The filter: "/", then a client id typed at 20 ms a key, then Enter; the time until the pane's
        # title shows the single match, and each key's cost.
        moved = len(latencies)
        needle = "device-%06d" % min(42, args.clients - 1)
        typed = time.time()
        for key in ["/"] + list(needle):
            subprocess.run(tmux + ["send-keys", "-t", "b", "-l", key], check=True)
            time.sleep(0.02)
        subprocess.run(tmux + ["send-keys", "-t", "b", "Enter"], check=True)
        settled = None
        while time.time() - typed < 60:
            screen = subprocess.run(tmux + ["capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            # The Clients pane (left half, rows under its header) lists the one match and nothing else.
            rows = [line[:60] for line in screen.split("\n")[3:15]]
            ids = set(re.findall(r"device-\d{6}", " ".join(rows)))
            if ids == {needle}:
                settled = time.time() - typed
                break
            time.sleep(0.01)
        time.sleep(0.3)
        filter_keys = sorted(float(x) for x in re.findall(r"key redrawn in ([0-9.]+) ms", open(log).read())[moved:])
        peak = "?"
        for pid in subprocess.run(["pgrep", "-f", os.path.basename(args.mqtop)], capture_output=True, text=True).stdout.split():
            cmdline = open("/proc/%s/cmdline" % pid).read().replace("\0", " ")
            if ("redis://127.0.0.1:%d" % port) in cmdline and "tmux" not in cmdline:
                peak = re.search(r"VmHWM:\s+(\d+) kB", open("/proc/%s/status" % pid).read()).group(1)
        per_sweep = (after - after_first) / max(len(sweeps) - 1, 1)

        def pct(p):
            return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")
        print("data: %d clients, %d subscriptions, %d retained, %d queues" % tuple(int(x) for x in first[1:]))
        print("first full counts: %.2f s after launch (first sweep %s ms)" % (to_counts, first[0]))
        print("titles seen during the first sweep (%d): %s" % (len(progress_titles), "; ".join(t.strip() for t in progress_titles[:6])))
        print("sweeps: %s" % ", ".join("%s ms" % ms for _, ms in sweeps))
        print("Redis commands in the first sweep: %d (later sweeps, with the header's INFO: ~%.0f)"
              % (after_first - before, per_sweep))
        print("key to redraw over %d keys during sweeps: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
              % (len(latencies), pct(0.5), pct(0.99), latencies[-1] if latencies else float("nan")))
        print("peak memory (VmHWM): %s kB" % peak)
        if filter_keys:
            print("filter: typing /%s and Enter (%d keys, 20 ms apart) settled %.2f s after the first key; "
                  "per key p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                  % (needle, len(filter_keys), settled if settled is not None else float("nan"),
                     filter_keys[len(filter_keys) // 2], filter_keys[min(len(filter_keys) - 1, int(len(filter_keys) * 0.99))],
                     filter_keys[-1]))
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
