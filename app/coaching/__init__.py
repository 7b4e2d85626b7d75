"""Child protection coaching: figures, children to notice, audit samples, feedback to officers
and what the MASH decided. Reads every other package; nothing imports it."""

from app.coaching import rollup  # noqa: F401  - the daily roll-up, kept current on every flush
