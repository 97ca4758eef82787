"""The input file: reading YAML with positions, its JSON Schema, and the starter file."""
