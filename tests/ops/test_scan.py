"""`make scan` (bin/scan): the parts that decide its verdict, without running the scanners.

The scan itself runs in CI (`.ci/run`, after the suite) against the demo data; these tests pin what it counts
as a finding, that its second factor is the one allauth accepts, and that the wapiti launcher's exclusion
patterns compile on this Python and match what they should.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scan():
    loader = importlib.machinery.SourceFileLoader("bin_scan", str(ROOT / "bin" / "scan"))
    spec = importlib.util.spec_from_loader("bin_scan", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_the_second_factor_is_the_code_allauth_accepts(scan):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    at = 1_700_000_015.0
    assert scan.totp(scan.TOTP_SECRET, at) == format_hotp_value(hotp_value(scan.TOTP_SECRET, int(at // 30)))
    # RFC 6238's published vector for SHA-1 at T=59 s (secret "12345678901234567890", 8 digits: 94287082).
    assert scan.totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59) == "287082"


def test_a_medium_or_worse_vulnerability_or_anomaly_is_a_finding_and_low_is_counted_only(scan):
    report = {
        "vulnerabilities": {
            "Secure Flag cookie": [{"level": 1, "method": "GET", "path": "/", "info": "Secure flag is not set"}],
            "SQL Injection": [
                {
                    "level": 4,
                    "method": "GET",
                    "path": "/gedetineerden/",
                    "parameter": "q",
                    "info": "SQL Injection via injection in the parameter q",
                }
            ],
        },
        "anomalies": {
            "Internal Server Error": [
                {
                    "level": 3,
                    "method": "POST",
                    "path": "/casusoverleg/1/",
                    "info": "The server responded with a 500 HTTP error code",
                }
            ]
        },
    }
    findings, summary = scan.wapiti_findings(report)
    assert len(findings) == 2
    assert any("SQL Injection (level 4)" in f and "/gedetineerden/" in f for f in findings)
    assert any("Internal Server Error (level 3)" in f for f in findings)
    assert "Secure Flag cookie level 1: 1" in summary
    assert scan.wapiti_findings({"vulnerabilities": {}, "anomalies": {}}) == ([], "none")


def test_the_launcher_makes_the_exclusions_compile_and_match(scan):
    namespace: dict = {}
    source = scan.WAPITI_LAUNCHER.split("from wapitiCore.main")[0].replace(
        "import wapitiCore.net.crawler as crawler", ""
    )
    source = source.replace("crawler.wildcard_translate = wildcard_translate", "")
    exec(compile(source, "launcher", "exec"), namespace)  # noqa: S102 - our own constant
    pattern = namespace["wildcard_translate"](scan.BASE + "/accounts/logout/*")
    assert pattern.match(scan.BASE + "/accounts/logout/") and pattern.match(scan.BASE + "/accounts/logout/?next=/")
    assert not pattern.match(scan.BASE + "/accounts/login/")
    every = [namespace["wildcard_translate"](scan.BASE + p) for p in scan.WAPITI_EXCLUDE]
    assert any(p.match(scan.BASE + "/profiel/sessies/afmelden/") for p in every)
    assert not any(p.match(scan.BASE + "/gedetineerden/") for p in every)
    # The start pages are pages of ours, and none is excluded.
    assert not any(p.match(scan.BASE + start) for p in every for start in scan.WAPITI_STARTS)
    assert sys.version_info >= (3, 11)  # where the packaged pattern (a trailing inline flag) fails to compile
    with pytest.raises(re.error):
        re.compile(r"abc\Z(?ms)")


def test_the_traffic_comes_from_the_request_log_and_a_server_error_is_reported(scan, tmp_path):
    log = tmp_path / "gunicorn.log"
    lines = [
        {"logger": "disengage.request", "route": "gedetineerden/", "status": 200, "method": "GET"},
        {"logger": "disengage.request", "route": "gedetineerden/", "status": 400, "method": "GET"},
        {"logger": "django.security.csrf", "msg": "Forbidden"},
        {"logger": "disengage.request", "route": "casusoverleg/<int:pk>/", "status": 500, "method": "POST"},
    ]
    log.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    summary = scan.traffic(log)
    assert summary[0] == "traffic: 3 requests to 2 distinct routes; by status: 200: 1, 400: 1, 500: 1"
    assert "1 server errors, e.g. POST casusoverleg/<int:pk>/" in summary[1]


def test_the_scan_database_is_its_own(scan, monkeypatch):
    monkeypatch.delenv("SCAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/disengage")
    assert scan.scan_database_url() == "postgres://postgres@127.0.0.1:5432/disengage_scan"
