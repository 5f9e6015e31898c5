"""The extraction stages as a spaCy pipeline (a ``Language`` of
``@Language.factory`` components), for programs that work with spaCy Docs.

Each component is a thin wrapper around a stage of :mod:`.pipeline` (plain
functions, tested on their own, that :func:`~.pipeline.extract_text` runs on
the text without building a Doc). The tokenizer is a whitespace tokenizer
written for speed (spaCy's Vietnamese tokenizer without pyvi splits on
whitespace too, but in pure Python at a quarter of a million characters a
second); tokens never matter to the matching, which works on the text, and
every span stays exact because spans are character offsets.

Importing spaCy takes more than a second: only this module does it, and only
:func:`~.pipeline.load_pipeline` imports this module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

from .pipeline import (
    _EXTENSIONS,
    COMPONENTS,
    agencies_stage,
    citations_stage,
    named_stage,
    outline_stage,
    relations_stage,
    self_stage,
)

for _name, _default in _EXTENSIONS:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class WhitespaceTokenizer:
    r"""Split on whitespace only, keeping the text exact (``doc.text == text``).

    spaCy's own ``Tokenizer`` with no prefix, suffix, infix or exception
    rules does exactly this, in compiled code: about three times faster than
    building the word list in Python, and fifteen times faster than the
    Vietnamese tokenizer's pure-Python whitespace split.

    >>> import spacy
    >>> doc = WhitespaceTokenizer(spacy.blank("en").vocab)("Kết luận số 57-\n\nKL/TW")
    >>> [t.text for t in doc], doc.text == "Kết luận số 57-\n\nKL/TW"
    (['Kết', 'luận', 'số', '57-', '\n\n', 'KL/TW'], True)
    """

    def __init__(self, vocab):
        self.vocab = vocab
        self._split = Tokenizer(vocab)

    def __call__(self, text: str) -> Doc:
        doc = self._split(text)
        doc.user_data["cancu_text"] = text  # Doc.text rebuilds the string on every call
        return doc


def text_of(doc: Doc) -> str:
    """The Doc's text, built once (``doc.text`` joins every token each time)."""
    text = doc.user_data.get("cancu_text")
    if text is None:
        text = doc.user_data["cancu_text"] = doc.text
    return text


@registry.tokenizers("cancu.whitespace.v1")
def create_whitespace_tokenizer():
    def make(nlp):
        return WhitespaceTokenizer(nlp.vocab)

    return make


def _component(stage: Callable[[str, object], None]) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        stage(text_of(doc), doc._)
        if stage is citations_stage:
            spans = [
                doc.char_span(c.start, c.end, label="CITATION", alignment_mode="expand") for c in doc._.raw_citations
            ]
            doc.spans["citations"] = [s for s in spans if s is not None]
        return doc

    return component


@Language.factory("cancu_outline", assigns=["doc._.sections", "doc._.preamble_end"])
def make_outline(nlp, name):
    return _component(outline_stage)


@Language.factory("cancu_citations", assigns=["doc._.designators", "doc._.raw_citations", "doc.spans"])
def make_citations(nlp, name):
    return _component(citations_stage)


@Language.factory(
    "cancu_relations",
    requires=["doc._.raw_citations"],
    assigns=["doc._.relations", "doc._.raw_links", "doc._.inherited"],
)
def make_relations(nlp, name):
    return _component(relations_stage)


@Language.factory("cancu_named", requires=["doc._.raw_citations"], assigns=["doc._.named"])
def make_named(nlp, name):
    return _component(named_stage)


@Language.factory(
    "cancu_self",
    requires=["doc._.designators", "doc._.raw_citations"],
    assigns=["doc._.self_info", "doc._.raw_citations"],
)
def make_self(nlp, name):
    return _component(self_stage)


@Language.factory("cancu_agencies", requires=["doc._.sections"], assigns=["doc._.agencies", "doc._.collectives"])
def make_agencies(nlp, name):
    return _component(agencies_stage)


@functools.cache
def load_pipeline() -> Language:
    """The pipeline as spaCy components: ``spacy.blank("vi")`` with the
    whitespace tokenizer and cancu's stages; no model is downloaded.
    :func:`extract_text` runs the same stages without a Doc
    (:func:`run_stages`)."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "cancu.whitespace.v1"}}})
    nlp.max_length = 10**9  # no parser or NER: long texts cost only linear time
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
