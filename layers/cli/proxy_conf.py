"""``civicmap proxy-conf``: nginx's configuration for app replicas, the site beside them."""

from __future__ import annotations

from geo.cli.command import Command
from layers.deploy_files import PROXY_CONF_HELP, add_proxy_conf_arguments, run_proxy_conf

COMMAND = Command("proxy-conf", PROXY_CONF_HELP, add_proxy_conf_arguments, run_proxy_conf)
