#!/usr/bin/env python3
"""Execute a notebook through a running Jupyter server's kernel, as a browser does.

Usage: server_exec.py URL TOKEN NOTEBOOK OUT.ipynb [KERNEL]

URL is the server's base URL (http://127.0.0.1:8888), TOKEN its token,
NOTEBOOK a path relative to the server's notebook directory. The script reads
the notebook with the contents API, starts a session (the server starts the
kernel, default "gonb", in the notebook's folder), runs every code cell over
the kernel's websocket (/api/kernels/ID/channels), writes the notebook with
the outputs to OUT.ipynb (for docker/check_notebook.py) and deletes the
session. Exit status: 0 when every cell got an execute_reply, 1 otherwise
(a cell's own error is left to check_notebook.py), 2 on bad usage.

Used by docker/image-test.sh to check that `entrypoint.sh serve` works.
Python 3 standard library only; a minimal RFC 6455 client (text frames,
fragmentation, ping/pong, close), enough for Jupyter Notebook 6.
"""

import base64
import json
import os
import socket
import struct
import sys
import time
import urllib.parse
import urllib.request
import uuid

CELL_TIMEOUT = 600  # seconds per cell; a cold build cache compiles gonum/plot


class WebSocket:
    def __init__(self, url, headers):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((u.hostname, u.port or 80), timeout=CELL_TIMEOUT)
        key = base64.b64encode(os.urandom(16)).decode()
        path = u.path + ("?" + u.query if u.query else "")
        req = [
            "GET %s HTTP/1.1" % path,
            "Host: %s:%d" % (u.hostname, u.port or 80),
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: " + key,
            "Sec-WebSocket-Version: 13",
        ] + ["%s: %s" % kv for kv in headers.items()]
        self.sock.sendall(("\r\n".join(req) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            head += chunk
        head, self.buf = head.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n", 1)[0].decode()
        if " 101 " not in status + " ":
            raise ConnectionError("websocket handshake refused: " + status)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("websocket closed by the server")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send(self, text, opcode=1):
        data = text.encode() if isinstance(text, str) else text
        n = len(data)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 1 << 16:
            head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(head + mask + body)

    def recv(self):
        """Returns the next text message (str)."""
        parts = []
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read(8))
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if opcode == 9:  # ping
                self.send(data, opcode=10)
                continue
            if opcode == 8:
                raise ConnectionError("websocket closed by the server")
            if opcode in (0, 1, 2):
                parts.append(data)
                if b0 & 0x80:
                    return b"".join(parts).decode()

    def close(self):
        try:
            self.send(b"", opcode=8)
        finally:
            self.sock.close()


def api(base, token, method, path, body=None):
    req = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "token " + token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        data = r.read()
    return json.loads(data) if data else None


def message(msg_type, session, content):
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "server_exec",
            "session": session,
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def run_cell(ws, session, source):
    """Runs source; returns (nbformat outputs, execute_reply status)."""
    req = message("execute_request", session, {
        "code": source, "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": False,
    })
    ws.send(json.dumps(req))
    msg_id = req["header"]["msg_id"]
    outputs, status, idle = [], None, False
    deadline = time.time() + CELL_TIMEOUT
    while status is None or not idle:
        if time.time() > deadline:
            raise TimeoutError("no reply within %d s" % CELL_TIMEOUT)
        m = json.loads(ws.recv())
        if m.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t, c = m["header"]["msg_type"], m["content"]
        if t == "execute_reply":
            status = c.get("status")
        elif t == "status":
            idle = c.get("execution_state") == "idle"
        elif t == "stream":
            outputs.append({"output_type": "stream", "name": c["name"], "text": c["text"]})
        elif t in ("display_data", "update_display_data", "execute_result"):
            outputs.append({"output_type": "display_data", "data": c.get("data", {}), "metadata": {}})
        elif t == "error":
            outputs.append({"output_type": "error", "ename": c.get("ename", ""),
                            "evalue": c.get("evalue", ""), "traceback": c.get("traceback", [])})
    return outputs, status


def main(argv):
    if len(argv) not in (5, 6):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    base, token, path, out = argv[1].rstrip("/"), argv[2], argv[3], argv[4]
    kernel = argv[5] if len(argv) > 5 else "gonb"
    nb = api(base, token, "GET", "/api/contents/" + urllib.parse.quote(path))["content"]
    sess = api(base, token, "POST", "/api/sessions",
               {"path": path, "type": "notebook", "name": "", "kernel": {"name": kernel}})
    kid, session = sess["kernel"]["id"], uuid.uuid4().hex
    ok = True
    try:
        u = urllib.parse.urlsplit(base)
        ws = WebSocket("ws://%s/api/kernels/%s/channels?session_id=%s" % (u.netloc, kid, session),
                       {"Authorization": "token " + token})
        try:
            count = 0
            for i, cell in enumerate(nb["cells"]):
                if cell["cell_type"] != "code":
                    continue
                src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                start = time.time()
                outputs, status = run_cell(ws, session, src)
                count += 1
                cell["outputs"], cell["execution_count"] = outputs, count
                first = (src.strip().splitlines() or [""])[0]
                print("server_exec: cell #%d %s in %.1fs: %s" % (i + 1, status, time.time() - start, first))
                ok = ok and status is not None
        finally:
            ws.close()
    finally:
        api(base, token, "DELETE", "/api/sessions/" + sess["id"])
    with open(out, "w", encoding="utf-8") as f:
        json.dump(nb, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
