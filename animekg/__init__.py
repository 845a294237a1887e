"""animekg: a knowledge graph of anime music credits, read out of free text.

The public API lives in :mod:`animekg.api`; this module stays light so that
``import animekg.graph`` does not pull in spaCy.
"""

__version__ = "0.1.0"
