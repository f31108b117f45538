#!/usr/bin/env python
"""Fuzz the JSON API under /api/v1/ against its own OpenAPI description (schemathesis).

    .venv/bin/python tools/api_fuzz.py [--max-examples N] [--seed S] [--keep]

Builds a throwaway SQLite database in var/api-fuzz/ (migrate, seed_demo, seed_booking_demo),
serves the site with gunicorn on a free loopback port and runs schemathesis against
/api/v1/schema/ twice: anonymous, then signed in as the demo client (e-mail verified, documents
in force accepted by seed_booking_demo), with the session cookie and the CSRF token header a
browser would send. Every operation is exercised with valid and invalid input; a run fails on a
5xx, a body that does not match the schema, an undocumented status code or content type, or
invalid input that the server accepts. The exit status is non-zero if either run fails.

Deterministic as far as schemathesis allows: a fixed seed, one worker, no example database
carried over from a previous run. Bounded: each operation gets at most --max-examples cases per
phase, which keeps the whole script to a few minutes on a small machine.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "api-fuzz"
BIN = Path(sys.executable).parent
SCHEMA_PATH = "/api/v1/schema/"
LOGIN_PATH = "/compte/connexion/"
# Created by seed_booking_demo in the embedded demo (DEMO_MODE), documents accepted.
CLIENT_EMAIL, CLIENT_PASSWORD = "client@example.com", "demo-client-2026"

CHECKS = [
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
    "negative_data_rejection",
]
# examples and coverage (boundary values of every documented constraint), then random cases.
# The stateful phase needs links between operations, which this description does not declare.
PHASES = "examples,coverage,fuzzing"


def environment(database: Path) -> dict[str, str]:
    """The embedded default's settings (DEMO_MODE creates the demo accounts), on a database of
    its own and without debug pages: errors are answered as in production."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{database}",
        VAR_DIR=str(WORK_DIR),
        DEBUG="false",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--threads=2",
            "--timeout=60",
            "--access-logfile=-",
            "--no-control-socket",  # a socket in ~/.gunicorn/ would be shared by parallel runs
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}), see its log")
        try:
            # The first request imports the site and generates the schema: slow on a busy CI.
            if requests.get(base + SCHEMA_PATH, timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still starting
            pass
        time.sleep(0.5)
    raise SystemExit(f"no answer from {base}{SCHEMA_PATH} within {timeout:.0f}s")


def sign_in(base: str) -> tuple[str, str]:
    """Sign in through the login form as a browser does: (session id, CSRF token)."""
    session = requests.Session()
    session.get(base + LOGIN_PATH, timeout=10).raise_for_status()
    token = session.cookies.get("csrftoken")
    if not token:
        raise SystemExit(f"{LOGIN_PATH} set no CSRF cookie")
    response = session.post(
        base + LOGIN_PATH,
        data={"email": CLIENT_EMAIL, "password": CLIENT_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + LOGIN_PATH},
        allow_redirects=False,
        timeout=10,
    )
    session_id = session.cookies.get("sessionid")
    if response.status_code != 302 or not session_id:
        raise SystemExit(f"could not sign in as {CLIENT_EMAIL} (HTTP {response.status_code})")
    # Django rotates the CSRF token on login: the new one is set by the next page.
    session.get(base + LOGIN_PATH, timeout=10)
    return session_id, session.cookies.get("csrftoken") or token


def test_data(base: str, session_id: str, csrf_token: str) -> dict[str, list]:
    """Identifiers that exist, read and created through the APIs themselves, so that the fuzzer
    also reaches what lies behind a 404: a practitioner's slots, a booking, a cancellation."""
    http = requests.Session()
    http.headers.update(
        {"Cookie": f"sessionid={session_id}; csrftoken={csrf_token}", "X-CSRFToken": csrf_token}
    )
    pages = http.get(
        f"{base}/api/v2/pages/",
        params={"type": "cms.PractitionerPage", "limit": "20", "order": "id"},
        timeout=10,
    )
    pages.raise_for_status()
    data: dict[str, list] = {"practitioners": [], "services": [], "starts": [], "references": []}
    for page in pages.json()["items"]:
        services = http.get(f"{base}/api/v1/booking/practitioners/{page['id']}/services/")
        if services.status_code != 200 or not services.json():
            continue
        data["practitioners"].append(page["id"])
        data["services"] += [service["id"] for service in services.json()]
        if len(data["practitioners"]) == 3:
            break
    if not data["practitioners"]:
        raise SystemExit("no bookable practitioner in the demo data")
    page_id, service_id = data["practitioners"][0], data["services"][0]

    def free_starts() -> list[str]:
        slots = http.get(
            f"{base}/api/v1/booking/practitioners/{page_id}/slots/",
            params={"service": str(service_id)},
            timeout=30,
        )
        slots.raise_for_status()
        return [slot["start"] for slot in slots.json()["slots"]]

    # Two appointments of the demo client, for the fuzzer to read, move and cancel; the slots
    # still free after them, for it to book (slots overlap: each booking takes several).
    for _ in range(2):
        start = free_starts()[0]
        booked = http.post(
            f"{base}/api/v1/booking/appointments/",
            json={
                "practitioner": page_id,
                "service": service_id,
                "start": start,
                "accept_terms": True,
            },
            timeout=30,
        )
        if booked.status_code != 201:
            raise SystemExit(f"could not book {start}: HTTP {booked.status_code} {booked.text}")
        data["references"].append(booked.json()["reference"])
    data["starts"] = free_starts()[:10]
    return data


def write_config(path: Path, data: dict[str, list]) -> None:
    """A schemathesis.toml that draws identifiers from `data` half of the time (the other half
    stays random: unknown ids, out-of-range values, malformed ones)."""
    bindings = {
        "path.page_id": "practitioners",
        "body.practitioner": "practitioners",
        "query.service": "services",
        "body.service": "services",
        "body.start": "starts",
        "path.reference": "references",
    }
    lines = []
    for name, values in data.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    for parameter, dictionary in bindings.items():
        lines.append(f'"{parameter}" = {{ dictionary = "{dictionary}", probability = 0.5 }}')
    path.write_text("\n".join(lines) + "\n")


def fuzz(
    base: str,
    *,
    name: str,
    headers: list[str],
    config: Path,
    args: argparse.Namespace,
    report: Path,
) -> int:
    step(f"schemathesis, {name}")
    command = [
        str(BIN / "schemathesis"),
        f"--config-file={config}",
        "run",
        base + SCHEMA_PATH,
        f"--checks={','.join(CHECKS)}",
        f"--phases={PHASES}",
        f"--max-examples={args.max_examples}",
        f"--seed={args.seed}",
        "--workers=1",
        "--generation-database=none",
        # The session cookie is sent as a header below; generated ones would replace it.
        "--generation-with-security-parameters=false",
        "--request-timeout=30",
        "--no-color",
        "--report=junit",
        f"--report-junit-path={report}",
    ]
    for header in headers:
        command += ["--header", header]
    # Run from the work directory: schemathesis keeps its cache (.schemathesis/) in the cwd.
    return subprocess.run(command, cwd=WORK_DIR).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--keep", action="store_true", help="keep var/api-fuzz/ afterwards")
    args = parser.parse_args()

    started = time.monotonic()
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True)
    env = environment(WORK_DIR / "db.sqlite3")

    step("database: migrate, seed_demo, seed_booking_demo")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    manage(env, "seed_booking_demo")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = WORK_DIR / "server.log"
    step(f"server on {base} (log: {server_log.relative_to(ROOT)})")
    server = serve(env, port, server_log)
    results: dict[str, int] = {}
    try:
        wait_until_up(base, server)
        session_id, csrf_token = sign_in(base)
        step("test data: bookable practitioners, their services and slots, two bookings")
        data = test_data(base, session_id, csrf_token)
        print(json.dumps(data, indent=1))
        config = WORK_DIR / "schemathesis.toml"
        write_config(config, data)
        results["anonymous"] = fuzz(
            base,
            name="anonymous",
            headers=[],
            config=config,
            args=args,
            report=WORK_DIR / "anonymous.xml",
        )
        results["signed in"] = fuzz(
            base,
            name=f"signed in as {CLIENT_EMAIL}",
            headers=[
                f"Cookie: sessionid={session_id}; csrftoken={csrf_token}",
                f"X-CSRFToken: {csrf_token}",
            ],
            config=config,
            args=args,
            report=WORK_DIR / "signed-in.xml",
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    step(f"summary ({time.monotonic() - started:.0f}s, seed {args.seed})")
    for name, code in results.items():
        print(f"  {'ok' if code == 0 else 'FAILED':7} {name}")
    failed = [name for name, code in results.items() if code != 0] or (
        [] if len(results) == 2 else ["incomplete"]
    )
    if failed:
        print(f"  reports and server log: {WORK_DIR.relative_to(ROOT)}/")
    elif not args.keep:
        shutil.rmtree(WORK_DIR, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
