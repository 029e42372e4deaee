#!/usr/bin/env python3
"""Fetches the test-only front-end assets into .test-assets/ (git-ignored); `make test-setup` runs it.

Each is a pinned npm package, taken with `npm pack` and checked against the sha512 the registry
published for that version (the `dist.integrity` of `npm view PACKAGE@VERSION`); a mismatch is an
error. Offline or without npm it says so and exits 0: the tests that need the asset are skipped,
except on CI (CI=true), where they fail (tests/browser/conftest.py).

To move to another version, change it and its integrity below; `make test-setup` fetches it again.
"""

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / ".test-assets"

#: (package, version, integrity, file inside the package, where it goes under .test-assets/)
ASSETS = [
    (
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        "package/axe.min.js",
        "axe-core/axe.min.js",
    ),
]


def integrity_of(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(package: str, version: str, integrity: str, member: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        packed = subprocess.run(
            ["npm", "pack", "--silent", f"{package}@{version}", "--pack-destination", work],
            capture_output=True,
            text=True,
            check=True,
        )
        tarball = Path(work) / packed.stdout.strip().splitlines()[-1]
        found = integrity_of(tarball)
        if found != integrity:
            sys.exit(f"error: {package}@{version} has integrity {found}, not the pinned {integrity}")
        with tarfile.open(tarball) as archive:
            source = archive.extractfile(member)
            if source is None:
                sys.exit(f"error: {package}@{version} has no {member}")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".partial")
            with source, partial.open("wb") as out:
                shutil.copyfileobj(source, out)
            partial.replace(target)
    print(f"fetched {package}@{version} into {target.relative_to(ROOT)}")


def main() -> None:
    for package, version, integrity, member, relative in ASSETS:
        target = DEST / relative
        stamp = target.with_name(target.name + ".version")
        if target.is_file() and stamp.is_file() and stamp.read_text() == f"{version} {integrity}":
            continue
        try:
            fetch(package, version, integrity, member, target)
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", "") or error
            print(f"warning: could not fetch {package}@{version} ({detail}); the tests that need it skip")
            target.unlink(missing_ok=True)
            continue
        stamp.write_text(f"{version} {integrity}")


if __name__ == "__main__":
    main()
