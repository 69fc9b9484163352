"""LaTeX in and out: the allow-list, Unicode to LaTeX, LaTeX to Unicode, references."""
