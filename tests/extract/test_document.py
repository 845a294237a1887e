"""The input stage: finding files and reading them into Documents.

Fixtures live in tests/data/documents/ and were written once by make_fixtures.py there.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animekg.errors import InputError, InputWarning
from animekg.extract.document import (
    SUPPORTED_SUFFIXES,
    find_documents,
    find_sources,
    read_document,
    read_text,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "documents"


def read(name: str):
    return read_document(DATA / name)


# --- plain text ---------------------------------------------------------------------------

def test_plain_text_with_source_header():
    doc = read("bebop.txt")
    assert doc.doc_id == "bebop"
    assert doc.source == "https://example.org/bebop-notes"
    # The header stays in the text so offsets point into the file as stored.
    assert doc.text.startswith("source: https://example.org/bebop-notes\n\nCowboy Bebop")
    assert "Yoko Kanno composed the music of Cowboy Bebop." in doc.text
    assert doc.title == "Cowboy Bebop and its music"
    assert doc.media_type == "text/plain"
    assert doc.sha256 == hashlib.sha256((DATA / "bebop.txt").read_bytes()).hexdigest()


def test_plain_text_without_header_uses_path_and_first_nonempty_line():
    path = DATA / "plain.txt"
    doc = read_document(path)
    assert doc.source == str(path)
    assert doc.title == "Joe Hisaishi scored Spirited Away."
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_newlines_are_normalized():
    assert read("crlf.txt").text == "Line one\nLine two\nLine three\n"


def test_title_is_capped(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("x" * 500 + "\nsecond line\n", encoding="utf-8")
    assert read_document(path).title == "x" * 200


def test_accepts_a_string_path():
    assert read_document(str(DATA / "plain.txt")).doc_id == "plain"


# --- encodings ----------------------------------------------------------------------------

def test_cp1252_curly_quotes_are_decoded():
    doc = read("cp1252.txt")
    assert doc.text == (
        "\u201cTank!\u201d is Yoko Kanno\u2019s most famous opening \u2013 "
        "a na\u00efve caf\u00e9 favourite.\n"
    )
    assert doc.sha256 == hashlib.sha256((DATA / "cp1252.txt").read_bytes()).hexdigest()


def test_utf16_with_bom():
    doc = read("utf16.txt")
    assert doc.text == "Gurenge is sung by LiSA \u2014 \u7d05\u84ee\u83ef.\n"
    assert not doc.text.startswith("\ufeff")


def test_utf8_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfLantis released it.\n")
    assert read_document(path).text == "Lantis released it.\n"


def test_html_meta_charset_is_honoured():
    # 0xA4 is the euro sign in ISO-8859-15 but a currency sign in windows-1252.
    doc = read("latin9.html")
    assert doc.text == "The CD costs 30 \u20ac."
    assert doc.title == "Prices"


# --- HTML -----------------------------------------------------------------------------------

def test_html_keeps_main_text_and_drops_boilerplate():
    doc = read("ost.html")
    assert doc.media_type == "text/html"
    assert doc.title == "Ghost in the Shell OST \u2013 review"
    assert "Kenji Kawai composed the score. It is haunting & spare." in doc.text
    for furniture in ("Home", "Reviews", "cookies", "Share", "Related", "Copyright",
                      "tracking", "color", "Site of Reviews"):
        assert furniture not in doc.text


def test_html_track_list_keeps_numbers_one_per_line():
    lines = read("ost.html").text.split("\n")
    assert lines == [
        "Ghost in the Shell (1995)",
        "Kenji Kawai composed the score. It is haunting & spare.",
        "1. Making of Cyborg",
        "2. Ghost City",
        "3. Nightstalker",
    ]


def test_html_without_article_uses_body_and_first_h1(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><body><div id='sidebar'>Popular posts</div><h1>Star Harbor</h1>"
        "<div>Yuna Minase wrote the score.<br>It was released by Harbor Tone.</div>"
        "<ol start='4'><li>Lux aeterna nova</li><li>Sis stella clara!</li></ol>"
        "<ul><li>Opening: Lantern Road</li></ul></body></html>",
        encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Star Harbor"
    assert doc.text == (
        "Star Harbor\nYuna Minase wrote the score.\nIt was released by Harbor Tone.\n"
        "4. Lux aeterna nova\n5. Sis stella clara!\n- Opening: Lantern Road"
    )


def test_html_thread_of_several_articles_keeps_them_all(tmp_path):
    path = tmp_path / "thread.html"
    path.write_text(
        "<body><header>Forum</header><main>"
        "<article><p>Aoi Minase wrote Ferry Run!</p></article>"
        "<article><p>Minase also did Moon Relay.</p><form>Reply</form></article>"
        "</main><footer>Rules</footer></body>",
        encoding="utf-8")
    assert read_document(path).text == "Aoi Minase wrote Ferry Run!\nMinase also did Moon Relay."


def test_html_with_source_header_keeps_the_header(tmp_path):
    path = tmp_path / "news.html"
    path.write_text("source: https://example.org/news\n\n<p>Ferry Run! opens Glass Orchard.</p>",
                    encoding="utf-8")
    doc = read_document(path)
    assert doc.source == "https://example.org/news"
    assert doc.text == "source: https://example.org/news\n\nFerry Run! opens Glass Orchard."
    assert doc.title == "Ferry Run! opens Glass Orchard."


# --- Markdown -------------------------------------------------------------------------------

def test_markdown_markup_is_removed_but_lists_kept():
    doc = read("themes.md")
    assert doc.media_type == "text/markdown"
    assert doc.title == "Five great openings"
    lines = [line for line in doc.text.split("\n") if line]
    assert lines == [
        "Five great openings",
        "A list by fans, with links and code.",
        "1. Tank! by The Seatbelts",
        "2. Gurenge by LiSA",
        "- Composer: Yoko Kanno",
        "- Composer: Hiroyuki Sawano",
        "Notes",
    ]


def test_markdown_escapes_and_source_header(tmp_path):
    path = tmp_path / "notes.markdown"
    path.write_text("source: https://example.org/a_b_c\n\nNo \\*emphasis\\* in snake_case_name.\n",
                    encoding="utf-8")
    doc = read_document(path)
    assert doc.source == "https://example.org/a_b_c"
    assert doc.text == "source: https://example.org/a_b_c\n\nNo *emphasis* in snake_case_name."
    assert doc.title == "No *emphasis* in snake_case_name."


# --- errors ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "word"), [
    ("empty.txt", "empty"),
    ("blank.txt", "empty"),
    ("nav_only.html", "empty"),
    ("binary.txt", "binary"),
    ("control.txt", "binary"),
    ("undecodable.txt", "decode"),
])
def test_bad_files_raise_input_error(name, word):
    with pytest.raises(InputError) as caught:
        read(name)
    message = str(caught.value)
    assert message.startswith(str(DATA / name))
    assert word in message
    assert "\n" not in message


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_document(tmp_path / "gone.txt")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root (or a non-POSIX system) can read a chmod 000 file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Tank!", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="locked.txt: cannot read"):
            read_document(path)
    finally:
        path.chmod(0o644)


def test_permission_error_message(tmp_path, monkeypatch):
    # The same path as above, reached even when the tests run as root.
    path = tmp_path / "locked.txt"
    path.write_text("Tank!", encoding="utf-8")

    def deny(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value).startswith(f"{path}: cannot read file (Permission denied)")


# --- read_text ------------------------------------------------------------------------------

def test_read_text():
    text = "\nKoyama scored Iron Harbor.\r\nIt is loud.\n"
    doc = read_text(text, doc_id="aot")
    assert doc.doc_id == "aot"
    assert doc.source == "<string>"
    assert doc.text == "\nKoyama scored Iron Harbor.\nIt is loud.\n"
    assert doc.title == "Koyama scored Iron Harbor."
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert doc.media_type == "text/plain"


def test_read_text_source_header():
    doc = read_text("source: https://example.org/x\n\nMIRA sang Emberlight.", source="ignored")
    assert doc.source == "https://example.org/x"
    assert doc.title == "MIRA sang Emberlight."
    assert read_text("MIRA sang Emberlight.", source="notebook").source == "notebook"


@pytest.mark.parametrize("text", ["", "  \n\t "])
def test_read_text_empty(text):
    with pytest.raises(InputError, match="empty"):
        read_text(text, doc_id="blank")


# --- find_documents -------------------------------------------------------------------------

def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("text\n", encoding="utf-8")
    return path


def test_find_documents_walks_sorted_and_skips_hidden(tmp_path):
    corpus = tmp_path / "corpus"
    for rel in ("b.txt", "a.md", "sub/c.html", "sub/d.htm", "z.markdown", "notes.pdf",
                ".hidden.txt", ".git/e.txt", "sub/.cache/f.txt"):
        _touch(corpus / rel)
    single = _touch(tmp_path / "single.txt")
    found = find_documents([corpus, str(single), corpus / "b.txt"])
    assert found == [corpus / "a.md", corpus / "b.txt", corpus / "sub" / "c.html",
                     corpus / "sub" / "d.htm", corpus / "z.markdown", single]


def test_find_documents_missing_path(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(InputError) as caught:
        find_documents([missing])
    assert str(caught.value) == f"{missing}: no such file or folder"


def test_find_documents_folder_without_documents(tmp_path):
    _touch(tmp_path / "scan.pdf")
    _touch(tmp_path / ".secret.txt")
    with pytest.raises(InputError, match="no supported files") as caught:
        find_documents([tmp_path])
    assert str(caught.value).startswith(str(tmp_path))


def test_find_documents_unsupported_file(tmp_path):
    pdf = _touch(tmp_path / "scan.pdf")
    with pytest.raises(InputError) as caught:
        find_documents([pdf])
    message = str(caught.value)
    assert message.startswith(str(pdf))
    assert all(suffix in message for suffix in SUPPORTED_SUFFIXES)


def test_fixture_folder_is_found_in_order():
    found = find_documents([DATA])
    names = [p.name for p in found]
    assert names == sorted(names)
    assert "make_fixtures.py" not in names
    assert {"bebop.txt", "themes.md", "ost.html"} <= set(names)


# --- properties -----------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1).filter(str.strip))
def test_read_text_keeps_any_text(text):
    doc = read_text(text)
    assert doc.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert "\r" not in doc.title and len(doc.title) <= 200


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>/#*_`[]()!-1.|\n&;")) | st.characters(),
               max_size=200),
       st.sampled_from([".md", ".html"]))
def test_markup_conversion_never_crashes(tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("prop") / f"doc{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        doc = read_document(path)
    except InputError:
        return  # empty, binary or undecodable input is reported, never a crash
    assert doc.text.strip()


# --- document ids -----------------------------------------------------------------------------

def _ids(paths) -> dict[str, str]:
    """Each found file's path (as found) -> its document id."""
    return {str(source.path): source.doc_id for source in find_sources(paths)}


def test_a_flat_folder_keeps_its_stems(tmp_path):
    for name in ("n1001.txt", "web007.html", "Minase's review.md"):
        _touch(tmp_path / name)
    assert sorted(_ids([tmp_path]).values()) == ["Minase's review", "n1001", "web007"]


def test_ids_are_paths_under_the_folder_given(tmp_path):
    dup = tmp_path / "dup"
    for rel in ("a/review.txt", "b/review.txt", "review.md", "a/deep/er/notes.txt"):
        _touch(dup / rel)
    assert _ids([dup]) == {str(dup / "a/deep/er/notes.txt"): "a/deep/er/notes",
                           str(dup / "a/review.txt"): "a/review",
                           str(dup / "b/review.txt"): "b/review",
                           str(dup / "review.md"): "review"}
    # The same tree given from another working folder gets the same ids.
    assert sorted(_ids([Path(os.path.relpath(dup))]).values()) == sorted(_ids([dup]).values())


def test_clashing_stems_keep_their_suffix(tmp_path):
    for name in ("review.md", "review.txt", "other.txt"):
        _touch(tmp_path / name)
    assert sorted(_ids([tmp_path]).values()) == ["other", "review.md", "review.txt"]


def test_a_suffix_kept_cannot_clash_with_a_stem(tmp_path):
    # "review.md" is the stem of review.md.txt and the clash-free id of review.md.
    for name in ("review.md", "review.txt", "review.md.txt"):
        _touch(tmp_path / name)
    ids = _ids([tmp_path])
    assert len(set(ids.values())) == 3
    assert ids[str(tmp_path / "review.txt")] == "review.txt"


def test_files_named_directly_with_one_stem_take_their_folders(tmp_path):
    one, two = _touch(tmp_path / "x" / "review.txt"), _touch(tmp_path / "y" / "review.txt")
    alone = _touch(tmp_path / "y" / "alone.txt")
    assert _ids([one, two, alone]) == {str(one): "x/review.txt", str(two): "y/review.txt",
                                       str(alone): "alone"}


def test_two_folders_with_one_file_name(tmp_path):
    one, two = _touch(tmp_path / "x" / "notes.txt"), _touch(tmp_path / "y" / "notes.txt")
    assert _ids([one.parent, two.parent]) == {str(one): "x/notes.txt", str(two): "y/notes.txt"}


def test_read_text_ids_come_from_the_content():
    one, again, other = read_text("Kanno scored it."), read_text("Kanno scored it."), read_text("Sawano did.")
    assert one.doc_id == again.doc_id == "text-" + one.sha256[:12]
    assert other.doc_id != one.doc_id


# --- files that are not regular files ---------------------------------------------------------

def test_a_looping_link_in_a_folder_is_an_input_error(tmp_path):
    _touch(tmp_path / "good.txt")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    with pytest.raises(InputError) as caught:
        find_documents([tmp_path])
    assert str(caught.value).startswith(f"{tmp_path / 'loop.txt'}: symbolic link loop")


def test_a_broken_link_is_named_as_one(tmp_path):
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    with pytest.raises(InputError, match="gone.txt: broken symbolic link"):
        find_documents([tmp_path / "gone.txt"])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    _touch(tmp_path / "good.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    # Opening a FIFO blocks until a writer comes: reaching the assertion at all is the test.
    with pytest.raises(InputError) as caught:
        find_documents([tmp_path])
    assert str(caught.value).startswith(f"{tmp_path / 'pipe.txt'}: not a regular file but a FIFO")
    with pytest.raises(InputError, match="FIFO"):
        read_document(tmp_path / "pipe.txt")


def test_a_link_to_a_file_already_found_is_read_once(tmp_path):
    real = _touch(tmp_path / "real.txt")
    (tmp_path / "alias.txt").symlink_to("real.txt")
    assert find_documents([tmp_path]) == [tmp_path / "alias.txt"]
    assert find_documents([real, tmp_path]) == [real]


# --- UTF-8 with a few bad bytes -----------------------------------------------------------------

def test_utf8_with_a_few_bad_bytes_is_read_as_utf8_with_a_warning(tmp_path):
    good = "Yoko Kanno’s “Tank!” — Seatbelts.\n"
    path = tmp_path / "review.txt"
    path.write_bytes(good.encode() + b"The \xff reissue on Victor.\n")
    with pytest.warns(InputWarning) as caught:
        doc = read_document(path)
    assert doc.text == good + "The \ufffd reissue on Victor.\n"
    message = str(caught[0].message)
    assert message.startswith(f"{path}: not valid UTF-8 at 1 place (the first at byte {len(good.encode()) + 4})")
    assert "\n" not in message


def test_a_legacy_code_page_file_is_still_read_without_a_warning(recwarn):
    doc = read("cp1252.txt")
    assert "\ufffd" not in doc.text
    assert not [w for w in recwarn if issubclass(w.category, InputWarning)]
