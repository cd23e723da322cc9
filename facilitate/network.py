"""The machine's addresses on the local network, so the facilitator knows what phones can reach.

Only reads the machine's own interface list; sends nothing anywhere.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine other than loopback, private ranges first."""
    found: set[str] = set()
    if sys.platform.startswith("linux"):
        found.update(_linux_addresses())
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    addresses = []
    for text in found:
        try:
            address = ipaddress.IPv4Address(text)
        except ValueError:
            continue
        if not (address.is_loopback or address.is_link_local or address.is_unspecified):
            addresses.append(address)
    return [str(a) for a in sorted(addresses, key=lambda a: (not a.is_private, a))]


def _linux_addresses() -> list[str]:
    import fcntl  # Linux only; imported here so other systems can still import this module

    siocgifaddr = 0x8915
    result = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            try:
                packed = struct.pack("256s", name.encode()[:15])
                raw = fcntl.ioctl(sock.fileno(), siocgifaddr, packed)
            except OSError:
                continue
            result.append(socket.inet_ntoa(raw[20:24]))
    return result


def is_local_host(host: str) -> bool:
    """True for names that only this machine can reach (localhost, 127.x, ::1)."""
    if host.startswith("["):  # [::1]:8000
        name = host[1 : host.find("]")]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if name in ("localhost", "") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
