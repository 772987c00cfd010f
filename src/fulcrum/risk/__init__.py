"""Uncertainty: sampling the estimates, the plan executed per sample, the value of information."""
