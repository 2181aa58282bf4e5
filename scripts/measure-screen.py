#!/usr/bin/env python3
"""Measures the chat screen with the real model, as a user sees it in tmux (issue 7, point 4).

    scripts/measure-screen.py [--binary .build/release/octet] [--runs 3] [--tokens 256]

Each run starts `octet` in a fresh tmux server with a sandboxed XDG folder and database:
- first frame: from starting the pane to the screen showing the input line;
- input latency: while a reply streams, a key typed until it is on screen (tmux capture-pane
  polled every millisecond, so the figure includes tmux's own delay);
- generation: the second reply's tok/s as stored in the database (`octet export --format
  json`; nothing is typed during it), and the screen's own time (OCTET_SCREEN_STATS, both
  replies) against the replies' duration.
Prints one line per run and the medians; compare tok/s with `octet bench -n TOKENS` run
just before or after. Needs tmux; a measurement tool, not a test.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True).stdout


def screen(sock):
    return tmux(sock, "capture-pane", "-p", "-t", "m")


def wait(sock, predicate, timeout=60.0, step=0.001):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        text = screen(sock)
        if predicate(text):
            return text
        time.sleep(step)
    raise SystemExit("measure-screen: timed out; screen:\n" + screen(sock))


def input_line(text):
    """The input line of the screen (it starts with the prompt mark), without trailing blanks."""
    lines = [line for line in text.splitlines() if line.startswith("\u203a")]
    return lines[-1].rstrip() if lines else ""


def one_run(binary, tokens, index):
    home = tempfile.mkdtemp(prefix="octet-measure-")
    config = os.path.join(home, "config", "octet")
    os.makedirs(config)
    with open(os.path.join(config, "config.yaml"), "w") as f:
        f.write(f"sampling:\n  seed: {index + 1}\n  max_tokens: {tokens}\n")
    data = os.path.expanduser(os.environ.get("XDG_DATA_HOME", "~/.local/share"))
    db = os.path.join(home, "octet.sqlite")
    stats = os.path.join(home, "stats.txt")
    env = (f"env LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME={home}/config "
           f"XDG_DATA_HOME={data} OCTET_SCREEN_STATS=1")
    command = f"{env} {binary} --db {db} 2>{stats}"
    sock = f"octet-measure-{os.getpid()}-{index}"
    conf = os.path.join(home, "tmux.conf")
    with open(conf, "w") as f:
        f.write("set -g remain-on-exit on\n")
    started = time.monotonic()
    subprocess.run(["tmux", "-L", sock, "-f", conf, "-u", "new-session", "-d", "-s", "m",
                    "-x", "100", "-y", "30", command], check=True)
    try:
        wait(sock, lambda s: "Type a message" in s or "ready" in s, step=0.0005)
        first_frame = time.monotonic() - started
        wait(sock, lambda s: "loading" not in s.lower())
        tmux(sock, "send-keys", "-t", "m", "-l", "Write a long story about a lighthouse keeper.")
        tmux(sock, "send-keys", "-t", "m", "Enter")
        wait(sock, lambda s: "streaming" in s)
        latencies = []
        typed = ""
        for key in "abcdefgh":
            typed += key
            sent = time.monotonic()
            tmux(sock, "send-keys", "-t", "m", "-l", key)
            wait(sock, lambda s, t=typed: input_line(s).endswith(t), timeout=5)
            latencies.append(time.monotonic() - sent)
            time.sleep(0.05)
            if "streaming" not in screen(sock):
                break
        wait(sock, lambda s: "streaming" not in s, timeout=120, step=0.25)
        # A second reply with nothing typed and the screen read rarely: its speed is the
        # one to compare with `octet bench` (tmux polled every millisecond costs CPU).
        tmux(sock, "send-keys", "-t", "m", "C-u")
        tmux(sock, "send-keys", "-t", "m", "-l", "Now tell me another one, about a baker.")
        tmux(sock, "send-keys", "-t", "m", "Enter")
        wait(sock, lambda s: "streaming" in s, step=0.05)
        wait(sock, lambda s: "streaming" not in s, timeout=120, step=0.5)
        tmux(sock, "send-keys", "-t", "m", "-l", "/quit")
        tmux(sock, "send-keys", "-t", "m", "Enter")
        wait(sock, lambda s: tmux(sock, "display-message", "-p", "-t", "m", "#{pane_dead}").startswith("1"))
    finally:
        tmux(sock, "kill-server")
    exported = subprocess.run([binary, "export", "1", "--format", "json", "--db", db],
                              capture_output=True, text=True, check=True).stdout
    replies = [m for m in json.loads(exported)["messages"] if m["role"] == "assistant"]
    reply = replies[-1]
    line = open(stats).read()
    shutil.rmtree(home, ignore_errors=True)
    screen_seconds = float(re.search(r"\(([\d.]+) s in all\)", line).group(1))
    generation = sum(r.get("generated_tokens", 0) / max(r.get("tok_s", 0), 1e-9) for r in replies)
    return {
        "first_frame_s": first_frame,
        "input_latency_ms": statistics.median(latencies) * 1000,
        "tok_s": reply.get("tok_s", 0),
        "tokens": reply.get("generated_tokens", 0),
        "screen_cpu_share": screen_seconds / max(generation, 1e-9),  # both replies
        "screen": line.strip(),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/octet")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=256)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    runs = []
    for i in range(args.runs):
        r = one_run(binary, args.tokens, i)
        runs.append(r)
        print(f"run {i + 1}: first frame {r['first_frame_s'] * 1000:.0f} ms, input {r['input_latency_ms']:.0f} ms, "
              f"{r['tokens']} tokens at {r['tok_s']:.1f} tok/s, screen {r['screen_cpu_share'] * 100:.1f}% "
              f"of the reply's time | {r['screen']}")
    med = lambda k: statistics.median(r[k] for r in runs)
    print(f"median: first frame {med('first_frame_s') * 1000:.0f} ms, input {med('input_latency_ms'):.0f} ms, "
          f"{med('tok_s'):.1f} tok/s, screen {med('screen_cpu_share') * 100:.1f}%")


if __name__ == "__main__":
    main()
