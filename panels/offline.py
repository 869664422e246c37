"""Keep Streamlit's server from asking outside services for this machine's addresses.

``.streamlit/config.toml`` sets ``server.address`` and ``browser.serverAddress`` so the
server never looks up its addresses at start. One path remains that configuration cannot
close: a WebSocket whose ``Origin`` is another site (any web page the reader has open can
try one, even against 127.0.0.1) makes Streamlit compare that origin with this machine's
"internal" address (a UDP socket towards 8.8.8.8) and "external" address (an HTTP request
to checkip.amazonaws.com, blocking, and repeated on every try while it fails). Such an
origin is refused either way; :func:`keep_server_offline` makes the refusal cost nothing.
"""

from __future__ import annotations


def _no_address() -> None:
    return None


def keep_server_offline() -> None:
    """Make Streamlit's own address look-ups answer "unknown" without touching the network.

    Call once as the app starts. Origins that were allowed stay allowed (``localhost``,
    ``127.0.0.1``, ``browser.serverAddress``, ``server.corsAllowedOrigins``); a public
    deployment names its address in ``browser.serverAddress``.
    """
    from streamlit import net_util

    net_util.get_internal_ip = _no_address
    net_util.get_external_ip = _no_address
