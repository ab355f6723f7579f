"""Pages escape all user text (SPEC §11): a scenario whose every name, and whose library name,
holds HTML renders that HTML as text on every page. (The browser test loads the same scenario
and checks that nothing of it runs, in the parts the pages' scripts fill in.)"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

XSS = (Path(__file__).with_name("xss_scenario.yaml")).read_text()
LIBRARY_NAME = "<script>window.__xss='library'</script><img src=x onerror=alert(1)>"


def test_every_page_escapes_every_name(client: TestClient) -> None:
    r = client.post("/api/scenarios", json={"name": LIBRARY_NAME, "text": XSS})
    assert r.status_code == 201
    sid = r.json()["id"]
    for path in ("/", f"/scenarios/{sid}", f"/scenarios/{sid}/edit", f"/scenarios/{sid}/value",
                 f"/scenarios/{sid}/control", "/compare"):
        html = client.get(path).text
        assert "<script>window" not in html and "<img src=x" not in html, path
        assert "<svg" not in html and "<iframe" not in html and "<b onmouseover" not in html, path
        # The only scripts are the app's own files and the page's JSON data.
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/plotly.js" defer>',
                                                      '<script src="/static/app.js" defer>',
                                                      '<script type="application/json" id="page-data">'], path
        assert "&lt;script&gt;window.__xss=&#39;library&#39;" in html or (path == "/compare" and \
            "&lt;script&gt;" in html), path
    # The editor shows the text as it is, escaped inside the text area.
    html = client.get(f"/scenarios/{sid}/edit").text
    assert "&lt;img src=x onerror=\\&#34;window.__xss=&#39;holder&#39;\\&#34;&gt;Founders" in html


def test_no_page_loads_anything_from_another_host(client: TestClient) -> None:
    sid = client.post("/api/scenarios", json={"name": "x", "text": XSS}).json()["id"]
    for path in ("/", f"/scenarios/{sid}", f"/scenarios/{sid}/edit", f"/scenarios/{sid}/value",
                 f"/scenarios/{sid}/control", "/compare", "/new", "/docs"):
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert url.startswith("/") or url.startswith("data:") or url.startswith("#"), (path, url)
    for asset in ("/static/app.js", "/static/app.css"):
        assert "://" not in client.get(asset).text.replace("http://www.w3.org", "")
