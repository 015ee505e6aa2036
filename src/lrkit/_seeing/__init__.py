"""Seeing a schedule before training: describe, plot and the terminal chart."""
