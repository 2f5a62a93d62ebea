"""A kit module only one kind of figure renders with keys only that kind (figures_src.build.keys)."""

from __future__ import annotations

from figures_src.build import keys


def test_a_kit_module_of_one_kind_changes_only_that_kind_s_key(tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    kit.mkdir()
    for name in ("mpl.py", "scene.py", "style.py"):
        (kit / name).write_text(f"# {name}\n")
    monkeypatch.setattr(keys, "KIT", kit)

    def now() -> dict[str, str]:
        return {kind: keys.shared_fingerprint(kind) for kind in ("matplotlib", "manim")}

    first = now()
    (kit / "mpl.py").write_text("# changed\n")
    after_mpl = now()
    assert after_mpl["manim"] == first["manim"] and after_mpl["matplotlib"] != first["matplotlib"]
    (kit / "scene.py").write_text("# changed\n")
    after_scene = now()
    assert after_scene["matplotlib"] == after_mpl["matplotlib"] and after_scene["manim"] != after_mpl["manim"]
    (kit / "style.py").write_text("# changed\n")  # shared by both
    assert all(now()[k] != after_scene[k] for k in after_scene)
