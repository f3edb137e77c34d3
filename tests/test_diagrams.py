"""Diagrams: the WBS tree, the network, traceability and Gantt, as pictures."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from ptah_kernel.diagrams import (
    Diagram,
    DiagramError,
    dependency_network,
    draw,
    gantt,
    traceability,
    wbs_tree,
)
from ptah_kernel.diagrams.network import CRITICAL
from ptah_kernel.diagrams.tree import TREE_LIMIT
from ptah_kernel.wbs.model import WorkItem
from ptah_kernel.wbs.schedule import schedule as wbs_schedule

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Say <hello> & "bye" \\N\nback\\'
START = "2027-03-01"  # a Monday
RATES = {"developer": 50.0}


def item(code, name, kind="work package", hours=None, **fields):
    estimate = {}
    if hours is not None:
        estimate = dict.fromkeys(
            ("optimistic_hours", "most_likely_hours", "pessimistic_hours"), hours
        )
    return WorkItem(
        code=code, name=name, kind=kind, role="developer", **estimate, **fields
    )


@pytest.fixture
def items():
    """Two phases. Critical path 1.1 → 1.2 → 2.1 → 2.3; 1.3 and 2.2 have float."""
    return [
        item("1", "Discovery", "phase"),
        item("1.1", "Workshop", hours=8, requirements=["R1"]),
        item(
            "1.2",
            "Architecture",
            hours=16,
            depends_on=["1.1"],
            requirements=["R2"],
            status="needs review",
        ),
        item("1.3", NASTY, hours=4, depends_on=["1.1"]),
        item("2", "Build", "phase"),
        item(
            "2.1",
            "Booking API",
            hours=8,
            depends_on=["1.2", "1.3", "1.1"],
            requirements=["R2"],
        ),
        item("2.2", "Reminders", hours=8, depends_on=["1.1SS+2d"], requirements=["R9"]),
        item("2.3", "Training", depends_on=["2.1"]),
    ]


@pytest.fixture
def requirements():
    rows = [
        ("R1", "FR-1", "Patients shall book online.", "functional"),
        ("R2", "FR-2", "No double booking.", "functional"),
        ("R3", "NFR-1", "Data shall be encrypted <AES>.", "security"),
    ]
    return pd.DataFrame(rows, columns=["id", "ref", "text", "kind"])


@pytest.fixture
def plan(items):
    from ptah_kernel.diagrams._inputs import wbs_frame

    return wbs_schedule(wbs_frame(items), START)


def parse(diagram: Diagram) -> ET.Element:
    return ET.fromstring(diagram.svg().encode("utf-8"))


def graph_parts(diagram: Diagram, part: str) -> dict[str, ET.Element]:
    """The SVG groups of graphviz nodes or edges by their names (<title>)."""
    groups = parse(diagram).iter(f"{SVG}g")
    return {
        group.find(f"{SVG}title").text: group
        for group in groups
        if part in group.get("class", "").split()
    }


def classes(group: ET.Element) -> set[str]:
    return set(group.get("class", "").split())


def text_of(group: ET.Element) -> str:
    return " ".join(text.text or "" for text in group.iter(f"{SVG}text"))


def big_items(phases=10, per_level=10, leaves=9):
    """10 × 10 × 10 × 9 work packages under 1,110 parents: 10,110 items."""
    result = []
    for a in range(1, phases + 1):
        result.append(item(f"{a}", f"Phase {a}", "phase"))
        for b in range(1, per_level + 1):
            result.append(item(f"{a}.{b}", f"Deliverable {a}.{b}", "deliverable"))
            for c in range(1, per_level + 1):
                result.append(item(f"{a}.{b}.{c}", f"Part {c}", "deliverable"))
                result.extend(
                    item(
                        f"{a}.{b}.{c}.{d}",
                        f"Task {d}",
                        hours=8,
                        status="needs review" if (c, d) == (2, 3) else "",
                    )
                    for d in range(1, leaves + 1)
                )
    return result


# Diagram: saving and showing.


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<"), (".pdf", b"%PDF")]
)
def test_diagram_save_writes_the_format_of_the_suffix(tmp_path, items, suffix, magic):
    path = wbs_tree(items).save(tmp_path / f"picture{suffix.upper()}")

    assert path.read_bytes().startswith(magic)
    if suffix == ".svg":
        assert ET.fromstring(path.read_bytes()).tag == f"{SVG}svg"


def test_diagram_save_writes_a_chart_as_png(tmp_path, plan):
    path = gantt(plan).save(tmp_path / "gantt.png")

    assert path.read_bytes().startswith(b"\x89PNG")


def test_diagram_save_refuses_an_unknown_suffix(tmp_path, items):
    with pytest.raises(DiagramError, match=r"'tree\.jpg'.*\.png, \.svg, \.pdf"):
        wbs_tree(items).save(tmp_path / "tree.jpg")

    assert not (tmp_path / "tree.jpg").exists()


def test_diagram_shows_inline_as_svg(items, plan):
    for diagram in (wbs_tree(items), gantt(plan)):
        bundle = diagram._repr_mimebundle_()

        assert list(bundle) == ["image/svg+xml"]
        assert ET.fromstring(bundle["image/svg+xml"].encode()).tag == f"{SVG}svg"


def test_diagram_pdf_carries_the_client_text(tmp_path, items):
    path = wbs_tree(items).save(tmp_path / "tree.pdf")

    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)

    assert "Architecture" in done.stdout
    assert 'Say <hello> & "bye" \\N back\\' in done.stdout


def test_diagrams_import_loads_no_heavy_library():
    code = (
        "import json, sys, ptah_kernel.diagrams; print(json.dumps([m for m in "
        "('pandas', 'graphviz', 'matplotlib', 'numpy') if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert json.loads(done.stdout) == []


# The WBS tree.


def test_wbs_tree_draws_every_item_under_the_project(items):
    nodes = graph_parts(wbs_tree(items, title="Portal"), "node")

    assert set(nodes) == {"root"} | {f"item {i.code}" for i in items}
    assert "Portal" in text_of(nodes["root"])
    assert "44 h ± 0 h (1 not estimated)" in text_of(nodes["root"])
    assert "28 h ± 0 h" in text_of(nodes["item 1"])


def test_wbs_tree_marks_items_needing_review(items):
    nodes = graph_parts(wbs_tree(items), "node")

    marked = {name for name, group in nodes.items() if "needs-review" in classes(group)}
    assert marked == {"item 1.2"}
    assert "needs review" in text_of(nodes["item 1.2"])


def test_wbs_tree_shows_cost_where_rates_are_given(items):
    nodes = graph_parts(wbs_tree(items, rates=RATES), "node")

    assert "cost 400" in text_of(nodes["item 1.1"])
    assert "cost 2,200" in text_of(nodes["root"])
    assert "cost" not in text_of(graph_parts(wbs_tree(items), "node")["item 1.1"])


def test_wbs_tree_escapes_client_text(items):
    nodes = graph_parts(wbs_tree(items), "node")

    assert 'Say <hello> & "bye" \\N back\\' in text_of(nodes["item 1.3"])
    assert "item 1.3" not in text_of(nodes["item 1.3"])


def test_wbs_tree_folds_levels_below_the_depth(items):
    diagram = wbs_tree(items, depth=1)
    nodes = graph_parts(diagram, "node")

    assert set(nodes) == {"root", "item 1", "item 2"}
    assert "+ 3 items folded below" in text_of(nodes["item 2"])
    assert "1 of them needs review" in text_of(nodes["item 1"])
    assert diagram.notes == ["6 items below level 1 folded into 2 items"]


def test_wbs_tree_of_ten_thousand_items_folds_itself():
    diagram = wbs_tree(big_items())
    nodes = graph_parts(diagram, "node")

    assert len(nodes) == 1 + 10 + 100 <= TREE_LIMIT + 1
    assert "+ 100 items folded below" in text_of(nodes["item 3.4"])
    assert "1 of them needs review" in text_of(nodes["item 3.4"])
    assert diagram.notes == ["10,000 items below level 2 folded into 100 items"]


def test_wbs_tree_refuses_a_depth_below_one(items):
    with pytest.raises(DiagramError, match="depth 0"):
        wbs_tree(items, depth=0)


# The dependency network.


def test_dependency_network_marks_the_critical_path(items, plan):
    diagram = dependency_network(items, plan)
    nodes, edges = graph_parts(diagram, "node"), graph_parts(diagram, "edge")

    critical = {name for name, group in nodes.items() if "critical" in classes(group)}
    assert critical == {"item 1.1", "item 1.2", "item 2.1", "item 2.3"}
    red = {name for name, group in edges.items() if "critical" in classes(group)}
    assert red == {"item 1.1->item 1.2", "item 1.2->item 2.1", "item 2.1->item 2.3"}
    strokes = {path.get("stroke") for path in edges["item 1.2->item 2.1"].iter()}
    assert CRITICAL in strokes


def test_dependency_network_shows_work_packages_with_dates_and_link_types(items, plan):
    diagram = dependency_network(items, plan)
    nodes, edges = graph_parts(diagram, "node"), graph_parts(diagram, "edge")

    assert set(nodes) == {f"item {code}" for code in ("1.1", "1.2", "1.3", "2.1")} | {
        "item 2.2",
        "item 2.3",
    }
    assert "16 h · float 0 d" in text_of(nodes["item 1.2"])
    assert "Mon 01 Mar → Mon 01 Mar" in text_of(nodes["item 1.1"])
    assert "SS+2d" in text_of(edges["item 1.1->item 2.2"])


def test_dependency_network_schedules_the_items_when_not_given_a_schedule(items):
    nodes = graph_parts(dependency_network(items), "node")

    assert "critical" in classes(nodes["item 1.2"])
    assert "→" not in text_of(nodes["item 1.2"])


def test_dependency_network_past_the_limit_keeps_one_critical_path(items, plan):
    diagram = dependency_network(items, plan, limit=5)

    nodes = set(graph_parts(diagram, "node"))
    assert nodes == {"item 1.1", "item 1.2", "item 2.1", "item 2.3"}
    assert diagram.notes == ["2 work packages left out; one critical path is shown"]


def test_dependency_network_past_the_limit_leaves_out_far_work():
    far = [
        item("1", "Phase", "phase"),
        item("1.1", "A", hours=8),
        item("1.2", "B", hours=8, depends_on=["1.1"]),
        item("1.3", "Far", hours=2),
        item("1.4", "Farther", hours=1, depends_on=["1.3"]),
    ]
    diagram = dependency_network(far, limit=2)

    assert set(graph_parts(diagram, "node")) == {"item 1.1", "item 1.2"}
    assert diagram.notes == [
        "2 work packages left out; the critical path and its neighbours are shown"
    ]


# Traceability.


def test_traceability_marks_uncovered_requirements(items, requirements):
    nodes = graph_parts(traceability(items, requirements), "node")

    uncovered = {n for n, group in nodes.items() if "uncovered" in classes(group)}
    assert [text_of(nodes[name]) for name in uncovered] == [
        "NFR-1 Data shall be encrypted <AES>. security not covered"
    ]
    unknown = [n for n, group in nodes.items() if "unknown" in classes(group)]
    assert [text_of(nodes[name]) for name in unknown] == ["R9 no such requirement"]


def test_traceability_links_requirements_to_the_work_naming_them(items, requirements):
    diagram = traceability(items, requirements)
    nodes, edges = graph_parts(diagram, "node"), graph_parts(diagram, "edge")

    ends = {tuple(name.split("->")) for name in edges}
    by_name = {name: text_of(group).split()[0] for name, group in nodes.items()}
    pairs = {(by_name[start], by_name[end]) for start, end in ends}
    assert pairs == {("FR-1", "1.1"), ("FR-2", "1.2"), ("FR-2", "2.1"), ("R9", "2.2")}
    untraced = {
        by_name[n] for n, group in nodes.items() if "untraced" in classes(group)
    }
    assert untraced == {"1.3", "2.3"}
    assert diagram.notes == ["1 requirement not covered"]


def test_traceability_refuses_a_table_without_ids(items):
    with pytest.raises(DiagramError, match="no id column"):
        traceability(items, pd.DataFrame({"text": ["A requirement"]}))


# The Gantt chart.


def gantt_groups(diagram: Diagram) -> dict[str, ET.Element]:
    groups = parse(diagram).iter(f"{SVG}g")
    return {group.get("id"): group for group in groups if group.get("id")}


def fills(group: ET.Element) -> set[str]:
    return {
        part.split(":")[1].strip()
        for path in group.iter(f"{SVG}path")
        for part in path.get("style", "").split(";")
        if part.strip().startswith("fill:")
    }


def test_gantt_draws_critical_work_red(plan):
    groups = gantt_groups(gantt(plan))

    bars = {key.removeprefix("bar-") for key in groups if key.startswith("bar-")}
    assert bars == {"1.1", "1.2", "1.3", "2.1", "2.2"}
    assert fills(groups["bar-1.2"]) == {CRITICAL}
    assert CRITICAL not in fills(groups["bar-2.2"])
    assert {"summary-1", "summary-2", "unestimated-2.3"} <= set(groups)


def test_gantt_draws_the_baseline_under_current_bars(items, plan):
    from ptah_kernel.diagrams._inputs import wbs_frame

    baseline = wbs_schedule(wbs_frame(items[:4]), "2027-02-22")
    groups = gantt_groups(gantt(plan, baseline))

    drawn = {key for key in groups if key.startswith("baseline-")}
    assert drawn == {"baseline-1", "baseline-1.1", "baseline-1.2", "baseline-1.3"}


def test_gantt_folds_levels_below_the_depth(plan):
    diagram = gantt(plan, depth=1)

    groups = gantt_groups(diagram)
    assert {key for key in groups if key.startswith(("bar-", "summary-"))} == {
        "bar-1",
        "bar-2",
    }
    assert fills(groups["bar-1"]) == {CRITICAL}
    assert diagram.notes == ["6 items below level 1 folded"]


def test_gantt_refuses_a_frame_without_dates(items):
    from ptah_kernel.diagrams._inputs import wbs_frame

    with pytest.raises(DiagramError, match="no early_start, early_finish, critical"):
        gantt(wbs_frame(items))


# draw(), for the command line.


@pytest.mark.parametrize("kind", ["tree", "network", "gantt", "trace"])
def test_draw_makes_each_kind(tmp_path, items, requirements, kind):
    diagram = draw(kind, items, requirements=requirements, start=START, rates=RATES)

    assert diagram.save(tmp_path / "out.svg").stat().st_size > 1000


def test_draw_refuses_an_unknown_kind(items):
    with pytest.raises(DiagramError, match="'pert'.*tree, network, gantt, trace"):
        draw("pert", items)


def test_draw_trace_needs_the_requirements(items):
    with pytest.raises(DiagramError, match="needs the project's requirements"):
        draw("trace", items)


def test_diagrams_public_names_are_listed_and_resolve():
    import ptah_kernel.diagrams as diagrams

    assert sorted(diagrams.__all__) == [
        "Diagram",
        "DiagramError",
        "FORMATS",
        "KINDS",
        "dependency_network",
        "draw",
        "gantt",
        "traceability",
        "wbs_tree",
    ]
    assert all(getattr(diagrams, name) for name in diagrams.__all__)


def test_dependency_network_of_parallel_critical_chains_shows_one(plan):
    chains = [item("1", "Phase", "phase")]
    for chain in range(1, 5):
        chains.append(item(f"1.{chain}", f"Chain {chain}", "deliverable"))
        chains.extend(
            item(
                f"1.{chain}.{step}",
                "Step",
                hours=8,
                depends_on=[f"1.{chain}.{step - 1}"],
            )
            if step > 1
            else item(f"1.{chain}.{step}", "Step", hours=8)
            for step in range(1, 4)
        )
    diagram = dependency_network(chains, limit=5)

    nodes = graph_parts(diagram, "node")
    assert len(nodes) == 3
    assert all("critical" in classes(group) for group in nodes.values())
    assert diagram.notes == ["9 work packages left out; one critical path is shown"]
