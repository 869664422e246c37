"""The map's tool buttons: on a narrow map, drawing and measuring fold behind one button."""

from __future__ import annotations

from geo.i18n import Translate
from layers.elements import FileScript
from layers.parcels import ENGLISH
from layers.static_files import js_call, to_json

FOLD_BELOW_PX = 640  # the page's width: a phone's, where Streamlit stacks columns


class FoldTools(FileScript):
    """Fold the drawing and measuring tools behind one button on a page narrower than
    :data:`FOLD_BELOW_PX` (``static/app/tools_fold.js``).

    Parameters
    ----------
    t : callable
        Translator, for the button's name.
    """

    def __init__(self, t: Translate = ENGLISH) -> None:
        super().__init__()
        self._name = "FoldTools"
        self.label = t("tools.toggle")

    def script_text(self) -> str:
        """``tools_fold.js`` and its call for the map."""
        options = {"width": FOLD_BELOW_PX, "label": self.label}
        return js_call("tools_fold.js", "cmFoldTools", (self.parent_name(),), (to_json(options),))
