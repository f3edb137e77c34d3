"""Pictures of a project for clients: the WBS tree, the network, traceability, Gantt.

Each function returns a `Diagram`, which shows itself as SVG in a notebook
and writes PNG, SVG or PDF with `save(path)`::

    from ptah_kernel.diagrams import wbs_tree
    wbs_tree(items, rates={"developer": 95}).save("wbs.png")

`draw(kind, items, ...)` picks one by name, for the command line. graphviz
draws the tree, the network and the traceability; matplotlib the Gantt
chart. Both are imported only when a diagram is drawn.
"""

from ptah_kernel.diagrams._diagram import FORMATS, Diagram, DiagramError
from ptah_kernel.diagrams._draw import KINDS, draw
from ptah_kernel.diagrams.gantt_chart import gantt
from ptah_kernel.diagrams.network import dependency_network
from ptah_kernel.diagrams.trace import traceability
from ptah_kernel.diagrams.tree import wbs_tree

__all__ = [
    "FORMATS",
    "KINDS",
    "Diagram",
    "DiagramError",
    "dependency_network",
    "draw",
    "gantt",
    "traceability",
    "wbs_tree",
]
