"""Write the bundled sample RFP: a Word request for proposal and an Excel matrix.

The text is invented for Ptah (a clinic group asking for an appointment
portal); run `python samples/make_samples.py` to write the files again.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent / "northwind"

RFP = [
    ("h1", "1 Introduction"),
    (
        "p",
        "Northwind Clinics runs eleven outpatient clinics across two counties. "
        "Patients book appointments by telephone today, and the call centre turns "
        "away about one call in five at peak hours. This request for proposal "
        "asks vendors to design, build and run a web portal for booking, "
        "changing and cancelling appointments.",
    ),
    ("h2", "1.1 Purpose of this document"),
    (
        "p",
        "This document describes the scope, the functional and non-functional "
        "requirements, the expected deliverables and the way proposals are "
        "evaluated. Vendors answer each requirement in the attached matrix.",
    ),
    ("h2", "1.2 Timeline"),
    (
        "p",
        "Questions are due on 15 January. Proposals are due on 5 February. "
        "The selected vendor starts on 1 March and the portal goes live for two "
        "pilot clinics by 1 July.",
    ),
    ("h1", "2 Scope"),
    (
        "p",
        "The portal covers patients, reception staff and clinic managers. Billing, "
        "clinical records and insurance claims stay in the existing systems and are "
        "out of scope, except for the interfaces named below.",
    ),
    ("h1", "3 Functional requirements"),
    ("h2", "3.1 Patient accounts"),
    (
        "req",
        "FR-01 The portal shall let a patient register with an e-mail address or a "
        "mobile number and confirm it with a one-time code.",
    ),
    (
        "req",
        "FR-02 The portal shall let a patient manage dependants (children, people "
        "in their care) and book on their behalf.",
    ),
    (
        "req",
        "FR-03 A patient must be able to delete their account and personal data "
        "from the portal at any time.",
    ),
    ("h2", "3.2 Booking"),
    (
        "req",
        "FR-04 The portal shall show free appointment slots per clinic, per "
        "practitioner and per type of visit for the next eight weeks.",
    ),
    (
        "req",
        "FR-05 The portal shall hold a chosen slot for five minutes while the "
        "patient completes the booking.",
    ),
    (
        "req",
        "FR-06 The portal shall send a confirmation by e-mail or text message "
        "within one minute of a booking.",
    ),
    (
        "req",
        "FR-07 Patients should be able to join a waiting list for a fully booked "
        "day and be offered a slot that frees up.",
    ),
    ("h2", "3.3 Changes and cancellations"),
    (
        "req",
        "FR-08 The portal shall let a patient move or cancel an appointment up to "
        "two hours before it starts.",
    ),
    (
        "req",
        "FR-09 The portal will send a reminder 24 hours before each appointment, "
        "with links to confirm, move or cancel it.",
    ),
    ("h2", "3.4 Reception and managers"),
    (
        "req",
        "FR-10 Reception staff shall see the day's bookings per practitioner and "
        "mark patients as arrived or absent.",
    ),
    (
        "req",
        "FR-11 Clinic managers shall define opening hours, practitioners' rotas and "
        "visit types with their lengths.",
    ),
    (
        "req",
        "FR-12 The portal may offer a monthly report of no-shows per clinic as a "
        "spreadsheet.",
    ),
    ("h2", "3.5 Interfaces"),
    (
        "req",
        "FR-13 The portal shall read practitioners and rotas from the existing "
        "scheduling system through its REST interface every fifteen minutes.",
    ),
    (
        "req",
        "FR-14 The portal shall write each booking back to the scheduling system "
        "within thirty seconds.",
    ),
    ("h1", "4 Non-functional requirements"),
    (
        "req",
        "NFR-01 Pages shall load in under two seconds for 95% of requests with 500 "
        "concurrent users.",
    ),
    (
        "req",
        "NFR-02 The portal shall be available 99.5% of the time outside the "
        "announced maintenance window of Sunday 02:00 to 04:00.",
    ),
    (
        "req",
        "NFR-03 All personal data shall be encrypted in transit and at rest, and "
        "access to it shall be logged.",
    ),
    (
        "req",
        "NFR-04 The portal shall meet WCAG 2.2 level AA and work on current "
        "versions of the major mobile and desktop browsers.",
    ),
    (
        "req",
        "NFR-05 The portal should be easy to use for patients over 70 without help "
        "from staff.",
    ),
    ("h1", "5 Deliverables"),
    ("li", "A working portal in the two pilot clinics, then in all eleven."),
    ("li", "Source code, deployment scripts and an operations handbook."),
    ("li", "Training for reception staff and clinic managers."),
    ("li", "Twelve months of support and maintenance after go-live."),
    ("h1", "6 Evaluation"),
    (
        "p",
        "Proposals are scored on the approach (40%), the price (35%) and the "
        "team's experience with healthcare scheduling (25%). Vendors state their "
        "assumptions and list the questions they would ask before estimating.",
    ),
]

MATRIX_TITLE = "Northwind Clinics appointment portal: requirement matrix"
MATRIX_HEADER = ["Req ID", "Category", "Requirement", "Priority", "Vendor response"]
MATRIX = [
    (
        "SEC-01",
        "Security",
        "Staff accounts use single sign-on with the clinics' "
        "existing identity provider (SAML 2.0 or OpenID Connect).",
        "Must",
    ),
    (
        "SEC-02",
        "Security",
        "The vendor performs a penetration test before go-live "
        "and fixes every finding rated high or critical.",
        "Must",
    ),
    (
        "SEC-03",
        "Security",
        "Sessions expire after 15 minutes without activity.",
        "Must",
    ),
    (
        "OPS-01",
        "Operations",
        "Backups are taken daily, kept for 35 days and "
        "restored in a test every quarter.",
        "Must",
    ),
    (
        "OPS-02",
        "Operations",
        "Monitoring alerts the on-call engineer within five minutes of an outage.",
        "Should",
    ),
    (
        "DAT-01",
        "Data",
        "Patient data stays in data centres inside the country.",
        "Must",
    ),
    (
        "DAT-02",
        "Data",
        "The portal exports a patient's data as a machine-readable file on request.",
        "Should",
    ),
    (
        "UX-01",
        "Usability",
        "The booking flow takes no more than five steps from the home page.",
        "Should",
    ),
    ("UX-02", "Usability", "The portal is offered in English and Spanish.", "Could"),
]


def write_rfp(path: Path) -> None:
    """Write the RFP as a Word document with heading styles and a table."""
    from docx import Document

    document = Document()
    document.core_properties.title = "Appointment portal: request for proposal"
    document.core_properties.author = "Northwind Clinics procurement"
    document.add_heading("Appointment portal: request for proposal", level=0)
    for kind, text in RFP:
        _add(document, kind, text)
    _add_contacts(document)
    document.save(path)


def _add(document, kind: str, text: str) -> None:  # type: ignore[no-untyped-def]
    if kind == "h1":
        document.add_heading(text, level=1)
    elif kind == "h2":
        document.add_heading(text, level=2)
    elif kind == "li":
        document.add_paragraph(text, style="List Bullet")
    else:
        document.add_paragraph(text)


def _add_contacts(document) -> None:  # type: ignore[no-untyped-def]
    document.add_heading("7 Contacts", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells, ["Role", "Name", "E-mail"], strict=True
    ):
        cell.text = title
    for row in [
        ("Procurement", "Dana Whitfield", "procurement@northwind-clinics.example"),
        ("Technical lead", "Omar Haddad", "it@northwind-clinics.example"),
    ]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value


def write_matrix(path: Path) -> None:
    """Write the requirement matrix with a title row above the header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Requirements"
    sheet.append([MATRIX_TITLE])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(MATRIX_HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in MATRIX:
        sheet.append([*row, ""])
    for column, width in zip("ABCDE", [10, 14, 80, 10, 40], strict=True):
        sheet.column_dimensions[column].width = width
    workbook.properties.creator = "Northwind Clinics procurement"
    workbook.save(path)


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    write_rfp(HERE / "appointment-portal-rfp.docx")
    write_matrix(HERE / "requirement-matrix.xlsx")
    print(f"wrote the sample RFP to {HERE}")
