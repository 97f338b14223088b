"""A skill catalogue read with DuckDB: one row per skill, each row checked, looked up by id or name.

The file (CSV, JSON Lines or Parquet, by suffix) is read into a DuckDB table and checked there,
row by row in SQL: a 100,000-skill catalogue is a table, not 100,000 Python objects. A skill
becomes a :class:`Skill` only when something asks for it (a trace of ``skill:ID``, a listing),
so tracing one skill costs about the same in a catalogue of one as in one of 100,000.

Bad rows (no id, a duplicate id, no name or developer, a yes/no cell that is neither) are listed
with their row number (the first data row is row 1) and left out; ``strict=True`` fails on them.
A scope no template knows is a warning naming the row: the skill keeps it as an unknown permission.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "skills.csv"
>>> _ = path.write_text(
...     "skill,name,developer,permissions\\n"
...     "B07K1NBJLJ,Domino's,Domino's Pizza LLC,alexa::profile:email:read\\n"
...     "B07K1NBJLJ,Again,Someone,\\n")
>>> catalogue = read_catalogue(path)
>>> [str(p).split(": ", 1)[1] for p in catalogue.problems]
['row 2: skill: duplicate of row 1 (B07K1NBJLJ); the row is left out']
>>> skill = catalogue.skill("skill:b07k1nbjlj")
>>> skill.name, skill.permissions, skill.party
("Domino's", ('alexa::profile:email:read',), 'developer:dominos-pizza-llc')
>>> [s.id for s in catalogue.find("dominos")]
['B07K1NBJLJ']
"""

from __future__ import annotations

import csv
import difflib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tracer.errors import TracerError
from tracer.safeio import literal_path
from tracer.sqltext import trimmed_sql

from ..model.scopes import ALIASES, FLAG_FEATURES, SCOPES, canonical

__all__ = [
    "COLUMNS",
    "Catalogue",
    "CatalogueError",
    "RowProblem",
    "Skill",
    "UnknownSkillError",
    "normalize_name",
    "read_catalogue",
]

REQUIRED = ("skill", "name", "developer")
COLUMNS = (
    *REQUIRED,
    "permissions",
    *FLAG_FEATURES,
    "category",
    "privacy_policy",
    "retention",
    "source",
)
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0", "")

# a store id: an ASIN (B07K1NBJLJ) or amzn1.ask.skill.<uuid>; lower-cased, it is a slug
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"


def _name_sql(expression: str) -> str:
    """The SQL that normalizes a name: no accents, lower case, apostrophes dropped, every run of
    other non-letters one space (so "Domino's Pizza" and "dominos  pizza" match)."""
    return (
        f"trim(regexp_replace(regexp_replace(lower(strip_accents({expression})), "
        f"'[''’`´]', '', 'g'), '[^\\pL\\pN]+', ' ', 'g'))"
    )


def _slug_sql(expression: str) -> str:
    return (
        "trim(regexp_replace(regexp_replace(lower(strip_accents("
        f"{expression})), '[''’`´]', '', 'g'), '[^a-z0-9]+', '-', 'g'), '-')"
    )


class CatalogueError(TracerError):
    """A catalogue that cannot be read, or (``strict``) one with bad rows, listed in
    ``problems``."""

    def __init__(self, message: str, problems: Iterable[RowProblem] = ()):
        self.problems = list(problems)
        super().__init__("\n".join([message, *map(str, self.problems)]))


class UnknownSkillError(TracerError):
    """A skill id the catalogue does not hold, with the closest ids and names."""


@dataclass(frozen=True, order=True)
class RowProblem:
    """One finding in a catalogue: a bad row (``error``, left out) or a ``warning`` (kept)."""

    file: str
    row: int
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row}" if self.row else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class Skill:
    """One skill of a catalogue, as its row says."""

    id: str  # as the store writes it: B07K1NBJLJ, amzn1.ask.skill.<uuid>
    name: str
    developer: str
    party: str  # its developer's party id: developer:<slug>, one per distinct developer
    permissions: tuple[str, ...] = ()  # scopes as the manifest spells them, known or not
    account_linking: bool = False
    in_skill_purchases: bool = False
    amazon_pay: bool = False
    category: str | None = None
    privacy_policy: str | None = None
    retention: str | None = None
    source: str | None = None
    row: int = 0

    @property
    def key(self) -> str:
        """The id as a slug (lower case): ``skill:<key>`` names its interaction and backend."""
        return self.id.lower()

    @property
    def interaction(self) -> str:
        return f"skill:{self.key}"

    @property
    def features(self) -> tuple[str, ...]:
        """The template features it has: ``always``, its scopes (an alias as what it means),
        then its yes/no features; each once."""
        flags = tuple(name for name in FLAG_FEATURES if getattr(self, name))
        return tuple(dict.fromkeys(("always", *map(canonical, self.permissions), *flags)))

    @property
    def unknown_permissions(self) -> tuple[str, ...]:
        return tuple(scope for scope in self.permissions if scope not in SCOPES)


def normalize_name(name: str) -> str:
    """A skill name as lookups compare it (the same rule as the catalogue's SQL).

    >>> normalize_name("Domino’s  Pizza!"), normalize_name("Café Ünïcode")
    ('dominos pizza', 'cafe unicode')
    """
    return _scalar(f"SELECT {_name_sql('?')}", name) or ""


_SCALAR: dict[str, object] = {}
_SCALAR_LOCK = threading.Lock()


def _scalar(sql: str, *parameters: object) -> object:
    # one connection for the process, made on first use by whichever thread, shared under a
    # lock (a connection per thread was torn down with its thread, and DuckDB aborted at exit)
    import duckdb

    with _SCALAR_LOCK:
        con = _SCALAR.get("con")
        if con is None:
            con = _SCALAR["con"] = duckdb.connect()
        row = con.execute(sql, list(parameters)).fetchone()
    return row[0] if row else None


def _reader(path: Path) -> str:
    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix == ".gz" else path.suffix.lower()
    quoted = "'" + str(path).replace("'", "''") + "'"
    if suffix in (".csv", ".csv.gz", ".tsv"):
        return f"read_csv({quoted}, header=true, all_varchar=true, auto_detect=true)"
    if suffix in (".jsonl", ".ndjson", ".json", ".jsonl.gz"):
        return f"read_json({quoted}, format='newline_delimited')"
    if suffix == ".parquet":
        return f"read_parquet({quoted})"
    raise CatalogueError(
        f"{path}: a catalogue is .csv, .jsonl (JSON Lines) or .parquet, "
        f"not {path.suffix or 'no suffix'!r}"
    )


def _as_text(column: str, kind: str) -> str:
    """A column of any type as text: a list (JSON, Parquet) joined with spaces."""
    quoted = '"' + column.replace('"', '""') + '"'  # a file's own name for the column
    if kind.endswith("[]"):
        return f"array_to_string({quoted}, ' ')"
    if kind != "VARCHAR":
        return f"trim(CAST({quoted} AS VARCHAR))"
    return trimmed_sql(quoted)  # trim() copies every string; most cells need none


def read_catalogue(path: str | Path, *, strict: bool = False) -> Catalogue:
    """Read and check the catalogue at ``path`` (CSV, JSON Lines or Parquet)."""
    import duckdb

    path = Path(path)
    if not path.is_file():
        raise CatalogueError(f"{path}: no such catalogue file")
    con = duckdb.connect()
    # read as written: `skills?.csv` is that file, never a pattern (tracer.safeio's rule)
    with literal_path(path) as literal:
        reader = _reader(literal)
        # a CSV is read as text, so its columns' kinds are known before it is read: when its
        # header names catalogue columns only, the read goes first, in one pass that also
        # computes the checks (a DESCRIBE first ran DuckDB's sniffer twice, an eighth of the
        # time at 100,000 skills). Any other file is read after asking for its columns, with
        # its own columns' names and only the known ones.
        extra: list[str] = []
        try:
            done = False
            header = _plain_header(path)
            if header is not None:
                try:
                    _create_cells(con, reader, {name: (name, "VARCHAR") for name in header})
                    done = True
                except duckdb.Error:  # DuckDB read its header otherwise: as below
                    con.execute("DROP TABLE IF EXISTS cells")
            if not done:
                described = con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
                # DuckDB matches a column's name in any case: so does the check
                known = {}
                for name, kind, *_ in described:
                    if name.lower() in COLUMNS and name.lower() not in known:
                        known[name.lower()] = (name, kind)
                    else:
                        extra.append(name)
                missing = [name for name in REQUIRED if name not in known]
                if missing:
                    raise CatalogueError(
                        f"{path}: no column {', '.join(missing)} "
                        f"(a catalogue has {', '.join(COLUMNS)})"
                    )
                _create_cells(con, reader, known)
            problems = [
                RowProblem(
                    str(path),
                    0,
                    name,
                    f"unknown column, ignored (known: {', '.join(COLUMNS)})",
                    "warning",
                )
                for name in extra
            ]
            problems += _row_problems(con, str(path))
        except duckdb.Error as error:
            raise CatalogueError(f"{path}: cannot be read as a catalogue: {error}") from None
    problems.sort(key=lambda p: (p.row, p.field, p.message))
    bad = sorted({p.row for p in problems if p.severity == "error"})
    if strict and bad:
        raise CatalogueError(
            f"{path}: {len(bad)} bad row{'s' if len(bad) != 1 else ''} (--strict)",
            [p for p in problems if p.severity == "error"],
        )
    con.execute("CREATE TABLE bad AS SELECT unnest(?::BIGINT[]) AS row", [bad])
    con.execute(_skills_view(names=False, bad=bool(bad)))
    return Catalogue(path, con, problems)


def _plain_header(path: Path) -> list[str] | None:
    """The header of a CSV file (``.csv``, ``.csv.gz``, ``.tsv``) when it names catalogue
    columns only, each once and the required ones among them, so that it can be read before
    DuckDB is asked for its columns; None for any other file.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("skill,name,developer\\nB01,A,Dev\\n")
    >>> _ = (folder / "b.csv").write_text("skill,name,developer,stars\\nB01,A,Dev,5\\n")
    >>> _plain_header(folder / "a.csv"), _plain_header(folder / "b.csv")
    (['skill', 'name', 'developer'], None)
    """
    import gzip

    suffix = "".join(path.suffixes[-2:]).lower() if path.suffix == ".gz" else path.suffix.lower()
    if suffix not in (".csv", ".csv.gz", ".tsv"):
        return None
    opener = gzip.open if suffix.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as file:
            line = file.readline(1 << 16)
    except (OSError, UnicodeDecodeError, EOFError):
        return None
    names = next(csv.reader([line], delimiter="\t" if suffix == ".tsv" else ","), [])
    if len(set(names)) != len(names) or not set(REQUIRED) <= set(names) <= set(COLUMNS):
        return None
    return names


# the columns read_catalogue computes beside the file's own, named so no file's column can be
# taken for one
_DERIVED = "tracer$"


def _flag_sql(column: str) -> str:
    """A yes/no cell as a boolean, NULL when it is neither: the common spellings first, since
    lower() and a list of six for every cell of 100,000 rows cost a fifth of the read."""
    return (
        f"CASE {column} WHEN 'false' THEN false WHEN 'true' THEN true WHEN '' THEN false "
        f"ELSE CASE WHEN {column} IS NULL THEN false WHEN lower({column}) IN {_TRUE} THEN true "
        f"WHEN lower({column}) IN {_FALSE} THEN false END END"
    )


def _create_cells(con, reader: str, known: dict[str, tuple[str, str]]) -> None:
    """The table ``cells``: the catalogue's columns as text (``known``: a column's name ->
    the file's name for it and its kind; NULL for one the file lacks), then each row's derived
    values (its key, its scopes, its yes/no features), computed as the file is read. The
    file's other columns are never kept: none can be taken for a derived one, or hide
    ``rowid``.

    The table's row order is the file's (insertion order), so ``rowid + 1`` is the row number.
    """
    cells = ", ".join(
        f"{_as_text(*known[name]) if name in known else 'NULL::VARCHAR'} AS {name}"
        for name in COLUMNS
    )
    flags = ", ".join(f'{_flag_sql(name)} AS "{_DERIVED}is_{name}"' for name in FLAG_FEATURES)
    # `scopes`: the permissions as the template's features name them (an older spelling as
    # the scope it stands for); Amazon Pay's `payments:autopay_consent` sets amazon_pay
    cases = " ".join(f"WHEN '{old}' THEN '{new}'" for old, new in ALIASES.items())
    split = "list_filter(string_split_regex(permissions, '[\\s;,]+'), lambda s: s <> '')"
    # one layer: the few rows with permissions split them twice, where a second SELECT over
    # every row of the first cost a tenth of the read
    con.execute(
        f"""
        CREATE TABLE cells AS
        SELECT *, lower(skill) AS "{_DERIVED}key",
               CASE WHEN coalesce(permissions, '') = '' THEN []::VARCHAR[]
                    ELSE {split} END AS "{_DERIVED}scope_list",
               {flags},
               CASE WHEN coalesce(permissions, '') = '' THEN []::VARCHAR[]
                    ELSE list_distinct(list_filter(
                        list_transform({split}, lambda s: CASE s {cases} ELSE s END),
                        lambda s: s NOT IN {FLAG_FEATURES})) END AS "{_DERIVED}scopes"
        FROM (SELECT {cells} FROM {reader})
        """
    )


def _skills_view(*, names: bool, bad: bool = True) -> str:
    """The view ``skills`` over the file's table ``cells``: the good rows, each with its row
    number (a view, not a copy: at 100,000 skills a copy cost a sixth of the read)."""
    d = _DERIVED
    return f"""
        CREATE OR REPLACE VIEW skills AS
        SELECT rowid + 1 AS row, skill AS id, "{d}key" AS key, name, developer,
               "{d}scope_list" AS permissions, "{d}scopes" AS scopes,
               "{d}is_account_linking" AS account_linking,
               "{d}is_in_skill_purchases" AS in_skill_purchases,
               "{d}is_amazon_pay" OR list_contains("{d}scope_list", 'payments:autopay_consent')
                 AS amazon_pay,
               nullif(category, '') AS category, nullif(privacy_policy, '') AS privacy_policy,
               nullif(retention, '') AS retention, nullif(source, '') AS source
               {f', "{d}norm_name" AS norm_name' if names else ""}
        FROM cells {"WHERE rowid + 1 NOT IN (SELECT row FROM bad)" if bad else ""}
        """


def _row_problems(con, file: str) -> list[RowProblem]:
    """Every bad cell of the table ``cells``, found in SQL: errors (the row is left out) and
    warnings. One scan finds the rows that fail a check or name an unknown scope (few), and
    makes their messages only for them; a hash aggregate finds the repeated ids."""
    d = _DERIVED
    checks = [
        ("skill", "coalesce(skill, '') = ''", "'missing: every row needs the store id'"),
        (
            "skill",
            f"skill <> '' AND NOT regexp_matches(skill, '{_ID_PATTERN}')",
            "'''' || skill || ''' is not a store id (an ASIN or amzn1.ask.skill.<uuid>)'",
        ),
        ("name", "coalesce(name, '') = ''", "'missing'"),
        ("developer", "coalesce(developer, '') = ''", "'missing'"),
        *(
            (flag, f'"{d}is_{flag}" IS NULL', f"'''' || {flag} || ''' is neither true nor false'")
            for flag in FLAG_FEATURES
        ),
    ]
    conditions = " OR ".join(f"({condition})" for _, condition, _ in checks)
    columns = ", ".join(
        f"CASE WHEN {condition} THEN {message} END" for _, condition, message in checks
    )
    problems = []
    for row, scopes, *messages in con.execute(
        f"""SELECT row, unknown, {columns} FROM (
                SELECT rowid + 1 AS row, *,
                       CASE WHEN len("{d}scope_list") = 0 THEN []::VARCHAR[]
                            ELSE list_filter("{d}scope_list",
                                             lambda s: NOT list_contains(?::VARCHAR[], s)) END
                         AS unknown
                FROM cells)
            WHERE {conditions} OR len(unknown) > 0
            ORDER BY row""",
        [list(SCOPES)],
    ).fetchall():
        for (column, _, _), text in zip(checks, messages, strict=True):
            if text is not None:
                problems.append(RowProblem(file, row, column, text))
        for scope in scopes:
            close = difflib.get_close_matches(scope, SCOPES, n=1, cutoff=0.8)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                RowProblem(
                    file,
                    row,
                    "permissions",
                    f"unknown scope {scope!r}, kept as an unknown permission{hint}",
                    "warning",
                )
            )
    # duplicates: the few repeated keys first (a hash aggregate), then their later rows
    duplicates = con.execute(
        f"""
        WITH numbered AS (SELECT rowid + 1 AS row, skill, "{d}key" AS key FROM cells),
             keys AS (SELECT key, min(row) AS first_row FROM numbered
                      WHERE coalesce(skill, '') <> '' GROUP BY 1 HAVING count(*) > 1)
        SELECT c.row, k.first_row, f.skill FROM numbered c
        JOIN keys k ON c.key = k.key
        JOIN numbered f ON f.row = k.first_row
        WHERE c.row <> k.first_row
        """
    ).fetchall()
    for row, first, first_id in duplicates:
        problems.append(
            RowProblem(
                file, row, "skill", f"duplicate of row {first} ({first_id}); the row is left out"
            )
        )
    return problems


# one party per distinct developer: the slug of its name, with a short hash when two
# developers' names make the same slug (or none, as a name in another script does); made on
# the catalogue's first query, not by reading, which need not pay for it
_PARTIES = f"""
    CREATE TABLE parties AS
    WITH d AS (SELECT developer, {_slug_sql("developer")} AS slug
               FROM (SELECT DISTINCT developer FROM skills)),
         clash AS (SELECT slug FROM d GROUP BY slug HAVING count(*) > 1)
    SELECT developer, 'developer:' || CASE
        WHEN slug = '' OR slug IN (SELECT slug FROM clash)
        THEN concat_ws('-', nullif(slug, ''), substr(md5(developer), 1, 8))
        ELSE slug END AS party
    FROM d
    """


# the party by a subquery, not a join: a look-up by id then reads one row of parties, where a
# join built a hash table of every developer first (twice the time at 100,000 skills)
_SKILL_COLUMNS = (
    "s.id, s.name, s.developer, (SELECT p.party FROM parties p WHERE p.developer = s.developer), "
    "s.permissions, s.account_linking, s.in_skill_purchases, s.amazon_pay, s.category, "
    "s.privacy_policy, s.retention, s.source, s.row"
)
_FROM = "FROM skills s"
_ROW_COLUMNS = _SKILL_COLUMNS.replace(
    "(SELECT p.party FROM parties p WHERE p.developer = s.developer)", "NULL"
)


def _skill(row: tuple) -> Skill:
    (
        id_,
        name,
        developer,
        party,
        scopes,
        linking,
        isp,
        pay,
        category,
        policy,
        retention,
        source,
        number,
    ) = row
    return Skill(
        id_, name, developer, party, tuple(dict.fromkeys(scopes)), linking, isp, pay,
        category, policy, retention, source, number,
    )  # fmt: skip


@dataclass
class Catalogue:
    """A checked catalogue: its skills in a DuckDB table, and the problems its rows had.

    The library API other parts use (the ledger, a person's history): :meth:`skill` by id or
    ``skill:ID``, :meth:`find` by name (normalized: case, accents and punctuation ignored),
    :meth:`skills` for all or some, ``len()``, and :attr:`problems`.
    """

    path: Path
    con: object = field(repr=False)
    problems: list[RowProblem] = field(default_factory=list)
    _cache: dict[str, Skill] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _named: bool = field(default=False, repr=False)
    _parties: bool = field(default=False, repr=False)

    @property
    def _bad(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def query(self, sql: str, parameters: Iterable[object] = ()) -> list[tuple]:
        """Rows of a query over the tables ``skills`` and ``parties`` (thread-safe)."""
        with self._lock:
            if not self._parties:
                self.con.execute(_PARTIES)
                self._parties = True
            return self.con.execute(sql, list(parameters)).fetchall()

    def __len__(self) -> int:
        return self.count

    @cached_property
    def count(self) -> int:
        return self.query("SELECT count(*) FROM skills")[0][0]

    def skill(self, wanted: str) -> Skill:
        """The skill with this id (any case; ``skill:`` in front allowed), or an
        :class:`UnknownSkillError` with a did-you-mean by id and by name."""
        key = wanted.removeprefix("skill:").lower()
        found = self._cache.get(key)
        if found is None:
            # the row, then its developer's party: two point reads (one query joining them
            # built a hash table of every developer first)
            rows = self.query(f"SELECT {_ROW_COLUMNS} {_FROM} WHERE s.key = ?", [key])
            if not rows:
                raise UnknownSkillError(self._unknown(wanted.removeprefix("skill:")))
            row = list(rows[0])
            row[3] = self.query("SELECT party FROM parties WHERE developer = ?", [row[2]])[0][0]
            found = self._cache[key] = _skill(tuple(row))
        return found

    def __contains__(self, wanted: object) -> bool:
        if not isinstance(wanted, str):
            return False
        key = wanted.removeprefix("skill:").lower()
        return key in self._cache or bool(self.query("SELECT 1 FROM skills WHERE key = ?", [key]))

    def _names(self) -> None:
        """Add the normalized names, on the first lookup by name: reading need not pay."""
        with self._lock:
            if not self._named:
                self.con.execute(
                    f'ALTER TABLE cells ADD COLUMN "{_DERIVED}norm_name" VARCHAR; '
                    f'UPDATE cells SET "{_DERIVED}norm_name" = {_name_sql("name")}'
                )
                self.con.execute(_skills_view(names=True, bad=self._bad))
                self._named = True

    def find(self, name: str) -> list[Skill]:
        """The skills whose normalized name is ``name``'s, or else contains it, by id."""
        self._names()
        wanted = self._normalized(name)
        if not wanted:
            return []
        rows = self.query(
            f"SELECT {_SKILL_COLUMNS} {_FROM} WHERE s.norm_name = ? ORDER BY s.id", [wanted]
        ) or self.query(
            f"SELECT {_SKILL_COLUMNS} {_FROM} WHERE contains(s.norm_name, ?) "
            "ORDER BY s.id LIMIT 50",
            [wanted],
        )
        return [_skill(row) for row in rows]

    def skills(self, ids: Iterable[str] | None = None) -> Iterator[Skill]:
        """Every skill in row order, or those of ``ids`` (each checked) in the order given."""
        if ids is not None:
            for wanted in ids:
                yield self.skill(wanted)
            return
        for row in self.query(f"SELECT {_SKILL_COLUMNS} {_FROM} ORDER BY s.row"):
            yield _skill(row)

    def _normalized(self, name: str) -> str:
        """:func:`normalize_name`, by this catalogue's own connection."""
        return self.query(f"SELECT {_name_sql('?')}", [name])[0][0] or ""

    def many(self, keys: Iterable[str]) -> dict[str, Skill]:
        """The skills of ``keys`` (ids or ``skill:ID``, any case) found in one query, by key;
        a key the catalogue lacks is left out."""
        wanted = sorted({key.removeprefix("skill:").lower() for key in keys})
        rows = self.query(
            f"SELECT {_SKILL_COLUMNS} {_FROM} WHERE s.key IN (SELECT unnest(?::VARCHAR[]))",
            [wanted],
        )
        found = {}
        for row in rows:
            skill = _skill(row)
            found[skill.key] = self._cache.setdefault(skill.key, skill)
        return found

    def _unknown(self, wanted: str) -> str:
        self._names()
        key = wanted.lower()
        by_id = self.query(
            "SELECT id FROM skills WHERE levenshtein(key, ?) <= greatest(2, length(?) // 4) "
            "ORDER BY levenshtein(key, ?), id LIMIT 3",
            [key, key, key],
        )
        norm = self._normalized(wanted)
        by_name = (
            self.query(
                "SELECT id, name FROM skills WHERE contains(norm_name, ?) "
                "OR jaro_winkler_similarity(norm_name, ?) >= 0.88 "
                "ORDER BY jaro_winkler_similarity(norm_name, ?) DESC, id LIMIT 3",
                [norm, norm, norm],
            )
            if norm
            else []
        )
        hints = [f"skill:{row[0]}" for row in by_id]
        hints += [f"skill:{id_} ({name})" for id_, name in by_name if f"skill:{id_}" not in hints]
        message = f"unknown skill {wanted!r} in the catalogue {self.path}"
        if hints:
            message += "; did you mean " + ", ".join(hints[:4]) + "?"
        return message
