# Sends DNS queries to 127.0.0.1:PORT as fast as it can from 32 sockets (32 UDP flows) until at least
# SECONDS have passed and at least QUERIES queries are sent (QUERIES defaults to 0), then prints how many
# it sent. Used to flood a capturing worker: `python3 dns-flood.py PORT SECONDS [QUERIES]`. Bounding by a
# count as well as a time makes a slow machine send the same flood, only over a longer time.
import socket, struct, sys, time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
at_least = int(sys.argv[3]) if len(sys.argv) > 3 else 0
name = b''.join(bytes([len(p)]) + p for p in b'flood.podsniff.test'.split(b'.')) + b'\0'
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(32)]
sent, qid, end = 0, 0, time.monotonic() + seconds
while time.monotonic() < end or sent < at_least:
    for s in socks:
        qid = (qid + 1) & 0xffff
        s.sendto(struct.pack('>HHHHHH', qid, 0x0100, 1, 0, 0, 0) + name + b'\0\x01\0\x01', ('127.0.0.1', port))
        sent += 1
print(sent, flush=True)
