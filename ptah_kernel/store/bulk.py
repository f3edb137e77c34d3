"""Many rows of one table written in one statement, without per-row overhead.

SQLAlchemy's Core `insert` with a list of rows builds and checks the
parameters of every row in Python, which costs more than SQLite's own
work for the thousands of blocks of a specification. Here the statement is
compiled once for the dialect, each column's own type converts its values
(JSON, dates), and the driver's `executemany` does the rest.
"""

from __future__ import annotations

from typing import Any

__all__ = ["insert_rows"]


def insert_rows(session: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in the session.

    A column missing from the rows takes its Python-side default once, the
    same for every row (`created_at` is the moment of the insert).
    """
    if not rows:
        return
    from sqlalchemy import insert

    connection = session.connection()
    dialect = connection.dialect
    defaults = _defaults(table, rows[0])
    names = [*rows[0], *defaults]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    converters = [_converter(table.c[name], dialect) for name in rows[0]]
    fixed = [
        value if to_db is None else to_db(value)
        for value, to_db in zip(
            defaults.values(),
            [_converter(table.c[name], dialect) for name in defaults],
            strict=True,
        )
    ]
    convert = [(at, f) for at, f in enumerate(converters) if f is not None]
    records = []
    for row in rows:
        values = [*row.values(), *fixed]
        for at, to_db in convert:
            values[at] = to_db(values[at])
        records.append(values)
    if compiled.positional:
        at = {name: i for i, name in enumerate(names)}
        order = [at[name] for name in compiled.positiontup]
        parameters: list[Any] = [tuple(r[i] for i in order) for r in records]
    else:
        parameters = [dict(zip(names, r, strict=True)) for r in records]
    connection.exec_driver_sql(str(compiled), parameters)


def _defaults(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for column in table.columns:
        default = column.default
        if column.name in row or default is None or column.primary_key:
            continue
        if default.is_callable:
            found[column.name] = default.arg(None)
        elif default.is_scalar:
            found[column.name] = default.arg
    return found


def _converter(column: Any, dialect: Any) -> Any:
    to_db = column.type.dialect_impl(dialect).bind_processor(dialect)
    return None if to_db is None else _remembering(to_db)


def _remembering(to_db: Any) -> Any:
    # The blocks of one section share their heading path: serialise each
    # distinct (hashable) value once.
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = found = to_db(value)
            return found
        except TypeError:  # a dict or a list: not hashable
            return to_db(value)

    return convert
