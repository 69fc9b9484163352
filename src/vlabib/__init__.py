"""vlabib: one canonical BibTeX file keeps a survey's paper list and manuscript in sync."""
