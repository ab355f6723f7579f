"""Valuation: option pricing method and backsolve, PWERM and the hybrid method, Monte Carlo."""
