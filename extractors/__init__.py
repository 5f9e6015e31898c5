"""Extraction of legal citations from Vietnamese government plans (trích xuất căn cứ).

Public entry points: :func:`extract_text`, :func:`extract_file`,
:func:`extract_paths` (see :mod:`extractors.pipeline`).
"""

from .errors import CancuError, DecodeError, InputError

__all__ = ["CancuError", "DecodeError", "InputError", "extract_text", "extract_file", "extract_paths"]


def __getattr__(name):  # import spaCy only when extraction is asked for
    if name in ("extract_text", "extract_file", "extract_paths", "Failure", "load_pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
