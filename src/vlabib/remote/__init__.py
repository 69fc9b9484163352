"""The outside world: polite HTTP, the response cache, arXiv, the catalogs that know venues."""
