"""Rewrites: candidate edits proposed by detectors, kept only when the language model verifies them."""
