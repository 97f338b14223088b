"""The explorer's routes (tracer/web/): the page, the JSON API that mirrors the CLI's JSON,
404 pages for unknown ids, hostile names escaped, a CSP on every response, a watched model."""

from __future__ import annotations

import json
import os
import re
import socket
import textwrap
import threading
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.testclient import TestClient
from typer.testing import CliRunner

import tracer
from tracer.cli import app as cli
from tracer.web import CONTENT_SECURITY_POLICY, create_app
from tracer.web.views import source_links

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HOSTILE = textwrap.dedent(
    """\
    format: tracer/1
    name: "<script>alert('model')</script> & \\"quotes\\""
    sources:
      evil: {title: "<img src=x onerror=alert(1)>", url: "javascript:alert(1)"}
      good: {title: "A \\"real\\" source", url: "https://example.com/a?b=1&c=<2>"}
    parties:
      acme: {name: "<script>alert('party')</script>"}
      "x:100:y": {name: "Party 'quoted' \\"twice\\""}
    records:
      "note:1": {name: "</script><b>Note</b>"}
    holders:
      "inbox:100:": {name: "Inbox <i>", party: acme, kind: store, access: [acme, "x:100:y"],
                     keeps: {"note:1": {for: until_deleted, deleted_by: [wipe], evidence: [evil, good], confidence: stated}}}
      "out.box": {name: "Out {box} | \\\\path", party: "x:100:y",
                  keeps: {"note:1": {for: unknown, evidence: [good], confidence: reported}}}
    flows:
      - {id: "send:100:", from: "inbox:100:", to: "out.box", carries: ["note:1"], deletion: unclear, evidence: [good], confidence: stated}
    interactions:
      "talk:100:": {name: "<script>alert('interaction')</script>", starts: {"inbox:100:": ["note:1"]}}
    deletions:
      wipe: {name: "Wipe \\"it\\" <now>"}
    """
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture
def hostile_path(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


@pytest.fixture
def hostile(hostile_path) -> TestClient:
    return TestClient(create_app(hostile_path))


ROUTES = [
    "/",
    "/api/model",
    "/api/version",
    "/api/trace/dominos-order",
    "/api/view/dominos-order?delete=delete-recording",
    "/api/diagram/dominos-order.svg",
    "/api/copy/dominos-order/voice_history/voice_recording",
    "/api/party/dominos-order/amazon",
    "/static/explorer.js",
    "/static/explorer.css",
]


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_answers_with_a_content_security_policy(client, route):
    response = client.get(route)
    assert response.status_code == 200, response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_policy_allows_only_this_servers_own_scripts_styles_and_requests():
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_the_page_names_the_model_and_loads_only_its_own_script_and_styles(client):
    page = client.get("/").text
    assert "<title>Amazon Alexa (2019) · tracer explorer</title>" in page
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == [
        "data:,",
        "/palette.css",
        "/static/explorer.css",
        "/static/explorer.js",
        "/",  # back to the featured question
        "#",  # "every copy as SVG", set by the script
    ]
    assert "<script>" not in page and "style=" not in page


# the shipped model of 2019 schedules no request; today's (2025) has auto-delete
SHIPPED_2025 = Path(tracer.__file__).parent / "graphs" / "alexa-2025.yaml"


@pytest.fixture(scope="module")
def client_2025() -> TestClient:
    return TestClient(create_app(SHIPPED_2025))


@pytest.mark.parametrize(
    ("today", "query", "deletions", "at"),
    [
        (False, "", [], None),
        (False, "?delete=delete-recording", ["delete-recording"], None),
        (
            False,
            "?delete=delete-recording@30d&delete=delete-all-history@60d&at=100d",
            ["delete-recording@30d", "delete-all-history@60d"],
            "100d",
        ),
        (
            True,
            "?delete=delete-recording@30d&delete=auto-delete-3mo&at=100d",
            ["delete-recording@30d", "auto-delete-3mo"],
            "100d",
        ),
    ],
)
def test_api_trace_is_exactly_the_clis_json(
    client, client_2025, alexa, today, query, deletions, at
):
    model = tracer.load_model(SHIPPED_2025) if today else alexa
    response = (client_2025 if today else client).get(f"/api/trace/dominos-order{query}")
    assert response.status_code == 200
    assert response.json() == tracer.trace(model, "dominos-order", deletions, at=at).to_dict()
    args = (
        ["trace", "dominos-order", "--format", "json"]
        + [word for d in deletions for word in ("--delete", d)]
        + (["--at", at] if at else [])
        + (["-m", str(SHIPPED_2025)] if today else [])
    )
    assert response.json() == json.loads(CliRunner().invoke(cli, args).stdout)


def test_the_view_adds_a_summary_and_a_diagram_whose_nodes_are_the_copies(client, alexa):
    view = client.get("/api/view/dominos-order?delete=delete-recording").json()
    result = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    assert view["trace"] == result.to_dict()
    assert view["summary"] == tracer.summary(result)
    # each party is a box of its copies counted by status: every copy is placed in one
    diagram = view["diagram"]
    assert sorted(diagram["placed"]) == [c.id for c in result.copies]
    assert sorted(set(diagram["parties"].values())) == sorted({c.party for c in result.copies})
    assert diagram["nodes"] == {}
    titles = set(
        re.findall(r'<g id="node\d+" class="node">\n<title>([^<]+)</title>', diagram["svg"])
    )
    assert titles == set(diagram["parties"])
    # opened, a party's copies are drawn one by one
    opened = client.get("/api/view/dominos-order?delete=delete-recording&expand=dominos").json()
    dominos = sorted(c.id for c in result.copies if c.party == "dominos")
    assert sorted(opened["diagram"]["nodes"].values()) == dominos
    assert set(opened["diagram"]["nodes"]) <= set(
        re.findall(
            r'<g id="node\d+" class="node">\n<title>([^<]+)</title>', opened["diagram"]["svg"]
        )
    )


def test_a_copy_shows_its_path_rule_and_sources_with_links(client, alexa):
    view = client.get(
        "/api/copy/dominos-order/alexa_subsystems/transcript?delete=delete-recording"
    ).json()
    assert view["copy"]["status"] == "may_remain"
    assert [(s["id"], s["from"], s["to"]) for s in view["path"]] == [
        ("capture", "echo/voice_recording", "alexa_cloud/voice_recording"),
        ("speech-recognition", "alexa_cloud/voice_recording", "alexa_cloud/transcript"),
        ("store-voice-history", "alexa_cloud/transcript", "voice_history/transcript"),
        ("copy-to-subsystems", "voice_history/transcript", "alexa_subsystems/transcript"),
    ]
    assert "delete-recording" in view["rule"]["unclear_for"]
    assert view["sources"]["amazon-coons-2019"]["url"] == alexa.sources["amazon-coons-2019"].url
    cited = set(view["copy"]["evidence"]) | set(view["rule"]["evidence"])
    cited |= {e for step in view["path"] for e in step["evidence"]}
    assert set(view["sources"]) == cited & set(alexa.sources)


def test_a_party_shows_everything_it_can_still_reach(client, alexa):
    result = tracer.trace(alexa, "dominos-order", ["delete-recording"])
    view = client.get("/api/party/dominos-order/annotators?delete=delete-recording").json()
    assert view["party"]["name"] == alexa.parties["annotators"].name
    assert [line["id"] for line in view["may_remain"]] == list(
        result.parties["annotators"].may_remain
    )
    assert all(line["status"] == "may_remain" for line in view["may_remain"])
    assert view["held"] == []


def test_a_party_that_reaches_nothing_gets_empty_lists_not_a_404(client):
    view = client.get("/api/party/dominos-order/user?delete=delete-recording").json()
    assert (view["held"], view["may_remain"]) == ([], [])


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("/api/trace/no-such-order", "unknown interaction 'no-such-order'"),
        (
            "/api/view/dominos-ordr",
            "unknown interaction 'dominos-ordr'; did you mean 'dominos-order'?",
        ),
        (
            "/api/trace/dominos-order?delete=delete-recordin",
            "unknown deletion request 'delete-recordin'; did you mean 'delete-recording'?",
        ),
        ("/api/copy/dominos-order/voice_history/nothing", "unknown copy 'voice_history/nothing'"),
        ("/api/party/dominos-order/nobody", "unknown party 'nobody'"),
        ("/api/diagram/nope.svg", "unknown interaction 'nope'"),
        ("/api/nothing-here", "there is no page at /api/nothing-here"),
    ],
)
def test_unknown_ids_get_a_404_with_the_reason_as_json(client, route, message):
    response = client.get(route)
    assert response.status_code == 404
    assert response.json()["error"].startswith(message)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("route", ["/no-such-page", "/static/nothing.js", "/?interaction=x"])
def test_unknown_pages_get_a_404_page_not_a_500(client, route):
    response = client.get(route)
    if route == "/?interaction=x":  # the page itself loads; the script falls back to the first
        assert response.status_code == 200
        return
    assert response.status_code == 404
    assert "Not found" in response.text
    assert "Traceback" not in response.text


def test_a_malformed_time_is_a_400_that_says_why(client):
    response = client.get("/api/trace/dominos-order?delete=delete-recording@soon")
    assert response.status_code == 400
    assert response.json() == {
        "error": "'soon' is not a duration: write a whole number and a unit, like 30d, 2w, 3mo or 7y"
    }


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_explorer_is_read_only(client, method):
    for route in ("/", "/api/trace/dominos-order", "/static/explorer.js"):
        response = client.request(method, route)
        assert response.status_code == 405
        assert "GET" in response.headers["allow"]


def test_hostile_names_never_reach_the_page_as_markup(hostile):
    page = hostile.get("/").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt; &amp; &#34;quotes&#34;" in page


def test_hostile_ids_with_colons_work_in_every_route(hostile):
    base = "/api/trace/talk:100:?delete=wipe"
    result = hostile.get(base).json()
    assert {c["id"]: c["status"] for c in result["copies"]} == {
        "inbox:100:/note:1": "deleted",
        "out.box/note:1": "may_remain",
    }
    view = hostile.get("/api/copy/talk:100:/out.box/note:1?delete=wipe").json()
    assert view["record"]["name"] == "</script><b>Note</b>"
    assert [step["id"] for step in view["path"]] == ["send:100:"]
    party = hostile.get("/api/party/talk:100:/x:100:y?delete=wipe").json()
    assert [line["id"] for line in party["may_remain"]] == ["out.box/note:1"]


def test_hostile_names_are_escaped_in_the_diagram(hostile, dot):
    response = hostile.get("/api/diagram/talk:100:.svg?delete=wipe")
    svg = response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;/script&gt;&lt;b&gt;Note&lt;/b&gt;" in svg


@pytest.mark.parametrize("expand", ["", "&expand=*"], ids=["boxes", "opened"])
def test_hostile_names_are_escaped_in_the_pages_diagram(hostile, expand, dot):
    view = hostile.get(f"/api/view/talk:100:?delete=wipe{expand}").json()
    svg = view["diagram"]["svg"]
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;alert(&#39;party&#39;)&lt;/script&gt;" in svg  # a party's box or cluster
    if expand:
        assert "&lt;/script&gt;&lt;b&gt;Note&lt;/b&gt;" in svg  # a copy's record


def test_a_source_link_is_only_ever_a_web_address(hostile):
    model = hostile.get("/api/model").json()
    assert model["sources"]["evil"]["url"] is None
    assert model["sources"]["good"]["url"] == "https://example.com/a?b=1&c=<2>"
    assert source_links(tracer.load_model(), ["amazon-coons-2019", "not-a-source"]).keys() == {
        "amazon-coons-2019"
    }


def test_without_graphviz_the_view_says_so_and_everything_else_works(client, monkeypatch):
    monkeypatch.setattr("tracer.web.diagram.graphviz_available", lambda: False)
    view = client.get("/api/view/weather?delete=delete-recording").json()
    assert view["diagram"]["svg"] is None
    assert view["diagram"]["problem"].startswith("Graphviz's `dot` is not installed")
    assert view["trace"]["copies"]
    response = client.get("/api/diagram/weather.svg")
    assert response.status_code == 503
    assert response.json()["error"] == view["diagram"]["problem"]


def _rewrite(path, text):
    """Write the file so its change shows even within one tick of the file system's clock."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def test_an_edited_model_is_served_at_once_with_a_new_version(hostile_path, hostile):
    version = hostile.get("/api/version").json()
    assert version["ok"] is True
    _rewrite(hostile_path, HOSTILE.replace('Wipe \\"it\\" <now>', "Wipe it all"))
    changed = hostile.get("/api/version").json()
    assert changed["ok"] is True and changed["version"] != version["version"]
    assert {"id": "wipe", "name": "Wipe it all", "by": None, "after": None, "after_days": None} in (
        hostile.get("/api/model").json()["deletions"]
    )


def test_a_touched_but_unchanged_model_keeps_its_version(hostile_path, hostile):
    version = hostile.get("/api/version").json()["version"]
    _rewrite(hostile_path, HOSTILE)
    assert hostile.get("/api/version").json()["version"] == version


def test_a_broken_model_shows_its_errors_at_file_line_never_a_traceback(hostile_path, hostile):
    _rewrite(hostile_path, HOSTILE.replace("party: acme, kind: store", "party: acmee, kind: store"))
    version = hostile.get("/api/version").json()
    assert version["ok"] is False
    where = (
        f"{hostile_path}:12: holders.inbox:100:.party: unknown party 'acmee'; did you mean 'acme'?"
    )
    page = hostile.get("/")
    assert page.status_code == 503
    assert "The model does not load" in page.text
    assert f"<li><code>{where.replace(chr(39), '&#39;')}</code></li>" in page.text
    assert "Traceback" not in page.text
    api = hostile.get("/api/trace/talk:100:")
    assert api.status_code == 503
    assert api.json()["problems"][0]["text"] == where
    assert api.json()["problems"][0]["line"] == 12
    _rewrite(hostile_path, HOSTILE)
    assert hostile.get("/").status_code == 200


def test_a_deleted_model_file_is_a_problem_on_the_page_not_a_crash(hostile_path, hostile):
    hostile_path.unlink()
    page = hostile.get("/")
    assert page.status_code == 503
    assert f"{hostile_path}: cannot read the file: No such file or directory" in page.text


def test_on_loopback_only_local_host_names_are_answered():
    local = TestClient(
        create_app(allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://127.0.0.1:8000"
    )
    assert local.get("/api/version").status_code == 200
    rebound = TestClient(
        create_app(allowed_hosts=["127.0.0.1", "localhost"]), base_url="http://evil.example"
    )
    assert rebound.get("/api/version").status_code == 400


@pytest.mark.parametrize("own", [False, True], ids=["shipped model", "-m and --ledger"])
def test_tracer_serve_listens_on_127_0_0_1_and_opens_the_page(
    monkeypatch, hostile_path, ledger_path, own
):
    opened, answers = [], []

    async def a_few_requests_then_stop(server):
        async with httpx.AsyncClient() as http:
            answers.append(await http.get(opened[0] + "api/model"))
            answers.append(await http.get(opened[0] + "api/user/u00001"))

    monkeypatch.setattr(uvicorn.Server, "main_loop", a_few_requests_then_stop)
    monkeypatch.setattr("tracer.cli.explorer_server.webbrowser.open", opened.append)
    args = ["serve", "--port", "0", "--open"]
    if own:
        args += ["-m", str(hostile_path), "--ledger", str(ledger_path)]
    # in a thread of its own: a browser test may keep an event loop running in this one
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(CliRunner().invoke(cli, args)))
    thread.start()
    thread.join(timeout=60)
    result = outcome[0]
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", opened[0])
    assert f"tracer explorer on {opened[0]}" in result.stderr
    model, user = answers
    assert model.json()["model"] == (
        "<script>alert('model')</script> & \"quotes\"" if own else "Amazon Alexa (2019)"
    )
    assert user.status_code == (200 if own else 404)


def test_tracer_serve_with_a_broken_model_warns_in_plain_text_and_serves_the_problems(
    monkeypatch, tmp_path
):
    path = tmp_path / "broken.yaml"
    path.write_text(HOSTILE.replace("party: acme, kind: store", "party: acmee, kind: store"))
    answers = []

    async def one_request_then_stop(server):
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient() as http:
            answers.append(await http.get(f"http://127.0.0.1:{port}/"))

    monkeypatch.setattr(uvicorn.Server, "main_loop", one_request_then_stop)
    outcome = []
    args = ["serve", "--port", "0", "-m", str(path)]
    thread = threading.Thread(target=lambda: outcome.append(CliRunner().invoke(cli, args)))
    thread.start()
    thread.join(timeout=60)
    result = outcome[0]
    assert result.exit_code == 0, result.output
    # plain text, never rich markup such as "[bold yellow]warning:[/]"
    assert result.stderr.splitlines()[0] == (
        "warning: 1 problem in the model: the page lists them, and reloads when the file is fixed"
    )
    assert re.fullmatch(
        r"tracer explorer on http://127\.0\.0\.1:\d+/ \(Ctrl\+C stops it\)",
        result.stderr.splitlines()[1],
    )
    assert answers[0].status_code == 503 and "unknown party &#39;acmee&#39;" in answers[0].text


def test_tracer_serve_with_a_model_that_does_not_exist_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "-m", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: no model file at {tmp_path / 'missing.yaml'}"


def small_ledger(folder):
    """A ledger of 30 synthetic events of 3 users (u00000, u00001, u00002)."""
    from tracer.ledger import build, write_synthetic_log

    log = write_synthetic_log(folder / "log", users=3, events=30, seed=7)
    build(log.events, log.requests, output=folder / "year.duckdb")
    return folder / "year.duckdb"


@pytest.fixture(scope="module")
def ledger_path(tmp_path_factory):
    return small_ledger(tmp_path_factory.mktemp("ledger"))


@pytest.fixture(scope="module")
def with_ledger(ledger_path) -> TestClient:
    return TestClient(create_app(ledger_path=ledger_path))


def test_with_a_ledger_a_users_records_are_exactly_what_tracer_ledger_holds_prints(
    with_ledger, ledger_path
):
    about = with_ledger.get("/api/model").json()["ledger"]
    assert (about["file"], about["users"], about["events"]) == ("year.duckdb", 3, 30)
    for query, options in (("", []), ("?party=amazon", ["--party", "amazon"])):
        answer = with_ledger.get(f"/api/user/u00001{query}")
        assert answer.status_code == 200
        printed = CliRunner().invoke(
            cli,
            ["ledger", "holds", str(ledger_path), "--user", "u00001", "--format", "json", *options],
        )
        assert answer.json() == json.loads(printed.stdout)
    assert answer.json()["copies"] and {c["party"] for c in answer.json()["copies"]} == {"amazon"}


def test_an_unknown_user_or_party_in_the_ledger_is_a_404(with_ledger):
    response = with_ledger.get("/api/user/nobody")
    assert (response.status_code, response.json()) == (404, {"error": "unknown user 'nobody'"})
    assert with_ledger.get("/api/user/u00001?party=nobody").status_code == 404


def test_the_letters_a_person_can_send_are_those_tracer_ledger_erasure_writes(
    with_ledger, ledger_path
):
    from tracer.ledger import open_ledger
    from tracer.ledger.letters import erasure_letters

    with open_ledger(ledger_path) as ledger:
        expected = erasure_letters(ledger, "u00001")
    listed = with_ledger.get("/api/letters/u00001").json()
    assert [(item["party"], item["copies"], item["file"]) for item in listed] == [
        (letter.party, letter.copies, letter.filename) for letter in expected
    ]
    first = expected[0]
    response = with_ledger.get(f"/letters/u00001/{first.party}.md")
    assert response.status_code == 200
    assert response.text == first.markdown
    assert response.headers["content-disposition"] == f'attachment; filename="{first.filename}"'
    assert response.headers["content-type"].startswith("text/markdown")


def test_a_letter_for_an_unknown_user_or_party_is_a_404(with_ledger, client):
    assert with_ledger.get("/api/letters/nobody").status_code == 404
    assert with_ledger.get("/letters/u00001/nobody.md").status_code == 404
    assert client.get("/api/letters/u00001").status_code == 404  # no ledger served


def test_without_a_ledger_there_is_no_user_search(client):
    assert client.get("/api/model").json()["ledger"] is None
    assert client.get("/api/user/u00001").status_code == 404


def test_tracer_serve_with_a_ledger_that_is_not_one_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--ledger", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path / 'none.duckdb'}: no such ledger (build one with `tracer ledger build`)"
    )


def test_tracer_serve_on_a_taken_port_says_so_and_exits_1():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use; try another --port"
    )


# ---- two models side by side (tracer serve -m A -m B) -----------------------------------------


@pytest.fixture(scope="module")
def compared() -> TestClient:
    return TestClient(create_app(SHIPPED_2025, compare_path=tracer.default_model_path()))


def test_a_second_model_answers_the_same_question_and_says_which_copies_differ(compared, alexa):
    view = compared.get("/api/view/dominos-order?delete=auto-delete-3mo").json()
    other = view["compare"]
    assert other["model"] == "Amazon Alexa (2019)"
    # 2019's model has no auto-delete: traced without it, at the same day 90
    assert other["skipped"] == ["auto-delete-3mo"]
    from tracer.render.headline import headline

    assert (
        other["headline"]["text"]
        == headline(alexa, tracer.trace(alexa, "dominos-order", [], "90d")).text
    )
    assert {c["copy"]: (c["before"], c["after"]) for c in other["changes"]} == {
        "geolocation_store/location": ("held", "may remain"),
        "voice_history/response_transcript": ("may remain", "held"),
        "voice_history/transcript": ("may remain", "held"),
        "voice_history/voice_recording": ("deleted", "held"),
    }
    assert compared.get("/api/model").json()["compare"] == str(tracer.default_model_path())


def test_without_a_second_model_there_is_nothing_to_compare(client):
    assert client.get("/api/view/weather").json()["compare"] is None


def test_a_second_model_without_the_interaction_or_broken_says_so_beside_the_answer(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    app = TestClient(create_app(compare_path=path))
    other = app.get("/api/view/weather").json()["compare"]
    assert other == {
        "model": "<script>alert('model')</script> & \"quotes\"",
        "missing": "<script>alert('model')</script> & \"quotes\" has no interaction 'weather'",
    }
    path.write_text(HOSTILE.replace("party: acme, kind", "party: acmee, kind"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    other = app.get("/api/view/weather").json()["compare"]
    assert other["missing"].startswith(f"1 problem in {path}: {path}:12: holders.inbox:100:.party")


def test_tracer_serve_takes_two_models_at_most(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "-m", "a.yaml", "-m", "b.yaml", "-m", "c.yaml"])
    assert result.exit_code == 1
    assert "tracer serve compares two models at most: give -m once or twice" in result.output


def test_the_differences_between_the_two_models_as_a_drawing(compared, client, dot):
    response = compared.get("/api/diff/dominos-order.svg?delete=auto-delete-3mo")
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.count("CHANGED: ") == 4  # the four copies the side by side lists
    assert client.get("/api/diff/dominos-order.svg").status_code == 404  # one model: no diff
