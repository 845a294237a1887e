"""Views of the credit graph: a networkx projection and an offline HTML page."""

from animekg.views.network import collaborators, credit_network, most_credited, show_staff
from animekg.views.page import write_view_page

__all__ = ["collaborators", "credit_network", "most_credited", "show_staff", "write_view_page"]
