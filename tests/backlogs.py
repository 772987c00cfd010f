"""Backlog text shared by tests: a minimal valid head (one priced metric, one stakeholder)."""

HEAD = """\
[backlog]
title = "T"

[metrics.revenue]
label = "Revenue"
value_per_unit = 1.0
source = "plan"

[stakeholders.cfo]
name = "C"
cares_about = ["revenue"]
"""
