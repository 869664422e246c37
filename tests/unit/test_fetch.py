"""Tests for geo.fetch and ``civicmap fetch``, against a loopback ArcGIS REST stand-in.

The county's map service is on the public internet, which these machines cannot reach
and the tests must not: ``arcgis_standin`` is **a stand-in for that service**, a thread
with ``http.server`` on 127.0.0.1 that answers as ArcGIS REST layers and their ``query``
operation do (from Esri's published REST API reference), serving the bundled sample in the
county's schema and injecting faults (HTTP 500, error bodies with HTTP 200, a slow page, a
page that fails twice, a layer that changes mid-download, a download stopped half way).
Retries do not wait. Only the tests with a slow page use a short timeout (4 s; the slow
page takes 8 s): the others wait up to 30 s, so a page slowed by a loaded machine is never
taken for a fault and no test counts a retry that was not injected.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyarrow.parquet as pq
import pytest
from arcgis_standin import EDITED_MS, LAYER_NAME, LAYER_PATH, Faults, StandIn, county_parcels, serve
from parcel_helpers import SAMPLE_ZIP

from geo.cli import EXIT_BAD_INPUT, main
from geo.errors import InputError
from geo.fetch import FetchProgress, FetchResult, PageStore, fetch_layer, out_sr_for
from geo.fetch.protocol import RetryPolicy, ServiceError
from geo.ingest import ingest
from geo.profile import Profile
from geo.sources import METADATA_KEY, read_parcels

FAST = RetryPolicy(attempts=4, backoff_s=0.0, max_backoff_s=0.0, timeout_s=4.0)
STEADY = RetryPolicy(attempts=4, backoff_s=0.0, max_backoff_s=0.0, timeout_s=30.0)
FAST_CLI = ("--timeout", "4", "--retries", "4", "--backoff", "0", "--quiet")
STEADY_CLI = ("--timeout", "30", "--retries", "4", "--backoff", "0", "--quiet")
# Faults on the pages at these offsets (200 features a page): an HTTP 500, an error body
# with HTTP 200, a page slower than the timeout, and a page that fails twice.
FAULTS = {200: ["500"], 400: ["error"], 600: ["slow"], 800: ["500", "error"]}


def faults() -> Faults:
    """A fresh copy of :data:`FAULTS` (each fault is used up as it is answered)."""
    return Faults({offset: list(queue) for offset, queue in FAULTS.items()}, slow_s=8.0)


COMPARED = ("address", "owner", "land_use", "owner_class", "site_kind", "verdict", "covered")


@pytest.fixture(scope="module")
def parcels() -> gpd.GeoDataFrame:
    """The sample in the county's map-service schema (read once; the stand-in copies it)."""
    return county_parcels()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, profile: Profile) -> gpd.GeoDataFrame:
    """``ingest`` of the bundled sample: the answers a fetch of the same data must give."""
    return ingest(SAMPLE_ZIP, profile, tmp_path_factory.mktemp("ingest") / "sample.parquet")


def standin(parcels: gpd.GeoDataFrame, **options: object) -> StandIn:
    """A stand-in serving a copy of the parcels."""
    return StandIn(parcels.copy(), **options)  # type: ignore[arg-type]


def fetch(server: StandIn, profile: Profile, out: Path, **options: object) -> FetchResult:
    """``fetch_layer`` against the stand-in with no waits (a short timeout where a page is slow)."""
    slow = any("slow" in queue for queue in server.faults.pages.values())
    options.setdefault("retry", FAST if slow else STEADY)
    return fetch_layer(server.url, profile, out, **options)  # type: ignore[arg-type]


def same_answers(fetched: gpd.GeoDataFrame, ingested: gpd.GeoDataFrame) -> None:
    """Every parcel of ``ingested`` is in ``fetched`` once, with the same values and verdict."""
    assert fetched["apn"].is_unique
    left = fetched.set_index("apn").sort_index()
    right = ingested.set_index("apn").sort_index()
    assert left.index.tolist() == right.index.tolist()
    for column in COMPARED:
        assert left[column].tolist() == right[column].tolist(), column
    ratio = left.geometry.area.to_numpy() / right.geometry.area.to_numpy()
    assert abs(ratio - 1).max() < 1e-6


def page_offsets(server: StandIn) -> list[int]:
    return [int(r.get("resultOffset", -1)) for r in server.page_requests()]


# ------------------------------------------------------------- the whole download


def test_fetch_with_faults_matches_ingest(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame, ingested: gpd.GeoDataFrame
) -> None:
    """Through a 500, an error body, a timeout and a twice-failing page: every parcel, and
    the same verdicts as ``ingest`` of the same data."""
    messages: list[str] = []
    states: list[FetchProgress] = []
    with serve(standin(parcels, faults=faults())) as server:
        result = fetch(
            server, profile, tmp_path / "p.parquet", notify=messages.append, progress=states.append
        )
    assert len(result.parcels) == 1567 and result.count_start == result.count_end == 1567
    same_answers(result.parcels, ingested)
    assert result.parcels.crs.to_epsg() == 2226
    assert result.pages == 8 and result.kept_pages == 0
    assert not result.layer_changed and result.notes == ()
    offsets = page_offsets(server)
    assert offsets.count(0) == 1 and offsets.count(200) == 2 and offsets.count(400) == 2
    assert offsets.count(600) == 2 and offsets.count(800) == 3
    assert sorted(set(offsets)) == list(range(0, 1567, 200))
    retried = [m for m in messages if "try" in m]
    assert len(retried) == 5
    assert any("HTTP 500" in m for m in retried)
    assert any("ArcGIS error 500: Error performing query operation" in m for m in retried)
    assert any("no answer within 4 s" in m for m in retried)
    assert [s.pages for s in states] == list(range(1, 9))
    assert states[-1].parcels == states[-1].parcels_total == 1567
    assert states[-1].pages_total == 8 and states[-1].remaining_s == 0
    assert not (tmp_path / "p.parquet.pages").exists()


def test_pages_ask_for_the_measure_crs_and_no_more_than_max_record_count(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """``outSR`` is the profile's measure CRS; a page size above maxRecordCount is cut."""
    with serve(standin(parcels)) as server:
        fetch(server, profile, tmp_path / "p.parquet", page_size=5000)
    pages = server.page_requests()
    assert {r["outSR"] for r in pages} == {"2226"} and {r["f"] for r in pages} == {"json"}
    assert {r["resultRecordCount"] for r in pages} == {"200"}
    assert {r["orderByFields"] for r in pages} == {"OBJECTID"}
    fields = pages[0]["outFields"].split(",")
    assert fields[0] == "OBJECTID" and {"APN_DASH", "NAME", "LANDUSE"} <= set(fields)
    assert out_sr_for(profile) == 2226 and out_sr_for(profile, "geojson") == 4326


def test_follows_exceeded_transfer_limit_when_pages_are_smaller(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame, ingested: gpd.GeoDataFrame
) -> None:
    """A server that sends fewer features than asked (and says more remain) is followed."""
    with serve(standin(parcels, cap=150)) as server:
        result = fetch(server, profile, tmp_path / "p.parquet")
    assert page_offsets(server) == list(range(0, 1567, 150))
    same_answers(result.parcels, ingested)


def test_object_id_ranges_and_geojson_without_pagination(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame, ingested: gpd.GeoDataFrame
) -> None:
    """Without pagination: ``returnIdsOnly``, then object-id ranges; GeoJSON in EPSG:4326."""
    options = {"supports_pagination": False, "max_record_count": 300}
    with serve(standin(parcels, **options)) as server:
        result = fetch(server, profile, tmp_path / "p.parquet", fmt="geojson")
    ids = [r for r in server.requests if r.get("returnIdsOnly") == "true"]
    assert len(ids) == 1
    pages = server.page_requests()
    assert len(pages) == 6 and not any("resultOffset" in r for r in pages)
    assert pages[0]["where"] == "(1=1) AND OBJECTID >= 1 AND OBJECTID <= 300"
    assert {r["outSR"] for r in pages} == {"4326"} and {r["f"] for r in pages} == {"geojson"}
    assert result.parcels.crs.to_epsg() == 4326
    same_answers(result.parcels.to_crs(2226), ingested)


def test_where_filters_the_layer(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    with serve(standin(parcels)) as server:
        result = fetch(server, profile, tmp_path / "p.parquet", where="LANDUSE = 'P1'")
    assert len(result.parcels) == 37 and set(result.parcels["land_use"]) == {"P1"}
    assert result.parcels.attrs["fetch"]["where"] == "LANDUSE = 'P1'"


# --------------------------------------------------------------------- provenance


def test_provenance_in_the_file_metadata(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame, ingested: gpd.GeoDataFrame
) -> None:
    """URL, layer name, its last edit, fetch time and count travel in the GeoParquet."""
    out = tmp_path / "p.parquet"
    with serve(standin(parcels)) as server:
        fetch(server, profile, out)
    meta = json.loads(pq.read_schema(out).metadata[METADATA_KEY])
    info = meta["fetch"]
    assert info["url"] == server.url and info["layer"] == LAYER_NAME
    assert info["last_edit_date"] == "2025-12-01T00:00:00+00:00"
    assert info["count"] == info["features"] == 1567 and info["out_sr"] == "EPSG:2226"
    assert info["fetched_at"].endswith("+00:00") and not info["layer_changed"]
    assert meta["source_name"] == LAYER_NAME and meta["source_date"] == "2025-12-01"
    assert meta["ingested"] is True and meta["source_fields"]["address_street"] == "STREET_NAME"
    reopened = read_parcels(out, profile)  # every command takes the file
    assert reopened.attrs["fetch"]["url"] == server.url
    assert sorted(reopened["apn"]) == sorted(ingested["apn"])


# -------------------------------------------------------------- a layer that changes


def test_count_that_changes_mid_download_is_reported(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """A parcel added after the third page: the file says the layer changed, and holds it."""
    with serve(standin(parcels, faults=Faults(grow_after=3))) as server:
        result = fetch(server, profile, tmp_path / "p.parquet")
    assert result.count_start == 1567 and result.count_end == 1568
    assert result.layer_changed and len(result.parcels) == 1568
    assert "999-0001-001-0000" in set(result.parcels["apn"])
    assert len(result.notes) == 1
    assert "changed during the download" in result.notes[0]
    assert "1,567" in result.notes[0] and "1,568" in result.notes[0]
    info = result.parcels.attrs["fetch"]
    assert info["layer_changed"] and info["count_at_start"] == 1567 and info["count"] == 1568


def test_a_short_download_of_an_unchanged_layer_is_an_error(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """A page that silently loses a feature, the layer unchanged: no file, pages kept."""
    out = tmp_path / "p.parquet"
    with serve(standin(parcels)) as server:
        original = server.query

        def lose_one_feature(params: dict[str, str]) -> tuple[int, bytes]:
            status, body = original(params)
            if params.get("resultOffset") == "200":
                data = json.loads(body)
                data["features"].pop(50)
                body = json.dumps(data).encode()
            return status, body

        server.query = lose_one_feature  # type: ignore[method-assign]
        with pytest.raises(ServiceError, match="holds 1,566 features but the server counts 1,567"):
            fetch(server, profile, out)
    assert not out.exists() and (tmp_path / "p.parquet.pages" / "manifest.json").exists()


def test_paging_goes_on_to_the_count_without_the_limit_flag(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """A server that sends fewer than asked and omits ``exceededTransferLimit``: the count
    says more remain, so paging goes on."""
    with serve(standin(parcels, cap=150)) as server:
        original = server.query

        def without_flag(params: dict[str, str]) -> tuple[int, bytes]:
            status, body = original(params)
            return status, body.replace(b', "exceededTransferLimit": true', b"")

        server.query = without_flag  # type: ignore[method-assign]
        result = fetch(server, profile, tmp_path / "p.parquet")
    assert len(result.parcels) == 1567 and page_offsets(server) == list(range(0, 1567, 150))


# ------------------------------------------------------------------- interrupted


def stop_after(pages: int) -> Callable[[FetchProgress], None]:
    """A progress callback that interrupts the download (as Ctrl-C does) after some pages."""

    def progress(state: FetchProgress) -> None:
        if state.pages == pages:
            raise KeyboardInterrupt

    return progress


def test_interrupted_download_resumes_from_its_pages(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame, ingested: gpd.GeoDataFrame
) -> None:
    out = tmp_path / "p.parquet"
    with serve(standin(parcels)) as server:
        with pytest.raises(KeyboardInterrupt):
            fetch(server, profile, out, progress=stop_after(3))
        assert not out.exists()
        manifest = json.loads((tmp_path / "p.parquet.pages" / "manifest.json").read_text())
        assert len(manifest["pages"]) == 3
        server.requests.clear()
        messages: list[str] = []
        result = fetch(server, profile, out, notify=messages.append)
    assert page_offsets(server) == [600, 800, 1000, 1200, 1400]
    assert result.kept_pages == 3 and result.pages == 8
    assert messages == ["resuming: 3 pages kept from an earlier run"]
    same_answers(result.parcels, ingested)


def test_pages_of_a_layer_edited_since_are_discarded(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    out = tmp_path / "p.parquet"
    with serve(standin(parcels)) as server:
        with pytest.raises(KeyboardInterrupt):
            fetch(server, profile, out, progress=stop_after(2))
        server.edited_ms = EDITED_MS + 1
        server.requests.clear()
        messages: list[str] = []
        result = fetch(server, profile, out, notify=messages.append)
    assert page_offsets(server)[0] == 0 and result.kept_pages == 0
    assert len(messages) == 1 and "changed since the kept pages" in messages[0]
    assert len(result.parcels) == 1567


def test_pages_of_another_request_are_not_mixed_in(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """Pages kept for another ``where`` are discarded, not resumed."""
    out = tmp_path / "p.parquet"
    with serve(standin(parcels)) as server:
        with pytest.raises(KeyboardInterrupt):
            fetch(server, profile, out, progress=stop_after(2))
        messages: list[str] = []
        result = fetch(server, profile, out, where="LANDUSE = 'P1'", notify=messages.append)
    assert len(messages) == 1 and "were for another request: discarded" in messages[0]
    assert result.kept_pages == 0 and len(result.parcels) == 37


def test_a_page_that_keeps_failing_stops_with_pages_kept(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """Every try of one page fails: a clear error, the pages before it kept, then resumed."""
    out = tmp_path / "p.parquet"
    with serve(standin(parcels, faults=Faults(always_500={400}))) as server:
        with pytest.raises(ServiceError, match=r"kept failing \(HTTP 500\) after 4 tries"):
            fetch(server, profile, out)
        assert page_offsets(server).count(400) == 4
        server.faults.always_500.clear()
        result = fetch(server, profile, out)
    assert result.kept_pages == 2 and len(result.parcels) == 1567


# ------------------------------------------------------------------ refusals


def test_an_error_body_for_a_bad_query_is_not_retried(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    with (
        serve(standin(parcels)) as server,
        pytest.raises(ServiceError, match="ArcGIS error 400") as caught,
    ):
        fetch(server, profile, tmp_path / "p.parquet", where="NO_SUCH_FIELD = 'x'")
    assert "Invalid where clause" in str(caught.value)
    assert len([r for r in server.requests if r["_path"].endswith("/query")]) == 1


def test_not_a_layer(tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame) -> None:
    with serve(standin(parcels)) as server:
        url = server.url.rsplit("/", 1)[0] + "/99"
        with pytest.raises(ServiceError, match="HTTP 404"):
            fetch_layer(url, profile, tmp_path / "p.parquet", retry=FAST)
    with pytest.raises(InputError, match="not an http"):
        fetch_layer("file:///etc/passwd", profile, tmp_path / "p.parquet")
    with pytest.raises(InputError, match="write GeoParquet"):
        fetch_layer("http://127.0.0.1:9/x", profile, tmp_path / "p.geojson")


def test_a_layer_of_points_is_refused_before_any_page(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    with serve(standin(parcels)) as server:
        described = server.layer_info()
        server.layer_info = lambda: {**described, "geometryType": "esriGeometryPoint"}  # type: ignore[method-assign]
        with pytest.raises(InputError, match="holds point features; parcels must be polygons"):
            fetch(server, profile, tmp_path / "p.parquet")
    assert server.page_requests() == [] and not (tmp_path / "p.parquet.pages").exists()


def test_a_page_in_another_crs_than_asked_is_refused(
    tmp_path: Path, profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """Asked for EPSG:3310 (the profile's measure CRS here), sent EPSG:2226: refused."""
    albers = dataclasses.replace(profile, measure_crs="EPSG:3310")
    with serve(standin(parcels)) as server:
        original = server.query
        server.query = lambda params: original({**params, "outSR": ""})  # type: ignore[method-assign]
        with pytest.raises(ServiceError, match="although EPSG:3310 was asked for"):
            fetch(server, albers, tmp_path / "p.parquet")


def test_retry_waits_double_up_to_the_cap() -> None:
    policy = RetryPolicy(attempts=6, backoff_s=1.0, max_backoff_s=5.0)
    waits = [policy.delay(n) for n in range(1, 6)]
    for wait, base in zip(waits, (1, 2, 4, 5, 5), strict=True):
        assert 0.75 * base <= wait <= 1.25 * base


# ------------------------------------------------------------------ the command


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def rows(text: str) -> list[dict[str, str]]:
    """The answers, without the columns saying where and when they came from."""
    cited = {"data_source", "data_date", "data_date_basis", "generated_at"}
    answers = [
        {k: v for k, v in r.items() if k not in cited} for r in csv.DictReader(io.StringIO(text))
    ]
    return sorted(answers, key=lambda r: r["apn"])


def test_cli_fetch_with_faults_then_check_answers_as_the_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], parcels: gpd.GeoDataFrame
) -> None:
    """``civicmap fetch --url ... --out`` through faults; ``check`` of the file answers as
    ``check`` of the sample does, row for row."""
    out = tmp_path / "parcels.parquet"
    with serve(standin(parcels, faults=faults())) as server:
        status, stdout, stderr = run(capsys, "fetch", "--url", server.url, "--out", out, *FAST_CLI)
    assert status == 0, stderr
    first = stderr.splitlines()[0]
    assert first == f"contacting 127.0.0.1:{server.port} (the given --url): {server.url}"
    assert stderr.count("try ") == 5
    assert "parcels: 1,567" in stdout
    assert "fetched: 1,567 features in 8 pages; the server counts 1,567" in stdout
    assert f"layer: {LAYER_NAME}, last edited 2025-12-01T00:00:00+00:00" in stdout
    assert stdout.endswith(f"wrote: {out}\n") and "note:" not in stdout
    status, fetched, _ = run(capsys, "check", out, "--format", "csv")
    assert status == 0
    status, sample, _ = run(capsys, "check", SAMPLE_ZIP, "--format", "csv")
    assert rows(fetched) == rows(sample)


def test_cli_progress_lines_off_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], parcels: gpd.GeoDataFrame
) -> None:
    """Without ``--quiet``, a log gets a line of pages, parcels, rate and time left."""
    with serve(standin(parcels)) as server:
        status, _, stderr = run(
            capsys, "fetch", "--url", server.url, "--out", tmp_path / "p.parquet",
            "--timeout", "30", "--page-size", "100",
        )  # fmt: skip
    assert status == 0
    lines = [line for line in stderr.splitlines() if line.startswith("fetching: ")]
    assert len(lines) == 11  # one each tenth of the way, 16 pages of 100
    assert lines[0].startswith("fetching: page 1/16 · 100/1,567 parcels · ")
    assert lines[-1].startswith("fetching: page 16/16 · 1,567/1,567 parcels · ")
    assert lines[-1].endswith(" · 0:00 left") and "/s" in lines[-1]


def test_cli_default_url_is_the_profiles_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile, parcels: gpd.GeoDataFrame
) -> None:
    """Without ``--url`` the profile's ``[source]`` layer is fetched, and the CLI says so."""
    text = profile.path.read_text(encoding="utf-8")
    with serve(standin(parcels)) as server:
        copy = tmp_path / "profile.toml"
        copy.write_text(text.replace(text.split('url = "')[1].split('"')[0], server.url), "utf-8")
        status, stdout, stderr = run(
            capsys, "fetch", "--profile", copy, "--out", tmp_path / "p.parquet", *STEADY_CLI
        )
    assert status == 0, stderr
    assert stderr.startswith(f"contacting 127.0.0.1:{server.port} (the profile's [source])")
    assert server.requests[0]["_path"] == LAYER_PATH


def test_cli_fetch_reports_a_changed_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], parcels: gpd.GeoDataFrame
) -> None:
    with serve(standin(parcels, faults=Faults(grow_after=2))) as server:
        status, stdout, _ = run(
            capsys, "fetch", "--url", server.url, "--out", tmp_path / "p.parquet", *STEADY_CLI
        )
    assert status == 0
    assert "note: the layer changed during the download" in stdout


def test_cli_fetch_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], parcels: gpd.GeoDataFrame
) -> None:
    with serve(standin(parcels)) as server:
        status, _, stderr = run(
            capsys, "fetch", "--url", server.url, "--where", "NOPE = 1",
            "--out", tmp_path / "p.parquet", *STEADY_CLI,
        )  # fmt: skip
    assert status == EXIT_BAD_INPUT
    lines = stderr.splitlines()
    assert len(lines) == 2 and lines[0].startswith("contacting ")
    assert lines[1].startswith("error: ") and "ArcGIS error 400" in lines[1]


def test_cli_fetch_interrupted_says_how_to_resume(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    parcels: gpd.GeoDataFrame,
) -> None:
    """Ctrl-C after three pages: status 130, where the pages are; the same command resumes."""
    out = tmp_path / "p.parquet"
    keep = PageStore.add
    kept = []

    def keep_then_interrupt(self: PageStore, *args: Any) -> None:
        keep(self, *args)
        kept.append(args[0])
        if len(kept) == 3:
            raise KeyboardInterrupt

    with serve(standin(parcels)) as server:
        monkeypatch.setattr(PageStore, "add", keep_then_interrupt)
        status, _, stderr = run(capsys, "fetch", "--url", server.url, "--out", out, *STEADY_CLI)
        assert status == 130
        assert stderr.splitlines()[-1] == (
            f"interrupted: the pages fetched so far are kept in {out}.pages; "
            "run the same command again to resume"
        )
        monkeypatch.setattr(PageStore, "add", keep)
        status, stdout, _ = run(capsys, "fetch", "--url", server.url, "--out", out, *STEADY_CLI)
    assert status == 0
    assert "fetched: 1,567 features in 8 pages (3 kept from an earlier run)" in stdout


def test_cli_fetch_without_a_source_url_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], profile: Profile
) -> None:
    text = profile.path.read_text(encoding="utf-8")
    copy = tmp_path / "profile.toml"
    copy.write_text(text.replace(text.split('url = "')[1].split('"')[0], ""), "utf-8")
    status, _, stderr = run(capsys, "fetch", "--profile", copy, "--out", tmp_path / "p.parquet")
    assert status == EXIT_BAD_INPUT
    assert stderr == "error: the profile's [source] names no url; give one with --url\n"


def test_fetched_county_codes_are_lots_with_a_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The county's six-character codes and descriptions, fetched: ``check --lot-use 'BFH*'``
    makes them lots, and ``values`` lists them with their descriptions."""
    out = tmp_path / "county.parquet"
    with serve(standin(county_parcels(county_codes=True))) as server:
        assert run(capsys, "fetch", "--url", server.url, "--out", out, *STEADY_CLI)[0] == 0
    assert "LU_SPECIF" in server.page_requests()[0]["outFields"].split(",")
    status, text, _ = run(capsys, "check", out, "--lot-use", "BFH*", "--format", "csv")
    parking = [r for r in rows(text) if r["land_use"].startswith("BFH")]
    assert status == 0 and len(parking) == 37
    assert {r["site_kind"] for r in parking} == {"parking lot"}
    status, text, _ = run(capsys, "values", out, "LANDUSE", "--format", "csv")
    listed = {r["value"]: r for r in csv.DictReader(io.StringIO(text))}
    assert listed["BFH0MA"]["description"] == "PARKING LOT"
    assert listed["BFH0MA"]["site_kind"] == "parking lot"
