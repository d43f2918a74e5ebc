"""The one HTML→PDF path: our own static stylesheets apply, every external URL is refused."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pypdf
import pytest

from casework import pdf


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_static_stylesheet_is_applied(tmp_path, monkeypatch):
    css = tmp_path / "print.css"
    css.write_text('p::before { content: "GESTYLED "; }')
    monkeypatch.setattr(pdf.finders, "find", lambda path: str(css) if path == "css/print.css" else None)
    data = pdf.render_pdf('<link rel="stylesheet" href="static:css/print.css"><p>Verslag</p>')
    assert "GESTYLED Verslag" in _text(data)


def test_an_unknown_static_path_is_left_out():
    data = pdf.render_pdf('<link rel="stylesheet" href="static:css/does-not-exist.css"><p>Verslag</p>')
    assert "Verslag" in _text(data)


@pytest.fixture
def outside_server():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b'p::before { content: "EXTERN "; }')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_external_urls_are_never_fetched(outside_server):
    url, hits = outside_server
    html = (
        f'<link rel="stylesheet" href="{url}/style.css"><img src="{url}/pixel.png">'
        f'<p style="background: url({url}/bg.png)">Verslag</p>'
    )
    data = pdf.render_pdf(html)
    assert hits == []
    assert "EXTERN" not in _text(data) and "Verslag" in _text(data)


def test_the_fetcher_refuses_file_urls():
    with pytest.raises(pdf.ExternalURLDenied):
        pdf.LocalOnlyFetcher().fetch("file:///etc/passwd")
