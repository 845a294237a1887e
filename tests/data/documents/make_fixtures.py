"""Writes the fixtures of tests/extract/test_document.py.

Run once by hand (python tests/data/documents/make_fixtures.py) and commit the output:
the odd encodings and binary files are written from exact bytes so that no editor
re-encodes them. The tests never run this script.
"""

from pathlib import Path

HERE = Path(__file__).parent

FILES: dict[str, bytes] = {
    "bebop.txt": (
        "source: https://example.org/bebop-notes\n"
        "\n"
        "Cowboy Bebop and its music\n"
        "Yoko Kanno composed the music of Cowboy Bebop.\n"
        "Its opening theme, Tank!, is performed by The Seatbelts.\n"
    ).encode("utf-8"),
    "plain.txt": (
        "\n"
        "   Joe Hisaishi scored Spirited Away.   \n"
        "The soundtrack was released by Studio Ghibli Records.\n"
    ).encode("utf-8"),
    "crlf.txt": b"Line one\r\nLine two\rLine three\r\n",
    "themes.md": (
        "# Five *great* openings\n"
        "\n"
        "A list by **fans**, with [links](https://example.org/ops) and `code`.\n"
        "![cover](cover.png)\n"
        "\n"
        "1. **Tank!** by _The Seatbelts_\n"
        "2. Gurenge by <span>LiSA</span>\n"
        "\n"
        "* Composer: Yoko Kanno\n"
        "- Composer: Hiroyuki Sawano\n"
        "\n"
        "## Notes\n"
    ).encode("utf-8"),
    "ost.html": (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        "<title>Ghost in the Shell OST &ndash; review</title>"
        "<script>var tracking = 1;</script><style>p { color: red }</style></head>\n"
        "<body>\n"
        "<nav><a href=\"/\">Home</a> <a href=\"/reviews\">Reviews</a></nav>\n"
        "<header><h1>Site of Reviews</h1></header>\n"
        "<div class=\"cookie-banner\">We use cookies to improve your visit.</div>\n"
        "<article>\n"
        "<h2>Ghost in the Shell (1995)</h2>\n"
        "<p>Kenji Kawai   composed the score.\n"
        "It is haunting&nbsp;&amp; spare.</p>\n"
        "<ol>\n<li>Making of Cyborg</li>\n<li>Ghost City</li>\n<li>Nightstalker</li>\n</ol>\n"
        "<div class=\"share-buttons\">Share on social media</div>\n"
        "<aside>Related: more reviews</aside>\n"
        "</article>\n"
        "<footer>Copyright 2024 Site of Reviews</footer>\n"
        "</body></html>\n"
    ).encode("utf-8"),
    "nav_only.html": (
        "<html><body><nav>Home | About</nav><footer>Copyright</footer></body></html>\n"
    ).encode("utf-8"),
    # Not UTF-8: the meta declaration is the only thing that says "latin-9" (the euro sign).
    "latin9.html": (
        "<html><head><meta charset=\"iso-8859-15\"><title>Prices</title></head>"
        "<body><p>The CD costs 30 \u20ac.</p></body></html>\n"
    ).encode("iso-8859-15"),
    "cp1252.txt": (
        "\u201cTank!\u201d is Yoko Kanno\u2019s most famous opening \u2013 a na\u00efve "
        "caf\u00e9 favourite.\n"
    ).encode("cp1252"),
    "utf16.txt": "Gurenge is sung by LiSA \u2014 \u7d05\u84ee\u83ef.\n".encode("utf-16"),
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n   \n",
    "binary.txt": b"PK\x03\x04\x00\x00\x08\x00binary\x00\x00data\x00",
    "control.txt": bytes(range(1, 9)) * 8 + b"text",
    # Bytes undefined in windows-1252 amid random high bytes: no encoding fits.
    "undecodable.txt": bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xC3, 0x28, 0xA0,
                              0xFF, 0xFE, 0xE9, 0x81, 0x9D, 0x8F] * 4),
}


def main() -> None:
    for name, data in FILES.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
