"""The verbs: one module each, the library API the command line calls."""
