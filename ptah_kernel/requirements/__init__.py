"""Requirements found in a document's blocks: ids, anchors, modality, kind.

    from ptah_kernel.requirements import find_requirements
    found = find_requirements(content.blocks, lineage="themas")
    [f.id for f in found if f.ref][:2]   # ['themas:SRS-001', 'themas:SRS-001-2']

`ambiguity_flags(text)` lists the weak and open-ended words of a requirement;
`KINDS` are the kinds a requirement can be guessed as.
"""

from __future__ import annotations

from ptah_kernel.requirements._kinds import KINDS
from ptah_kernel.requirements.ambiguity import ambiguity_flags
from ptah_kernel.requirements.finding import find_requirements
from ptah_kernel.requirements.model import FoundRequirement

__all__ = ["KINDS", "FoundRequirement", "ambiguity_flags", "find_requirements"]
