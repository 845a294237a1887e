"""Views of the credit graph: a networkx projection, an offline HTML page, and exports."""

from animekg.views.export import NETWORK_FORMATS, write_network
from animekg.views.network import (
    collaborators,
    communities,
    credit_network,
    filter_network,
    most_connected,
    most_credited,
    show_staff,
)
from animekg.views.page import MAX_NODES, inline_view, view_page_html, write_view_page

__all__ = ["MAX_NODES", "NETWORK_FORMATS", "collaborators", "communities", "credit_network", "filter_network",
           "inline_view", "most_connected", "most_credited", "show_staff", "view_page_html",
           "write_network", "write_view_page"]
