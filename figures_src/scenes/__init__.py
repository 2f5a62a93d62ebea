"""Manim scenes: one module per scene (see figures_src.build.registry for the contract)."""
