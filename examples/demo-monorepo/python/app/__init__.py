"""Scoring service of demo-monorepo: grades assessment submissions and ranks members."""

__version__ = "0.4.0"
