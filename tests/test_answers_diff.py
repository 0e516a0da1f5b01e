"""benchmarks/answers_diff.py: a speed-only change must leave every answer as it was; the diff must see a change."""

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import answers_diff  # noqa: E402


def _dump(path: Path, rows: list[tuple[str, list[str], bool, float]]) -> Path:
    path.write_text("".join(json.dumps({"q": q, "top3": top, "ood": ood, "conf": conf}) + "\n"
                            for q, top, ood, conf in rows), encoding="utf-8")
    return path


def test_same_answers_pass_and_a_changed_one_fails(tmp_path, capsys):
    rows = [("a buzzer", ["buzzer", "piezo", "speaker"], False, 0.93), ("a toaster", ["relay", "ssr", "fan"], True, 0.1)]
    before = _dump(tmp_path / "a.jsonl", rows)
    assert answers_diff.main([str(before), str(_dump(tmp_path / "b.jsonl", rows))]) == 0
    moved = [rows[0], ("a toaster", ["relay", "fan", "ssr"], True, 0.1)]
    assert answers_diff.main([str(before), str(_dump(tmp_path / "c.jsonl", moved))]) == 1
    assert "CHANGED 'a toaster'" in capsys.readouterr().out
    flipped = [rows[0], ("a toaster", ["relay", "ssr", "fan"], False, 0.1)]
    assert answers_diff.main([str(before), str(_dump(tmp_path / "d.jsonl", flipped))]) == 1
    # a confidence that moved fails only when asked (--conf); other queries are an error
    nudged = [rows[0], ("a toaster", ["relay", "ssr", "fan"], True, 0.2)]
    assert answers_diff.main([str(before), str(_dump(tmp_path / "e.jsonl", nudged))]) == 0
    assert answers_diff.main([str(before), str(tmp_path / "e.jsonl"), "--conf"]) == 1
    assert answers_diff.main([str(before), str(_dump(tmp_path / "f.jsonl", rows[:1]))]) == 2
