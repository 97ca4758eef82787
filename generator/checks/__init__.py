"""Checks: from input to a checked model, across years, against the narrative, and audits of published reports."""
