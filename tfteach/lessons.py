"""Copy the lessons and the widget notebooks that ship with tfteach into a folder of your own.

    python -m tfteach.lessons DIR        (or the console script: tfteach-lessons DIR)

The wheel carries one copy of each notebook, taken at build time from the repository's
notebooks/ and widgets/ (pyproject.toml's `[tool.setuptools.data-files]`, installed under
`<prefix>/share/tfteach/`). In a clone of the repository the notebooks are read where they are.
A learner's edited copy is never overwritten without `--force`: DIR/.tfteach-lessons.json
records the hash of every file as it was copied, so an untouched copy can be updated and an
edited one is left alone.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
from importlib import metadata

MANIFEST = ".tfteach-lessons.json"
# where the notebooks go in DIR: lessons at the top, one notebook per widget in widgets/
FOLDERS = {"lessons": "", "widgets": "widgets"}


def _repo_sources():
    """In a clone (an editable install): the repository's own notebooks/ and widgets/."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not os.path.isfile(os.path.join(root, "pyproject.toml")):
        return None
    lessons = os.path.join(root, "notebooks")
    found = {}
    for name in sorted(os.listdir(lessons)) if os.path.isdir(lessons) else []:
        if name.endswith(".ipynb") and (name[:1].isdigit() or name == "lesson_template.ipynb"):
            found[name] = os.path.join(lessons, name)
    widgets = os.path.join(root, "widgets")
    for name in sorted(os.listdir(widgets)) if os.path.isdir(widgets) else []:
        if name.endswith(".ipynb"):
            found["widgets/" + name] = os.path.join(widgets, name)
    return found or None


def _installed_sources():
    """From an installed wheel: the files its RECORD lists under share/tfteach/."""
    try:
        files = metadata.distribution("tfteach").files or []
    except metadata.PackageNotFoundError:
        return {}
    found = {}
    for f in files:
        parts = f.parts
        if "share" in parts:
            rest = parts[parts.index("share") + 1:]
            if len(rest) == 3 and rest[0] == "tfteach" and rest[1] in FOLDERS and rest[2].endswith(".ipynb"):
                target = "/".join(p for p in (FOLDERS[rest[1]], rest[2]) if p)
                found[target] = str(f.locate())
    return dict(sorted(found.items()))


def shipped():
    """{name in DIR: path of the shipped notebook}, e.g. {'01_hello_neuron.ipynb': '/.../...'}."""
    found = _repo_sources() or _installed_sources()
    if not found:
        raise FileNotFoundError("tfteach.lessons: no lesson notebooks found. They ship in the wheel "
                                "under <prefix>/share/tfteach/; reinstall with: pip install "
                                "--force-reinstall 'tfteach[lessons]'")
    return found


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def copy_lessons(directory, force=False, out=print):
    """Copy every shipped notebook into `directory`; returns {name: what happened}.

    What happened is one of "copied", "unchanged" (already the shipped file), "updated" (the
    learner's copy was untouched, the shipped one changed), "overwritten" (edited, `force`),
    "refused" (edited since it was copied, or not copied by this command: kept).
    """
    os.makedirs(directory, exist_ok=True)
    manifest_path = os.path.join(directory, MANIFEST)
    try:
        with open(manifest_path, encoding="utf-8") as f:
            recorded = json.load(f)
    except (OSError, ValueError):
        recorded = {}
    done = {}
    for name, source in shipped().items():
        target = os.path.join(directory, *name.split("/"))
        new = sha256(source)
        if not os.path.exists(target):
            action = "copied"
        else:
            have = sha256(target)
            if have == new:
                action = "unchanged"
            elif have == recorded.get(name):
                action = "updated"
            else:
                action = "overwritten" if force else "refused"
        if action in ("copied", "updated", "overwritten"):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
        if action != "refused":
            recorded[name] = new
        done[name] = action
        out(f"{action:>11}  {target}")
    with open(manifest_path, "w", encoding="utf-8") as f:
        json.dump(recorded, f, indent=1, sort_keys=True)
    refused = [name for name, action in done.items() if action == "refused"]
    if refused:
        out(f"Kept {len(refused)} notebook(s) you have edited: {', '.join(refused)}. "
            f"To replace them with the shipped version, run again with --force (your edits are "
            f"lost), or copy the lessons into another folder.")
    return done


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tfteach-lessons", description="Copy tfteach's lesson and widget notebooks into DIR.")
    parser.add_argument("directory", nargs="?", default="tfteach-lessons", metavar="DIR",
                        help="where to put them (made if missing; default ./tfteach-lessons)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite notebooks you have edited since they were copied")
    parser.add_argument("--list", action="store_true", help="list the shipped notebooks, copy nothing")
    args = parser.parse_args(argv)
    if args.list:
        for name, path in shipped().items():
            print(f"{name}  ({path})")
        return 0
    done = copy_lessons(args.directory, force=args.force)
    if "refused" in done.values():
        return 1
    print(f"Open them with: jupyter lab {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
