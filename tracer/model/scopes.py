"""The Alexa Skills Kit permission scopes, spelled as skill manifests spell them.

A catalogue's ``permissions`` cell holds these; one not listed here is read as an *unknown*
permission (a warning naming the row), kept on the skill and traced as nothing, since no
template says what it gives. The odd one, ``alexa:devices:all:address:country_and_postal_code:read``
with a single colon after ``alexa``, is how manifests really write it; the two-colon spelling is
unknown, and the warning suggests the real one.

>>> "alexa:devices:all:address:country_and_postal_code:read" in SCOPES
True
>>> split_scopes("alexa::profile:email:read; alexa::profile:name:read")
('alexa::profile:email:read', 'alexa::profile:name:read')
"""

from __future__ import annotations

import re

__all__ = ["ALIASES", "FLAG_FEATURES", "SCOPES", "canonical", "split_scopes"]

# ASK documentation: "Configure Permissions for Customer Information in Your Skill", the skill
# manifest reference, and skills-and-exports.md in the project's sources
SCOPES: tuple[str, ...] = (
    "alexa::alerts:reminders:skill:readwrite",
    "alexa::alerts:timers:skill:readwrite",
    "alexa::devices:all:address:full:read",
    "alexa::devices:all:geolocation:read",
    "alexa::devices:all:notifications:write",
    "alexa::household:lists:read",
    "alexa::household:lists:write",
    "alexa::person_id:read",
    "alexa::profile:email:read",
    "alexa::profile:given_name:read",
    "alexa::profile:mobile_number:read",
    "alexa::profile:name:read",
    "alexa:devices:all:address:country_and_postal_code:read",
    "payments:autopay_consent",
    # the older spellings permission consent cards used, still met in skills' code
    "read::alexa:device:all:address",
    "read::alexa:device:all:address:country_and_postal_code",
    "read::alexa:household:list",
    "write::alexa:household:list",
)

# a scope that means the same as another, or as a yes/no feature: Amazon Pay's manifest
# permission is `payments:autopay_consent`
ALIASES: dict[str, str] = {
    "payments:autopay_consent": "amazon_pay",
    "read::alexa:device:all:address": "alexa::devices:all:address:full:read",
    "read::alexa:device:all:address:country_and_postal_code": (
        "alexa:devices:all:address:country_and_postal_code:read"
    ),
    "read::alexa:household:list": "alexa::household:lists:read",
    "write::alexa:household:list": "alexa::household:lists:write",
}

# the catalogue's yes/no columns, each a feature of the skill template of the same name
FLAG_FEATURES: tuple[str, ...] = ("account_linking", "in_skill_purchases", "amazon_pay")


def canonical(scope: str) -> str:
    """The feature a scope stands for: itself, or what its alias means.

    >>> canonical("payments:autopay_consent"), canonical("alexa::profile:email:read")
    ('amazon_pay', 'alexa::profile:email:read')
    """
    return ALIASES.get(scope, scope)


SEPARATORS = re.compile(r"[\s;,]+")


def split_scopes(text: str | None) -> tuple[str, ...]:
    """The scopes of one ``permissions`` cell (space-, ``;``- or comma-separated), in order,
    each once."""
    if not text:
        return ()
    return tuple(dict.fromkeys(part for part in SEPARATORS.split(text.strip()) if part))
