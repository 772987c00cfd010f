"""What changed between two versions of a backlog: inputs, ranks, the plan."""
