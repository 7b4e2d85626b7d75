"""``python -m app.assets``: build the static files (fingerprinted, pre-compressed) and remove
built files no longer named. Run by ``make static``."""

from __future__ import annotations

from app.assets.build import build, prune
from app.paths import STATIC_DIR


def main() -> None:
    manifest = build(STATIC_DIR)
    removed = prune(STATIC_DIR, manifest)
    print(f"static: {len(manifest.files)} files built in static/dist ({removed} old ones removed)")


if __name__ == "__main__":
    main()
