"""Build the site and serve it on 127.0.0.1 the way GitHub Pages does, for the browser tests
and the speed benchmark.

* The site lives under the path of ``site_url`` (``/nnref/``): most links are relative, but
  the home pages' language switcher and the 404 page link from that root.
* A missing address gets the site's root ``404.html`` with status 404, ``/zh/…`` included.
* Text files (HTML, CSS, JavaScript, JSON, SVG, XML) go out gzip-compressed when the browser
  asks for it, as GitHub Pages sends them: page weights measured here are what readers
  download. Fonts and images are already compressed and go out as they are.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml|manifest\+json)|image/svg)")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("font/woff2", ".woff2")


#: Headless Chromium on a machine without a display or outside network: no sandbox (root in
#: a container), no GPU, and none of the background connections it would try at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
]


def build_site(site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` into ``site``; the caller judges the result and its log."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )


def site_url() -> str:
    """The published ``site_url`` of mkdocs.yml (the default of its ``!ENV`` tag)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    url = re.search(r"^site_url:.*?(https?://[^\s\]]+)", text, re.M)
    if url is None:
        raise ValueError("mkdocs.yml sets no site_url")
    return url.group(1)


def site_prefix() -> str:
    """The path of ``site_url``, with both slashes (``/nnref/``)."""
    path = urlsplit(site_url()).path
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _handler(site: Path, prefix: str, compress: bool) -> type[http.server.BaseHTTPRequestHandler]:
    cache: dict[Path, bytes] = {}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet
            pass

        def handle_one_request(self):
            try:
                super().handle_one_request()
            except (ConnectionError, TimeoutError):
                self.close_connection = True

        def _file(self) -> Path | None:
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(prefix):
                return None
            target = (site / path[len(prefix) :]).resolve()
            if not target.is_relative_to(site.resolve()):
                return None
            if target.is_dir():
                if not path.endswith("/"):
                    return target  # redirected below
                target = target / "index.html"
            return target if target.is_file() else None

        def do_HEAD(self):
            self.do_GET(body=False)

        def do_GET(self, body: bool = True):
            path = urlsplit(self.path).path
            if path in ("", "/") and prefix != "/":
                return self._send(301, b"", "text/plain", body, location=prefix)
            target = self._file()
            if target is not None and target.is_dir():
                return self._send(301, b"", "text/plain", body, location=path + "/")
            status = 200
            if target is None:
                status, target = 404, site / "404.html"
                if not target.is_file():
                    return self._send(404, b"Not found", "text/plain", body)
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            data = target.read_bytes()
            gzipped = (
                compress
                and COMPRESSIBLE.match(kind)
                and "gzip" in self.headers.get("Accept-Encoding", "")
            )
            if gzipped:
                with lock:
                    if target not in cache:
                        cache[target] = gzip.compress(data, compresslevel=6, mtime=0)
                    data = cache[target]
            if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            self._send(status, data, kind, body, gzipped=bool(gzipped))

        def _send(self, status, data, kind, body, location=None, gzipped=False):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
            if compress:
                self.send_header("Vary", "Accept-Encoding")
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            if location:
                self.send_header("Location", location)
            self.end_headers()
            if body:
                self.wfile.write(data)

    return Handler


@contextmanager
def serve(site: Path, prefix: str | None = None, compress: bool = True) -> Iterator[str]:
    """Serve ``site`` on a free port of 127.0.0.1; yields the site's URL
    (``http://127.0.0.1:PORT/nnref/``)."""
    prefix = site_prefix() if prefix is None else prefix
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), _handler(Path(site), prefix, compress)
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
