"""``bench/load.py``: its percentiles, its answer detector, and two sessions against the app.

The end-to-end test checks the client against the real app on the bundled sample (a
loopback server this test starts), not its timings (those are for ``make bench``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from bench_support import in_own_loop, load_bench
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sacramento" / "sample" / "downtown_sample.zip"


load = load_bench("load")
crowd = sys.modules["crowd"]  # imported by load.py from beside it
_support = sys.modules["_support"]


def heading(text: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.heading.body = text
    return msg


def markdown(text: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.markdown.body = text
    return msg


def exception(text: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.exception.message = text
    return msg


def finished(status: int = ForwardMsg.FINISHED_SUCCESSFULLY) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status  # type: ignore[assignment]
    return msg


def watched(apn: str, *messages: ForwardMsg) -> object:
    watch = load.RunWatch(apn)
    for msg in messages:
        watch.feed(msg)
    return watch


def test_percentile_is_nearest_rank() -> None:
    assert crowd.percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert crowd.percentile([float(i) for i in range(1, 21)], 0.95) == 19.0
    assert crowd.percentile([float(i) for i in range(1, 101)], 0.95) == 95.0
    assert crowd.percentile([7.0], 0.95) == 7.0
    assert crowd.percentile([1.0, 9.0], 0.95) == 9.0


def test_percentile_of_nothing_is_nan() -> None:
    value = crowd.percentile([], 0.5)
    assert value != value


def test_answer_card_with_escaped_apn_counts() -> None:
    apn = "006-0102-001-0000"
    watch = watched(apn, markdown("Map layers"), heading(r"200 C ST · APN 006\-0102\-001\-0000"))
    assert not watch.answered  # not finished yet
    watch.feed(finished())
    assert watch.answered and watch.failure() == ""


def test_another_parcels_card_does_not_count() -> None:
    watch = watched("006-0102-001-0000", heading(r"APN 006\-0102\-002\-0000"), finished())
    assert not watch.answered
    assert watch.failure() == "no answer card"


def test_apn_in_plain_markdown_is_not_the_card() -> None:
    watch = watched("006-0102-001-0000", markdown("006-0102-001-0000"), finished())
    assert not watch.answered


def test_an_exception_element_fails_the_session() -> None:
    apn = "006-0102-001-0000"
    watch = watched(apn, heading(f"APN {apn}"), exception("KeyError: 'apn'"), finished())
    assert not watch.answered
    assert watch.failure() == "exception"


def test_a_rerun_keeps_reading_and_a_compile_error_fails() -> None:
    apn = "006-0102-001-0000"
    watch = watched(apn, finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN))
    assert not watch.finished
    watch = watched(apn, heading(f"APN {apn}"), finished(ForwardMsg.FINISHED_WITH_COMPILE_ERROR))
    assert watch.finished and not watch.answered
    assert watch.failure().startswith("script_finished status")


def test_the_rerun_request_carries_the_query() -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    back = BackMsg()
    back.ParseFromString(load.rerun_request("006-0102-001-0000"))
    assert back.WhichOneof("type") == "rerun_script"
    assert back.rerun_script.query_string == "q=006-0102-001-0000"


def test_levels_are_checked_and_bounded() -> None:
    assert load.parse_levels("10, 30,60", 40) == [10, 30, 40]
    with pytest.raises(ValueError):
        load.parse_levels("ten", 40)
    with pytest.raises(ValueError):
        load.parse_levels("0", 40)


def test_two_sessions_against_the_app_on_the_sample() -> None:
    """Two sessions at once against ``streamlit run app.py`` on the sample both answer."""
    apns = load.parcel_apns(None, 2, seed=3)
    assert len(apns) == 2
    with tempfile.TemporaryDirectory() as work:
        port = _support.free_port()
        proc = load.start_server(SAMPLE, port, Path(work) / "server.log", Path(work) / "cache")
        try:
            load.wait_healthy(port, proc, timeout=45)
            outcomes = in_own_loop(load.run_level(port, apns, timeout=45))
            log = (Path(work) / "server.log").read_text(errors="replace")
        finally:
            load.stop_server(proc)
    assert [o.kind for o in outcomes] == ["answered", "answered"], (outcomes, log[-2000:])
    assert all(o.seconds is not None and o.seconds > 0 for o in outcomes)
    tally = load.Tally.of(outcomes)
    assert tally.all_answered and tally.p95 >= tally.p50 > 0
