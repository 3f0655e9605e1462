"""Bilingual (pt/es) PyTorch-autograd course graded with nbgrader.

The package is the instructor's side only: student notebooks never import it.
"""
__version__ = "0.1.0"
