"""The explorer's ASGI application: routes, error pages and the headers every response carries.

Read-only (every route is GET); every response carries a Content-Security-Policy that allows
only this server's own script, styles and requests, so a name in a model can never run as
code; an unknown id gets a 404 page (JSON under ``/api/``), a malformed request a 400, and a
model with errors a page listing them at ``file:line``, never a stack trace.

>>> from starlette.testclient import TestClient
>>> client = TestClient(create_app())
>>> client.get("/api/trace/weather").json()["interaction"]
'weather'
>>> client.get("/api/trace/no-such-thing").status_code
404
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import Problem, RequestError, TracerError, UnknownIdError
from ..model import Model
from ..skills.catalogue import UnknownSkillError
from ..tracing import Trace, trace
from .compare import compare_view
from .diagram import diff_diagram, full_diagram, trace_diagram
from .ledger import UserSearch
from .skills import SkillSearch
from .source import ModelSource, ModelState
from .views import answer_view, copy_view, key_view, model_view, party_view, status_css

__all__ = ["CONTENT_SECURITY_POLICY", "create_app"]

HERE = Path(__file__).resolve().parent

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),  # the model may change under the page at any time
]


class _Broken(Exception):
    """The model file has errors: every page and answer shows them until it is fixed."""

    def __init__(self, state: ModelState):
        self.state = state


def create_app(
    model_path: str | Path | None = None,
    *,
    ledger_path: str | Path | None = None,
    allowed_hosts: Sequence[str] | None = None,
    compare_path: str | Path | None = None,
    catalogue_path: str | Path | None = None,
) -> Starlette:
    """The explorer for the model at ``model_path`` (the shipped model when None), watched for
    changes; with ``ledger_path`` (built by ``tracer ledger build``) a user search too;
    ``allowed_hosts`` limits the Host header the app answers (against DNS rebinding); with
    ``compare_path`` a second model, also watched, answers each question beside the first;
    with ``catalogue_path`` (a skill catalogue) interactions ``skill:ID`` and the page
    ``/skills`` (find a skill by name; which skills can reach a record).

    >>> create_app().routes[0].path
    '/'
    """
    source = ModelSource(model_path)
    other = ModelSource(compare_path) if compare_path is not None else None
    users = UserSearch(ledger_path) if ledger_path is not None else None
    skills = SkillSearch(catalogue_path) if catalogue_path is not None else None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    templates = Jinja2Templates(env=env)

    def loaded() -> tuple[ModelState, Model]:
        state = source.current()
        if state.model is None:
            raise _Broken(state)
        return state, state.model

    def for_interaction(request: Request, model: Model) -> Model:
        """The model, with the catalogue skill the request's interaction names instantiated."""
        interaction = request.path_params["interaction"]
        if skills is None or not interaction.startswith("skill:"):
            return model
        return skills.model_for(model, interaction)

    def traced(request: Request, model: Model) -> Trace:
        deletions = request.query_params.getlist("delete")
        at = request.query_params.get("at") or None
        return trace(model, request.path_params["interaction"], [d for d in deletions if d], at)

    def index(request: Request) -> Response:
        state, model = loaded()
        return templates.TemplateResponse(
            request,
            "index.html",
            {"model": model, "state": state, "version": version(), "key": key_view()},
        )

    def api_model(request: Request) -> Response:
        state, model = loaded()
        return _json(
            model_view(model)
            | {
                "path": str(state.path),
                "version": version(),
                "compare": str(other.path) if other is not None else None,
                "ledger": users.about() if users else None,
                "catalogue": skills.about() if skills else None,
            }
        )

    def version() -> str:
        """Both files' versions: the page reloads when either changes."""
        state = source.current()
        return state.version + (f"+{other.current().version}" if other is not None else "")

    def api_skills(request: Request) -> Response:
        if skills is None:
            raise HTTPException(404)
        return _json(skills.find(request.query_params.get("q", "")))

    def api_skills_reach(request: Request) -> Response:
        if skills is None:
            raise HTTPException(404)
        _, model = loaded()
        deletions = [d for d in request.query_params.getlist("delete") if d]
        return _json(skills.reach(model, request.path_params["record"], deletions))

    def skills_page(request: Request) -> Response:
        if skills is None:
            raise HTTPException(404)
        state, model = loaded()
        wanted = request.query_params.get("q", "").strip()
        record = request.query_params.get("record", "").strip()
        deletions = [d for d in request.query_params.getlist("delete") if d]
        context = {
            "model": model,
            "version": version(),
            "catalogue": skills.about(),
            "q": wanted,
            "found": skills.find(wanted) if wanted else None,
            "record": record,
            "records": skills.records(model),
            "requests": sorted(model.deletions),
            "chosen": deletions,
            "reach": skills.reach(model, record, deletions) if record else None,
        }
        return templates.TemplateResponse(request, "skills.html", context)

    def api_version(request: Request) -> Response:
        state = source.current()
        return _json({"version": version(), "ok": state.model is not None})

    def compared(request: Request, model: Model) -> dict | None:
        if other is None:
            return None
        state = other.current()
        if state.model is None:
            count = len(state.problems)
            return {
                "model": str(state.path),
                "missing": f"{count} problem{'s' if count != 1 else ''} in {state.path}: "
                + "; ".join(str(p) for p in state.problems[:3]),
            }
        params = request.query_params
        second = state.model
        if skills is not None and request.path_params["interaction"].startswith("skill:"):
            # the same catalogue skill, by the second model's own template; when it has none,
            # the comparison says the second model has no such interaction
            with contextlib.suppress(TracerError):
                second = skills.model_for(second, request.path_params["interaction"])
        return compare_view(
            model,
            second,
            request.path_params["interaction"],
            [d for d in params.getlist("delete") if d],
            params.get("at") or None,
        )

    def api_trace(request: Request) -> Response:
        model = for_interaction(request, loaded()[1])
        return _json(traced(request, model).to_dict())

    def api_view(request: Request) -> Response:
        model = for_interaction(request, loaded()[1])
        result = traced(request, model)
        params = request.query_params
        drawing = trace_diagram(
            model, result, expand=params.getlist("expand"), hide=params.getlist("hide")
        )
        return _json(
            answer_view(model, result)
            | {"diagram": drawing.to_dict(), "compare": compared(request, model)}
        )

    def palette(request: Request) -> Response:
        return Response(status_css(), media_type="text/css")

    def api_diagram(request: Request) -> Response:
        model = for_interaction(request, loaded()[1])
        drawing = full_diagram(model, traced(request, model))
        if drawing.svg is None:
            return _json({"error": drawing.problem}, status_code=503)
        return Response(drawing.svg, media_type="image/svg+xml")

    def api_diff(request: Request) -> Response:
        """The second model's trace with what differs from the first marked (tracer render
        --diff A B), as SVG."""
        _, model = loaded()
        if other is None or other.current().model is None:
            raise HTTPException(404)
        params = request.query_params
        drawing = diff_diagram(
            model,
            other.current().model,
            request.path_params["interaction"],
            [d for d in params.getlist("delete") if d],
            params.get("at") or None,
        )
        if drawing.svg is None:
            return _json({"error": drawing.problem}, status_code=503)
        return Response(drawing.svg, media_type="image/svg+xml")

    def api_copy(request: Request) -> Response:
        model = for_interaction(request, loaded()[1])
        return _json(copy_view(model, traced(request, model), request.path_params["copy"]))

    def api_party(request: Request) -> Response:
        model = for_interaction(request, loaded()[1])
        return _json(party_view(model, traced(request, model), request.path_params["party"]))

    def api_user(request: Request) -> Response:
        if users is None:
            raise HTTPException(404)
        params = request.query_params
        answer = users.holds(
            request.path_params["user"],
            record=params.get("record") or None,
            party=params.get("party") or None,
        )
        return _json(answer)

    def api_letters(request: Request) -> Response:
        # what each letter is about; the letter itself is /letters/USER/PARTY.md
        if users is None:
            raise HTTPException(404)
        user = request.path_params["user"]
        return _json(
            [
                {
                    "party": letter.party,
                    "name": letter.name,
                    "contact": letter.contact,
                    "events": letter.events,
                    "copies": letter.copies,
                    "file": letter.filename,
                }
                for letter in users.letters(user)
            ]
        )

    def letter(request: Request) -> Response:
        if users is None:
            raise HTTPException(404)
        party = request.path_params["party"]
        for found in users.letters(request.path_params["user"]):
            if found.party == party:
                return Response(
                    found.markdown,
                    media_type="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
                )
        raise HTTPException(404)

    def page_or_json(
        status: int, title: str, message: str, headers: Mapping[str, str] | None = None
    ) -> Callable:
        def respond(request: Request) -> Response:
            if request.url.path.startswith("/api/"):
                return JSONResponse({"error": message}, status_code=status, headers=headers)
            return templates.TemplateResponse(
                request,
                "message.html",
                {"title": title, "message": message, "version": None},
                status_code=status,
                headers=headers,
            )

        return respond

    async def unknown_id(request: Request, error: Exception) -> Response:
        return page_or_json(404, "Not found", str(error))(request)

    async def bad_request(request: Request, error: Exception) -> Response:
        return page_or_json(400, "Cannot answer that", str(error))(request)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        if error.status_code == 404:
            words = f"there is no page at {request.url.path}"
            return page_or_json(404, "Not found", words)(request)
        return page_or_json(
            error.status_code, "Cannot answer that", str(error.detail), error.headers
        )(request)

    async def broken(request: Request, error: Exception) -> Response:
        assert isinstance(error, _Broken)
        state = error.state
        count = len(state.problems)
        message = f"{count} problem{'s' if count != 1 else ''} in the model {state.path}"
        if request.url.path.startswith("/api/"):
            problems = [_problem(p) for p in state.problems]
            return _json({"error": message, "problems": problems}, status_code=503)
        return templates.TemplateResponse(
            request,
            "problems.html",
            {
                "message": message,
                "problems": [str(p) for p in state.problems],
                "version": version(),
            },
            status_code=503,
        )

    routes = [
        Route("/", index),
        Route("/api/model", api_model),
        Route("/palette.css", palette),
        Route("/api/version", api_version),
        Route("/api/trace/{interaction}", api_trace),
        Route("/api/view/{interaction}", api_view),
        Route("/api/diagram/{interaction}.svg", api_diagram),
        Route("/api/diff/{interaction}.svg", api_diff),
        Route("/api/copy/{interaction}/{copy:path}", api_copy),
        Route("/api/party/{interaction}/{party}", api_party),
        Route("/api/user/{user}", api_user),
        Route("/api/letters/{user}", api_letters),
        Route("/letters/{user}/{party}.md", letter),
        Route("/api/skills", api_skills),
        Route("/api/skills/reach/{record}", api_skills_reach),
        Route("/skills", skills_page),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(_SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    handlers: dict[Any, Any] = {
        UnknownIdError: unknown_id,
        UnknownSkillError: unknown_id,
        RequestError: bad_request,
        TracerError: bad_request,
        HTTPException: http_error,
        _Broken: broken,
    }
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)


def _json(data: Any, *, status_code: int = 200) -> Response:
    return JSONResponse(data, status_code=status_code)


def _problem(problem: Problem) -> dict:
    return {
        "file": problem.file,
        "line": problem.line,
        "field": problem.field,
        "message": problem.message,
        "text": str(problem),
    }


class _SecurityHeaders:
    """Adds the Content-Security-Policy and its companions to every response."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _HEADERS if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
