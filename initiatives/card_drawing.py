"""Drawing a share card: 1200×630 PNG in the site's colours, with the DejaVu fonts shipped in
initiatives/fonts/ (their licence beside them), so that every accent renders on every machine.

Text is wrapped between words, shrunk to fit, and past the lines it may take, shortened with an
ellipsis: nothing is drawn beyond its box.
"""

import functools
import io
import re
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
TEXT_WIDTH = WIDTH - 2 * MARGIN
BAR = 16  # the accent bar down the left edge
FOOTER = 96  # the band with the site's name
FONTS = Path(__file__).with_name("fonts")
PADDING = 56  # above the text, and at least as much below it
EYEBROW_STEP, DETAILS_GAP, DETAILS_STEP = 56, 20, 42
# Largest first: the heading takes the largest size at which it fits.
HEADING_SIZES = (80, 68, 60, 52, 46, 40)
HEADING_HEIGHT = 260
ELLIPSIS = "…"


@functools.cache
def colours():
    """The custom properties of static/css/site.css (`--colour-accent: #1b5e8c;`), by name."""
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    return dict(re.findall(r"--colour-([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))


@functools.cache
def font(size, bold=False):
    return ImageFont.truetype(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), size)


def png(card, site_name, address):
    """The card's picture, as PNG bytes. `card` is a share_cards.Card; `address` the host and
    path printed in the footer."""
    colour = colours()
    image = Image.new("RGB", (WIDTH, HEIGHT), colour["paper"])
    draw = ImageDraw.Draw(image)
    body = HEIGHT - FOOTER
    draw.rectangle((0, 0, BAR - 1, body), fill=colour["accent"])

    eyebrow, details = font(28, bold=True), font(30)
    eyebrow_lines = wrapped(card.eyebrow.upper(), eyebrow, TEXT_WIDTH, max_lines=1)
    size, heading_lines = fitted_heading(card.heading)
    heading, line_height = font(size, bold=True), round(size * 1.2)
    room = (body - 2 * PADDING - EYEBROW_STEP - len(heading_lines) * line_height) // DETAILS_STEP
    details_lines = wrapped(card.details, details, TEXT_WIDTH, max_lines=max(0, min(room, 4)))
    height = (
        (EYEBROW_STEP if eyebrow_lines else 0)
        + len(heading_lines) * line_height
        + (DETAILS_GAP + len(details_lines) * DETAILS_STEP if details_lines else 0)
    )
    # The text sits in the middle of the space above the footer.
    y = max(PADDING, (body - height) // 2)
    for line in eyebrow_lines:
        draw.text((MARGIN, y), line, font=eyebrow, fill=colour["accent"])
        y += EYEBROW_STEP
    highlight = card.highlight
    for line in heading_lines:
        if highlighted(draw, (MARGIN, y), line, highlight, heading):
            highlight = ""
        y += line_height
    y += DETAILS_GAP
    for line in details_lines:
        draw.text((MARGIN, y), line, font=details, fill=colour["muted"])
        y += DETAILS_STEP

    draw.rectangle((0, body, WIDTH, HEIGHT), fill=colour["accent-dark"])
    name, small = font(32, bold=True), font(24)
    middle = body + FOOTER // 2
    draw.text((MARGIN, middle), site_name, font=name, fill=colour["paper"], anchor="lm")
    room = TEXT_WIDTH - draw.textlength(site_name, font=name) - 40
    for line in wrapped(address, small, room, max_lines=1):
        right = (WIDTH - MARGIN, middle)
        draw.text(right, line, font=small, fill=colour["accent-wash"], anchor="rm")

    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def fitted_heading(text):
    """(size, lines): the largest size at which the heading fits its box, its lines of even
    length; else the smallest size, shortened."""
    for size in HEADING_SIZES:
        typeface, max_lines = font(size, bold=True), HEADING_HEIGHT // round(size * 1.2)
        lines = wrapped(text, typeface, TEXT_WIDTH, max_lines=None)
        if len(lines) <= max_lines:
            return size, balanced(text, typeface, len(lines))
    size = HEADING_SIZES[-1]
    return size, wrapped(
        text, font(size, bold=True), TEXT_WIDTH, HEADING_HEIGHT // round(size * 1.2)
    )


def balanced(text, typeface, count):
    """The text in `count` lines as even as they can be ("3 initiatives / in Belgium", not
    "3 initiatives in / Belgium"): wrapped at the narrowest width that keeps `count` lines."""
    narrowest, widest = TEXT_WIDTH // 3, TEXT_WIDTH
    while narrowest < widest:
        width = (narrowest + widest) // 2
        if len(wrapped(text, typeface, width, max_lines=None)) <= count:
            widest = width
        else:
            narrowest = width + 1
    return wrapped(text, typeface, widest, max_lines=None)


def highlighted(draw, position, line, highlight, typeface):
    """Draw the line in ink, and `highlight` (a count) in the accent colour where the line has
    it as a word. Whether it had it."""
    colour = colours()
    x, y = position
    found = re.search(rf"(?<!\S){re.escape(highlight)}(?!\S)", line) if highlight else None
    parts = [(line, colour["ink"])]
    if found:
        before, after = line[: found.start()], line[found.end() :]
        parts = [(before, colour["ink"]), (highlight, colour["accent"]), (after, colour["ink"])]
    for text, fill in parts:
        draw.text((x, y), text, font=typeface, fill=fill)
        x += draw.textlength(text, font=typeface)
    return bool(found)


def wrapped(text, typeface, width, max_lines):
    """The text in lines no wider than `width`, broken between words (inside a word only if it
    is wider than a line), the last of `max_lines` ending in an ellipsis if text was left out."""
    lines = []
    # No-break spaces (in "1 234", before a French colon) keep their words together.
    for word in re.sub(r"[ \t\r\n]+", " ", text).strip().split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and typeface.getlength(candidate) <= width:
            lines[-1] = candidate
            continue
        while typeface.getlength(word) > width:
            cut = longest_fitting(word, typeface, width)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        if lines:
            lines[-1] = shortened(lines[-1], typeface, width)
    return [line for line in lines if line]


def shortened(line, typeface, width):
    """The line with an ellipsis at its end, cut between words where it can be, to fit."""
    while line and typeface.getlength(line.rstrip(" ,;:–-") + ELLIPSIS) > width:
        line = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
    return line.rstrip(" ,;:–-") + ELLIPSIS


def longest_fitting(word, typeface, width):
    cut = len(word)
    while cut > 1 and typeface.getlength(word[:cut]) > width:
        cut -= 1
    return cut
