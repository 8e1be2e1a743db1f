#!/usr/bin/env python3
"""download.py - pvt's download workload in Python, for the py-* models.

The course notes' threaded file download grown into a measurement: task t
fetches URL_BASE + t over HTTP/1.1 (one kept-alive connection per worker,
as pvt's C workers keep one libcurl handle each) and checks the body's
length and CRC-32 against the server's X-Pvt-Checksum header; its
checksum is that CRC, which pvt checks against what the server's seed
says. A thread lets go of the GIL while it waits on its socket. The
models, the timing and the rows are pvtbench's.
"""

import http.client
import socket
import sys
import threading
import urllib.parse
import zlib

import pvtbench

URL = None      # urllib.parse result of --url-base; set before any worker
SIZE = 0
TIMEOUT = 10.0
local = threading.local()   # this worker's connection


def connection():
    """The calling worker's connection, opened on first use."""
    conn = getattr(local, "conn", None)
    if conn is None:
        conn = http.client.HTTPConnection(URL.hostname, URL.port,
                                          timeout=TIMEOUT)
        local.conn = conn
    return conn


def new_connections():
    """Every run opens its own connections."""
    local.conn = None


# pvt's count columns, one per cause of failure, as its C models (libcurl)
# name them: the same fault of the server lands in the same column.
CAUSES = ("http_errors", "timeouts", "conn_errors", "length_errors",
          "checksum_errors", "url_errors", "other_errors")


def outcome(t, crc, got, cause=None):
    """(task, CRC-32 or None, counts): got body bytes, one failure of
    cause if any."""
    counts = dict.fromkeys(CAUSES, 0)
    counts["bytes"] = got
    if cause:
        counts[cause] = 1
    return t, None if cause else crc, counts


def download_task(t):
    """Fetches file t once, as pvt's C workers do; returns (task, its CRC-32
    or None when it failed, counts by cause)."""
    conn = connection()
    try:
        conn.request("GET", URL.path + str(t))
        resp = conn.getresponse()
        body = resp.read()
    except (http.client.HTTPException, OSError) as e:
        conn.close()
        local.conn = None   # the next task opens a new one
        if isinstance(e, (socket.timeout, TimeoutError)):
            cause = "timeouts"
        elif isinstance(e, http.client.IncompleteRead):
            return outcome(t, None, len(e.partial), "length_errors")
        elif isinstance(e, (ConnectionError, http.client.BadStatusLine)):
            cause = "conn_errors"   # refused, reset, closed unanswered
        else:
            cause = "other_errors"
        return outcome(t, None, 0, cause)
    crc = zlib.crc32(body)
    if resp.status != 200:
        return outcome(t, None, len(body), "http_errors")
    if len(body) != SIZE:
        return outcome(t, None, len(body), "length_errors")
    if resp.getheader("X-Pvt-Checksum", "") != "crc32:%08x" % crc:
        return outcome(t, None, len(body), "checksum_errors")
    return outcome(t, crc, len(body))


if __name__ == "__main__":
    p = pvtbench.parser(__doc__.splitlines()[0])
    p.add_argument("--url-base", required=True,
                   help="http://HOST:PORT/files/ ; task t fetches it + t")
    p.add_argument("--timeout", type=float, default=10.0)
    args = p.parse_args()
    URL = urllib.parse.urlsplit(args.url_base)
    if URL.scheme != "http" or not URL.hostname:
        p.error("--url-base must be an http:// URL")
    SIZE, TIMEOUT = args.size, args.timeout
    sys.exit(pvtbench.main("download", download_task, args,
                           new_connections))
