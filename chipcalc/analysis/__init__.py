"""Analyses built on the model: goal seek, sensitivity (and, later, sweeps and simulation)."""
