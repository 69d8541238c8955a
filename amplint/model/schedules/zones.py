"""Time zones by IANA name, as this host knows them: the names AMP404 accepts and the zone a name
stands for when amplint counts a schedule's next runs. One resolver, so a name the checks accept is one
`amplint graph` can use, and a name they cannot judge (no time-zone database here) is one it does not
pretend to know."""

from __future__ import annotations

import datetime
import functools

from ...amplify import DEFAULT_SCHEDULE_TIMEZONE


@functools.lru_cache(maxsize=1)
def iana_zones() -> frozenset[str]:
    """The IANA zone names of the host's time-zone database; empty when it has none."""
    import zoneinfo

    # 'localtime' is a file of the host's tz database, not a zone name EventBridge knows.
    return frozenset(zoneinfo.available_timezones()) - {"localtime"}


def zone_info(name: str) -> datetime.tzinfo | None:
    """The zone an IANA name stands for; None when this host does not know it (not an IANA name, or no
    time-zone database to look it up in). Amplify's default, UTC, is known everywhere."""
    if name == DEFAULT_SCHEDULE_TIMEZONE:
        return datetime.timezone.utc
    if name not in iana_zones():
        return None
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # listed but unreadable
        return None
