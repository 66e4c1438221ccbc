#!/usr/bin/python3
"""Socket holder for podsniff tests (python3 stdlib only).

Usage: holder.py '<json spec>'

Opens real sockets as described by the spec, prints one JSON report line (the "ready" signal),
then serves stdin commands, one per line:
  report            -> one JSON report line
  connect <json>    -> opens more client sockets (same spec syntax), then one JSON report line
  EOF on stdin      -> exit 0
Accepted connections on every listener are kept open. Exit 2 = bad spec/command line,
exit 3 = loopbackPairs could not all be accepted within 10 s.

Spec fields (all optional):
  listen:      [{ip, port, family}]             TCP listeners (port 0 = ephemeral)
  connect:     [{ip, port, family, count}]      TCP clients
  udpBind:     [{ip, port, family}]
  udpConnect:  [{ip, port, family, localPort?}]
  loopbackPairs: N   one listener on 127.0.0.1:0, N clients to it and the N accepted ends
  forkChild:   true  fork once after opening sockets; the child inherits every socket and
                     blocks until this process exits; the report then carries "childPid"
"""
import ipaddress
import json
import os
import selectors
import socket
import sys
import time

LISTEN_BACKLOG = 1024
ACCEPT_TIMEOUT_S = 10.0

# poll (not epoll): stdin may be a regular file such as /dev/null
sel = selectors.PollSelector()
# fd -> (socket, kind); kind is one of listen|accepted|connected|udp-bound|udp-connected
held = {}
child_pid = None
keep_fd = None  # parent's end of the fork-child pipe; never closed


class AcceptTimeout(Exception):
    pass


def fail(code, msg):
    sys.stderr.write("holder: %s\n" % msg)
    sys.stderr.flush()
    os._exit(code)


def family_of(entry):
    fam = entry.get("family")
    if fam is None:
        ip = entry.get("ip", "")
        fam = 6 if ":" in ip else 4
    if fam not in (4, 6):
        raise ValueError("bad family %r" % (fam,))
    return fam


def af(fam):
    return socket.AF_INET6 if fam == 6 else socket.AF_INET


def any_ip(fam):
    return "::" if fam == 6 else "0.0.0.0"


def hold(sock, kind):
    held[sock.fileno()] = (sock, kind)
    if kind == "listen":
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ, "listen")


def open_listener(ip, port, fam):
    s = socket.socket(af(fam), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == 6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((ip, port))
    s.listen(LISTEN_BACKLOG)
    hold(s, "listen")
    return s


def open_client(ip, port, fam):
    s = socket.socket(af(fam), socket.SOCK_STREAM)
    s.settimeout(ACCEPT_TIMEOUT_S)
    s.connect((ip, port))
    s.setblocking(False)
    hold(s, "connected")
    return s


def drain_accepts():
    """Accept every pending connection on every listener (non-blocking)."""
    n = 0
    for fd, (s, kind) in list(held.items()):
        if kind != "listen":
            continue
        while True:
            try:
                c, _ = s.accept()
            except (BlockingIOError, InterruptedError):
                break
            c.setblocking(False)
            hold(c, "accepted")
            n += 1
    return n


def open_spec(spec):
    if not isinstance(spec, dict):
        raise ValueError("spec must be a JSON object")
    for e in spec.get("listen", []):
        fam = family_of(e)
        open_listener(e.get("ip", any_ip(fam)), int(e.get("port", 0)), fam)
    for e in spec.get("connect", []):
        fam = family_of(e)
        for _ in range(int(e.get("count", 1))):
            open_client(e["ip"], int(e["port"]), fam)
    for e in spec.get("udpBind", []):
        fam = family_of(e)
        s = socket.socket(af(fam), socket.SOCK_DGRAM)
        if fam == 6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((e.get("ip", any_ip(fam)), int(e.get("port", 0))))
        hold(s, "udp-bound")
    for e in spec.get("udpConnect", []):
        fam = family_of(e)
        s = socket.socket(af(fam), socket.SOCK_DGRAM)
        if e.get("localPort") is not None:
            s.bind((any_ip(fam), int(e["localPort"])))
        s.connect((e["ip"], int(e["port"])))
        hold(s, "udp-connected")
    pairs = int(spec.get("loopbackPairs", 0))
    if pairs > 0:
        lst = open_listener("127.0.0.1", 0, 4)
        addr = lst.getsockname()
        before = sum(1 for _, k in held.values() if k == "accepted")
        target = before + pairs
        for _ in range(pairs):
            open_client(addr[0], addr[1], 4)
            drain_accepts()
        deadline = time.monotonic() + ACCEPT_TIMEOUT_S
        while sum(1 for _, k in held.values() if k == "accepted") < target:
            if time.monotonic() > deadline:
                raise AcceptTimeout("loopbackPairs: only %d of %d connections accepted within %ds" % (
                    sum(1 for _, k in held.values() if k == "accepted") - before, pairs, ACCEPT_TIMEOUT_S))
            sel.select(0.05)
            drain_accepts()


def endpoint(addr, fam):
    if fam == 6:
        ip = ipaddress.ip_address(addr[0].split("%", 1)[0]).compressed
    else:
        ip = addr[0]
    return {"ip": ip, "port": addr[1]}


def describe(fd, s, kind):
    fam = 6 if s.family == socket.AF_INET6 else 4
    local = endpoint(s.getsockname(), fam)
    remote = {"ip": any_ip(fam), "port": 0}
    if kind in ("accepted", "connected", "udp-connected"):
        try:
            remote = endpoint(s.getpeername(), fam)
        except OSError:
            pass  # peer gone (connection reset): report as unconnected
    proto = "udp" if s.type == socket.SOCK_DGRAM else "tcp"
    return {"fd": fd, "proto": proto, "family": fam, "kind": kind, "local": local, "remote": remote}


def report():
    drain_accepts()
    out = {"pid": os.getpid(), "sockets": [describe(fd, s, k) for fd, (s, k) in sorted(held.items())]}
    if child_pid is not None:
        out["childPid"] = child_pid
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()


def fork_child():
    """Fork once; the child holds the inherited sockets until the parent's pipe end closes."""
    global child_pid
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1):
            os.dup2(devnull, fd)
        try:
            while os.read(r, 1):
                pass
        except BaseException:
            pass
        os._exit(0)
    os.close(r)
    os.set_inheritable(w, False)
    child_pid = pid
    return w  # kept open (never closed) for the lifetime of this process


def main():
    if len(sys.argv) != 2:
        fail(2, "usage: holder.py '<json spec>'")
    try:
        spec = json.loads(sys.argv[1])
    except ValueError as e:
        fail(2, "bad spec JSON: %s" % e)
    try:
        open_spec(spec)
    except AcceptTimeout as e:
        fail(3, str(e))
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail(1, "opening sockets failed: %r" % (e,))
    global keep_fd
    if spec.get("forkChild"):
        keep_fd = fork_child()
    report()

    stdin_fd = sys.stdin.fileno()
    os.set_blocking(stdin_fd, False)
    sel.register(stdin_fd, selectors.EVENT_READ, "stdin")
    buf = b""
    while True:
        for key, _ in sel.select():
            if key.data == "listen":
                drain_accepts()
                continue
            try:
                chunk = os.read(stdin_fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                sys.exit(0)
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                cmd = line.decode().strip()
                if cmd == "report":
                    report()
                elif cmd.startswith("connect "):
                    try:
                        open_spec(json.loads(cmd[len("connect "):]))
                        report()
                    except (OSError, ValueError, KeyError, TypeError, AcceptTimeout) as e:
                        sys.stdout.write(json.dumps({"error": str(e)}) + "\n")
                        sys.stdout.flush()
                elif cmd:
                    sys.stdout.write(json.dumps({"error": "unknown command %r" % cmd}) + "\n")
                    sys.stdout.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        os._exit(0)  # stdout reader went away: nothing left to report to
