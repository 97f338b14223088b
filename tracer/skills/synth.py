"""A synthetic catalogue, seeded: a realistic mix of permissions for demos and benchmarks.

The mix (docs/skills.md, "Synthetic catalogues"): most skills ask for no permission at all,
as the large crawls of the store found (Lentzsch et al., NDSS 2021: 90,194 skills; the
permission-requesting skills a small minority); the shares below are our assumption, not
measured: 6% ask for at least one scope, postal code and full address the most common, then
email, name, mobile number, lists, geolocation and the recognised speaker's id; 5% use account
linking, 2% in-skill purchases, 0.3% Amazon Pay. Developers follow a long tail (a few publish
hundreds of skills, most one). Names include quotes and non-ASCII letters, as real stores do.

>>> rows = synth_rows(5, seed=1)
>>> len(rows), sorted(rows[0])[:3]
(5, ['account_linking', 'amazon_pay', 'category'])
>>> synth_rows(5, seed=1) == rows
True
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from .catalogue import COLUMNS

__all__ = ["MIX", "synth_rows", "write_synthetic_catalogue"]

ANY_SCOPE = 0.06
# of the skills with a scope, the share asking for each (our assumption; see the module)
MIX = {
    "alexa:devices:all:address:country_and_postal_code:read": 0.35,
    "alexa::devices:all:address:full:read": 0.25,
    "alexa::profile:email:read": 0.20,
    "alexa::profile:name:read": 0.12,
    "alexa::profile:given_name:read": 0.10,
    "alexa::profile:mobile_number:read": 0.08,
    "alexa::household:lists:read": 0.06,
    "alexa::household:lists:write": 0.05,
    "alexa::devices:all:geolocation:read": 0.03,
    "alexa::person_id:read": 0.02,
}
FLAGS = {"account_linking": 0.05, "in_skill_purchases": 0.02, "amazon_pay": 0.003}
CATEGORIES = (
    "Games & Trivia", "Education & Reference", "Lifestyle", "Music & Audio", "Food & Drink",
    "News", "Health & Fitness", "Smart Home", "Shopping", "Travel & Transportation",
)  # fmt: skip
WORDS = (
    "Daily", "Trivia", "Sleep", "Sounds", "Quiz", "Café", "Fact", "Pizza", "Rain", "Jokes",
    "Weather", "Kids", "Über", "Yoga", "Recipe", "Radio", "Zoë's", "Story", "Garden", "Bus",
)  # fmt: skip
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def synth_rows(skills: int, *, seed: int = 0, features: set[str] | None = None) -> list[dict]:
    """``skills`` catalogue rows; ``features`` limits them to what a template has."""
    rng = random.Random(seed)
    developers = max(1, skills // 3)
    rows = []
    seen: set[str] = set()
    for index in range(skills):
        while True:
            asin = "B0" + "".join(rng.choice(_ALPHABET) for _ in range(8))
            if asin not in seen:
                seen.add(asin)
                break
        # a long tail: developer k has a share of about 1/k
        developer = int(developers ** rng.random()) - 1
        scopes = []
        if rng.random() < ANY_SCOPE:
            scopes = [s for s, share in MIX.items() if rng.random() < share]
            scopes = scopes or ["alexa:devices:all:address:country_and_postal_code:read"]
        flags = {flag: rng.random() < share for flag, share in FLAGS.items()}
        if features is not None:
            scopes = [s for s in scopes if s in features]
            flags = {f: v and f in features for f, v in flags.items()}
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        rows.append(
            {
                "skill": asin,
                "name": f'{name} "{index}"' if index % 97 == 0 else name,
                "developer": f"Developer {developer:05d}" + (" GmbH" if developer % 7 == 0 else ""),
                "permissions": " ".join(scopes),
                **{flag: str(value).lower() for flag, value in flags.items()},
                "category": rng.choice(CATEGORIES),
                "privacy_policy": "",
                "retention": "",
                "source": "synthetic",
            }
        )
    return rows


def write_synthetic_catalogue(
    output: str | Path, skills: int, *, seed: int = 0, features: set[str] | None = None
) -> Path:
    """Write :func:`synth_rows` to ``output``: .csv, .jsonl or .parquet by its suffix."""
    output = Path(output)
    rows = synth_rows(skills, seed=seed, features=features)
    suffix = output.suffix.lower()
    target = output if suffix == ".csv" else output.with_suffix(".tmp.csv")
    with target.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    if suffix == ".csv":
        return output
    import duckdb

    kind = {".parquet": "PARQUET", ".jsonl": "JSON"}.get(suffix)
    if kind is None:
        target.unlink()
        from .catalogue import CatalogueError

        raise CatalogueError(f"{output}: write a catalogue as .csv, .jsonl or .parquet")
    con = duckdb.connect()
    quoted = str(target).replace("'", "''")
    out = str(output).replace("'", "''")
    con.execute(
        f"COPY (SELECT * FROM read_csv('{quoted}', header=true, all_varchar=true)) "
        f"TO '{out}' (FORMAT {kind})"
    )
    target.unlink()
    return output
