"""Tests of chipcalc/loader/, a module of tests per module of the package."""
