"""``circuitsmith kb``: search (table, JSON, batch), show, list and add, through pipelines.cli.main.

The built-in library is swapped for a small copy of real records (so the index builds in a
second or two) and $CIRCUITSMITH_HOME for a temp folder, so `kb add` never touches the repo.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import knowledge.library as library_mod
from knowledge.library import BUILTIN_DIR, Library, user_parts_dir
from pipelines.cli import main

SUBSET = ["hc-sr04", "ssd1306", "dht22", "servo", "resistor", "led", "push-button", "arduino-uno", "irlz44n"]


@pytest.fixture(scope="module")
def subset_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("builtin")
    for key in SUBSET:
        shutil.copy(BUILTIN_DIR / f"{key}.yaml", d / f"{key}.yaml")
    return d


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(autouse=True)
def small_library(monkeypatch, subset_dir, home):
    monkeypatch.setattr(library_mod, "BUILTIN_DIR", subset_dir)
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(home))
    monkeypatch.delenv("CIRCUITSMITH_KB_DIRS", raising=False)
    monkeypatch.delenv("CHROMA_HOST", raising=False)


def run(capsys, *argv):
    rc = main(["kb", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def sensor_record(key: str, **over) -> dict:
    rec = {
        "key": key,
        "name": "MLX90614 infrared thermometer",
        "category": "sensor",
        "aliases": ["mlx90614", "ir thermometer", "contactless temperature sensor"],
        "description": "Non-contact infrared temperature sensor on I2C (SMBus), -70..380 C object range.",
        "typical_use": "Measuring the temperature of an object without touching it.",
        "designator": "U",
        "supply": {"v_min": 3.0, "v_max": 3.6, "logic_level": 3.3, "current_typ": 0.0015},
        "flags": {"onboard_pullups": True},
        "source": "Melexis MLX90614 datasheet rev 13 (3V version: 2.6-3.6 V, 1.5 mA typ)",
        "pins": [
            {"name": "VIN", "type": "power_in", "v_max": 3.6},
            {"name": "GND", "type": "ground"},
            {"name": "SCL", "type": "digital_in", "functions": ["i2c_scl"], "v_max": 3.6},
            {"name": "SDA", "type": "digital_io", "functions": ["i2c_sda"], "v_max": 3.6},
        ],
    }
    rec.update(over)
    return rec


# ---- help --------------------------------------------------------------------------------------

@pytest.mark.parametrize("sub", ["search", "show", "list", "add"])
def test_every_subcommand_has_help_with_an_example(capsys, sub):
    with pytest.raises(SystemExit) as exc:
        main(["kb", sub, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and f"circuitsmith kb {sub}" in out


# ---- search ------------------------------------------------------------------------------------

def test_search_prints_a_ranked_table_with_scores(capsys):
    rc, out, _ = run(capsys, "search", "ultrasonic distance sensor", "-k", "3")
    assert rc == 0
    assert "best match" in out and "hc-sr04" in out
    lines = [line for line in out.splitlines() if line.startswith("│")]
    assert len(lines) == 3 and "hc-sr04" in lines[0]
    assert all(any(c.isdigit() for c in line.split("│")[-2]) for line in lines)


def test_search_json_has_the_agreed_shape(capsys):
    rc, out, _ = run(capsys, "search", "IRLZ44N", "--json", "-k", "2")
    assert rc == 0
    data = json.loads(out)
    assert data["query"] == "IRLZ44N" and data["ood"] is False
    assert [m["key"] for m in data["matches"]][0] == "irlz44n"
    assert len(data["matches"]) == 2
    assert all(isinstance(m["score"], float) and 0 <= m["score"] <= 1 for m in data["matches"])


def test_search_flags_a_part_the_library_lacks(capsys):
    rc, out, _ = run(capsys, "search", "a Velodyne lidar", "--json")
    data = json.loads(out)
    assert rc == 0 and data["ood"] is True and data["matches"]
    rc, out, _ = run(capsys, "search", "flux capacitor")
    assert "not in the library" in out


def test_batch_search_prints_one_json_object_per_query_and_embeds_once(capsys, tmp_path, monkeypatch):
    from knowledge.embedding import Embedder

    queries = ["sensor that measures distance with ultrasound", "tiny screen to show text", "", "# a comment",
               "a handheld multimeter for my bench", "a servo to turn an arm"]
    f = tmp_path / "bom.txt"
    f.write_text("\n".join(queries) + "\n", encoding="utf-8")
    calls = []
    real = Embedder.encode

    def spy(self, texts, *a, **kw):
        calls.append(list(texts))
        return real(self, texts, *a, **kw)

    main(["kb", "search", "hc-sr04"])  # the index is built before the spy
    capsys.readouterr()
    monkeypatch.setattr(Embedder, "encode", spy)
    rc, out, _ = run(capsys, "search", "--batch", str(f), "--json")
    assert rc == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in rows] == [q for q in queries if q and not q.startswith("#")]
    assert rows[0]["matches"][0]["key"] == "hc-sr04" and rows[2]["ood"] is True
    assert rows[3]["matches"][0]["key"] == "servo"
    # one model call for the whole file
    # (with the requests' single words that the word readings compare with their glosses, in the same call,
    # those no earlier search embedded)
    assert len(calls) == 1 and calls[0][:4] == [q for q in queries if q and not q.startswith("#")][:4]


def test_search_errors_are_clear(capsys, tmp_path):
    rc, _, err = run(capsys, "search", "--batch", str(tmp_path / "missing.txt"), "--json")
    assert rc == 2 and "cannot read" in err and "missing.txt" in err
    rc, _, err = run(capsys, "search")
    assert rc == 2 and "give a query" in err
    rc, _, err = run(capsys, "search", "led", "-k", "0")
    assert rc == 2 and "-k" in err


def test_search_of_an_empty_library_says_so(capsys, monkeypatch, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(library_mod, "BUILTIN_DIR", empty)
    monkeypatch.setenv("CIRCUITSMITH_HOME", str(tmp_path / "home"))
    rc, _, err = run(capsys, "search", "ultrasonic distance sensor")
    assert rc == 1 and "library is empty" in err
    rc, out, _ = run(capsys, "list")
    assert rc == 0 and "library is empty" in out


# ---- show / list -------------------------------------------------------------------------------

def test_show_prints_the_pinout(capsys):
    rc, out, _ = run(capsys, "show", "hc-sr04")
    assert rc == 0
    assert "pinout" in out and "source:" in out
    for pin in ("VCC", "TRIG", "ECHO", "GND"):
        assert pin in out
    assert "power_in" in out and "ground" in out


def test_show_resolves_an_alias_and_refuses_an_unknown_part(capsys):
    rc, out, _ = run(capsys, "show", "HC-SR04")
    assert rc == 0 and "TRIG" in out
    rc, _, err = run(capsys, "show", "flux capacitor")
    assert rc == 1 and "no part 'flux capacitor'" in err and "closest" in err
    rc, out, _ = run(capsys, "show", "irlz44n", "--json")
    assert json.loads(out)["key"] == "irlz44n"


def test_list_filters_by_category(capsys):
    rc, out, _ = run(capsys, "list", "--json")
    keys = {r["key"] for r in json.loads(out)}
    assert set(SUBSET) <= keys
    rc, out, _ = run(capsys, "list", "--category", "sensor", "--json")
    rows = json.loads(out)
    assert rows and all(r["category"] == "sensor" for r in rows) and "hc-sr04" in {r["key"] for r in rows}
    rc, _, err = run(capsys, "list", "--category", "spaceship")
    assert rc == 1 and "categories in the library" in err


# ---- add ---------------------------------------------------------------------------------------

def test_add_validates_copies_and_reindexes(capsys, tmp_path):
    f = tmp_path / "mlx.yaml"
    f.write_text(yaml.safe_dump(sensor_record("mlx90614")), encoding="utf-8")
    rc, out, err = run(capsys, "add", str(f))
    assert rc == 0, err
    assert "added mlx90614" in out and "search index updated" in out
    assert (user_parts_dir() / "mlx90614.yaml").is_file()
    assert "mlx90614" in Library.default()
    rc, out, _ = run(capsys, "search", "MLX90614", "--json")
    assert json.loads(out)["matches"][0]["key"] == "mlx90614"
    rc, out, _ = run(capsys, "search", "contactless thermometer", "--json")
    assert json.loads(out)["matches"][0]["key"] == "mlx90614"
    rc, out, _ = run(capsys, "show", "mlx90614")
    assert "SDA" in out and "i2c_sda" in out


def test_add_refuses_a_duplicate_key_unless_replace_and_never_a_builtin(capsys, tmp_path):
    f = tmp_path / "ir.yaml"
    f.write_text(yaml.safe_dump(sensor_record("ir-thermo")), encoding="utf-8")
    assert run(capsys, "add", str(f))[0] == 0
    rc, _, err = run(capsys, "add", str(f))
    assert rc == 1 and "already exists" in err and "--replace" in err
    changed = sensor_record("ir-thermo", name="IR thermometer (5 V module)")
    f.write_text(yaml.safe_dump(changed), encoding="utf-8")
    rc, out, err = run(capsys, "add", str(f), "--replace")
    assert rc == 0, err
    assert "replaced ir-thermo" in out
    assert Library.default()["ir-thermo"].name == "IR thermometer (5 V module)"
    builtin = tmp_path / "led.yaml"
    builtin.write_text(yaml.safe_dump(sensor_record("led")), encoding="utf-8")
    rc, _, err = run(capsys, "add", str(builtin), "--replace")
    assert rc == 1 and "built-in part" in err
    assert Library.default()["led"].category == "indicator"


def test_add_names_the_file_and_field_of_a_bad_record_and_adds_nothing(capsys, tmp_path):
    before = sorted(p.name for p in user_parts_dir().glob("*")) if user_parts_dir().exists() else []
    bad_type = sensor_record("bad-sensor")
    bad_type["pins"][0]["type"] = "power_input"
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump(bad_type), encoding="utf-8")
    rc, _, err = run(capsys, "add", str(f))
    assert rc == 2 and "bad.yaml" in err and "pins.0.type" in err and "nothing was added" in err

    corrupt = tmp_path / "corrupt.yaml"
    corrupt.write_text("key: x\npins: [unclosed\n", encoding="utf-8")
    rc, _, err = run(capsys, "add", str(corrupt))
    assert rc == 2 and "corrupt.yaml" in err and "not valid YAML" in err

    missing_field = sensor_record("no-source")
    del missing_field["source"]
    f.write_text(json.dumps(missing_field), encoding="utf-8")
    f2 = f.with_suffix(".json")
    f.rename(f2)
    rc, _, err = run(capsys, "add", str(f2))
    assert rc == 2 and "bad.json" in err and "source" in err

    rc, _, err = run(capsys, "add", str(tmp_path / "nope.yaml"))
    assert rc == 2 and "no such file" in err
    after = sorted(p.name for p in user_parts_dir().glob("*")) if user_parts_dir().exists() else []
    assert after == before


def test_show_prints_what_the_part_provides_with_direction_and_person(capsys, library):
    rc, out, _ = run(capsys, "show", "push-button")
    assert rc == 0 and "provides:" in out
    rec = library["push-button"]
    assert rec.provides
    for cap in rec.provides:
        role = f", person {cap.person}" if cap.person else ""
        assert f"{cap.capability} ({cap.direction}{role}" in out
