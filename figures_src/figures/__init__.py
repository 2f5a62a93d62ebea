"""matplotlib figures: one module per figure (see figures_src.build.registry for the contract)."""
