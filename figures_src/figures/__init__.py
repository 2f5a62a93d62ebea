"""matplotlib figures: one module per figure (see figures_src.registry for the contract)."""
