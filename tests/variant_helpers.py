"""Run a lesson's hidden checks directly on answer code (milliseconds, no kernel)."""
from __future__ import annotations

import importlib

import torch


def define(code: str, name: str):
    """Execute one answer cell's code as a notebook would, and return the object it defines."""
    ns = {"torch": torch, "__name__": "__student__"}
    exec(compile(code, f"<answer {name}>", "exec"), ns)
    return ns[name]


def run_check(module: str, check: str, answer, lang: str = "pt") -> None:
    getattr(importlib.import_module(f"course.checks.{module}"), check)(answer, lang)
