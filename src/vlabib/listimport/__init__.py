"""Paper lists (Markdown, HTML inside it) read into papers and a taxonomy."""
