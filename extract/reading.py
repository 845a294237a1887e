"""Reading one parsed text with the learned parts: the recognizer's mentions become
entities, candidate pairs get a probability per relation, entities get their types.

    mentions (doc.ents: AGENT, SHOW, SONG, ALBUM, LABEL)
      -> entities (names.resolve_names)
      -> candidate pairs with features (scorer.candidate_pairs, plus the rules' votes)
      -> credits whose calibrated probability reaches the model's threshold
      -> types: the kind's own, those the credits imply, and those the type scorers give
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from animekg.normalize import name_key, order_free_key

from .components import doc_text
from .corpus import Kind
from .learned import CreditModel
from .mentions import ORCHESTRA_NAME, cue_index, sentences, type_by_cue, types_by_form
from .names import AGENT_MARK, AGENT_TYPES, resolve_names
from .records import OBJECT_TYPE, SUBJECT_TYPE, Credit, Entity, Evidence, Mention
from .scorer import WORK_KINDS, Candidate, entity_context, candidate_pairs, kinds_allowed, with_rule_pairs, with_votes

KIND_LABELS = {k.value for k in Kind}
BASE_TYPES = {"SHOW": "Show", "SONG": "Song", "ALBUM": "Album", "LABEL": "Label"}
# The types of people and groups (the recognizer's AGENT), without its provisional mark.
ROLE_TYPES = AGENT_TYPES - {AGENT_MARK}
WORK_TYPES = {BASE_TYPES[kind] for kind in WORK_KINDS}
KIND_ORDER = ("SHOW", "SONG", "ALBUM", "LABEL", "AGENT")
# Trailing words the recognizer sometimes keeps ("X's", "X,").
_TRAILING = re.compile(r"(?:['’]s|[,.;:'’\"”])+$")


@dataclass(frozen=True)
class RuleReading:
    """What the reading rules found: entities, credits, and each typed mention with its entity."""

    entities: list[Entity]
    credits: list[Credit]
    mentions: list[tuple[Mention, Entity]]


@dataclass(frozen=True)
class Reading:
    entities: list[Entity]
    credits: list[Credit]


# Where one recognized span is two names: "X, Y" and "ARTIST – ALBUM" (a spaced dash).
NAME_SEPARATORS = {",", "-", "–", "—", "/"}
# A parenthesis after a title that is no part of it: a running time "(3:58)", "(:58)" or a
# singer's initials "(KT)".
NOT_OF_THE_TITLE = re.compile(r"\s*[(\[](?:\d{0,2}:\d\d(?::\d\d)?|[A-Z]{1,3})[)\]]\s*$")
# A release number the recognizer leaves off: "... Soundtrack Vol. 2", "Best Of, Part 3".
NUMBER_AFTER = re.compile(r"(?:\.?\s*|\s+)(?:\d{1,3}|[IVX]{1,4})\b")
NUMBERED_WORDS = {"vol", "vol.", "volume", "part", "no", "no.", "disc", "season", "op", "ed"}


def _with_number(text: str, begin: int, end: int) -> int:
    """Where a name ends once the number after its last word is put back ("... Vol" + ". 2")."""
    words = text[begin:end].split()
    if words and words[-1].lower() in NUMBERED_WORDS and (number := NUMBER_AFTER.match(text, end)):
        return number.end()
    return end


def _name_spans(doc: Doc, ent) -> list[tuple[int, int]]:
    """The character spans of the names in a recognized span: split at list commas and
    spaced dashes between capitalized words, a release number put back on, a running
    time or initials taken off."""
    parts, start = [], ent.start
    for tok in ent:
        if tok.i == ent.start or tok.i == ent.end - 1 or tok.text not in NAME_SEPARATORS:
            continue
        spaced = tok.text == "," or doc[tok.i - 1].whitespace_ and tok.whitespace_
        if spaced and doc[tok.i - 1].text[:1].isalnum() and doc[tok.i + 1].text[:1].isupper():
            parts.append((start, tok.i))
            start = tok.i + 1
    parts.append((start, ent.end))
    text = doc_text(doc)
    spans = []
    for a, b in parts:
        begin, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
        end = _with_number(text, begin, end)
        name = text[begin:end]
        if cut := NOT_OF_THE_TITLE.search(name):
            end = begin + cut.start()
        spans.append((begin, end))
    return spans


def _sentence_of(doc: Doc) -> dict[int, int]:
    """Token index -> the index of its sentence."""
    return {i: n for n, sent in enumerate(sentences(doc)) for i in range(sent.start, sent.end)}


def recognized_mentions(doc: Doc) -> list[Mention]:
    """The recognizer's mentions of the kinds animekg reads, in text order."""
    sentence_of = _sentence_of(doc)
    mentions = []
    header_end = doc_text(doc).find("\n") if doc_text(doc).startswith("source:") else -1
    for ent in doc.ents:
        if ent.label_ not in KIND_LABELS or ent.start_char <= header_end:
            continue
        for begin, end in _name_spans(doc, ent):
            text = _TRAILING.sub("", doc_text(doc)[begin:end]).strip()
            span = doc.char_span(begin, begin + len(text), alignment_mode="expand")
            if len(text) < 2 or span is None or not re.search(r"[^\W\d_]", text):
                continue
            types = {BASE_TYPES[ent.label_]} if ent.label_ in BASE_TYPES else {AGENT_MARK}
            mentions.append(Mention(text=text, start=begin, end=begin + len(text), first=span.start,
                                    last=span.end, sentence=sentence_of.get(span.start, 0),
                                    found_by="NER", ner_label=ent.label_, types=types))
    return mentions


def _kind_of_types(types: set[str]) -> str | None:
    for typ, kind in (("Show", "SHOW"), ("Song", "SONG"), ("Album", "ALBUM"), ("Label", "LABEL")):
        if typ in types:
            return kind
    return "AGENT" if types & ROLE_TYPES else None


STRUCTURAL = {"TRACK", "QUOTED", "FIELD", "STACKED", "TITLE", "DASH"}


def with_rule_mentions(doc: Doc, mentions: list[Mention], rules: RuleReading | None) -> list[Mention]:
    """The recognizer's mentions and, where it saw nothing, the rules' typed ones (quoted
    titles, track-list items, stat-block values, labels of the lexicon, ...)."""
    if rules is None:
        return mentions
    # A title the structure of the text gives whole and typed (a track line, a quoted
    # title, a stat-block value, a page's title line) wins over the recognizer's reading
    # of it or of a piece of it.
    whole = [m for m, e in rules.mentions if m.found_by in STRUCTURAL and _kind_of_types(m.types | e.types)]
    mentions = [m for m in mentions if not any(w.first <= m.first and m.last <= w.last for w in whole)]
    taken = {i for m in mentions for i in range(m.first, m.last)}
    extra = []
    for m, entity in rules.mentions:
        kind = _kind_of_types(m.types | entity.types)
        if kind is None or any(i in taken for i in range(m.first, m.last)):
            continue
        types = {BASE_TYPES[kind]} if kind in BASE_TYPES else {AGENT_MARK}
        end = _with_number(doc_text(doc), m.start, m.end)
        last = m.last
        if end != m.end and (span := doc.char_span(m.start, end, alignment_mode="expand")) is not None:
            last = span.end
        extra.append(Mention(text=doc_text(doc)[m.start:end], start=m.start, end=end, first=m.first, last=last,
                             sentence=m.sentence, found_by=m.found_by, ner_label=kind, types=types))
    return sorted(mentions + extra, key=lambda m: m.first)


# Names shorter than this are not looked for again (initials, "OP").
MIN_REPEAT_CHARS = 3


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what the regex class \\w matches


def whole_word_occurrences(text: str, form: str) -> list[int]:
    """Where ``form`` stands in ``text`` as whole words; plain search rather than a regex
    per name, which cost more to compile than to run.

    >>> whole_word_occurrences("Rin, Rinne and Rin.", "Rin")
    [0, 15]
    """
    found = []
    at = text.find(form)
    while at >= 0:
        end = at + len(form)
        if not (at > 0 and _is_word_char(text[at - 1])) and not (end < len(text) and _is_word_char(text[end])):
            found.append(at)
            at = text.find(form, end)
        else:
            at = text.find(form, at + 1)
    return found


def with_repeated_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A name recognized once is a name wherever the text repeats it: "Aoi Minase wrote
    the score. [...] Later, Aoi Minase arranged the ending." A person's surname alone
    ("Minase") counts where it stands as a proper noun. Without this, a sentence whose
    name the recognizer missed pairs with nothing."""
    taken = {i for m in mentions for i in range(m.first, m.last)}
    forms: dict[str, Mention] = {}
    for m in mentions:
        if len(m.text) >= MIN_REPEAT_CHARS and any(c.isupper() for c in m.text):
            forms.setdefault(m.text, m)
    surnames: dict[str, Mention] = {}
    for m in mentions:
        words = m.text.split()
        if m.ner_label == "AGENT" and len(words) == 2 and words[1].isalpha() and words[1][0].isupper() \
                and len(words[1]) >= MIN_REPEAT_CHARS and not doc.vocab[words[1].lower()].is_stop:
            surnames.setdefault(words[1], m)
    sentence_of = _sentence_of(doc)
    header_end = doc_text(doc).find("\n") if doc_text(doc).startswith("source:") else -1
    added = []
    for form, source in list(forms.items()) + [(k, v) for k, v in surnames.items() if k not in forms]:
        alone = form in surnames and form not in forms
        for at in whole_word_occurrences(doc_text(doc), form):
            span = doc.char_span(at, at + len(form))
            if span is None or at <= header_end or any(i in taken for i in range(span.start, span.end)):
                continue
            if alone and span[0].tag_ != "NNP":
                continue
            taken.update(range(span.start, span.end))
            added.append(Mention(text=form, start=at, end=at + len(form), first=span.start, last=span.end,
                                 sentence=sentence_of.get(span.start, 0), found_by="REPEAT",
                                 ner_label=source.ner_label, types=set(source.types)))
    return sorted(mentions + added, key=lambda m: m.first)


PERSONAL_PRONOUNS = {"he", "she", "his", "her", "him"}
# How many sentences back a pronoun may reach for the person it stands for.
PRONOUN_REACH = 2


def with_pronouns(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity], kinds: dict[int, str]
                  ) -> tuple[list[Mention], dict[int, Entity]]:
    """"Aoi Minase debuted in 2010. She sang the opening of Glass Orchard": a personal
    pronoun is a mention of the person named last before it, a sentence or two back."""
    added: list[tuple[Mention, Entity]] = []
    last_agent: tuple[Mention, Entity] | None = None
    by_token = sorted(range(len(mentions)), key=lambda n: mentions[n].first)
    k = 0
    sentence_of = _sentence_of(doc)
    for tok in doc:
        while k < len(by_token) and mentions[by_token[k]].first <= tok.i:
            n = by_token[k]
            if kinds.get(id(entity_of[n])) == "AGENT":
                last_agent = (mentions[n], entity_of[n])
            k += 1
        if tok.lower_ not in PERSONAL_PRONOUNS or tok.pos_ != "PRON" or last_agent is None:
            continue
        here = sentence_of.get(tok.i, 0)
        if here - last_agent[0].sentence > PRONOUN_REACH or here == last_agent[0].sentence:
            continue
        added.append((Mention(text=tok.text, start=tok.idx, end=tok.idx + len(tok.text), first=tok.i,
                              last=tok.i + 1, sentence=here, found_by="PRONOUN", ner_label="AGENT",
                              types=set()), last_agent[1]))
    if not added:
        return mentions, entity_of
    merged = sorted([(m, entity_of[n]) for n, m in enumerate(mentions)] + added, key=lambda p: p[0].first)
    return [m for m, _ in merged], {n: e for n, (_, e) in enumerate(merged)}


def entity_kinds(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity]) -> dict[int, str]:
    """Each entity's kind: what its name says where it says it plainly ("... Orchestra",
    "... Records", "... Original Soundtrack"), else what a credit cue right before it says
    ("music: X", "sung by X"), else the kind its mentions were most often recognized as."""
    cue_at = cue_index(doc)
    votes: dict[int, Counter] = {}
    by_form: dict[int, str] = {}
    by_cue: dict[int, str] = {}
    for n, m in enumerate(mentions):
        votes.setdefault(id(entity_of[n]), Counter())[m.ner_label] += 1
        kind = _kind_of_types(types_by_form(m))
        if kind is not None and m.found_by != "TRACK":
            by_form.setdefault(id(entity_of[n]), kind)
        if (typ := type_by_cue(doc, m, cue_at)) is not None:
            by_cue.setdefault(id(entity_of[n]), _kind_of_types({typ}))
    return {e: by_form.get(e) or by_cue.get(e) or max(c, key=lambda k: (c[k], -KIND_ORDER.index(k)))
            for e, c in votes.items()}


def topic_show(mentions: list[Mention], entity_of: dict[int, Entity], kinds: dict[int, str]) -> Entity | None:
    """The show a document is about: named at least twice, and more than any other."""
    counts = Counter(id(entity_of[n]) for n in range(len(mentions)) if kinds.get(id(entity_of[n])) == "SHOW")
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return next(entity_of[n] for n in range(len(mentions)) if id(entity_of[n]) == ranked[0][0])


def entity_features(doc: Doc, mentions: list[Mention], entity_of: dict[int, Entity],
                    kinds: dict[int, str]) -> dict[int, frozenset[str]]:
    """What each entity's mentions look like and stand beside, for the type scorers."""
    context = entity_context(doc, mentions, entity_of, cue_index(doc))
    count = Counter(id(e) for e in entity_of.values())
    out = {}
    for e in {id(e): e for e in entity_of.values()}.values():
        feats = set(context.get(id(e), ()))
        feats.add(f"kind={kinds.get(id(e))}")
        feats.add(f"count={min(count[id(e)], 5)}")
        if ORCHESTRA_NAME.search(e.name):
            feats.add("orchestra_name")
        feats.add(f"words={min(len(e.name.split()), 4)}")
        feats |= {f"found_by={m.found_by}" for n, m in enumerate(mentions) if entity_of[n] is e}
        if e.name.isupper():
            feats.add("all_caps")
        if any(c.isdigit() for c in e.name):
            feats.add("has_digit")
        if e.name.split()[0].lower() in {"the", "a", "an", "this", "my", "our"}:
            feats.add("starts_with_determiner")
        out[id(e)] = frozenset(feats)
    return out


def read_learned(doc: Doc, model: CreditModel, rules: RuleReading | None = None) -> Reading:
    """Entities and credits of one parsed text, by the learned model (and the rules'
    mentions and votes, when given)."""
    entities, candidates, kinds, features = candidates_for_training(doc, rules)
    sents = sentences(doc)
    credits = []
    allowed_for: dict[tuple[str, str], list[str]] = {}
    for c in candidates:
        ks, ko = kinds.get(id(c.subject), ""), kinds.get(id(c.object), "")
        if (ks, ko) not in allowed_for:
            allowed_for[(ks, ko)] = [r for r in model.relations if kinds_allowed(r, ks, ko)]
        relations = allowed_for[(ks, ko)]
        # A relation left to the rules is stated where they state it: they checked what
        # each side is on their own ("The Paper Swallows were formed by ..." is a group,
        # whatever kind the recognizer gave the name).
        voted = [r for r in model.rule_relations if f"rule={r}" in c.features and r not in relations]
        for relation, p in model.probabilities(c.features, relations + voted).items():
            if p >= model.threshold:
                sent = sents[c.sentence]
                credits.append(Credit(c.subject.name, relation, c.object.name, p,
                                      Evidence(sent.text, sent.start_char, sent.end_char)))
    if model.entity is not None:
        kept = [e for e in entities if model.entity.probability(features[id(e)]) >= model.entity_threshold]
        names = {e.name for e in kept}
        entities = kept
        credits = [c for c in credits if c.subject in names and c.object in names]
    by_name = {e.name: e for e in entities}
    # What the credits say a work is outweighs the kind it was recognized as.
    stated: dict[str, set[str]] = {}
    for c in credits:
        stated.setdefault(c.object, set()).add(OBJECT_TYPE[c.relation])
        if c.relation in SUBJECT_TYPE:
            stated.setdefault(c.subject, set()).add(SUBJECT_TYPE[c.relation])
    for e in entities:
        kind = kinds.get(id(e))
        works_stated = stated.get(e.name, set()) & set(BASE_TYPES.values())
        only_agent_stated = bool(stated.get(e.name)) and not works_stated and kind in WORK_KINDS
        if kind in BASE_TYPES and (not works_stated or BASE_TYPES[kind] in works_stated) and not only_agent_stated:
            e.types.add(BASE_TYPES[kind])
        for typ, scorer in model.types.items():
            # A type scorer's guess stays within what the entity is: a person or group
            # takes no show's type from it, a work no person's (credits still may).
            if scorer.probability(features[id(e)]) >= model.type_threshold and _fits_kind(typ, kind):
                e.types.add(typ)
        if only_agent_stated:
            e.types -= WORK_TYPES  # credited only as a person or group: no show after all
        if "Orchestra" in e.types:
            e.types.add("Performer")
            e.group = True
    for c in credits:
        if c.relation in SUBJECT_TYPE:
            by_name[c.subject].types.add(SUBJECT_TYPE[c.relation])
        by_name[c.object].types.add(OBJECT_TYPE[c.relation])
    return Reading(entities, credits)


def _fits_kind(typ: str, kind: str | None) -> bool:
    """Whether a type suits an entity of this recognized kind.

    >>> _fits_kind("Show", "AGENT"), _fits_kind("Composer", "AGENT"), _fits_kind("Album", "SONG")
    (False, True, True)
    """
    if kind == "AGENT":
        return typ in ROLE_TYPES
    if kind in WORK_KINDS:
        return typ in WORK_TYPES
    return True


def _votes_by_entity(rules: RuleReading, entities: list[Entity], doc: Doc
                     ) -> tuple[dict[tuple[str, str], set[str]], dict[tuple[str, str], int]]:
    """The rules' credits (by their names) as votes on this reading's entities, and the
    sentence each pair's first credit stands in."""
    key_of = {}
    for e in entities:
        for form in e.forms:
            key_of.setdefault(order_free_key(name_key(form)), e.name)
    starts = [sent.start_char for sent in sentences(doc)]
    out: dict[tuple[str, str], set[str]] = {}
    sentence_of: dict[tuple[str, str], int] = {}
    for c in rules.credits:
        es, eo = key_of.get(order_free_key(name_key(c.subject))), key_of.get(order_free_key(name_key(c.object)))
        if es and eo:
            out.setdefault((es, eo), set()).add(c.relation)
            sentence_of.setdefault((es, eo), max(bisect_right(starts, c.evidence.start) - 1, 0))
    return out, sentence_of


def candidates_for_training(doc: Doc, rules: RuleReading | None = None
                            ) -> tuple[list[Entity], list[Candidate], dict[int, str], dict[int, frozenset[str]]]:
    """What :func:`read_learned` scores, before scoring (the training reads this too):
    entities, candidate pairs with features, each entity's kind and features."""
    mentions = with_repeated_names(doc, with_rule_mentions(doc, recognized_mentions(doc), rules))
    entities, entity_of = resolve_names(mentions)
    kinds = entity_kinds(doc, mentions, entity_of)
    topic = topic_show(mentions, entity_of, kinds)
    mentions, entity_of = with_pronouns(doc, mentions, entity_of, kinds)
    candidates = candidate_pairs(doc, mentions, entity_of, kinds, topic)
    if rules is not None:
        votes, sentence_of = _votes_by_entity(rules, entities, doc)
        candidates = with_rule_pairs(with_votes(candidates, votes), votes, {e.name: e for e in entities}, kinds,
                                     sentence_of)
    features = entity_features(doc, mentions, entity_of, kinds)
    for e in entities:
        e.types.discard(AGENT_MARK)
    return entities, candidates, kinds, features


__all__ = ["Reading", "RuleReading", "read_learned", "recognized_mentions", "candidates_for_training", "KIND_LABELS"]
