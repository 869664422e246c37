"""The map's own scripts, styles and templates: files that parse, data that stays text."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import folium
import pytest
from markupsafe import Markup

from geo.analysis import analyse
from geo.profile import Profile
from geo.sources import read_parcels
from geo.vendor import read_vendor_files
from layers.compose import parcel_sheet
from layers.overlays import TextLabels, landmarks_layer, text_label
from layers.standalone import standalone_html
from layers.static_files import STATIC_DIR, inline_style, js_call, static_text, to_json
from layers.templating import TEMPLATE_DIR, render

LAYERS = Path(__file__).resolve().parents[2] / "layers"
SCRIPTS = sorted(STATIC_DIR.glob("*.js"))
CALLS = ("cmParcelLayer", "cmTextLabels", "cmHtmlControl", "cmHideLabelsBelowZoom",
         "cmKeepPageStill")  # fmt: skip
JINJA = "{{ 1234*1000 }} {% if true %}yes{% endif %} {# note #}"

# What a line of JavaScript or CSS looks like inside a Python string.
CODE_IN_STRING = re.compile(
    r"<script|<style|\bfunction\s*\(|=>|\bL\.\w+\(|\.addTo\(|\{\s*[\w-]+\s*:\s*[^;{}]+;"
)


def node_check(path: Path) -> subprocess.CompletedProcess[str]:
    """Parse a script with Node (without running it)."""
    return subprocess.run(
        ["node", "--check", str(path)], capture_output=True, text=True, timeout=60
    )


def test_there_are_scripts_and_styles() -> None:
    names = {p.name for p in STATIC_DIR.iterdir()}
    assert {"parcel_layer.js", "labels.js", "control.js", "map.css", "sheet.css"} <= names
    assert "page.css" in names  # the app's own page style, for app.py to load


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_each_script_parses(path: Path) -> None:
    result = node_check(path)
    assert result.returncode == 0, result.stderr


def test_a_script_with_its_call_parses(tmp_path: Path) -> None:
    """The file and its call make valid JavaScript, data and all."""
    labels = TextLabels().add((38.5, -121.5), '<div a="b">x</script> {{ y }}</div>', (9, 9), (1, 1))
    folium.FeatureGroup(name="g").add_to(folium.Map(tiles=None)).add_child(labels)
    code = labels.script_text()
    assert code.startswith(static_text("labels.js").split("</")[0])
    assert "</" not in code and code.rstrip().endswith("]]);")
    (tmp_path / "call.js").write_text(code, encoding="utf-8")
    result = node_check(tmp_path / "call.js")
    assert result.returncode == 0, result.stderr


def test_the_offline_map_scripts_parse(profile: Profile, tmp_path: Path) -> None:
    """Every script of the offline map (vendored, ours and their calls) is valid JavaScript."""
    sample = analyse(read_parcels(profile.sample_path(), profile), profile)  # type: ignore[arg-type]
    html = standalone_html(sample, profile, read_vendor_files(), (f"s {JINJA}", "2026", True))
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    ours = [s for s in scripts if "cmParcelLayer(" in s]
    assert len(ours) == 1 and all(f"{name}(" in ours[0] for name in CALLS)
    for i, code in enumerate(scripts):
        (tmp_path / f"s{i}.js").write_text(code, encoding="utf-8")
        result = node_check(tmp_path / f"s{i}.js")
        assert result.returncode == 0, result.stderr


def test_js_call_passes_only_names_and_json() -> None:
    code = js_call("keep_still.js", "cmKeepPageStill", ("map_1",), (to_json("</script>"),))
    assert code.endswith('cmKeepPageStill(map_1, "<\\/script>");\n')
    with pytest.raises(ValueError, match="JavaScript name"):
        js_call("keep_still.js", "cmKeepPageStill", ("map_1); alert(1",))


def test_inline_style_cannot_end_its_element() -> None:
    css = inline_style("map.css")
    assert css.startswith("<style>") and css.endswith("</style>")
    assert css.count("</style") == 1 and ".cm-legend" in css


def _code_strings(path: Path) -> list[str]:
    """Every string constant of a module except docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def test_no_javascript_or_css_left_in_python_strings() -> None:
    """Scripts and styles live in static/app; only the loader writes the elements round them."""
    found = {
        path.name: hits
        for path in sorted(LAYERS.glob("*.py"))
        if path.name != "static_files.py"
        and (hits := [s for s in _code_strings(path) if CODE_IN_STRING.search(s)])
    }
    assert found == {}


def test_the_pattern_finds_code() -> None:
    """The check above would see a script, a style or a handler if one came back."""
    for code in ("<style>a{}</style>", "function(f, l) {}", "x => 1", "L.marker([0, 0])",
                 ".cm-card { color: #111; }"):  # fmt: skip
        assert CODE_IN_STRING.search(code), code


def test_templates_hold_no_script() -> None:
    for path in TEMPLATE_DIR.glob("*.html"):
        assert "<script" not in path.read_text(encoding="utf-8"), path.name


def test_templates_write_data_braces_as_entities() -> None:
    """Autoescaped, and braces too: Folium may read the result again as a template."""
    out = render("source.html", t=lambda key, **kw: f"{key} {kw}", name=JINJA, date="d",
                 illustrative=False)  # fmt: skip
    assert "{" not in out and "}" not in out
    assert "&#123;&#123; 1234*1000 &#125;&#125;" in out
    markup = render("source.html", t=lambda key, **kw: Markup("<b>{x}</b>"), name="",
                    date="", illustrative=True)  # fmt: skip
    assert "<b>{x}</b>" in markup  # only values marked safe are written as they are


def test_labels_escape_their_text() -> None:
    fmap = folium.Map(tiles=None)
    landmarks_layer([(f"<b>{JINJA}</b>", "", 38.58, -121.49, "left")]).add_to(fmap)
    page = fmap.get_root().render()
    assert "1234000" not in page and "{{" not in page
    assert '<div class=\\"cm-landmark cm-left\\">&lt;b&gt;&#123;&#123;' in page
    labels = text_label(TextLabels(), (38.5, -121.5), "already &amp; escaped", 60, "x:y")
    assert labels.rows[0][2] == '<div class="cm-street" style="x:y">already &amp; escaped</div>'


def test_sheet_shows_template_text_in_data_as_text(profile: Profile) -> None:
    parcels = read_parcels(profile.sample_path(), profile).head(3).copy()  # type: ignore[arg-type]
    parcels.loc[parcels.index[0], "address"] = f"1 A ST {JINJA}"
    analysed = analyse(parcels, profile)
    html = parcel_sheet(analysed, 0, (f"f {JINJA}", "d", True), f"?q={JINJA}")
    assert "1234000" not in html and "{{" not in html and "{%" not in html
    assert "&#123;&#123; 1234*1000 &#125;&#125;" in html
    assert "<style>/*" in html and "@page" in html  # the sheet's CSS, from its file
