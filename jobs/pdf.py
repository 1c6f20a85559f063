"""PDFs of the documents (jobs/documents.py's Paper), A4 and printable, with a seal area.
Japanese is drawn with IPAex Gothic, a TrueType font shipped in jobs/fonts/ under the IPA Font
License and embedded (as a subset of the glyphs used) in every file, so that the text reads on
a machine with no Japanese font. ReportLab's built-in CID fonts are not used: they are not
embedded and show as empty boxes where the reader lacks Japanese fonts."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from jobs.documents import Paper

FONT_NAME = "IPAexGothic"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "ipaexg.ttf"
MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
INK = colors.black
RULE = colors.HexColor("#555555")
SHADE = colors.HexColor("#f2f2f2")
# Tables draw text that is not a Paragraph in Helvetica unless told otherwise, which would put
# a font in the file that is not embedded.
EMBEDDED = ("FONTNAME", (0, 0), (-1, -1), FONT_NAME)


def _font() -> str:
    """Register the embedded font once per process."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    # wordWrap="CJK" lets Japanese lines break between any two characters, as it should.
    base = ParagraphStyle("base", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER, spaceAfter=6
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "name": ParagraphStyle("name", parent=base, fontSize=12, leading=16),
        "heading": ParagraphStyle("heading", parent=base, fontSize=8.5, textColor=RULE),
        "headline": ParagraphStyle("headline", parent=base, fontSize=14, leading=20),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "num": ParagraphStyle("num", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT),
        "th": ParagraphStyle("th", parent=base, fontSize=8.5, leading=11),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _party(party, styles) -> list:
    flow = [_p(party.heading, styles["heading"]), _p(party.name, styles["name"])]
    flow += [_p(line, styles["small"]) for line in party.lines]
    return flow


def _seal_box(styles) -> Table:
    """The square where the workshop presses its seal (社印)."""
    box = Table([[_p("印", styles["heading"])]], colWidths=[22 * mm], rowHeights=[22 * mm])
    box.setStyle(
        TableStyle(
            [
                EMBEDDED,
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return box


def _grid(data, widths, *, header: bool) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    table.setStyle(TableStyle([EMBEDDED, *style]))
    return table


def render(paper: Paper, *, author: str = "") -> bytes:
    """The paper as a PDF file's bytes."""
    styles = _styles()
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{paper.title} {paper.number}",
        author=author or paper.issuer.name,
        subject=paper.title,
        creator="Engawa",
        # Otherwise every page starts in Helvetica, a font that is not embedded.
        initialFontName=styles["base"].fontName,
        initialFontSize=9.5,
    )
    flow: list = [_p(paper.title, styles["title"])]
    facts = Table(
        [[_p(label, styles["small"]), _p(value, styles["small"])] for label, value in paper.facts],
        colWidths=[32 * mm, 48 * mm],
        hAlign="RIGHT",
    )
    facts.setStyle(TableStyle([EMBEDDED, ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    flow += [facts, Spacer(1, 4 * mm)]

    issuer = _party(paper.issuer, styles)
    right = Table([[issuer, _seal_box(styles) if paper.seal else ""]], colWidths=[58 * mm, 26 * mm])
    right.setStyle(TableStyle([EMBEDDED, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    parties = Table(
        [[_party(paper.addressee, styles), right]], colWidths=[WIDTH - 86 * mm, 86 * mm]
    )
    parties.setStyle(
        TableStyle(
            [
                EMBEDDED,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ]
        )
    )
    flow += [parties, Spacer(1, 5 * mm)]

    if paper.lede:
        flow += [_p(paper.lede, styles["base"]), Spacer(1, 2 * mm)]
    if paper.headline:
        label, value = paper.headline
        headline = Table(
            [[_p(label, styles["headline"]), _p(value, styles["headline"])]],
            colWidths=[60 * mm, 50 * mm],
            hAlign="LEFT",
        )
        headline.setStyle(
            TableStyle(
                [
                    EMBEDDED,
                    ("LINEBELOW", (0, 0), (-1, -1), 1.2, INK),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ]
            )
        )
        flow += [headline, Spacer(1, 5 * mm)]

    if paper.columns:
        total_width = sum(column.width for column in paper.columns)
        widths = [WIDTH * column.width / total_width for column in paper.columns]
        data = [[_p(column.label, styles["th"]) for column in paper.columns]]
        for row in paper.rows:
            data.append(
                [
                    _p(text, styles["num"] if column.numeric else styles["cell"])
                    for column, text in zip(paper.columns, row, strict=True)
                ]
            )
        flow += [_grid(data, widths, header=True), Spacer(1, 4 * mm)]

    if paper.details:
        data = [
            [_p(label, styles["th"]), _p(value, styles["cell"])] for label, value in paper.details
        ]
        details = _grid(data, [40 * mm, WIDTH - 40 * mm], header=False)
        details.setStyle(TableStyle([EMBEDDED, ("BACKGROUND", (0, 0), (0, -1), SHADE)]))
        flow += [details, Spacer(1, 4 * mm)]

    if paper.totals:
        data = [
            [_p(label, styles["cell"]), _p(value, styles["num"])] for label, value in paper.totals
        ]
        totals = _grid(data, [55 * mm, 35 * mm], header=False)
        totals.hAlign = "RIGHT"
        totals.setStyle(TableStyle([EMBEDDED, ("BACKGROUND", (0, -1), (-1, -1), SHADE)]))
        flow += [KeepTogether([totals]), Spacer(1, 5 * mm)]

    flow += [_p(note, styles["small"]) for note in paper.notes]

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 7.5)
        canvas.setFillColor(RULE)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"{paper.number}  {doc.page}")
        if paper.mark:
            canvas.setFont(_font(), 40)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.18))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, paper.mark)
        canvas.restoreState()

    document.build(flow, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def pdf_response(paper: Paper) -> HttpResponse:
    """The PDF, shown in the browser's viewer (and saved under the document's number)."""
    response = HttpResponse(render(paper), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{paper.filename}"'
    return response
