"""One module per CLI command: parse arguments, call the core, format the result."""
