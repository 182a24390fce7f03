"""The one CJK font every PDF of the app embeds (the evidence package's extraction record,
the incident and monthly reports): WenQuanYi Micro Hei, from Debian's fonts-wqy-microhei,
which the console already needs.

fpdf2 embeds the subset of a TrueType font that the text uses, so the Chinese shows on a
computer without CJK fonts. Loading the font (30,000 glyphs) is fpdf2's slow part (0.4 to
1 s of pure Python, whatever the document's size), so only one face is loaded: its Latin
letters and even digits serve the English text and the hashes too, and no bold face is
loaded (headings are set larger instead).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)
# fontTools lists every glyph it keeps at INFO when fpdf2 subsets the font: hundreds of
# lines per PDF in the app's log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# The family name the documents set their text in.
CJK_FAMILY = "wqy"


class CjkFontMissing(FileNotFoundError):
    """No CJK font: install fonts-wqy-microhei (scripts/install.sh does)."""


def cjk_font_file() -> Path:
    for path in FONT_FILES:
        if path.is_file():
            return path
    raise CjkFontMissing(
        "no CJK font for the PDF: install the Debian package fonts-wqy-microhei")


def add_cjk_font(pdf: FPDF) -> FPDF:
    """Load the font into ``pdf`` as ``CJK_FAMILY`` (the slow part); returns ``pdf``."""
    pdf.add_font(CJK_FAMILY, "", str(cjk_font_file()), collection_font_number=0)
    return pdf
