"""Every output as text: one pure function from the survey to ``{path: text}``."""
