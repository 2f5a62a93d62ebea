"""Manim scenes: one module per scene (see figures_src.registry for the contract)."""
