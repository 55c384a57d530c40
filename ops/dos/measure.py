#!/usr/bin/env python3
"""Measures the three denial-of-service roads of issue 18 against a running stack (docs/operations.md).

    ops/dos/measure.py --command http://localhost:8080 --query http://localhost:8081 \
                       --key-file data/jwt-signing-key.json [--cli cli/target/arbor-cli.jar] [ryw|slow-body|as-of ...]

Each attack runs from one valid user token while a well-behaved client (the admin) times its own requests:
  ryw        300 queries with Arbor-Min-Position far ahead and Arbor-Max-Wait 30000 at once
  slow-body  20 command requests whose 200-byte bodies arrive at 1 byte/s
  slow-body-flood  the same with 80 requests, more than the command side's 64 request threads
  as-of      8 clients looping ?asOf= tree reads of a 300-account organization for 20 s
It prints, per attack, how the attacker's requests were answered and how long the well-behaved ones took.
Only the standard library: python3 is all it needs besides the stack and the CLI (for tokens).
"""
import argparse
import collections
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone


def call(method, url, token, body=None, headers=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    except Exception as error:  # timeouts, resets: counted as such
        status, payload = type(error).__name__, b""
    elapsed = time.monotonic() - start
    try:
        parsed = json.loads(payload) if payload else None
    except ValueError:
        parsed = None
    return status, parsed, elapsed


def token(args, *who):
    return subprocess.run(["java", "-jar", args.cli, "--key-file", args.key_file, "token", *who],
                          check=True, capture_output=True, text=True).stdout.strip()


def setup(args, admin):
    status, root, _ = call("POST", args.command + "/api/v1/accounts", admin,
                           {"name": "dos-%d" % time.time_ns(), "seats": 100000})
    assert status == 201, (status, root)
    root_id = root["id"]
    for i in range(args.accounts):
        status, child, _ = call("POST", "%s/api/v1/accounts/%s/children" % (args.command, root_id), admin,
                                {"name": "child-%d" % i, "seats": 1})
        assert status == 201, (status, child)
    users = []
    for name in ("attacker", "bystander"):
        status, user, _ = call("POST", "%s/api/v1/accounts/%s/users" % (args.command, root_id), admin,
                               {"email": "%s-%d@example.test" % (name, time.time_ns()), "name": name})
        assert status == 201, (status, user)
        users.append(token(args, "--user", user["id"]))
    # the query side has it all before the attacks start
    position = child["position"] if args.accounts else root["position"]
    call("GET", "%s/api/v1/accounts/%s" % (args.query, root_id), admin,
         headers={"Arbor-Min-Position": str(position), "Arbor-Max-Wait": "30000"})
    return root_id, users[0], users[1]


def well_behaved(samples, probe, every=0.5, until=None):
    while until is None or time.monotonic() < until:
        samples.append(probe())
        time.sleep(every)


def summary(name, results):
    statuses = collections.Counter(str(status) for status, _, _ in results)
    times = sorted(elapsed for _, _, elapsed in results)
    if not times:
        return "%s: none" % name
    return "%s: %d requests, statuses %s, time median %.3f s, max %.3f s" % (
        name, len(times), dict(statuses), times[len(times) // 2], times[-1])


def ryw(args, root_id, attacker, admin):
    url = "%s/api/v1/accounts/%s" % (args.query, root_id)
    attack = []
    started = time.monotonic()

    def wait_far_ahead():
        attack.append(call("GET", url, attacker,
                           headers={"Arbor-Min-Position": "1000000000000", "Arbor-Max-Wait": "30000"}))

    threads = [threading.Thread(target=wait_far_ahead) for _ in range(300)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    held = 300 - len(attack)
    probes = []
    well_behaved(probes, lambda: call("GET", url, admin, timeout=40), until=time.monotonic() + 10)
    for thread in threads:
        thread.join()
    print("ryw: %d of 300 attacking requests still held after 3 s" % held)
    print("  " + summary("attacker", attack))
    print("  " + summary("well-behaved GET during the attack", probes))
    print("  attack lasted %.1f s" % (time.monotonic() - started))


def slow_body(args, root_id, attacker, admin, count=20):
    parsed = urllib.parse.urlparse(args.command)
    body = json.dumps({"name": "slow", "seats": 1}).ljust(200).encode()
    sockets, answers = [], []

    def trickle(sock):
        try:
            for byte in body:
                sock.sendall(bytes([byte]))
                time.sleep(1)
        except OSError:
            pass

    def read_answer(sock, opened):
        try:
            sock.settimeout(60)
            first = sock.recv(4096).split(b"\r\n", 1)[0]
            answers.append((first.decode(errors="replace"), time.monotonic() - opened))
        except OSError as error:
            answers.append((type(error).__name__, time.monotonic() - opened))

    for _ in range(count):
        sock = socket.create_connection((parsed.hostname, parsed.port))
        sock.sendall(("POST /api/v1/accounts/%s/children HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % (root_id, attacker, len(body))).encode())
        opened = time.monotonic()
        threading.Thread(target=trickle, args=(sock,), daemon=True).start()
        threading.Thread(target=read_answer, args=(sock, opened), daemon=True).start()
        sockets.append(sock)
    time.sleep(3)
    probes = []
    well_behaved(probes, lambda: call("POST", "%s/api/v1/accounts/%s/children" % (args.command, root_id), admin,
                                      {"name": "polite", "seats": 1}, timeout=40), every=1,
                 until=time.monotonic() + 15)
    answered = list(answers)
    for sock in sockets:
        sock.close()
    print("slow-body: %d bodies at 1 byte/s; their answers within 18 s: %s" % (
        count, collections.Counter(status for status, _ in answered) or "none"))
    if answered:
        print("  first answered after %.1f s, last after %.1f s" % (
            min(t for _, t in answered), max(t for _, t in answered)))
    print("  " + summary("well-behaved POST during the attack", probes))


def as_of(args, root_id, attacker, admin, bystander):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    tree = "%s/api/v1/accounts/%s/tree?asOf=%s" % (args.query, root_id, urllib.parse.quote(now))
    attack, until = [], time.monotonic() + 20

    def loop():
        while time.monotonic() < until:
            attack.append(call("GET", tree, attacker))

    threads = [threading.Thread(target=loop) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    plain, past = [], []
    plain_reader = threading.Thread(target=well_behaved, args=(
        plain, lambda: call("GET", "%s/api/v1/accounts/%s" % (args.query, root_id), admin)),
        kwargs={"until": until})
    plain_reader.start()
    well_behaved(past, lambda: call("GET", tree, bystander), every=3, until=until)
    plain_reader.join()
    for thread in threads:
        thread.join()
    served = sum(1 for status, _, _ in attack if status == 200)
    print("as-of: attacker's folds served in 20 s: %d" % served)
    print("  " + summary("attacker", attack))
    print("  " + summary("well-behaved plain GET during the attack", plain))
    print("  " + summary("another user's ?asOf= during the attack", past))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--command", default="http://localhost:8080")
    parser.add_argument("--query", default="http://localhost:8081")
    parser.add_argument("--key-file", default="data/jwt-signing-key.json")
    parser.add_argument("--cli", default="cli/target/arbor-cli.jar")
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("attacks", nargs="*", default=["ryw", "slow-body", "as-of"])
    args = parser.parse_args()
    admin = token(args, "--admin")
    root_id, attacker, bystander = setup(args, admin)
    for attack in args.attacks:
        if attack == "ryw":
            ryw(args, root_id, attacker, admin)
        elif attack == "slow-body":
            slow_body(args, root_id, attacker, admin)
        elif attack == "slow-body-flood":
            slow_body(args, root_id, attacker, admin, count=80)
        elif attack == "as-of":
            as_of(args, root_id, attacker, admin, bystander)
        else:
            sys.exit("unknown attack " + attack)
        time.sleep(2)


if __name__ == "__main__":
    main()
