"""The one owner of lazily loaded heavy dependencies.

Every other module imports at module level (tests/test_import_structure.py enforces it). The
libraries here are the exception: each costs a noticeable part of a cold command's time to import
(Chroma, CairoSVG through cffi's C-header parser, matplotlib, PySpice, SciPy, the OpenAI client), or belongs to an
optional extra that may not be installed (SKiDL, psycopg, Ray, uvicorn). A command that never draws a
PNG, simulates or builds the index never pays for them. Each function imports its library on first
use and returns it (Python caches the module, so later calls cost a dictionary lookup); an
ImportError reaches the caller, which says what to install.
"""

from __future__ import annotations

from types import ModuleType


# ---- drawing ---------------------------------------------------------------------------------
def cairosvg() -> ModuleType:
    """CairoSVG (SVG -> PNG); its cairocffi parses cairo's C headers on import (~0.3 s)."""
    import cairosvg

    return cairosvg


def matplotlib() -> ModuleType:
    """matplotlib itself (its bundled DejaVu fonts, ``get_data_path``), without pyplot."""
    import matplotlib

    return matplotlib


def pyplot() -> ModuleType:
    """matplotlib.pyplot on the file-only Agg backend (no display is ever opened)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


# ---- simulation and numerics ----------------------------------------------------------------
def ngspice_shared() -> ModuleType:
    """PySpice's libngspice binding (``NgSpiceShared``, ``ffi``)."""
    import PySpice.Spice.NgSpice.Shared

    return PySpice.Spice.NgSpice.Shared


def scipy_optimize() -> ModuleType:
    import scipy.optimize

    return scipy.optimize


def scipy_ndimage() -> ModuleType:
    import scipy.ndimage

    return scipy.ndimage


# ---- units -------------------------------------------------------------------------------------
def pint() -> ModuleType:
    """pint (units in running text: circuit.quantities); ~0.2 s to import, and a plain design or the web
    chat's start-up reads no unit."""
    import pint

    return pint


# ---- the part index and the embedding model --------------------------------------------------
def chromadb() -> ModuleType:
    """Chroma, with ``chromadb.config`` and ``chromadb.api.client`` loaded too."""
    import chromadb
    import chromadb.api.client
    import chromadb.config

    return chromadb


def tokenizers() -> ModuleType:
    import tokenizers

    return tokenizers


# ---- datasheets -------------------------------------------------------------------------------
def pypdfium2() -> ModuleType:
    """pypdfium2, with its raw C API (``pypdfium2.raw``) loaded too."""
    import pypdfium2
    import pypdfium2.raw

    return pypdfium2


def pdfplumber() -> ModuleType:
    import pdfplumber

    return pdfplumber


# ---- the LLM client ------------------------------------------------------------------------------
def openai() -> ModuleType:
    """The OpenAI client library (any OpenAI-compatible server), loaded when a model is first asked."""
    import openai

    return openai


# ---- optional extras ----------------------------------------------------------------------------
def lemminflect() -> ModuleType:
    """lemminflect's English lexicon (the 'nlp' extra): read only to distil knowledge/verbs.txt."""
    import lemminflect

    return lemminflect


def skidl() -> ModuleType:
    """SKiDL (the kicad extra); it prints its own warnings on import, which the caller may silence."""
    import skidl

    return skidl


def sexpdata() -> ModuleType:
    """sexpdata (the kicad extra: reading KiCad netlists back)."""
    import sexpdata

    return sexpdata


def ray() -> ModuleType:
    """Ray (the ray extra: datasheet batches scaled out over a cluster)."""
    import ray

    return ray


def uvicorn() -> ModuleType:
    """uvicorn (the web chat's server), loaded by ``serve`` only."""
    import uvicorn

    return uvicorn


def postgres_saver() -> tuple[ModuleType, type, object]:
    """(psycopg, langgraph's PostgresSaver, psycopg's dict_row) for threads kept in Postgres (DATABASE_URL)."""
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row

    return psycopg, PostgresSaver, dict_row
