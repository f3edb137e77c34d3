import datetime as dt

import pytest

from ptah_kernel.errors import WBSError
from ptah_kernel.wbs.model import WorkItem
from ptah_kernel.wbs.mspdi import read_mspdi, write_mspdi

START = dt.date(2027, 1, 4)  # a Monday
RATES = {"developer": 100.0, "tester": 80.0}


@pytest.fixture(scope="session")
def mpxj_reader():
    """MPXJ's reader in a JVM started once: JPype cannot start a second one."""
    import jpype
    import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader

    return UniversalProjectReader()


@pytest.fixture
def items() -> list[WorkItem]:
    return [
        WorkItem("1", "Functional scope", "phase"),
        WorkItem("1.1", "Orders", "deliverable"),
        WorkItem(
            "1.1.1",
            "Order history",
            "work package",
            ["rfp:REQ-1", "rfp:REQ-2"],
            "The portal shall show past orders",
            "developer",
            4.0,
            6.0,
            14.0,
            status="needs review",
            notes="Ask about exports",
        ),
        WorkItem(
            "1.1.2",
            "Test the history",
            "work package",
            role="tester",
            optimistic_hours=2.0,
            most_likely_hours=3.0,
            pessimistic_hours=4.0,
            depends_on=["1.1.1FS+2d"],
        ),
        WorkItem(
            "1.1.3",
            "Export to CSV",
            "work package",
            role="developer",
            optimistic_hours=1.0,
            most_likely_hours=2.5,
            pessimistic_hours=6.0,
            depends_on=["1.1.1SS-4h", "2.1FF"],
        ),
        WorkItem("2", "Operations", "phase"),
        WorkItem("2.1", "Go live", "work package", depends_on=["1.1.2SF+1.5h"]),
    ]


@pytest.fixture
def written(items, tmp_path):
    return write_mspdi(
        items,
        tmp_path / "plan.xml",
        rates=RATES,
        currency="EUR",
        project_name="Portal",
        start=START,
    )


@pytest.fixture
def project(mpxj_reader, written):
    return mpxj_reader.read(str(written))


def tasks_by_wbs(project):
    return {str(task.getWBS()): task for task in project.getTasks()}


def test_write_mspdi_is_read_by_mpxj_in_wbs_order(project, items):
    tasks = list(project.getTasks())

    assert str(project.getProjectProperties().getFileType()) == "MSPDI"
    assert [str(t.getWBS()) for t in tasks] == [item.code for item in items]
    assert [str(t.getOutlineNumber()) for t in tasks] == [i.code for i in items]
    assert [int(t.getOutlineLevel()) for t in tasks] == [1, 2, 3, 3, 3, 1, 2]


def test_write_mspdi_builds_the_outline(project):
    tasks = tasks_by_wbs(project)

    assert str(tasks["1.1.2"].getParentTask().getWBS()) == "1.1"
    assert bool(tasks["1.1"].getSummary()) and not bool(tasks["1.1.1"].getSummary())


def test_write_mspdi_leaf_lasts_its_expected_hours(project):
    tasks = tasks_by_wbs(project)

    def hours(code):
        duration = tasks[code].getDuration()
        assert str(duration.getUnits()) == "d"
        return float(duration.getDuration()) * 8

    # (4 + 4 * 6 + 14) / 6 = 7 hours; (1 + 10 + 6) / 6 = 2 h 50 min.
    assert hours("1.1.1") == pytest.approx(7.0)
    assert hours("1.1.3") == pytest.approx(17 / 6)


def test_write_mspdi_summary_spans_its_children(project):
    tasks = tasks_by_wbs(project)

    assert str(tasks["1.1"].getStart()) == "2027-01-04T09:00"
    # 1.1.2 starts 2 days (16 h) after 1.1.1's 7 hours and lasts 3: hour 26,
    # two hours into Thursday.
    assert str(tasks["1.1"].getFinish()) == str(tasks["1.1.2"].getFinish())
    assert str(tasks["1.1.2"].getFinish()) == "2027-01-07T11:00"


def test_write_mspdi_links_keep_type_and_lag(project):
    tasks = tasks_by_wbs(project)

    def links(code):
        return [
            (str(r.getPredecessorTask().getWBS()), str(r.getType()), str(r.getLag()))
            for r in tasks[code].getPredecessors()
        ]

    assert links("1.1.2") == [("1.1.1", "FS", "2.0d")]
    assert links("1.1.3") == [("1.1.1", "SS", "-4.0h"), ("2.1", "FF", "0.0h")]
    assert links("2.1") == [("1.1.2", "SF", "1.5h")]


def test_write_mspdi_keeps_estimates_in_aliased_custom_fields(project):
    from org.mpxj import TaskField

    task = tasks_by_wbs(project)["1.1.1"]
    aliases = {
        str(f.getFieldType()): str(f.getAlias()) for f in project.getCustomFields()
    }

    assert aliases["Number1"] == "Optimistic hours"
    assert aliases["Number3"] == "Pessimistic hours"
    estimate = [float(task.get(getattr(TaskField, f"NUMBER{n}"))) for n in (1, 2, 3)]
    assert estimate == [4.0, 6.0, 14.0]


def test_write_mspdi_roles_become_priced_resources(project):
    resources = {str(r.getName()): r for r in project.getResources() if r.getName()}
    task = tasks_by_wbs(project)["1.1.1"]

    assert str(resources["developer"].getStandardRate()) == "100.0/h"
    assert [str(a.getResource().getName()) for a in task.getResourceAssignments()] == [
        "developer"
    ]


def test_read_mspdi_round_trip(items, written):
    assert read_mspdi(written) == items


def test_read_mspdi_without_ptah_fields_takes_kinds_from_the_outline(tmp_path):
    path = tmp_path / "project.xml"
    path.write_text(FOREIGN, encoding="utf-8")

    items = read_mspdi(path)
    assert [(i.code, i.kind) for i in items] == [
        ("1", "phase"),
        ("1.1", "work package"),
    ]
    assert items[1].depends_on == [] and items[1].most_likely_hours is None


def test_read_mspdi_refuses_other_xml(tmp_path):
    path = tmp_path / "plan.xml"
    path.write_text("<plan><task/></plan>", encoding="utf-8")

    with pytest.raises(WBSError, match="is XML but not a Microsoft Project file"):
        read_mspdi(path)


def test_read_mspdi_refuses_entity_expansion(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">]><Project><Name>&a;</Name></Project>',
        encoding="utf-8",
    )

    with pytest.raises(WBSError, match="is not readable XML"):
        read_mspdi(path)


def test_read_mspdi_refuses_a_link_cycle(written):
    from xml.etree.ElementTree import SubElement, parse

    tree = parse(written)
    space = {"p": "http://schemas.microsoft.com/project"}
    first = tree.find("p:Tasks/p:Task[p:WBS='1.1.1']", space)
    link = SubElement(first, "{http://schemas.microsoft.com/project}PredecessorLink")
    SubElement(link, "{http://schemas.microsoft.com/project}PredecessorUID").text = "4"
    tree.write(written)

    with pytest.raises(
        WBSError, match=r"dependency cycle, 1\.1\.1 → 1\.1\.2 → 1\.1\.1"
    ):
        read_mspdi(written)


def test_read_mspdi_over_the_row_limit_raises(written):
    with pytest.raises(WBSError, match="more than 5 rows; the limit is 5"):
        read_mspdi(written, max_rows=5)


FOREIGN = """<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project">
  <Name>From Project</Name>
  <Tasks>
    <Task><UID>0</UID><ID>0</ID><Name>From Project</Name>
      <OutlineLevel>0</OutlineLevel></Task>
    <Task><UID>1</UID><ID>1</ID><Name>Build</Name><WBS>PRJ-1</WBS>
      <OutlineNumber>1</OutlineNumber><OutlineLevel>1</OutlineLevel>
      <Summary>1</Summary></Task>
    <Task><UID>2</UID><ID>2</ID><Name>Code it</Name><WBS>1.1</WBS>
      <OutlineNumber>1.1</OutlineNumber><OutlineLevel>2</OutlineLevel>
      <Duration>PT16H0M0S</Duration><Summary>0</Summary></Task>
  </Tasks>
</Project>
"""
