"""The looks of the results workbook: its shared cell formats and its print layout."""

from __future__ import annotations

from rvgsrust_xlsxwriter import Format, Workbook, Worksheet

from justclick_import.models import OrderStatus

__all__ = ["A4", "MONEY_FORMAT", "STATUS_COLOURS", "Styles", "set_print_layout"]

A4 = 9  # Excel's paper size code
# Excel shows the separators of the reader's own locale: 113 180,00 ₽ in Russian.
MONEY_FORMAT = '#,##0.00 "₽"'

STATUS_COLOURS = {  # fill, and a darker edge for the chart's bars
    OrderStatus.CREATED: ("#C6EFCE", "#006100"),
    OrderStatus.ALREADY_EXISTS: ("#C6EFCE", "#006100"),
    OrderStatus.FAILED: ("#FFC7CE", "#9C0006"),
    OrderStatus.INVALID: ("#FFC7CE", "#9C0006"),
    OrderStatus.UNCERTAIN: ("#FFEB9C", "#9C5700"),
    OrderStatus.SKIPPED: ("#D9D9D9", "#595959"),
    OrderStatus.NOT_SENT: ("#D9D9D9", "#595959"),
}


class Styles:
    """The formats a workbook shares: each is registered once, cells only point at it."""

    def __init__(self, book: Workbook, date_format: str = "yyyy-mm-dd hh:mm:ss") -> None:
        self.book = book
        self.bold = self._make(bold=True)
        self.date = self._make(num_format=date_format)
        self.money = self._make(num_format=MONEY_FORMAT)
        self.whole = self._make(num_format="0")  # ids never as 1.23E+10
        # A wrapped message sits at the bottom of its row like every other cell: a format on
        # each column of a big table, only to lift them all to the top, costs 60% more time.
        self.wrap = self._make(wrap=True)
        self.step = self._make(wrap=True, top=True)
        self.headline = self._make(bold=True, size=15)
        self.heading = self._make(bold=True, size=12)
        self.hint = self._make(colour="#595959", font="Consolas", wrap=True, top=True)
        self.faint = self._make(colour="#595959")
        self.link = self._make(colour="#0563C1", underline=True, top=True)
        # The Summary's values sit next to their labels: left-aligned numbers.
        self.count = self._make(left=True, top=True)
        self.money_left = self._make(num_format=MONEY_FORMAT, left=True)
        self.date_left = self._make(num_format=date_format, left=True)
        self.fills = {s: self._make(fill=fill) for s, (fill, _) in STATUS_COLOURS.items()}

    def _make(
        self,
        *,
        bold: bool = False,
        num_format: str = "",
        fill: str = "",
        wrap: bool = False,
        size: float = 0,
        colour: str = "",
        font: str = "",
        underline: bool = False,
        left: bool = False,
        top: bool = False,
    ) -> Format:
        made = self.book.add_format()
        if bold:
            made.set_bold()
        if num_format:
            made.set_num_format(num_format)
        if fill:
            made.set_background_color(fill)
        if wrap:
            made.set_text_wrap()
        if top:
            made.set_vertical_align("top")
        if size:
            made.set_font_size(size)
        if colour:
            made.set_font_color(colour)
        if font:
            made.set_font_name(font)
        if underline:
            made.set_underline()
        if left:
            made.set_align("left")
        return made


def set_print_layout(sheet: Worksheet, *, landscape: bool = True) -> None:
    """Print on A4 as wide as one page, the header row repeated on every page."""
    sheet.set_paper_size(A4)
    if landscape:
        sheet.set_landscape()
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.2, footer=0.2)
    sheet.set_print_fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
    sheet.set_footer("&L&A&R&P / &N")
