"""Names: mentions of one real thing become one entity, with every form seen.

Forms are compared by a normalized key (case, accents, punctuation, a leading "the",
long vowels: Yuuki = Yuki, Koutarou = Kotaro, honorifics). Two-word names also match with
their words swapped (Minase Aoi = Aoi Minase); a surname alone joins the one full
name of an agent that ends or starts with it; near-identical spellings of the same
kind of thing join when they differ by a typo.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz

from animekg.normalize import name_key, order_free_key

from .mentions import ALBUM_OF_SHOW
from .records import Entity, Mention

# A mention the recognizer calls a person or group, before any role is known.
AGENT_MARK = "Agent"
AGENT_TYPES = {"Composer", "Performer", "Lyricist", "Arranger", "Orchestra", AGENT_MARK}
# A name that owns a score ("X's soundtrack"): a composer's or a show's, decided here.
OWNER = "Owner"
def resolve_names(mentions: list[Mention]) -> tuple[list[Entity], dict[int, Entity]]:
    """Entities of one document and, for each mention (by index), its entity."""
    groups: dict[str, list[int]] = {}
    for n, m in enumerate(mentions):
        key = order_free_key(name_key(m.text))
        if key:
            groups.setdefault(key, []).append(n)

    keys = list(groups)
    merged: dict[str, str] = {k: k for k in keys}

    def root(k: str) -> str:
        while merged[k] != k:
            k = merged[k]
        return k

    def types_of(k: str) -> set[str]:
        return set().union(*(mentions[n].types for n in groups[k]))

    # A surname (or given name) alone joins the only full agent name it belongs to.
    def person_named(k: str) -> bool:
        return any(mentions[n].ner_label == "PERSON" and mentions[n].found_by == "NER" for n in groups[k])

    full_agents = [k for k in keys if len(k.split()) in (2, 3) and types_of(k) & AGENT_TYPES]
    # A surname typed by its context ("Minase's OST") may also join a person's name not yet typed.
    full_people = [k for k in keys if len(k.split()) in (2, 3) and not types_of(k) - {OWNER} and person_named(k)]
    for k in keys:
        if len(k.split()) != 1 or types_of(k) - AGENT_TYPES - {OWNER}:
            continue
        candidates = full_agents + (full_people if types_of(k) or person_named(k) else [])
        owners = [f for f in candidates if k in f.split()]
        if len(owners) == 1:
            merged[k] = owners[0]

    # Typos: the same kind of thing, long enough names, nearly the same letters.
    long_keys = [k for k in keys if len(k) >= 8 and merged[k] == k]
    for i, a in enumerate(long_keys):
        for b in long_keys[i + 1:]:
            if root(a) == root(b):
                continue
            ta, tb = types_of(a), types_of(b)
            if ta and tb and not (ta & tb):
                continue
            if fuzz.ratio(a, b) >= 92 and len(a.split()) == len(b.split()):
                merged[root(b)] = root(a)

    album_shows = {name_key(m.group("show")) for mention in mentions if "Album" in mention.types
                   and (m := ALBUM_OF_SHOW.match(mention.text))}
    entities: dict[str, Entity] = {}
    of_mention: dict[int, Entity] = {}
    members: dict[str, list[int]] = {}
    for k in keys:
        members.setdefault(root(k), []).extend(groups[k])
    for r, idx in members.items():
        forms = Counter(_clean_form(mentions[n].text) for n in idx)
        name = _canonical(forms)
        entity = Entity(name=name, aliases=set(forms) - {name})
        for n in idx:
            entity.types |= mentions[n].types
            of_mention[n] = entity
        if any(mentions[n].found_by == "TRACK" for n in idx):
            # A track-list item is a piece of music, whatever else its name suggests;
            # a stat block may still say it is also the release ("Album Title: X" over a
            # single whose title track is X).
            stated = set().union(*(mentions[n].types for n in idx if mentions[n].found_by == "FIELD"))
            entity.types &= {"Song"} | (stated & {"Album"})
            entity.types.add("Song")
        if OWNER in entity.types:
            entity.types.discard(OWNER)
            if name_key(name) in album_shows:
                entity.types.add("Show")
            elif entity.types & AGENT_TYPES or not entity.types and any(
                    mentions[n].ner_label == "PERSON" and len(mentions[n].text.split()) > 1 for n in idx):
                entity.types.add("Composer")
            elif not entity.types & AGENT_TYPES:
                entity.types.add("Show")
        entities[r] = entity
    ordered = sorted(entities.values(), key=lambda e: min(
        mentions[n].start for n, ent in of_mention.items() if ent is e))
    return ordered, of_mention


INNER_QUOTES = str.maketrans("", "", "“”\"")


def _clean_form(text: str) -> str:
    # A title written with its own first word in quotes ("“Hoshi” no Theme") is named without them.
    text = " ".join(text.translate(INNER_QUOTES).split()) if "”" in text[:-1] or '"' in text[1:-1] else text
    text = " ".join(text.split())
    return text.strip(" .,;:")


def _canonical(forms: Counter) -> str:
    """The fullest form the text uses: most words, then most often seen, then first."""
    def score(form: str):
        bare = form[4:] if form.lower().startswith("the ") else form
        return (len(name_key(bare).split()), forms[form], -len(form) if form.isupper() else 0)
    best = max(forms, key=score)
    if best.lower().startswith("the ") and len(best.split()) > 1:
        return best[4:]
    return best
