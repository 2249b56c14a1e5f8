"""Analyses built on the model: goal seek, sweeps, sensitivity and Monte Carlo simulation."""
