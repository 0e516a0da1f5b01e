"""Starter firmware for a design: a sketch for its board, and a compile or syntax check."""
