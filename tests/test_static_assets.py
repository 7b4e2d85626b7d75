"""Static files: fingerprinted names, a year's caching, pre-compressed copies, the manifest that
templates name them through, and only the GOV.UK components we use."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
from govuk_frontend_jinja import __file__ as govuk_jinja_init

from app.assets import manifest, static_url
from app.assets.build import build, current, load
from app.paths import ROOT, STATIC_DIR, TEMPLATES_DIR
from app.templating import GOVUK_FRONTEND_VERSION, HTMX_VERSION, templates
from tests.helpers import Browserless

FINGERPRINT = re.compile(r"\.([0-9a-f]{12})\.[a-z0-9]+$")
STATIC_CALL = re.compile(r"static_url\((.+?)\)\s*}}")
TEMPLATES = sorted(TEMPLATES_DIR.rglob("*.html"))


def _page_assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_name_static_files_by_content_hash(client: Browserless) -> None:
    urls = _page_assets(client.get("/login").text)
    assert len(urls) >= 6
    for url in urls:
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, url
        match = FINGERPRINT.search(url)
        assert match, url
        assert hashlib.sha256(response.content).hexdigest()[:12] == match.group(1), url


def test_fingerprinted_files_are_cached_for_a_year(client: Browserless) -> None:
    for url in _page_assets(client.get("/login").text):
        response = client.get(url)
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["vary"] == "Accept-Encoding"


def test_unversioned_names_are_checked_again_each_time(client: Browserless) -> None:
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert client.get("/static/css/no-such.css").status_code == 404
    assert client.get("/static/dist/manifest.json").status_code == 404


@pytest.mark.parametrize(("encoding", "suffix"), [("br", ".br"), ("gzip", ".gz")])
def test_static_files_are_sent_precompressed(
    client: Browserless, encoding: str, suffix: str
) -> None:
    url = static_url(f"vendor/govuk-frontend-{GOVUK_FRONTEND_VERSION}/govuk-frontend.min.css")
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = client.get(url, headers={"Accept-Encoding": f"{encoding}, identity"})
    assert packed.headers["content-encoding"] == encoding
    assert packed.content == plain.content  # the client decoded it back to the same bytes
    on_disk = STATIC_DIR / "dist" / (url.removeprefix("/static/") + suffix)
    assert int(packed.headers["content-length"]) == on_disk.stat().st_size
    assert on_disk.stat().st_size < len(plain.content) / 5
    refused = client.get(url, headers={"Accept-Encoding": f"{encoding};q=0"})
    assert "content-encoding" not in refused.headers


def test_module_imports_are_rewritten_to_fingerprinted_names() -> None:
    built = STATIC_DIR / "dist"
    files = manifest().files
    for name, target in files.items():
        if name.endswith((".mjs", ".js", ".css")):
            text = (built / target).read_text("utf-8")
            for ref in re.findall(r"""["'(]/static/([^"')]+)""", text):
                assert ref not in files, f"{name} names {ref} without its fingerprint"
    app_js = (built / files["js/app.mjs"]).read_text("utf-8")
    assert "/static/" + files["js/checklist.mjs"] in app_js


def test_a_changed_import_changes_the_importers_name(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.mjs").write_text('import "/static/js/b.mjs";\n')
    (tmp_path / "js" / "b.mjs").write_text("export const b = 1;\n" * 200)
    first = build(tmp_path)
    assert (tmp_path / "dist" / (first.files["js/b.mjs"] + ".br")).is_file()
    assert current(tmp_path) == first  # nothing changed: nothing rebuilt
    (tmp_path / "js" / "b.mjs").write_text("export const b = 2;\n")
    second = current(tmp_path)  # stale: rebuilt
    assert second.files["js/b.mjs"] != first.files["js/b.mjs"]
    assert second.files["js/a.mjs"] != first.files["js/a.mjs"]
    assert load(tmp_path) == second
    importer = tmp_path / "dist" / second.files["js/a.mjs"]
    assert importer.read_text() == f'import"/static/{second.files["js/b.mjs"]}";'  # minified
    big = tmp_path / "dist" / first.files["js/b.mjs"]
    assert brotli.decompress(Path(f"{big}.br").read_bytes()) == big.read_bytes()
    assert gzip.decompress(Path(f"{big}.gz").read_bytes()) == big.read_bytes()


def test_every_static_reference_in_templates_resolves() -> None:
    env = templates.env
    found = 0
    for path in TEMPLATES:
        text = path.read_text("utf-8")
        assert "/static/" not in text, f"{path.name} names a static file without static_url()"
        for expression in STATIC_CALL.findall(text):
            name = env.compile_expression(expression)(
                govuk_version=GOVUK_FRONTEND_VERSION, htmx_version=HTMX_VERSION
            )
            assert name in manifest().files, f"{path.name}: {name}"
            found += 1
    assert found >= 8
    with pytest.raises(LookupError):
        static_url("js/no-such.mjs")


def test_no_script_blocks_drawing_the_page(client: Browserless) -> None:
    head = client.get("/login").text.split("</head>")[0]
    scripts = re.findall(r"<script[^>]*>", head)
    assert scripts
    for tag in scripts:
        assert " defer" in tag or " async" in tag or 'type="module"' in tag, tag


def test_only_govuk_components_we_use_are_built() -> None:
    listed = {
        line.strip()
        for line in (ROOT / "scripts" / "govuk-components.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    known = {p.name for p in (Path(govuk_jinja_init).parent / "templates" / "components").iterdir()}
    used: set[str] = set()
    for path in TEMPLATES:
        text = path.read_text("utf-8")
        used |= set(re.findall(r"govuk_frontend_jinja/components/([a-z-]+)/", text))
        used |= {c for c in re.findall(r"\bgovuk-([a-z]+(?:-[a-z]+)*)", text) if c in known}
    assert used - listed == set(), "add these to scripts/govuk-components.txt"
    assert listed <= known
    css = STATIC_DIR / f"vendor/govuk-frontend-{GOVUK_FRONTEND_VERSION}/govuk-frontend.min.css"
    text = css.read_text("utf-8")
    for component in ("accordion", "tabs", "cookie-banner", "character-count"):
        if component not in listed:
            assert f".govuk-{component}" not in text, component


def test_our_scripts_and_styles_are_served_minified_and_vendored_ones_as_they_are(
    tmp_path: Path,
) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "css").mkdir()
    (tmp_path / "vendor").mkdir()
    (tmp_path / "js" / "a.mjs").write_text(
        "// A comment the phone need not download.\nexport const greeting = `Hello ${1 + 1}`;\n"
    )
    (tmp_path / "css" / "a.css").write_text("/* a comment */\n.tc-a {\n  margin: 0;\n}\n")
    vendored = "/* licence: kept */\nvar  x = 1;\n"
    (tmp_path / "vendor" / "v.js").write_text(vendored)
    files = build(tmp_path).files
    dist = tmp_path / "dist"
    assert (dist / files["js/a.mjs"]).read_text() == "export const greeting=`Hello ${1 + 1}`;"
    assert (dist / files["css/a.css"]).read_text() == ".tc-a{margin:0}"
    assert (dist / files["vendor/v.js"]).read_text() == vendored
