"""Importing a tracker's issues (Jira, Linear, GitHub) into a backlog, merged, never overwritten."""
