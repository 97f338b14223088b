"""Corrupted models, events logs and Fides files: loading, tracing, building a ledger, importing
and every writer raise nothing but tracer's own errors.

Each example starts from one small valid model that uses every section, corrupts it (a value
swapped for one of another type or a hostile string, a key dropped or added, characters of the
YAML text changed), and then runs what a user can run on it. Any exception other than a
TracerError is a bug: the CLI would print it as an "internal error".

The bound keeps ``make test`` fast; ``make fuzz`` raises it (``TRACER_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tracer
from tracer.render.report import build_report, render_report

EXAMPLES = int(os.environ.get("TRACER_FUZZ_EXAMPLES", "40"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# a log builds a ledger, a Fides file imports a model: each example costs a tenth of a second
# or more, so the default run tries fewer (make fuzz tries as many as the others)
fuzz_slow = settings(fuzz, max_examples=int(os.environ.get("TRACER_FUZZ_EXAMPLES", "10")))

VALID = {
    "format": "tracer/1",
    "name": "fuzz",
    "description": "A model using every section",
    "sources": {"s1": {"title": "A source", "publisher": "P", "date": "2019-06-28"}},
    "parties": {
        "acme": {"name": "Acme", "role": "platform"},
        "user": {"name": "The user", "role": "data_subject"},
    },
    "records": {
        "rec": {"name": "Recording", "categories": ["user.biometric.voice"]},
        "txt": {"name": "Transcript"},
    },
    "holders": {
        "device": {"name": "Device", "party": "user", "kind": "device"},
        "cloud": {
            "name": "Cloud",
            "party": "acme",
            "access": ["acme", {"party": "user", "as": "owner", "confidence": "stated"}],
            "keeps": {
                "rec": {"for": "until_deleted", "deleted_by": ["wipe"], "evidence": ["s1"]},
                "txt": {"for": "30d", "unclear_for": ["wipe"], "note": "maybe"},
            },
        },
        "store": {
            "name": "Store",
            "party": "acme",
            "kind": "store",
            "keeps": {"txt": {"for": "forever", "deleted_by": ["auto"]}},
        },
    },
    "flows": [
        {"id": "up", "from": "device", "to": "cloud", "carries": ["rec"], "confidence": "stated"},
        {
            "from": "cloud",
            "to": "store",
            "carries": ["txt"],
            "when": ["keep"],
            "deletion": "propagated",
        },
    ],
    "derivations": [{"at": "cloud", "from": "rec", "to": "txt", "deletion": "unclear"}],
    "interactions": {
        "ask": {"name": "Ask", "tags": ["keep"], "starts": {"device": ["rec"]}},
        "quiet": {"name": "Quiet", "starts": {"device": ["rec"]}},
    },
    "deletions": {
        "wipe": {"name": "Wipe", "by": "user"},
        "auto": {"name": "Auto", "after": "3mo"},
    },
}

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "x",
        "Acme",
        "acme",
        "wipe",
        "auto",
        "rec",
        "cloud",
        "none",
        "30d",
        "1000y",
        "1001y",
        "9" * 400 + "d",
        "٣d",
        "a\x1b[31mb",
        "\x01",
        "\ufffe",
        "\ud800",
        "two\nlines",
        "a\rb",
        "\t",
        "<b>&</b>",
        "{x}",
        "[y]",
        "C:\\path",
        "\\N\\G",
        ":100:",
        "[bold]x",
        "party:nobody",
        "role:platform",
        "cluster_x",
        "end",
        "yes",
        "<<",
    ]
) | st.text(max_size=12)
SCALARS = (
    HOSTILE_TEXT
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | st.booleans()
    | st.none()
    | st.dates().map(datetime.date.isoformat)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
    max_leaves=6,
)


def paths(data, loc=()):
    """Every (container path, key) in ``data``."""
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        yield loc, key
        if isinstance(value, (dict, list)):
            yield from paths(value, (*loc, key))


ALL_PATHS = sorted(paths(VALID), key=repr)


@st.composite
def corrupted_data(draw):
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        loc, key = draw(st.sampled_from(ALL_PATHS))
        container = data
        try:
            for part in loc:
                container = container[part]
            action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
            if action == "replace":
                container[key] = draw(VALUES)
            elif action == "drop":
                del container[key]
            elif isinstance(container, dict):
                container[draw(HOSTILE_TEXT)] = draw(VALUES)
            else:
                container.append(draw(VALUES))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass  # an earlier corruption removed or replaced this path (a list by text, say)
    return data


def renamed(data, old: str, new: str):
    """``data`` with every key or string equal to ``old`` replaced by ``new``."""
    if isinstance(data, dict):
        return {(new if k == old else k): renamed(v, old, new) for k, v in data.items()}
    if isinstance(data, list):
        return [renamed(v, old, new) for v in data]
    return new if data == old else data


IDS = [(section, key) for section in ("parties", "records", "holders") for key in VALID[section]]
# valid ids that look like another namespace's names (the overview's "party:x" groups did)
ID_LIKE = st.sampled_from(["party:acme", "party:user", "party:nobody", "role:platform", "role:x"])


@st.composite
def renamed_ids(draw):
    """The valid model with an id, and every reference to it, renamed to a look-alike."""
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 2))):
        _, key = draw(st.sampled_from(IDS))
        data = renamed(
            data, key, draw(ID_LIKE | st.from_regex(r"[a-z0-9][a-z0-9_.:-]{0,8}", fullmatch=True))
        )
    return data


@st.composite
def corrupted_text(draw):
    """The valid model as YAML (or JSON), with a few characters replaced, inserted or cut."""
    as_json = draw(st.booleans())
    text = json.dumps(VALID, indent=1) if as_json else yaml.safe_dump(VALID, allow_unicode=True)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(
            st.sampled_from(["", ":", "-", "[", "{", "&a ", "*a", "<<: ", "!!int ", "\n  ", '"'])
            | st.text(max_size=3)
        )
        cut = draw(st.integers(0, 3))
        text = text[:at] + piece + text[at + cut :]
    return text, "m.json" if as_json else "m.yaml"


def dump(data) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return json.dumps(data, default=str)


def use(model: tracer.Model, at) -> None:
    """Everything a user can do with a model that loaded: trace, draw, report, JSON."""
    interactions = sorted(model.interactions)
    specs = [*sorted(model.deletions), "wipe@30d", "auto@400d", "nope", "wipe@"]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for name in [None, *interactions]:
            for path in ("e.dot", "e.mmd"):
                run(tracer.draw, model, out / path, name, specs[:1])
        run(tracer.ecosystem_dot, model, collapse="none")
        run(tracer.ecosystem_mermaid, model, collapse="party")
        for focus in [*sorted(model.parties)[:1], *sorted(model.holders)[:1], "nobody"]:
            run(tracer.ecosystem_dot, model, focus=focus)
        for name in interactions:
            for deletions in ([], specs[:2], [specs[-2]], [specs[-1]]):
                result = run(tracer.trace, model, name, deletions, at=at)
                if result is None:
                    continue
                json.dumps(result.to_dict())
                tracer.trace_dot(model, result)
                tracer.trace_mermaid(model, result)
        if interactions:
            run(tracer.write_report, model, out / "r.md", interactions, specs[:1])
            report = run(build_report, model, interactions, specs[:1], diagrams=False)
            if report is not None:
                render_report(report, ".html")


def run(function, *args, **options):
    """``function``'s result, or None when it raised a TracerError (any other error fails)."""
    try:
        return function(*args, **options)
    except tracer.TracerError:
        return None


@fuzz
@given(corrupted_data(), st.sampled_from([None, 0, 30, "1y", "1001y", "x", -1]))
def test_a_corrupted_model_raises_only_tracer_errors(data, at):
    try:
        model = tracer.parse_model(dump(data), name="m.yaml")
    except tracer.ModelError:
        return
    use(model, at)


@fuzz
@given(renamed_ids(), st.sampled_from(["auto", "none", "party", "role"]))
def test_a_model_whose_ids_look_like_other_names_draws_without_error(data, collapse):
    try:
        model = tracer.parse_model(dump(data), name="m.yaml")
    except tracer.ModelError:
        return  # two ids renamed alike
    tracer.ecosystem_dot(model, collapse=collapse)
    tracer.ecosystem_mermaid(model, collapse=collapse)
    use(model, None)


@fuzz
@given(corrupted_text())
def test_corrupted_model_text_raises_only_tracer_errors(case):
    text, name = case
    try:
        model = tracer.parse_model(text, name=name)
    except tracer.ModelError:
        return
    use(model, None)


def test_the_uncorrupted_model_is_valid_and_used_without_error():
    model = tracer.parse_model(yaml.safe_dump(VALID), name="m.yaml")
    assert sorted(model.interactions) == ["ask", "quiet"]
    use(model, "30d")


@pytest.mark.parametrize("holder", ["party:nobody", "role:foo", "party:acme", "role:platform"])
@pytest.mark.parametrize("collapse", ["auto", "none", "party", "role"])
def test_a_holder_id_like_a_collapsed_group_is_drawn_without_key_error(holder, collapse):
    # found by the fuzz: the overview named its groups "party:<id>", and read such a holder id
    # as a group of an unknown party (KeyError)
    model = tracer.parse_model(dump(renamed(VALID, "cloud", holder)), name="m.yaml")
    assert holder in model.holders
    assert tracer.ecosystem_dot(model, collapse=collapse).startswith("digraph")
    assert tracer.ecosystem_mermaid(model, collapse=collapse).startswith("flowchart")


# ---- events logs: hostile rows and columns, in CSV and JSON Lines

ALEXA_2025 = Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml"
LOG_TEXT = st.sampled_from(
    [
        "",
        " ",
        "ann",
        "weather",
        "dominos-order",
        "delete-recording",
        "auto-delete-3mo",
        "e1",
        "\u202eevil",
        "a,b",
        '"',
        "x\ny",
        "'; DROP TABLE events; --",
        "*",
        "log?.csv",
    ]
) | st.text(max_size=8)
LOG_TIME = (
    st.sampled_from(
        [
            "2025-01-10T12:00:00Z",
            "2025-02-01",
            "0001-01-01",
            "9999-12-31T23:59:59Z",
            "20000-01-01",
            "200000-01-01",
            "-0001-01-01",
            "2025-13-01",
            "yesterday",
            "1e308",
            "2025-01-01T00:00:00+99:00",
            "",
        ]
    )
    | st.datetimes().map(datetime.datetime.isoformat)
    | LOG_TEXT
)
LOG_VALUE = LOG_TIME | st.integers(-(10**20), 10**20) | st.none() | st.booleans() | st.floats()


@st.composite
def hostile_log(draw):
    """An events log (and maybe a requests log): mostly the right columns, hostile values."""
    events = ["event", "user", "interaction", "at"]
    requests = ["user", "request", "at", "event"]
    for columns in (events, requests):
        if draw(st.integers(0, 9)) == 0:  # now and then a column missing, or one more
            columns.remove(draw(st.sampled_from(columns)))
        if draw(st.integers(0, 9)) == 0:
            columns.append(draw(LOG_TEXT))
    pick = {"at": LOG_TIME, "interaction": LOG_TEXT, "request": LOG_TEXT}
    event_rows = [
        {c: draw(pick.get(c, LOG_TEXT) | LOG_VALUE) for c in events}
        for _ in range(draw(st.integers(0, 6)))
    ]
    request_rows = [
        {c: draw(pick.get(c, LOG_TEXT) | LOG_VALUE) for c in requests}
        for _ in range(draw(st.integers(0, 4)))
    ]
    fmt = draw(st.sampled_from(["csv", "jsonl"]))
    with_requests = draw(st.booleans())
    at = draw(st.none() | LOG_TIME)
    return fmt, events, event_rows, (requests, request_rows) if with_requests else None, at


def write_log(path: Path, fmt: str, columns: list, rows: list[dict]) -> Path:
    if fmt == "csv":
        import csv

        with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as file:
            writer = csv.writer(file)
            writer.writerow(columns)
            writer.writerows([[row.get(c) for c in columns] for row in rows])
    else:
        path.write_text(
            "".join(json.dumps(row, default=str) + "\n" for row in rows),
            encoding="utf-8",
            errors="surrogatepass",
        )
    return path


@fuzz_slow
@given(hostile_log())
def test_a_hostile_events_log_raises_only_tracer_errors(case):
    from tracer.ledger import build, erasure, holds, open_ledger, summary

    fmt, columns, rows, requests, at = case
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        events = write_log(out / f"events.{fmt}", fmt, columns, rows)
        if requests is not None:
            requests = write_log(out / f"requests.{fmt}", fmt, *requests)
        result = run(build, events, requests, model=ALEXA_2025, at=at, output=out / "l.duckdb")
        if result is None:
            return
        with open_ledger(out / "l.duckdb") as ledger:
            users = [
                row[0]
                for row in ledger.con.execute('SELECT DISTINCT "user" FROM events').fetchall()
            ]
            summary(ledger)
            for user in [*users[:2], "nobody"]:
                run(holds, ledger, user)
                run(erasure, ledger, user)


# ---- Fides files: a valid data map, corrupted as the models are

FIDES_VALID = {
    "organization": [{"fides_key": "acme", "name": "Acme Shop"}],
    "system": [
        {
            "fides_key": "storefront",
            "name": "Storefront",
            "system_type": "Application",
            "ingress": [{"fides_key": "user", "type": "user"}],
            "egress": [{"fides_key": "checkout", "type": "system"}],
            "privacy_declarations": [
                {
                    "name": "Run the shop",
                    "data_categories": ["user.contact.email", "user.device.cookie_id"],
                    "data_use": "essential.service",
                    "data_subjects": ["customer"],
                    "retention_period": "30 days",
                }
            ],
        },
        {
            "fides_key": "checkout",
            "name": "Checkout",
            "system_type": "Service",
            "ingress": [{"fides_key": "storefront", "type": "system"}],
            "egress": [{"fides_key": "orders_db", "type": "dataset"}],
            "privacy_declarations": [
                {
                    "name": "Take the order",
                    "data_categories": ["user.financial"],
                    "data_use": "provide.service",
                    "retention_period": "7 years after account deletion",
                }
            ],
        },
    ],
    "dataset": [
        {
            "fides_key": "orders_db",
            "name": "Orders",
            "retention": "Account termination",
            "collections": [
                {
                    "name": "orders",
                    "fields": [{"name": "email", "data_categories": ["user.contact.email"]}],
                }
            ],
        }
    ],
}
FIDES_PATHS = sorted(paths(FIDES_VALID), key=repr)
FIDES_TEXT = HOSTILE_TEXT | st.sampled_from(
    ["2000 years", "9" * 5000 + " days", "P99999999Y", "user.contact", "system", "dataset", "user"]
)


def corrupt(draw, valid, locations, text, leaves):
    """A deep copy of ``valid`` with one to three of its ``locations`` replaced, dropped or added
    to (values drawn from ``leaves``, keys from ``text``): a data file broken as a person or a
    tool breaks one."""
    data = copy.deepcopy(valid)
    values = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=6,
    )
    for _ in range(draw(st.integers(1, 3))):
        loc, key = draw(st.sampled_from(locations))
        container = data
        try:
            for part in loc:
                container = container[part]
            action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
            if action == "replace":
                container[key] = draw(values)
            elif action == "drop":
                del container[key]
            elif isinstance(container, dict):
                container[draw(text)] = draw(values)
            else:
                container.append(draw(values))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return data


@st.composite
def corrupted_fides(draw):
    data = corrupt(draw, FIDES_VALID, FIDES_PATHS, FIDES_TEXT, SCALARS | FIDES_TEXT)
    as_json = draw(st.booleans())
    return data, as_json


@fuzz_slow
@given(corrupted_fides())
def test_a_corrupted_fides_file_raises_only_tracer_errors(case):
    pytest.importorskip("fideslang")
    from tracer.interop.fides import import_fides
    from tracer.interop.model_yaml import model_yaml

    data, as_json = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("map.json" if as_json else "map.yml")
        path.write_text(json.dumps(data, default=str) if as_json else dump(data))
        imported = run(import_fides, [path], output=Path(folder) / "model.yaml")
        if imported is None:
            return
        assert tracer.parse_model(model_yaml(imported.model)) == imported.model
        use(imported.model, None)


# ---- skill catalogues: hostile rows and columns, then each skill made explicit and traced

CATALOGUE_TEXT = LOG_TEXT | st.sampled_from(
    [
        "B07K1NBJLJ",
        "amzn1.ask.skill.0000",
        "Acme Pizza",
        "alexa::profile:email:read",
        "alexa::devices:all:address:full:read",
        "payments:autopay_consent",
        "yes",
        "no",
        "30 days",
        "2000 years",
        "https://example.com/privacy",
    ]
)


@st.composite
def hostile_catalogue(draw):
    from tracer.skills.catalogue import COLUMNS

    columns = list(COLUMNS)
    if draw(st.integers(0, 9)) == 0:
        columns.remove(draw(st.sampled_from(columns)))
    if draw(st.integers(0, 9)) == 0:
        columns.append(draw(LOG_TEXT))
    rows = [
        {c: draw(CATALOGUE_TEXT | LOG_VALUE) for c in columns}
        for _ in range(draw(st.integers(0, 5)))
    ]
    return draw(st.sampled_from(["csv", "jsonl"])), columns, rows


@fuzz_slow
@given(hostile_catalogue())
def test_a_hostile_catalogue_raises_only_tracer_errors(case):
    from tracer.skills import read_catalogue
    from tracer.skills.expand import expand

    fmt, columns, rows = case
    model = tracer.load_model()
    with tempfile.TemporaryDirectory() as folder:
        path = write_log(Path(folder) / f"skills.{fmt}", fmt, columns, rows)
        catalogue = run(read_catalogue, path)
        if catalogue is None:
            return
        ids = [row[0] for row in catalogue.query("SELECT id FROM skills ORDER BY 1 LIMIT 3")]
        for wanted in [*ids, "nope"]:
            skill = run(catalogue.skill, wanted)
            if skill is None:
                continue
            expanded = run(expand, model, catalogue, [wanted])
            if expanded is not None and skill.interaction in expanded.interactions:
                use(expanded, None)


# ---- Voice History exports: corrupted records, pages and text, then the events log they give
# built into a ledger

HISTORY_VALID = {
    "customerHistoryRecords": [
        {
            "recordKey": "k1",
            "timestamp": 1735732800000,
            "device": {"deviceName": "Kitchen Echo"},
            "utteranceType": "GENERAL",
            "domain": "Skills",
            "intent": "OrderIntent",
            "skillName": "Domino's",
            "voiceHistoryRecordItems": [
                {"recordItemType": "CUSTOMER_TRANSCRIPT", "transcriptText": "order a pizza"},
                {"recordItemType": "ALEXA_RESPONSE", "transcriptText": "OK"},
            ],
        },
        {"recordKey": "k2", "timestamp": 1735736400000, "domain": "Weather", "intent": "Get"},
    ]
}
HISTORY_PATHS = sorted(paths(HISTORY_VALID), key=repr)
HISTORY_TEXT = LOG_TEXT | HOSTILE_TEXT | st.sampled_from(["Uber", "Weather", "", "k1"])


@st.composite
def corrupted_history(draw):
    leaves = SCALARS | HISTORY_TEXT | LOG_VALUE
    data = corrupt(draw, HISTORY_VALID, HISTORY_PATHS, HISTORY_TEXT, leaves)
    shape = draw(st.sampled_from(["wrapped", "list", "cut"]))
    records = data.get("customerHistoryRecords", data) if shape == "list" else data
    text = json.dumps(records, default=str)
    if shape == "cut":  # a page saved half-way
        text = text[: draw(st.integers(0, len(text)))]
    return text


@fuzz_slow
@given(corrupted_history())
def test_a_corrupted_voice_history_export_raises_only_tracer_errors(text):
    from tracer.history import import_alexa
    from tracer.ledger import build

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page-1.json"
        page.write_text(text, encoding="utf-8")
        events = Path(folder) / "events.csv"
        imported = run(import_alexa, [page], events)
        if imported is None or not events.exists():
            return
        run(build, events, output=Path(folder) / "ledger.duckdb")
