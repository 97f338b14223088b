"""``tracer serve``: the local explorer, a web page over the model (tracer/web/)."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Annotated

import typer

from tracer.cli.app import app
from tracer.cli.common import CatalogueOption, _say, _user_errors
from tracer.errors import MissingModelError, ModelError, OutputError
from tracer.model.shipped import missing_hint, resolve


@app.command()
def serve(
    models: Annotated[
        list[Path] | None,
        typer.Option(
            "--model",
            "-m",
            help="Model file, or a shipped model's name (see `tracer list --models`; default: "
            "the shipped Alexa model); give two (-m A -m B) to see the second's answer beside "
            "the first's.",
            show_default=False,
        ),
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option(
            "--ledger",
            help="A ledger built by `tracer ledger build`: adds a search for one user's records.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; another than 127.0.0.1 opens it to others.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
    catalogue: CatalogueOption = None,
) -> None:
    """Explore the model in the browser: pick an interaction, switch deletion requests on and
    off, move the time; the diagram, the copies and who can still access what follow at once.
    The page reloads when the model file changes; /skills finds a catalogue skill by name and
    the skills that can reach a record. Stop with Ctrl+C.

    Example: tracer serve --open (or: tracer serve -m alexa -m alexa-2025)
    """
    from tracer.web import create_app
    from tracer.web.source import ModelSource

    with _user_errors():
        models = [resolve(path) for path in models or []]  # a shipped model by name, too
        if len(models) > 2:
            raise OutputError("tracer serve compares two models at most: give -m once or twice")
        for path in models:
            if not path.exists():  # said as every command says it
                raise MissingModelError(str(path), hint=missing_hint(path))
        model = models[0] if models else None
        state = ModelSource(model).current()
        from tracer.cli.common import _catalogue_path

        served = create_app(
            model,
            ledger_path=ledger,
            allowed_hosts=_allowed_hosts(host),
            compare_path=models[1] if len(models) == 2 else None,
            catalogue_path=_catalogue_path(model, catalogue),
        )
        _check_free(host, port)
    if state.problems:
        _say(
            ("warning:", "bold yellow"),
            f" {str(ModelError(state.problems)).splitlines()[0]}: "
            "the page lists them, and reloads when the file is fixed",
            stderr=True,
        )
    import uvicorn  # here: no other command pays for importing the server

    from tracer.cli.explorer_server import ExplorerServer

    config = uvicorn.Config(served, host=host, port=port, log_level="warning", lifespan="off")
    server = ExplorerServer(config, open_browser=open_browser)
    try:
        server.run()
    except SystemExit:  # uvicorn could not start, and has said why
        raise typer.Exit(1) from None
    if not server.started:
        raise typer.Exit(1)


def _check_free(host: str, port: int) -> None:
    """A taken port is a user error with a way out, before uvicorn would stop with code 3."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OutputError(f"cannot listen on {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            raise OutputError(
                f"cannot listen on {host}:{port}: {error.strerror}; try another --port"
            ) from None


def _allowed_hosts(host: str) -> list[str] | None:
    """On a loopback address, answer only to local names: a web page elsewhere cannot rebind
    its own name to 127.0.0.1 and read the model through the visitor's browser."""
    try:
        loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return ["127.0.0.1", "localhost", "[::1]", "::1"] if loopback else None
