"""The exceptions animekg raises on purpose.

Every message names the thing at fault and says what to do about it, so the CLI can
print it as one line and exit non-zero.
"""


class AnimekgError(Exception):
    """Base class: an error a user can act on."""


class InputError(AnimekgError):
    """A source document cannot be read as text (missing, empty, binary, undecodable)."""


class InputWarning(UserWarning):
    """A source document was read, but not exactly as written (bytes that are not UTF-8)."""


class ModelError(AnimekgError):
    """No usable spaCy pipeline could be loaded."""


class OntologyError(AnimekgError):
    """The ontology files are missing, unparsable or do not match the annotation spec."""


class StoreError(AnimekgError):
    """The graph store cannot be opened or written."""


class QueryError(AnimekgError):
    """A SPARQL query is malformed, unknown, or given parameters it does not declare."""


class ValidationError(AnimekgError):
    """A graph does not conform to the SHACL shapes."""


class ServeError(AnimekgError):
    """The endpoint cannot start as asked (bad settings, a store it cannot open, a busy port)."""
