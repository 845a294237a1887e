"""The SPARQL endpoint: `animekg serve`."""
