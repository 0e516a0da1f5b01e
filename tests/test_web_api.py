"""The web chat's HTTP API on a real server: streamed stages, threads, files, uploads and limits."""

from __future__ import annotations

import concurrent.futures
import time

import httpx
import pytest

from tests.webserver import design_turn, running_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("web-data")
    with running_server(data) as base:
        yield base, data


def test_a_message_streams_stages_then_the_design(server):
    base, _ = server
    events = design_turn(base, "api-1", "Blink an LED with a button on an Arduino Uno")
    kinds = [k for k, _ in events]
    assert kinds[0] == "start" and kinds[-1] == "end"
    stages = [d["stage"] for k, d in events if k == "stage"]
    assert stages[:3] == ["route", "identify", "retrieve"] and "render" in stages
    design = next(d for k, d in events if k == "design")
    assert design["pass"] is True and "schematic.svg" in design["files"], [f["message"] for f in design["findings"]]
    assert any(r["part key"] == "led" for r in design["bom"])
    svg = httpx.get(f"{base}/api/threads/api-1/files/schematic.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    dl = httpx.get(f"{base}/api/threads/api-1/files/bom.csv?download=1")
    assert "attachment" in dl.headers.get("content-disposition", "") and dl.text.startswith("designators,")
    assert "script-src 'self'" in svg.headers["content-security-policy"]


def test_files_only_by_their_fixed_names(server):
    base, _ = server
    for path in ("/api/threads/api-1/files/..%2F..%2Fthreads.sqlite", "/api/threads/api-1/files/report.md.bak",
                 "/api/threads/..%2Fx/files/bom.csv", "/api/threads/api-1/files/%2Fetc%2Fpasswd"):
        assert httpx.get(base + path).status_code in (400, 404), path


def test_ten_concurrent_designs_on_different_threads_all_complete(server):
    base, _ = server
    t0 = time.monotonic()
    requests = [f"Arduino Uno blinks an LED on pin {9 + (i % 3)} and reads a push button" for i in range(10)]
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda i: design_turn(base, f"conc-{i}", requests[i], timeout=300), range(10)))
    assert time.monotonic() - t0 < 300
    for events in results:
        assert not [d for k, d in events if k == "error"], [d for k, d in events if k == "error"]
        assert any(k == "design" and d["files"] for k, d in events)
    listed = {t["id"] for t in httpx.get(base + "/api/threads").json()}
    assert {f"conc-{i}" for i in range(10)} <= listed


def test_two_messages_on_one_thread_both_land(server):
    base, _ = server
    design_turn(base, "same", "Arduino Uno with an LED")
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        a = pool.submit(design_turn, base, "same", "add a buzzer")
        b = pool.submit(design_turn, base, "same", "add a push button")
        a.result(), b.result()
    turns = httpx.get(base + "/api/threads/same").json()["turns"]
    users = [t["content"] for t in turns if t["role"] == "user"]
    assert "add a buzzer" in users and "add a push button" in users


def test_uploads_stay_in_the_data_folder_and_have_limits(server, tmp_path):
    base, data = server
    outside = data.parent / "x.pdf"
    r = httpx.post(base + "/api/datasheets", files={"file": ("../../x.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
                   timeout=120)
    assert r.status_code == 200 and r.json()["ok"] is False       # not a readable datasheet: a clear error
    assert r.json()["error"]
    assert not outside.exists() and not (data.parent.parent / "x.pdf").exists()
    assert all(p.parent == data / "uploads" for p in (data / "uploads").iterdir())
    big = httpx.post(base + "/api/datasheets", files={"file": ("big.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024), "application/pdf")},
                     timeout=120)
    assert big.status_code == 413
    not_pdf = httpx.post(base + "/api/datasheets", files={"file": ("a.pdf", b"<html>", "application/pdf")}, timeout=60)
    assert not_pdf.status_code == 415


def test_request_limits_and_bad_thread_names(server):
    base, _ = server
    assert httpx.post(base + "/api/threads/ok/messages", json={"text": ""}).status_code == 422
    assert httpx.post(base + "/api/threads/ok/messages", json={"text": "x" * 5000}).status_code == 422
    assert httpx.post(base + "/api/threads/bad%20name/messages", json={"text": "hi"}).status_code == 400


def test_serve_refuses_a_public_address_without_the_flag(capsys):
    from pipelines.cli import main

    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err


def test_a_dead_llm_ends_the_turn_with_a_design_not_a_hung_request(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/v1"  # nothing listens there once closed
    for k, v in {"CIRCUITSMITH_LLM_BASE_URL": dead, "CIRCUITSMITH_LLM_API_KEY": "test", "CIRCUITSMITH_LLM_MODEL": "fake",
                 "CIRCUITSMITH_LLM_TIMEOUT": "5", "CIRCUITSMITH_SEMANTIC": "0"}.items():
        monkeypatch.setenv(k, v)
    with running_server(tmp_path, backend=None) as base:
        assert httpx.get(base + "/api/settings").json()["llm"] is True
        t0 = time.monotonic()
        events = design_turn(base, "dead-llm", "Blink an LED with a button on an Arduino Uno", timeout=240)
        assert time.monotonic() - t0 < 240
    design = next(d for k, d in events if k == "design")
    assert design["files"] and any(str(b).startswith("rules (LLM failed") for b in design["backends"].values())
